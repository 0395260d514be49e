using System.CommandLine;
using System.Globalization;
using Gym.Core.Registry;
using Gym.Core.Tasks;
using Gym.Trainer.Training;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Gym.Cli.Commands;

/// <summary><c>gym train --config FILE [--out DIR] [--resume] [--device D]</c>: trains a policy with PPO on a suite.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        Option<string> configOption = new("--config") { Description = "The training config (JSON, or YAML when it ends in .yaml or .yml).", Required = true };
        Option<string?> outOption = new("--out") { Description = "The run directory (default runs/train/<config name>)." };
        Option<bool> resumeOption = new("--resume") { Description = "Continue from the run directory's last checkpoint." };
        Option<string?> deviceOption = DeviceOption.Create();
        Command command = new("train", "Train a policy with PPO on a task suite.") { configOption, outOption, resumeOption, deviceOption };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string configPath = parse.GetValue(configOption)!;
            if (!File.Exists(configPath))
                throw new FileNotFoundException($"No training config at {configPath}.", configPath);
            TrainConfig config = TrainConfig.Load(configPath).WithDevice(parse.GetValue(deviceOption), "--device");
            string outDir = parse.GetValue(outOption) ?? Path.Combine("runs", "train", Path.GetFileNameWithoutExtension(configPath));
            TrainResult result = await RunAsync(config, outDir, parse.GetValue(resumeOption), cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"trained {result.Iterations} iterations; checkpoint: {result.FinalCheckpoint}");
            EvalCommand.PrintSummary(result.Evaluation);
            return 0;
        });
        return command;
    }

    /// <summary>Runs the trainer with a live progress table on a terminal, one line per iteration elsewhere.</summary>
    public static async Task<TrainResult> RunAsync(TrainConfig config, string outDir, bool resume, CancellationToken cancellationToken)
    {
        EnvRegistry registry = GymHome.CreateRegistry();
        TaskSuite suite = TaskSuiteLoader.Load(config.Suite, GymHome.TasksRoot, registry.Contains);
        Gym.Trainer.Training.Trainer trainer = new(config, registry, suite, outDir, GymHome.Loggers.CreateLogger("Gym.Trainer"));
        TrainProgress progress = new(config);
        if (!ConsoleUi.Interactive)
        {
            trainer.IterationCompleted += m => Console.WriteLine(progress.Line(m));
            return await trainer.RunAsync(resume, cancellationToken).ConfigureAwait(false);
        }
        TrainResult result = null!;
        await AnsiConsole.Live(progress.Table()).StartAsync(async live =>
        {
            trainer.IterationCompleted += m =>
            {
                live.UpdateTarget(progress.Table(m));
                live.Refresh();
            };
            result = await trainer.RunAsync(resume, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return result;
    }
}
