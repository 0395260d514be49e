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
/// oracle demonstrations on the training split, supervised fine-tuning on them, then PPO with the configured
/// estimator; evaluates the untrained, fine-tuned and RL-trained policies on the test split with the same settings,
/// alongside the oracle and random baselines of every text suite, and writes one report.
/// </summary>
internal static class MainJobCommand
{
    private static readonly string[] BaselineSuites = ["text/sokoban", "text/frozenlake", "text/household"];
    private static readonly string[] Baselines = ["oracle", "random"];

    public static Command Create()
    {
        Option<string> outOption = new("--out") { Description = "Output directory.", DefaultValueFactory = _ => Path.Combine("runs", "main") };
        Option<string?> configOption = new("--config") { Description = "The training config (default configs/main.json)." };
        Option<int> repeatsOption = new("--repeats") { Description = "Episodes per task for the baselines.", DefaultValueFactory = _ => 4 };
        Option<string?> deviceOption = DeviceOption.Create();
        Command command = new("main", "The main job: train the default small policy on the default suite, evaluate it against the baselines, and report.")
        {
            outOption, configOption, repeatsOption, deviceOption,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string outDir = Path.GetFullPath(parse.GetValue(outOption)!);
            string configPath = parse.GetValue(configOption) ?? Path.Combine(GymHome.Root, "configs", "main.json");
            if (!File.Exists(configPath))
                throw new FileNotFoundException($"No training config at {configPath}.", configPath);
            TrainConfig config = TrainConfig.Load(configPath).WithDevice(parse.GetValue(deviceOption), "--device");
            // A rerun replaces the previous main job's output, and nothing else: another directory is left alone.
            if (Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any())
            {
                if (!File.Exists(Path.Combine(outDir, "report.json")) && !Directory.Exists(Path.Combine(outDir, "baselines")))
                    throw new ArgumentException($"--out {outDir} is not empty and holds no earlier main-job output; choose another directory.");
                Directory.Delete(outDir, recursive: true);
            }
            return await RunAsync(config, outDir, parse.GetValue(repeatsOption), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(TrainConfig config, string outDir, int repeats, CancellationToken cancellationToken)
    {
        Stopwatch clock = Stopwatch.StartNew();
        List<EvaluationReport> baselines = [];
        foreach (string suite in BaselineSuites.Append(config.Suite).Distinct())
        {
            foreach (string agent in Baselines)
            {
                string dir = Path.Combine(outDir, "baselines", suite.Replace('/', '_'), agent);
                baselines.Add((await EvalCommand.RunAsync(suite, agent, "test", repeats, dir, Environment.ProcessorCount, 0, cancellationToken).ConfigureAwait(false)).Report);
            }
        }
        EvalCommand.PrintSummary([.. baselines]);

        // The untrained policy, saved so that it is evaluated exactly as the trained ones are.
        TorchDevices.SetThreads(config.Threads);
        TorchDevices.Parse(config.Device);     // a device that is not there fails here, before any stage runs
        string untrained;
        using (CausalLanguageModel model = PolicySetup.StartingModel(config))
            untrained = PolicySetup.SaveForEvaluation(model, config, Path.Combine(outDir, "untrained"));

        Console.WriteLine($"stage 1: oracle demonstrations on the {config.TrainSplit} split of {config.Suite}");
        string demos = Path.Combine(outDir, "demos");
        await EvalCommand.RunAsync(config.Suite, "oracle", config.TrainSplit, 1, demos, Environment.ProcessorCount, 0, cancellationToken).ConfigureAwait(false);

        Console.WriteLine($"stage 2: supervised fine-tuning, {config.Sft.Epochs} epochs");
        Stopwatch stage = Stopwatch.StartNew();
        (string sft, List<SftEpoch> epochs) = SupervisedFineTuning.Run(Path.Combine(demos, "trajectories.msgpack"), config, GymHome.CreateRegistry(), Path.Combine(outDir, "sft"),
            e => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  epoch {e.Epoch}/{config.Sft.Epochs}: loss {e.Loss:0.0000} ({e.Seconds:0.0} s)")));
        double sftSeconds = stage.Elapsed.TotalSeconds;

        Console.WriteLine($"stage 3: reinforcement learning ({config.Estimator}), from the fine-tuned policy");
        stage.Restart();
        string rlDir = Path.Combine(outDir, "rl");
        TrainConfig rl = config with { Model = config.Model with { Init = sft } };
        TrainResult trained = await TrainCommand.RunAsync(rl, rlDir, resume: false, cancellationToken).ConfigureAwait(false);
        double rlSeconds = stage.Elapsed.TotalSeconds;

        // The three policies, measured the same way: `gym eval --agent policy:DIR` on the evaluation split.
        List<(string Stage, EvaluationReport Report)> policies = [];
        foreach ((string name, string checkpoint) in new[] { ("untrained", untrained), ("after SFT", sft), ("after SFT + RL", trained.FinalCheckpoint) })
        {
            string dir = Path.Combine(outDir, "eval", name.Replace(' ', '_').Replace("+", "", StringComparison.Ordinal));
            EvaluationResult result = await EvalCommand.RunAsync(config.Suite, $"policy:{checkpoint}", config.EvalSplit, 1, dir, Environment.ProcessorCount, 0, cancellationToken, device: config.Device).ConfigureAwait(false);
            policies.Add((name, result.Report));
        }
        EvalCommand.PrintSummary([.. policies.Select(p => p.Report)]);

        double gain = policies[^1].Report.SuccessRate - policies[0].Report.SuccessRate;
        string reportPath = Path.Combine(outDir, "report.md");
        File.WriteAllText(reportPath, Markdown(config, baselines, policies, epochs, trained, sftSeconds, rlSeconds, clock.Elapsed.TotalMinutes));
        File.WriteAllText(Path.Combine(outDir, "report.json"), JsonSerializer.Serialize(new
        {
            suite = config.Suite,
            baselines,
            policies = policies.Select(p => new { stage = p.Stage, report = p.Report }),
            gain_points = gain * 100,
            minutes = clock.Elapsed.TotalMinutes,
        }, EvaluationReport.JsonOptions));
        CultureInfo c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"learning on {config.Suite} ({config.EvalSplit} split): {policies[0].Report.SuccessRate:P1} untrained -> {policies[1].Report.SuccessRate:P1} after SFT -> {policies[2].Report.SuccessRate:P1} after RL ({gain * 100:+0.0;-0.0} points), {clock.Elapsed.TotalMinutes:0.0} min"));
        Console.WriteLine($"training report: {Path.Combine(rlDir, "report.html")}");
        Console.WriteLine($"main job report: {reportPath}");
        return 0;
    }

    private static string Markdown(TrainConfig config, IReadOnlyList<EvaluationReport> baselines, IReadOnlyList<(string Stage, EvaluationReport Report)> policies,
        IReadOnlyList<SftEpoch> epochs, TrainResult trained, double sftSeconds, double rlSeconds, double minutes)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        StringBuilder sb = new();
        sb.AppendLine("# Gym main job").AppendLine();
        sb.AppendLine(c, $"A {config.Model.HiddenSize}-wide, {config.Model.Layers}-layer byte-level policy trained on {config.Suite}: supervised fine-tuning on oracle demonstrations ({epochs.Count} epochs, {sftSeconds:0} s), then {trained.Iterations} iterations of PPO with {config.Estimator} advantages ({rlSeconds:0} s). Whole job: {minutes:0.0} min.").AppendLine();
        sb.AppendLine(c, $"## Learning ({config.EvalSplit} split, greedy, `gym eval --agent policy:DIR`)").AppendLine();
        sb.AppendLine("| policy | success | mean score | mean steps | invalid actions |");
        sb.AppendLine("| --- | --- | --- | --- | --- |");
        foreach ((string stage, EvaluationReport r) in policies)
            sb.AppendLine(c, $"| {stage} | {r.SuccessRate:P1} | {r.MeanScore:0.000} | {r.MeanSteps:0.0} | {r.InvalidActionRate:P1} |");
        sb.AppendLine().AppendLine(c, $"Gain over the untrained policy: {(policies[^1].Report.SuccessRate - policies[0].Report.SuccessRate) * 100:+0.0;-0.0} points. Training charts: `rl/report.html`; TensorBoard: `tensorboard --logdir rl/tb`.").AppendLine();
        sb.AppendLine("## Baselines (test split)").AppendLine();
        sb.AppendLine("| suite | agent | tasks | episodes | success | mean score | pass@k | pass^k | mean steps | invalid actions | aborted |");
        sb.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (EvaluationReport r in baselines)
            sb.AppendLine(c, $"| {r.Suite} | {r.Agent} | {r.Tasks} | {r.Episodes} | {r.SuccessRate:P1} | {r.MeanScore:0.000} | {r.PassAtK:0.000} (k={r.Repeats}) | {r.PassHatK:0.000} | {r.MeanSteps:0.0} | {r.InvalidActionRate:P1} | {r.Aborted} |");
        return sb.ToString();
    }
}
