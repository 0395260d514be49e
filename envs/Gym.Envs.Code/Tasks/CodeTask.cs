using System.Text.Json;
using Gym.Core;

namespace Gym.Envs.Code.Tasks;

/// <summary>
/// A coding task read from a task's config: the files the agent starts with, the visible tests it may run, the
/// hidden tests that grade a submission, and the reference files the oracle submits. Tests are Python files
/// whose <c>test_*</c> functions are run by Gym's own runner (no pytest needed).
/// </summary>
public sealed record CodeTask(
    IReadOnlyDictionary<string, string> Files,
    IReadOnlyDictionary<string, string> VisibleTests,
    IReadOnlyDictionary<string, string> HiddenTests,
    IReadOnlyDictionary<string, string> Reference)
{
    /// <summary>Reads the config of <paramref name="task"/>; errors name the task and the key.</summary>
    public static CodeTask From(TaskSpec task)
    {
        ArgumentNullException.ThrowIfNull(task);
        IReadOnlyDictionary<string, string> Map(string key, bool required)
        {
            if (task.Config.ValueKind != JsonValueKind.Object || !task.Config.TryGetProperty(key, out JsonElement value))
                return required ? throw new InvalidDataException($"Task {task.Id}: config.{key} is missing.") : new Dictionary<string, string>();
            if (value.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"Task {task.Id}: config.{key} must map file paths to contents.");
            Dictionary<string, string> files = new(StringComparer.Ordinal);
            foreach (JsonProperty p in value.EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.String)
                    throw new InvalidDataException($"Task {task.Id}: config.{key}.{p.Name} must be a string (the file's content).");
                files[Sandbox.SandboxPaths.Relative(p.Name)] = p.Value.GetString()!;
            }
            return files;
        }
        CodeTask code = new(Map("files", false), Map("visibleTests", false), Map("hiddenTests", true), Map("reference", false));
        if (code.HiddenTests.Count == 0)
            throw new InvalidDataException($"Task {task.Id}: config.hiddenTests is empty; a submission could not be graded.");
        return code;
    }
}
