using System.CommandLine;
using Gym.Core.Evaluation;
using Gym.Trainer.Jobs;
using Gym.Trainer.Training;

namespace Gym.Cli.Commands;

/// <summary>
/// <c>gym main</c>: Gym's main job (<see cref="MainJob"/>) on the default suite and config (<c>configs/main.json</c>),
/// with its report (<see cref="MainJobReport"/>).
/// </summary>
internal static class MainJobCommand
{
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
        MainJobResult result = await new MainJob(config, GymHome.CreateRegistry(), new CommandLineStages()).RunAsync(outDir, repeats, cancellationToken).ConfigureAwait(false);
        string reportPath = MainJobReport.Write(result, config, configName, outDir);
        Console.WriteLine(MainJobReport.Summary(result, config));
        Console.WriteLine($"training report: {Path.Combine(outDir, "rl", "report.html")}");
        Console.WriteLine($"main job report: {reportPath}");
        return 0;
    }

    // The stages as `gym eval` and `gym train` run them, with their progress displays.
    private sealed class CommandLineStages : IMainJobStages
    {
        public Task<EvaluationResult> EvaluateAsync(EvaluationRequest request, CancellationToken cancellationToken) =>
            EvalCommand.RunAsync(request.Suite, request.Agent, request.Split, request.Repeats, request.OutDir, Environment.ProcessorCount, 0, cancellationToken,
                limit: request.Limit, device: request.Device);

        public Task<TrainResult> TrainAsync(TrainConfig config, string outDir, CancellationToken cancellationToken) =>
            TrainCommand.RunAsync(config, outDir, resume: false, cancellationToken);

        public void Say(string line) => Console.WriteLine(line);

        public void Show(IReadOnlyList<EvaluationReport> reports) => EvalCommand.PrintSummary([.. reports]);
    }
}
