using Gym.Core;

namespace Gym.Envs.Text.FrozenLake;

/// <summary>The scripted FrozenLake oracle: reads the map from the observation and follows a shortest safe path.</summary>
public sealed class FrozenLakeOracle : IAgent
{
    /// <inheritdoc />
    public string Name => "oracle";

    /// <inheritdoc />
    public ValueTask<AgentTurn> ActAsync(AgentContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        string[] rows = context.Observation.StateKey.Split('\n');
        int player = string.Concat(rows).IndexOf('P', StringComparison.Ordinal);
        // The player hides the tile under it; the player is never on a hole, so plan as if it were frozen.
        FrozenLakeMap map = new([.. rows.Select(r => r.Replace('P', 'F'))]);
        IReadOnlyList<string>? path = map.ShortestPath(player);
        return ValueTask.FromResult(AgentTurn.FromText(path is { Count: > 0 } ? path[0] : "up"));
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
