namespace Gym.Core;

/// <summary>What the agent perceives after a reset or a step.</summary>
public sealed record Observation
{
    /// <summary>The text the model reads.</summary>
    public required string Text { get; init; }

    /// <summary>
    /// The anchor state for step-level grouping: canonical and history-free, so that two visits of the same
    /// state in different episodes of a group compare equal.
    /// </summary>
    public string StateKey { get; init; } = "";

    /// <summary>Screenshots or other images, PNG encoded.</summary>
    public IReadOnlyList<ObservationImage> Images { get; init; } = [];

    /// <summary>The actions the environment accepts now, when it can list them; empty when it cannot.</summary>
    public IReadOnlyList<string> AdmissibleActions { get; init; } = [];

    /// <summary>Tools the agent may call (tool-use environments).</summary>
    public IReadOnlyList<ToolSpec> Tools { get; init; } = [];

    /// <summary>Feedback about the previous action (a parse error, say), also contained in <see cref="Text"/>.</summary>
    public string? Feedback { get; init; }

    /// <summary>
    /// The result of each native tool call of the previous action, by call id (also contained in <see cref="Text"/>),
    /// for agents that answer each call with its own tool message. Empty when the action made no native calls.
    /// </summary>
    public IReadOnlyList<ToolResult> ToolResults { get; init; } = [];
}

/// <summary>The result of one native tool call.</summary>
/// <param name="CallId">The call's id (<see cref="ToolCall.Id"/>).</param>
/// <param name="Content">What the tool returned, or the error, as text.</param>
public sealed record ToolResult(string CallId, string Content);

/// <summary>An image in an observation.</summary>
/// <param name="Name">A short name, unique inside the observation ("screenshot").</param>
/// <param name="MediaType">The media type, "image/png" unless stated.</param>
/// <param name="Data">The encoded bytes.</param>
public sealed record ObservationImage(string Name, string MediaType, ReadOnlyMemory<byte> Data);

/// <summary>A tool offered to the agent, described by a JSON Schema of its arguments.</summary>
/// <param name="Name">The tool's name.</param>
/// <param name="Description">What it does, for the model.</param>
/// <param name="ParametersSchema">The JSON Schema of the arguments object, as JSON text.</param>
public sealed record ToolSpec(string Name, string Description, string ParametersSchema);
