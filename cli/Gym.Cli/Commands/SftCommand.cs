using System.CommandLine;
using System.Globalization;
using Gym.Trainer.Training;

namespace Gym.Cli.Commands;

/// <summary><c>gym sft --trajectories FILE --config FILE [--out DIR] [--device D]</c>: supervised fine-tuning on stored trajectories.</summary>
internal static class SftCommand
{
    public static Command Create()
    {
        Option<string> trajectoriesOption = new("--trajectories") { Description = "A trajectory file (.msgpack), e.g. from gym eval --agent oracle.", Required = true };
        Option<string> configOption = new("--config") { Description = "The training config (model, agent and optimizer settings, the sft section).", Required = true };
        Option<string?> outOption = new("--out") { Description = "The run directory (default runs/sft/<config name>)." };
        Option<string?> deviceOption = DeviceOption.Create();
        Command command = new("sft", "Supervised fine-tuning on stored trajectories (successful ones by default).") { trajectoriesOption, configOption, outOption, deviceOption };
        command.SetAction(parse =>
        {
            string trajectories = parse.GetValue(trajectoriesOption)!;
            if (!File.Exists(trajectories))
                throw new FileNotFoundException($"No trajectory file at {trajectories}.", trajectories);
            string configPath = parse.GetValue(configOption)!;
            TrainConfig config = TrainConfig.Load(configPath).WithDevice(parse.GetValue(deviceOption), "--device");
            string outDir = parse.GetValue(outOption) ?? Path.Combine("runs", "sft", Path.GetFileNameWithoutExtension(configPath));
            Directory.CreateDirectory(outDir);
            CultureInfo c = CultureInfo.InvariantCulture;
            (string checkpoint, _) = SupervisedFineTuning.Run(trajectories, config, GymHome.CreateRegistry(), outDir,
                e => Console.WriteLine(string.Create(c, $"epoch {e.Epoch}/{config.Sft.Epochs}: loss {e.Loss:0.0000} over {e.Rows} rows ({e.Seconds:0.0} s)")));
            Console.WriteLine($"checkpoint: {checkpoint}");
            return 0;
        });
        return command;
    }
}
