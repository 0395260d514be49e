using System.Text.Json;
using System.Text.Json.Serialization;
using Gym.Core.Tasks;

namespace Gym.Core;

/// <summary>
/// Reads a task's <see cref="TaskSpec.Config"/> into an environment's config record: camelCase keys, unknown keys
/// refused (a misspelt key must not silently take the default), errors naming the file and the JSON path.
/// </summary>
public static class TaskConfigJson
{
    /// <summary>The options config records are read with.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false) },
    };

    /// <summary>The config of <paramref name="task"/> as <typeparamref name="T"/>; an absent config is the record's defaults.</summary>
    /// <exception cref="TaskFileException">The config has an unknown key or a value of the wrong kind.</exception>
    public static T Read<T>(TaskSpec task) where T : new()
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.Config.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            return new T();
        string file = task.Origin?.File ?? $"task '{task.Id}'";
        string at = (task.Origin?.JsonPath ?? "$") + ".config";
        try
        {
            return task.Config.Deserialize<T>(Options) ?? throw new TaskFileException(file, at, "expected an object, got null");
        }
        catch (JsonException e)
        {
            string path = e.Path is { Length: > 1 } p ? at + p[1..] : at;
            throw new TaskFileException(file, path, $"task '{task.Id}' (env {task.EnvId}): {Describe(e)}", e);
        }
    }

    // System.Text.Json's messages name .NET types; say it in the suite author's terms.
    private static string Describe(JsonException e) => e.Message.Contains("could not be mapped", StringComparison.Ordinal)
        ? $"unknown key ({e.Message})"
        : e.Message;
}
