using System.Collections.Concurrent;
using Gym.Core;
using Gym.Core.Registry;

namespace Gym.Agents;

/// <summary>
/// The upper baseline: for each episode, the scripted oracle registered with the task's environment. It acts
/// through the same text action syntax as a model. Environments without an oracle are a clear error.
/// </summary>
public sealed class OracleAgent(EnvRegistry registry) : IAgent
{
    private readonly ConcurrentDictionary<string, IAgent> _oracles = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public string Name => "oracle";

    /// <inheritdoc />
    public ValueTask<AgentTurn> ActAsync(AgentContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        IAgent oracle = _oracles.GetOrAdd(context.Task.EnvId, id =>
            registry.Get(id).OracleFactory?.Invoke() ?? throw new InvalidOperationException($"Environment '{id}' has no scripted oracle."));
        return oracle.ActAsync(context, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (IAgent oracle in _oracles.Values)
            await oracle.DisposeAsync().ConfigureAwait(false);
        _oracles.Clear();
    }
}
