using System.Text.Json;
using Gym.Core.Evaluation;

namespace Gym.Trainer.Training;

/// <summary>How a policy scored on the validation split at one iteration.</summary>
/// <param name="Iteration">The iteration whose policy it is.</param>
/// <param name="SuccessRate">Greedy success on the validation split.</param>
/// <param name="MeanSteps">Mean steps per episode there (fewer breaks a tie).</param>
public sealed record ValidationScore(int Iteration, double SuccessRate, double MeanSteps)
{
    /// <summary>Whether this score beats <paramref name="other"/>: higher success, or equal success in fewer steps.</summary>
    public bool Beats(ValidationScore? other) =>
        other is null || SuccessRate > other.SuccessRate + 1e-9 || (Math.Abs(SuccessRate - other.SuccessRate) <= 1e-9 && MeanSteps < other.MeanSteps - 1e-9);
}

/// <summary>
/// The run's best policy by validation success (ties broken by fewer steps), kept in <c>checkpoints/best/</c> beside
/// the latest checkpoints, with <c>best.json</c> saying which iteration it is and how it scored. It is written to a
/// temporary directory and renamed, so a killed run leaves a whole one (or the previous one).
/// </summary>
public sealed class BestCheckpoint
{
    private const string ScoreFile = "best.json";
    private readonly string _directory;

    private BestCheckpoint(string directory, ValidationScore? score)
    {
        _directory = directory;
        Score = score;
    }

    /// <summary>The best score so far, or null before the first evaluation.</summary>
    public ValidationScore? Score { get; private set; }

    /// <summary>Where the best policy is (a checkpoint directory that <c>policy:DIR</c> evaluates).</summary>
    public string Directory => _directory;

    /// <summary>The best checkpoint of <paramref name="runDirectory"/>, with its score when one was kept (a resumed run).</summary>
    public static BestCheckpoint Open(string runDirectory)
    {
        string directory = Path.Combine(runDirectory, "checkpoints", "best");
        string scoreFile = Path.Combine(directory, ScoreFile);
        ValidationScore? score = File.Exists(scoreFile) ? JsonSerializer.Deserialize<ValidationScore>(File.ReadAllText(scoreFile)) : null;
        return new BestCheckpoint(directory, score);
    }

    /// <summary>
    /// Keeps the policy of <paramref name="iteration"/> when its validation <paramref name="report"/> beats the best so
    /// far: <paramref name="save"/> writes it into the directory it is given. Returns whether it became the best.
    /// </summary>
    public bool Offer(int iteration, EvaluationReport report, Action<string> save)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(save);
        ValidationScore candidate = new(iteration, report.SuccessRate, report.MeanSteps);
        if (!candidate.Beats(Score))
            return false;
        string temporary = $"{_directory}.tmp-{Environment.ProcessId}";
        if (System.IO.Directory.Exists(temporary))
            System.IO.Directory.Delete(temporary, recursive: true);
        System.IO.Directory.CreateDirectory(temporary);
        save(temporary);
        File.WriteAllText(Path.Combine(temporary, ScoreFile), JsonSerializer.Serialize(candidate));
        if (System.IO.Directory.Exists(_directory))
            System.IO.Directory.Delete(_directory, recursive: true);
        System.IO.Directory.Move(temporary, _directory);
        Score = candidate;
        return true;
    }
}
