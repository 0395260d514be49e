using Gym.Core.Evaluation;
using Gym.Trainer.Training;

namespace Gym.Trainer.Jobs;

/// <summary>
/// How the main job's stages are carried out and shown: the caller (the command line) runs evaluations and training
/// with its own progress displays and prints what the job says.
/// </summary>
public interface IMainJobStages
{
    /// <summary>Evaluates an agent on a split of a suite (as <c>gym eval</c> does).</summary>
    Task<EvaluationResult> EvaluateAsync(EvaluationRequest request, CancellationToken cancellationToken);

    /// <summary>Trains with <paramref name="config"/> into <paramref name="outDir"/> (as <c>gym train</c> does).</summary>
    Task<TrainResult> TrainAsync(TrainConfig config, string outDir, CancellationToken cancellationToken);

    /// <summary>A line of progress.</summary>
    void Say(string line);

    /// <summary>A table of evaluation results.</summary>
    void Show(IReadOnlyList<EvaluationReport> reports);
}

/// <summary>One evaluation the main job asks for.</summary>
/// <param name="Suite">The suite's name.</param>
/// <param name="Agent">The agent, as <c>gym eval --agent</c> names it (<c>oracle</c>, <c>random</c>, <c>policy:DIR</c>).</param>
/// <param name="Split">The split evaluated.</param>
/// <param name="Repeats">Episodes per task.</param>
/// <param name="OutDir">Where the report and trajectories go.</param>
/// <param name="Limit">Only the split's first tasks, when set.</param>
/// <param name="Device">The device a policy runs on.</param>
public sealed record EvaluationRequest(string Suite, string Agent, string Split, int Repeats, string OutDir, int? Limit = null, string Device = "cpu");
