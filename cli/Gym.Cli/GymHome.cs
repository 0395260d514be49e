using Gym.Core.Registry;
using Gym.Envs.All;
using Gym.Envs.Code.Sandbox;

namespace Gym.Cli;

/// <summary>Where Gym's files are, and this process's environments (<see cref="AllEnvironments"/>).</summary>
internal static class GymHome
{
    /// <summary>
    /// The repository root: <c>GYM_ROOT</c> when set (the <c>./gym</c> launcher sets it), else the nearest
    /// directory above the working directory that holds <c>tasks/</c> and <c>Gym.sln</c>.
    /// </summary>
    public static string Root
    {
        get
        {
            string? fromEnv = Environment.GetEnvironmentVariable("GYM_ROOT");
            if (!string.IsNullOrEmpty(fromEnv))
                return Path.GetFullPath(fromEnv);
            foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            {
                for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
                {
                    if (File.Exists(Path.Combine(dir.FullName, "Gym.sln")) && Directory.Exists(Path.Combine(dir.FullName, "tasks")))
                        return dir.FullName;
                }
            }
            return Directory.GetCurrentDirectory();
        }
    }

    /// <summary>The task suites directory.</summary>
    public static string TasksRoot => Path.Combine(Root, "tasks");

    private static readonly Lazy<AllEnvironments> Environments = new(() => new AllEnvironments(Root));

    /// <summary>The code sandboxes of this process (started on first use; <see cref="DisposeAsync"/> removes them).</summary>
    public static SandboxService Sandboxes => Environments.Value.Sandboxes;

    /// <summary>A registry with every environment family of this build.</summary>
    public static EnvRegistry CreateRegistry() => Environments.Value.CreateRegistry();

    /// <summary>Releases what the process started (sandbox containers).</summary>
    public static async ValueTask DisposeAsync()
    {
        if (Environments.IsValueCreated)
            await Environments.Value.DisposeAsync().ConfigureAwait(false);
    }
}
