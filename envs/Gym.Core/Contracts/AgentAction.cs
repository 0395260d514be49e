namespace Gym.Core;

/// <summary>An action: the model's raw text, plus native tool calls when the agent produced them.</summary>
public sealed record AgentAction
{
    /// <summary>The raw text of the action (what the environment parses).</summary>
    public required string Text { get; init; }

    /// <summary>Native tool calls, when the agent produced them instead of (or besides) text.</summary>
    public IReadOnlyList<ToolCall> ToolCalls { get; init; } = [];

    /// <summary>Creates a text-only action.</summary>
    public static AgentAction FromText(string text) => new() { Text = text };
}

/// <summary>A native tool call.</summary>
/// <param name="Id">The call id, echoed back in the tool's result.</param>
/// <param name="Name">The tool's name.</param>
/// <param name="ArgumentsJson">The arguments as a JSON object text.</param>
public sealed record ToolCall(string Id, string Name, string ArgumentsJson);
