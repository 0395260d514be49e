using System.Text.Json;
using System.Text.Json.Nodes;
using Gym.Core;

namespace Gym.Envs.Tools;

/// <summary>The check every tool call passes before it runs: the tool exists, and the arguments fit its schema.</summary>
public static class ToolCallCheck
{
    /// <summary>Why <paramref name="arguments"/> cannot be passed to tool <paramref name="name"/>, or null when they can.</summary>
    public static string? Problem(IReadOnlyList<ToolSpec> tools, string name, JsonObject arguments)
    {
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(arguments);
        ToolSpec? spec = tools.FirstOrDefault(t => t.Name == name);
        if (spec is null)
            return $"There is no tool '{name}'. Tools: {string.Join(", ", tools.Select(t => t.Name))}.";
        using JsonDocument schema = JsonDocument.Parse(spec.ParametersSchema);
        List<string> errors = JsonSchemaValidator.Validate(JsonSerializer.SerializeToElement(arguments), schema.RootElement);
        return errors.Count > 0 ? $"The arguments of {name} do not fit its schema: {string.Join("; ", errors)}" : null;
    }
}
