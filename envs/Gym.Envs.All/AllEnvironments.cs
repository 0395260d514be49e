using Gym.Core.Registry;
using Gym.Envs.Code;
using Gym.Envs.Code.Sandbox;
using Gym.Envs.Gui;
using Gym.Envs.Gui.Desktop;
using Gym.Envs.Text;
using Gym.Envs.Tools;
using Gym.Envs.Web;
using Gym.Envs.Web.Browser;
using Gym.Mcp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gym.Envs.All;

/// <summary>
/// Every environment family of this build, and what the families share in a process: the code sandboxes (started
/// on first use; <see cref="DisposeAsync"/> removes their containers).
/// </summary>
public sealed class AllEnvironments : IAsyncDisposable
{
    private readonly ILoggerFactory _loggers;
    private readonly Lazy<SandboxService> _sandboxes;

    /// <param name="root">The repository root (its <c>sandbox/images</c> holds the sandbox image recipes).</param>
    /// <param name="loggers">Where the families log, each under its assembly's name; none when null.</param>
    public AllEnvironments(string root, ILoggerFactory? loggers = null)
    {
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _sandboxes = new(() => new SandboxService(Path.Combine(root, "sandbox", "images"), logger: _loggers.CreateLogger("Gym.Envs.Code")));
    }

    /// <summary>The code sandboxes of this process.</summary>
    public SandboxService Sandboxes => _sandboxes.Value;

    /// <summary>A registry with every environment family.</summary>
    public EnvRegistry CreateRegistry() => new EnvRegistry()
        .AddTextEnvironments()
        .AddCodeEnvironments(Sandboxes)
        .AddToolEnvironments()
        .AddMcpEnvironments()
        .AddWebEnvironments(new WebOptions { Logger = _loggers.CreateLogger("Gym.Envs.Web") })
        .AddGuiEnvironments(new GuiOptions { Logger = _loggers.CreateLogger("Gym.Envs.Gui") });

    /// <summary>Removes the sandbox containers this process started.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_sandboxes.IsValueCreated)
            await _sandboxes.Value.DisposeAsync().ConfigureAwait(false);
    }
}
