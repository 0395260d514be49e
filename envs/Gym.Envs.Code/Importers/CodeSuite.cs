using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gym.Envs.Code.Importers;

/// <summary>A <c>code/python-v1</c> suite built by an importer, written as one <c>suite.json</c>.</summary>
/// <param name="Name">The suite's name ("imported/humaneval").</param>
/// <param name="Description">What it is.</param>
/// <param name="Tag">The benchmark's tag on every task.</param>
/// <param name="Tasks">The tasks: id, split, instruction, and the config of <see cref="Tasks.CodeConfig"/>.</param>
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

    /// <summary>One task: its files as path-to-content maps.</summary>
    public static JsonObject Task(string id, string split, string instruction, IReadOnlyDictionary<string, string> files,
        IReadOnlyDictionary<string, string> visibleTests, IReadOnlyDictionary<string, string> hiddenTests, IReadOnlyDictionary<string, string> reference) => new()
    {
        ["id"] = id,
        ["split"] = split,
        ["instruction"] = instruction,
        ["config"] = new JsonObject
        {
            ["files"] = Map(files),
            ["visibleTests"] = Map(visibleTests),
            ["hiddenTests"] = Map(hiddenTests),
            ["reference"] = Map(reference),
        },
    };

    private static JsonObject Map(IReadOnlyDictionary<string, string> files) => new([.. files.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)JsonValue.Create(f.Value)))]);
}
