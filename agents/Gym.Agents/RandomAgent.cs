using Gym.Core;

namespace Gym.Agents;

/// <summary>
/// The random baseline: a uniform choice among the admissible actions, or a random short word when the
/// environment lists none. Its choices depend only on the episode's sampling seed and step, so runs repeat.
/// </summary>
public sealed class RandomAgent : IAgent
{
    private static readonly string[] Words = ["yes", "no", "up", "down", "left", "right", "look", "done", "help", "next"];

    /// <inheritdoc />
    public string Name => "random";

    /// <inheritdoc />
    public ValueTask<AgentTurn> ActAsync(AgentContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        SeededRandom random = context.AgentState as SeededRandom ?? new SeededRandom(context.SamplingSeed, stream: 0xA6E);
        context.AgentState = random;
        IReadOnlyList<string> admissible = context.Observation.AdmissibleActions;
        string text = admissible.Count > 0 ? random.Pick(admissible) : random.Pick(Words);
        return ValueTask.FromResult(AgentTurn.FromText(text));
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
