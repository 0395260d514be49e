using Gym.Core;
using Gym.Envs.Web.Tasks;

namespace Gym.Envs.Web;

/// <summary>
/// The scripted oracle of the web suites: each task knows what to do next from the current observation (finding
/// elements by role and accessible name, as an agent reads them) and acts through the same action syntax.
/// </summary>
public sealed class WebOracle : IAgent
{
    /// <inheritdoc />
    public string Name => "oracle";

    /// <inheritdoc />
    public ValueTask<AgentTurn> ActAsync(AgentContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult(AgentTurn.FromText(WebTasks.Resolve(context.Task, context.Task.Seed).OracleAction(context)));
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Registers the web environment and its oracle.</summary>
public static class WebEnvironments
{
    /// <summary>Adds web/browser-v1.</summary>
    public static Gym.Core.Registry.EnvRegistry AddWebEnvironments(this Gym.Core.Registry.EnvRegistry registry, Browser.WebOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Register(new Gym.Core.Registry.EnvRegistration(WebEnvironment.EnvSpec, () => new WebEnvironment(options), () => new WebOracle()));
        return registry;
    }
}
