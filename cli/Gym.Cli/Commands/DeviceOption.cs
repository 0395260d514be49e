using System.CommandLine;

namespace Gym.Cli.Commands;

/// <summary>The <c>--device</c> option of the commands that run a model.</summary>
internal static class DeviceOption
{
    public static Option<string?> Create() =>
        new("--device") { Description = "Where the model runs: cpu, cuda or cuda:N (default: the config's device, else cpu; CUDA computes in bfloat16)." };
}
