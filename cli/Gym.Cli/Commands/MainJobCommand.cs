using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Gym.Core.Evaluation;
using Gym.Models.Transformer;
using Gym.Models;
using Gym.Trainer.Training;

namespace Gym.Cli.Commands;

/// <summary>
/// <c>gym main</c>: Gym's main job. Trains the default small policy on the default suite (<c>configs/main.json</c>):
/// oracle demonstrations on (part of) the training split and supervised fine-tuning on them (unless the config asks
/// for none), then PPO with the configured estimator, choosing the best checkpoint on the validation split;
/// evaluates the untrained, fine-tuned, last and best RL policies on the test split with the same settings, alongside
/// the oracle and random baselines of every text suite, and writes one report.
/// </summary>
internal static class MainJobCommand
{
    private static readonly string[] BaselineSuites = ["text/sokoban", "text/frozenlake", "text/household"];
    private static readonly string[] Baselines = ["oracle", "random"];

    public static Command Create()
    {
        Option<string> outOption = new("--out") { Description = "Output directory.", DefaultValueFactory = _ => Path.Combine("runs", "main") };
        Option<string?> configOption = new("--config") { Description = "The training config (default configs/main.json; configs/rl-from-scratch.json trains without demonstrations)." };
        Option<int> repeatsOption = new("--repeats") { Description = "Episodes per task for the baselines.", DefaultValueFactory = _ => 4 };
        Option<long?> seedOption = new("--seed") { Description = "Seed of the whole run: the model's initialisation, the data order and the sampling (default: the config's)." };
        Option<string?> deviceOption = DeviceOption.Create();
        Command command = new("main", "The main job: train the default small policy on the default suite, evaluate it against the baselines, and report.")
        {
            outOption, configOption, repeatsOption, seedOption, deviceOption,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string outDir = Path.GetFullPath(parse.GetValue(outOption)!);
            string configPath = parse.GetValue(configOption) ?? Path.Combine(GymHome.Root, "configs", "main.json");
            if (!File.Exists(configPath))
                throw new FileNotFoundException($"No training config at {configPath}.", configPath);
            TrainConfig config = TrainConfig.Load(configPath).WithDevice(parse.GetValue(deviceOption), "--device");
            if (parse.GetValue(seedOption) is { } seed)
                config = config.WithSeed(seed);
            // A rerun replaces the previous main job's output, and nothing else: another directory is left alone.
            if (Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any())
            {
                if (!File.Exists(Path.Combine(outDir, "report.json")) && !Directory.Exists(Path.Combine(outDir, "baselines")))
                    throw new ArgumentException($"--out {outDir} is not empty and holds no earlier main-job output; choose another directory.");
                Directory.Delete(outDir, recursive: true);
            }
            return await RunAsync(config, Path.GetFileName(configPath), outDir, parse.GetValue(repeatsOption), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(TrainConfig config, string configName, string outDir, int repeats, CancellationToken cancellationToken)
    {
        Stopwatch clock = Stopwatch.StartNew();
        List<EvaluationReport> baselines = [];
        foreach (string suite in BaselineSuites.Append(config.Suite).Distinct())
        {
            foreach (string agent in Baselines)
            {
                string dir = Path.Combine(outDir, "baselines", suite.Replace('/', '_'), agent);
                baselines.Add((await EvalCommand.RunAsync(suite, agent, config.TestSplit, repeats, dir, Environment.ProcessorCount, 0, cancellationToken).ConfigureAwait(false)).Report);
            }
        }
        EvalCommand.PrintSummary([.. baselines]);

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
            Console.WriteLine($"stage 1: oracle demonstrations on the {config.TrainSplit} split of {config.Suite}{(config.Sft.Demonstrations is { } n ? $" (the first {n} tasks)" : "")}");
            string demos = Path.Combine(outDir, "demos");
            EvaluationResult demonstrated = await EvalCommand.RunAsync(config.Suite, "oracle", config.TrainSplit, 1, demos, Environment.ProcessorCount, 0, cancellationToken,
                limit: config.Sft.Demonstrations).ConfigureAwait(false);
            Console.WriteLine($"stage 2: supervised fine-tuning, {config.Sft.Epochs} epochs");
            (string sft, List<SftEpoch> epochs) = SupervisedFineTuning.Run(Path.Combine(demos, "trajectories.msgpack"), config, GymHome.CreateRegistry(), Path.Combine(outDir, "sft"),
                e => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  epoch {e.Epoch}/{config.Sft.Epochs}: loss {e.Loss:0.0000} ({e.Seconds:0.0} s)")));
            imitation = new Imitation(demonstrated.Report.Episodes, epochs, stage.Elapsed.TotalSeconds);
            start = sft;
        }

        Console.WriteLine($"stage 3: reinforcement learning ({ConfigNames.Of(config.Estimator)}), from the {(imitation is null ? "untrained" : "fine-tuned")} policy");
        stage.Restart();
        string rlDir = Path.Combine(outDir, "rl");
        TrainConfig rl = config with { Model = config.Model with { Init = start } };
        TrainResult trained = await TrainCommand.RunAsync(rl, rlDir, resume: false, cancellationToken).ConfigureAwait(false);
        double rlSeconds = stage.Elapsed.TotalSeconds;

        // Every policy measured the same way, on the test split that nothing else touched: `gym eval --agent policy:DIR`.
        List<(string Stage, EvaluationReport Report)> policies = [];
        List<(string Stage, string Checkpoint)> stages = [("untrained", untrained)];
        if (imitation is not null)
            stages.Add(("after SFT", start));
        stages.Add(("RL, last checkpoint", trained.FinalCheckpoint));
        stages.Add(($"RL, best on {config.EvalSplit} (iteration {trained.Best.Iteration})", trained.BestCheckpoint));
        foreach ((string name, string checkpoint) in stages)
        {
            string dir = Path.Combine(outDir, "eval", new string([.. name.TakeWhile(ch => ch != '(').Select(ch => char.IsLetterOrDigit(ch) ? ch : '_')]).Trim('_'));
            EvaluationResult result = await EvalCommand.RunAsync(config.Suite, $"policy:{checkpoint}", config.TestSplit, 1, dir, Environment.ProcessorCount, 0, cancellationToken, device: config.Device).ConfigureAwait(false);
            policies.Add((name, result.Report));
        }
        EvalCommand.PrintSummary([.. policies.Select(p => p.Report)]);

        double startRate = policies[imitation is null ? 0 : 1].Report.SuccessRate;
        double rlGain = policies[^1].Report.SuccessRate - startRate;
        string reportPath = Path.Combine(outDir, "report.md");
        File.WriteAllText(reportPath, Markdown(config, configName, baselines, policies, imitation, trained, rlSeconds, clock.Elapsed.TotalMinutes));
        File.WriteAllText(Path.Combine(outDir, "report.json"), JsonSerializer.Serialize(new
        {
            suite = config.Suite,
            config = configName,
            seed = config.Seed,
            demonstrations = imitation?.Demonstrations ?? 0,
            baselines,
            policies = policies.Select(p => new { stage = p.Stage, report = p.Report }),
            best = trained.Best,
            rl_gain_points = rlGain * 100,
            minutes = clock.Elapsed.TotalMinutes,
        }, EvaluationReport.JsonOptions));
        CultureInfo c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"learning on {config.Suite} ({config.TestSplit} split): {string.Join(" -> ", policies.Select(p => $"{p.Report.SuccessRate:P1} {p.Stage}"))}; the RL stage adds {rlGain * 100:+0.0;-0.0} points (best checkpoint), {clock.Elapsed.TotalMinutes:0.0} min"));
        Console.WriteLine($"training report: {Path.Combine(rlDir, "report.html")}");
        Console.WriteLine($"main job report: {reportPath}");
        return 0;
    }

    /// <summary>What the imitation stages did.</summary>
    private sealed record Imitation(int Demonstrations, IReadOnlyList<SftEpoch> Epochs, double Seconds);

    private static string Markdown(TrainConfig config, string configName, IReadOnlyList<EvaluationReport> baselines, IReadOnlyList<(string Stage, EvaluationReport Report)> policies,
        Imitation? imitation, TrainResult trained, double rlSeconds, double minutes)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        StringBuilder sb = new();
        sb.AppendLine("# Gym main job").AppendLine();
        string imitationText = imitation is null
            ? "no demonstrations (RL from the untrained policy)"
            : string.Create(c, $"supervised fine-tuning on {imitation.Demonstrations} oracle demonstrations ({imitation.Epochs.Count} epochs, {imitation.Seconds:0} s)");
        sb.AppendLine(c, $"A {config.Model.HiddenSize}-wide, {config.Model.Layers}-layer byte-level policy trained on {config.Suite} (`{configName}`, seed {config.Seed}): {imitationText}, then {trained.Iterations} iterations of PPO with {ConfigNames.Of(config.Estimator)} advantages ({rlSeconds:0} s); the best checkpoint by greedy success on the {config.EvalSplit} split is iteration {trained.Best.Iteration} ({trained.Best.SuccessRate:P1}). Whole job: {minutes:0.0} min.").AppendLine();
        sb.AppendLine(c, $"## Learning ({config.TestSplit} split, greedy, `gym eval --agent policy:DIR`)").AppendLine();
        sb.AppendLine("| policy | success | mean score | mean steps | invalid actions |");
        sb.AppendLine("| --- | --- | --- | --- | --- |");
        foreach ((string stage, EvaluationReport r) in policies)
            sb.AppendLine(c, $"| {stage} | {r.SuccessRate:P1} | {r.MeanScore:0.000} | {r.MeanSteps:0.0} | {r.InvalidActionRate:P1} |");
        double startRate = policies[imitation is null ? 0 : 1].Report.SuccessRate;
        sb.AppendLine().AppendLine(c, $"The RL stage adds {(policies[^1].Report.SuccessRate - startRate) * 100:+0.0;-0.0} points (best checkpoint) over the policy it started from ({(policies[^2].Report.SuccessRate - startRate) * 100:+0.0;-0.0} with the last). Training charts, with the {config.EvalSplit} curve and the best checkpoint marked: `rl/report.html`; TensorBoard: `tensorboard --logdir rl/tb`.").AppendLine();
        sb.AppendLine(c, $"## Baselines ({config.TestSplit} split)").AppendLine();
        sb.AppendLine("| suite | agent | tasks | episodes | success | mean score | pass@k | pass^k | mean steps | invalid actions | aborted |");
        sb.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (EvaluationReport r in baselines)
            sb.AppendLine(c, $"| {r.Suite} | {r.Agent} | {r.Tasks} | {r.Episodes} | {r.SuccessRate:P1} | {r.MeanScore:0.000} | {r.PassAtK:0.000} (k={r.Repeats}) | {r.PassHatK:0.000} | {r.MeanSteps:0.0} | {r.InvalidActionRate:P1} | {r.Aborted} |");
        return sb.ToString();
    }
}
