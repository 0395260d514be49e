using Gym.Core.Registry;
using Gym.Envs.Code;
using Gym.Envs.Code.Sandbox;
using Gym.Envs.Gui;
using Gym.Envs.Text;
using Gym.Envs.Tools;
using Gym.Envs.Web;
using Gym.Mcp;

namespace Gym.Cli;

/// <summary>Where Gym's files are, and the registry of every environment this build includes.</summary>
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

    private static readonly Lazy<SandboxService> SharedSandboxes = new(() => new SandboxService(Path.Combine(Root, "sandbox", "images")));

    /// <summary>The code sandboxes of this process (started on first use; <see cref="DisposeAsync"/> removes them).</summary>
    public static SandboxService Sandboxes => SharedSandboxes.Value;

    /// <summary>A registry with every environment family of this build.</summary>
    public static EnvRegistry CreateRegistry() =>
        new EnvRegistry().AddTextEnvironments().AddCodeEnvironments(Sandboxes).AddToolEnvironments().AddMcpEnvironments().AddWebEnvironments().AddGuiEnvironments();

    /// <summary>Releases what the process started (sandbox containers).</summary>
    public static async ValueTask DisposeAsync()
    {
        if (SharedSandboxes.IsValueCreated)
            await SharedSandboxes.Value.DisposeAsync().ConfigureAwait(false);
    }
}
