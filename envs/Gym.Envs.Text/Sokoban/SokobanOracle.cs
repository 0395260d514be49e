using Gym.Core;

namespace Gym.Envs.Text.Sokoban;

/// <summary>The scripted Sokoban oracle: reads the grid from the observation and plays a shortest solution.</summary>
public sealed class SokobanOracle : IAgent
{
    /// <inheritdoc />
    public string Name => "oracle";

    /// <inheritdoc />
    public ValueTask<AgentTurn> ActAsync(AgentContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Re-plan from what is seen each turn (cheap on these rooms): robust to any starting state.
        SokobanLevel level = SokobanLevel.Parse(context.Observation.StateKey);
        IReadOnlyList<string>? plan = SokobanSolver.Solve(level);
        string move = plan is { Count: > 0 } ? plan[0] : "up";
        return ValueTask.FromResult(AgentTurn.FromText(move));
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
