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
}

/// <summary>A tool refused its input; the message is shown to the agent.</summary>
public sealed class ToolException(string message) : Exception(message);
