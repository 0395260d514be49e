using System.Text.Json;

namespace Gym.Mcp;

/// <summary>The task config of <c>tools/mcp-v1</c>.</summary>
public sealed record McpConfig
{
    /// <summary>The MCP server the episode's tools come from.</summary>
    public McpServerConfig? Server { get; init; }

    /// <summary>What the agent is asked.</summary>
    public string? Question { get; init; }

    /// <summary>Text a right answer must contain (case-insensitive).</summary>
    public string? Answer { get; init; }

    /// <summary>The calls the oracle makes, one per turn, each <c>{"name", "arguments"}</c>.</summary>
    public IReadOnlyList<JsonElement> GoldCalls { get; init; } = [];
}

/// <summary>Where a task's MCP server is: exactly one of <see cref="Command"/> (stdio) and <see cref="Url"/> (Streamable HTTP).</summary>
public sealed record McpServerConfig
{
    /// <summary>The program to start on stdio.</summary>
    public string? Command { get; init; }

    /// <summary>Its arguments; <c>{gym.dll}</c> stands for this Gym's own command line.</summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>An http(s) endpoint to reach instead.</summary>
    public string? Url { get; init; }

    /// <summary>Headers sent to it; <c>${NAME}</c> in a value is read from the environment, so secrets stay out of task files.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
}
