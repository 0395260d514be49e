using System.Text.Json.Nodes;
using Gym.Core;

namespace Gym.Envs.Tools;

/// <summary>A task's problem in a tool domain: the question, the gold calls that solve it, the answer and its check.</summary>
/// <param name="Question">What the agent is asked.</param>
/// <param name="GoldCalls">The calls that solve it, in order.</param>
/// <param name="Answer">The expected answer, as the oracle states it.</param>
/// <param name="IsCorrect">Whether a given answer is right.</param>
public sealed record ToolProblem(string Question, IReadOnlyList<ParsedToolCall> GoldCalls, string Answer, Func<string, bool> IsCorrect);

/// <summary>A set of tools and the seeded problems posed with them.</summary>
public interface IToolDomain
{
    /// <summary>The tools, described by JSON Schema.</summary>
    IReadOnlyList<ToolSpec> Tools { get; }

    /// <summary>Runs a tool on arguments that passed its schema; a <see cref="ToolException"/> is shown to the agent.</summary>
    JsonObject Invoke(string name, JsonObject arguments);

    /// <summary>The problem of a seed.</summary>
    ToolProblem Problem(long seed);

    /// <summary>
    /// An episode of the problem of <paramref name="seed"/>: stateless domains answer from <see cref="Invoke"/> and
    /// the problem's check; stateful ones (a database) hold their state in the episode and judge it at the end.
    /// </summary>
    IToolEpisode Start(long seed) => new StatelessEpisode(this, Problem(seed));
}

/// <summary>One episode's tools and judgement.</summary>
public interface IToolEpisode : IDisposable
{
    /// <summary>The problem posed.</summary>
    ToolProblem Problem { get; }

    /// <summary>Runs a tool on arguments that passed its schema; a <see cref="ToolException"/> is shown to the agent.</summary>
    JsonObject Invoke(string name, JsonObject arguments);

    /// <summary>As <see cref="Invoke"/>, for tools that wait on something outside (a model playing the customer).</summary>
    ValueTask<JsonObject> InvokeAsync(string name, JsonObject arguments, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Invoke(name, arguments));

    /// <summary>Whether the episode succeeded, given the final answer (and, for stateful domains, the final state).</summary>
    bool Judge(string answer);
}

internal sealed class StatelessEpisode(IToolDomain domain, ToolProblem problem) : IToolEpisode
{
    public ToolProblem Problem => problem;

    public JsonObject Invoke(string name, JsonObject arguments) => domain.Invoke(name, arguments);

    public bool Judge(string answer) => problem.IsCorrect(answer);

    public void Dispose()
    {
    }
}
