using Gym.Core.Registry;
using Gym.Envs.Code;
using Gym.Envs.Code.Sandbox;
using Gym.Envs.Gui;
using Gym.Envs.Text;
using Gym.Envs.Tools;
using Gym.Envs.Web;
using Gym.Mcp;

namespace Gym.Envs.All;

/// <summary>
/// Every environment family of this build, and what the families share in a process: the code sandboxes (started
/// on first use; <see cref="DisposeAsync"/> removes their containers).
/// </summary>
/// <param name="root">The repository root (its <c>sandbox/images</c> holds the sandbox image recipes).</param>
public sealed class AllEnvironments(string root) : IAsyncDisposable
{
    private readonly Lazy<SandboxService> _sandboxes = new(() => new SandboxService(Path.Combine(root, "sandbox", "images")));

    /// <summary>The code sandboxes of this process.</summary>
    public SandboxService Sandboxes => _sandboxes.Value;

    /// <summary>A registry with every environment family.</summary>
    public EnvRegistry CreateRegistry() =>
        new EnvRegistry().AddTextEnvironments().AddCodeEnvironments(Sandboxes).AddToolEnvironments().AddMcpEnvironments().AddWebEnvironments().AddGuiEnvironments();

    /// <summary>Removes the sandbox containers this process started.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_sandboxes.IsValueCreated)
            await _sandboxes.Value.DisposeAsync().ConfigureAwait(false);
    }
}
