using System.Text.Json;
using System.Text.Json.Nodes;
using Gym.Core;
using Gym.Envs.Code.Tasks;

namespace Gym.Envs.Code.Importers;

/// <summary>A <c>code/python-v1</c> suite built by an importer, written as one <c>suite.json</c>.</summary>
/// <param name="Name">The suite's name ("imported/humaneval").</param>
/// <param name="Description">What it is.</param>
/// <param name="Tag">The benchmark's tag on every task.</param>
/// <param name="Tasks">The tasks: id, split, instruction, and a <see cref="CodeConfig"/>.</param>
public sealed record CodeSuite(string Name, string Description, string Tag, IReadOnlyList<JsonObject> Tasks)
{
    /// <summary>Writes <c>DIR/suite.json</c> (replacing it whole: written beside, then moved); returns its path.</summary>
    public string Write(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        Directory.CreateDirectory(directory);
        JsonObject suite = new()
        {
            ["suite"] = Name,
            ["description"] = Description,
            ["env"] = CodeEnvironment.Id,
            ["defaults"] = new JsonObject
            {
                ["tags"] = new JsonArray("code", "python", Tag),
                ["limits"] = new JsonObject { ["maxSteps"] = 12, ["timeoutSeconds"] = 300 },
            },
            ["tasks"] = new JsonArray([.. Tasks.Select(t => (JsonNode)t.DeepClone())]),
        };
        string path = Path.Combine(directory, "suite.json"), partial = path + ".partial";
        File.WriteAllText(partial, suite.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        File.Move(partial, path, overwrite: true);
        return path;
    }

    /// <summary>One task; its config written with the options the environment reads it with.</summary>
    public static JsonObject Task(string id, string split, string instruction, CodeConfig config) => new()
    {
        ["id"] = id,
        ["split"] = split,
        ["instruction"] = instruction,
        ["config"] = JsonSerializer.SerializeToNode(config, TaskConfigJson.Options),
    };
}
