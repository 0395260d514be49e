using System.Diagnostics;
using System.Globalization;
using Gym.Core.Evaluation;
using Gym.Core.Registry;
using Gym.Models;
using Gym.Models.Transformer;
using Gym.Trainer.Training;

namespace Gym.Trainer.Jobs;

/// <summary>
/// Gym's main job: oracle and random baselines on every text suite; oracle demonstrations on (part of) the training
/// split and supervised fine-tuning on them (unless the config asks for none); PPO with the configured estimator,
/// choosing the best checkpoint on the validation split; then the untrained, fine-tuned, last and best RL policies,
/// evaluated the same way on the test split that nothing else touched.
/// </summary>
public sealed class MainJob(TrainConfig config, EnvRegistry registry, IMainJobStages stages)
{
    /// <summary>The suites whose oracle and random baselines the report gives, beside the config's own.</summary>
    public static readonly IReadOnlyList<string> BaselineSuites = ["text/sokoban", "text/frozenlake", "text/household"];

    private static readonly string[] Baselines = ["oracle", "random"];

    /// <summary>Runs every stage into <paramref name="outDir"/>; <paramref name="repeats"/> episodes per task for the baselines.</summary>
    public async Task<MainJobResult> RunAsync(string outDir, int repeats, CancellationToken cancellationToken)
    {
        Stopwatch clock = Stopwatch.StartNew();
        List<EvaluationReport> baselines = [];
        foreach (string suite in BaselineSuites.Append(config.Suite).Distinct())
        {
            foreach (string agent in Baselines)
            {
                string dir = Path.Combine(outDir, "baselines", suite.Replace('/', '_'), agent);
                baselines.Add((await stages.EvaluateAsync(new EvaluationRequest(suite, agent, config.TestSplit, repeats, dir), cancellationToken).ConfigureAwait(false)).Report);
            }
        }
        stages.Show(baselines);

        // The untrained policy, saved so that it is evaluated exactly as the trained ones are.
        TorchDevices.SetThreads(config.Threads);
        TorchDevices.Parse(config.Device);     // a device that is not there fails here, before any stage runs
        string untrained;
        using (CausalLanguageModel model = PolicySetup.StartingModel(config))
            untrained = PolicySetup.SaveForEvaluation(model, config, Path.Combine(outDir, "untrained"));

        Stopwatch stage = Stopwatch.StartNew();
        string start = untrained;
        Imitation? imitation = null;
        if (config.Sft.Demonstrations != 0)
        {
            stages.Say($"stage 1: oracle demonstrations on the {config.TrainSplit} split of {config.Suite}{(config.Sft.Demonstrations is { } n ? $" (the first {n} tasks)" : "")}");
            string demos = Path.Combine(outDir, "demos");
            EvaluationResult demonstrated = await stages.EvaluateAsync(
                new EvaluationRequest(config.Suite, "oracle", config.TrainSplit, 1, demos, config.Sft.Demonstrations), cancellationToken).ConfigureAwait(false);
            stages.Say($"stage 2: supervised fine-tuning, {config.Sft.Epochs} epochs");
            (string sft, List<SftEpoch> epochs) = SupervisedFineTuning.Run(Path.Combine(demos, "trajectories.msgpack"), config, registry, Path.Combine(outDir, "sft"),
                e => stages.Say(string.Create(CultureInfo.InvariantCulture, $"  epoch {e.Epoch}/{config.Sft.Epochs}: loss {e.Loss:0.0000} ({e.Seconds:0.0} s)")));
            imitation = new Imitation(demonstrated.Report.Episodes, epochs, stage.Elapsed.TotalSeconds);
            start = sft;
        }

        stages.Say($"stage 3: reinforcement learning ({ConfigNames.Of(config.Estimator)}), from the {(imitation is null ? "untrained" : "fine-tuned")} policy");
        stage.Restart();
        TrainConfig rl = config with { Model = config.Model with { Init = start } };
        TrainResult trained = await stages.TrainAsync(rl, Path.Combine(outDir, "rl"), cancellationToken).ConfigureAwait(false);
        double rlSeconds = stage.Elapsed.TotalSeconds;

        List<(string Stage, string Checkpoint)> checkpoints = [("untrained", untrained)];
        if (imitation is not null)
            checkpoints.Add(("after SFT", start));
        checkpoints.Add(("RL, last checkpoint", trained.FinalCheckpoint));
        checkpoints.Add(($"RL, best on {config.EvalSplit} (iteration {trained.Best.Iteration})", trained.BestCheckpoint));
        List<PolicyEvaluation> policies = [];
        foreach ((string name, string checkpoint) in checkpoints)
        {
            string dir = Path.Combine(outDir, "eval", new string([.. name.TakeWhile(ch => ch != '(').Select(ch => char.IsLetterOrDigit(ch) ? ch : '_')]).Trim('_'));
            EvaluationResult result = await stages.EvaluateAsync(
                new EvaluationRequest(config.Suite, $"policy:{checkpoint}", config.TestSplit, 1, dir, Device: config.Device), cancellationToken).ConfigureAwait(false);
            policies.Add(new PolicyEvaluation(name, result.Report));
        }
        stages.Show([.. policies.Select(p => p.Report)]);
        return new MainJobResult(baselines, policies, imitation, trained, rlSeconds, clock.Elapsed.TotalMinutes);
    }
}
