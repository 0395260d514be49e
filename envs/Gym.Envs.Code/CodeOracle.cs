using Gym.Core;
using Gym.Envs.Code.Tasks;

namespace Gym.Envs.Code;

/// <summary>The scripted oracle of the code tasks: writes the task's reference files one per turn, then submits.</summary>
public sealed class CodeOracle : IAgent
{
    /// <inheritdoc />
    public string Name => "oracle";

    /// <inheritdoc />
    public ValueTask<AgentTurn> ActAsync(AgentContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        KeyValuePair<string, string>[] reference = [.. CodeTask.From(context.Task).Reference.OrderBy(p => p.Key, StringComparer.Ordinal)];
        int written = context.History.Count;
        string action = written < reference.Length
            ? $"<write path=\"{reference[written].Key}\">\n{reference[written].Value}</write>"
            : "<submit/>";
        return ValueTask.FromResult(AgentTurn.FromText(action));
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
