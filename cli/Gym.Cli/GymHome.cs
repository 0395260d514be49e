using Gym.Core.Registry;
using Gym.Envs.All;
using Gym.Envs.Code.Sandbox;
using Microsoft.Extensions.Logging;

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

    private static readonly Lazy<ILoggerFactory> LoggerFactoryOfProcess = new(() => LoggerFactory.Create(b => b
        .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
        .AddSimpleConsole(o => o.SingleLine = true)
        .SetMinimumLevel(LogLevelFromEnvironment())));

    /// <summary>
    /// Where this process logs: standard error, from <c>GYM_LOG_LEVEL</c> up (default Warning; Debug shows what the
    /// environments recovered from, Information the trainer's iterations).
    /// </summary>
    public static ILoggerFactory Loggers => LoggerFactoryOfProcess.Value;

    private static LogLevel LogLevelFromEnvironment() => Environment.GetEnvironmentVariable("GYM_LOG_LEVEL") switch
    {
        null or "" => LogLevel.Warning,
        string name when Enum.TryParse(name, ignoreCase: true, out LogLevel level) && Enum.IsDefined(level) => level,
        string name => throw new ArgumentException($"GYM_LOG_LEVEL must be one of {string.Join(", ", Enum.GetNames<LogLevel>())} (got '{name}')."),
    };

    private static readonly Lazy<AllEnvironments> Environments = new(() => new AllEnvironments(Root, Loggers));

    /// <summary>The code sandboxes of this process (started on first use; <see cref="DisposeAsync"/> removes them).</summary>
    public static SandboxService Sandboxes => Environments.Value.Sandboxes;

    /// <summary>A registry with every environment family of this build.</summary>
    public static EnvRegistry CreateRegistry() => Environments.Value.CreateRegistry();

    /// <summary>Releases what the process started (sandbox containers).</summary>
    public static async ValueTask DisposeAsync()
    {
        if (Environments.IsValueCreated)
            await Environments.Value.DisposeAsync().ConfigureAwait(false);
        if (LoggerFactoryOfProcess.IsValueCreated)
            LoggerFactoryOfProcess.Value.Dispose();
    }
}
