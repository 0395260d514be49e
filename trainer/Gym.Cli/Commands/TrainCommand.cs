using System.CommandLine;
using System.Globalization;
using Gym.Core.Registry;
using Gym.Core.Tasks;
using Gym.Trainer.Training;

namespace Gym.Cli.Commands;

/// <summary><c>gym train --config FILE [--out DIR] [--resume] [--device D]</c>: trains a policy with PPO on a suite.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        Option<string> configOption = new("--config") { Description = "The training config (JSON).", Required = true };
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

    /// <summary>Runs the trainer with one progress line per iteration.</summary>
    public static async Task<TrainResult> RunAsync(TrainConfig config, string outDir, bool resume, CancellationToken cancellationToken)
    {
        EnvRegistry registry = GymHome.CreateRegistry();
        TaskSuite suite = TaskSuiteLoader.Load(config.Suite, GymHome.TasksRoot, registry.Contains);
        Gym.Trainer.Training.Trainer trainer = new(config, registry, suite, outDir);
        CultureInfo c = CultureInfo.InvariantCulture;
        trainer.IterationCompleted += m => Console.WriteLine(string.Create(c,
            $"iteration {m.Iteration}/{config.Iterations}: train success {m.TrainSuccessRate:P1}, return {m.MeanReturn:0.000}, loss {m.Update.PolicyLoss:0.0000}, entropy {m.Update.Entropy:0.000}, kl {m.Update.ApproxKl:0.0000}, clip {m.Update.ClipFraction:0.000}, rollout {m.RolloutSeconds:0.0} s, update {m.Update.Seconds:0.0} s{(m.EvalSuccessRate is { } e ? $", eval success {e:P1}" : "")}"));
        return await trainer.RunAsync(resume, cancellationToken).ConfigureAwait(false);
    }
}
