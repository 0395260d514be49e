using System.Text.Json;

namespace Gym.Core.Tasks;

/// <summary>
/// Loads task suites. A suite is a directory <c>tasks/&lt;family&gt;/&lt;name&gt;/</c> holding <c>suite.json</c>
/// (the format is documented in <c>tasks/README.md</c>). Loading is strict: an unknown field, a wrong type,
/// a duplicate id or a missing environment is an error naming the file and the JSON path.
/// </summary>
public static class TaskSuiteLoader
{
    /// <summary>The name of the suite file inside a suite directory.</summary>
    public const string SuiteFileName = "suite.json";

    /// <summary>Finds the suite directories under <paramref name="tasksRoot"/>, as suite names ("text/sokoban").</summary>
    public static IReadOnlyList<string> Discover(string tasksRoot)
    {
        if (!System.IO.Directory.Exists(tasksRoot))
            return [];
        return [.. System.IO.Directory.EnumerateFiles(tasksRoot, SuiteFileName, SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(tasksRoot, Path.GetDirectoryName(f)!).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Loads a suite by name ("text/sokoban", resolved under <paramref name="tasksRoot"/>) or by a path to a
    /// suite directory or suite file.
    /// </summary>
    public static TaskSuite Load(string nameOrPath, string tasksRoot, Func<string, bool>? envExists = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(nameOrPath);
        string byName = Path.Combine(tasksRoot, nameOrPath, SuiteFileName);
        string file = nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? nameOrPath
            : File.Exists(byName) ? byName
            : Path.Combine(nameOrPath, SuiteFileName);
        if (!File.Exists(file))
        {
            string known = string.Join(", ", Discover(tasksRoot));
            throw new FileNotFoundException($"No task suite '{nameOrPath}' (looked for {file}). Known suites: {(known.Length == 0 ? "none" : known)}.", file);
        }
        string fullDir = Path.GetDirectoryName(Path.GetFullPath(file))!;
        string defaultName = Path.GetRelativePath(Path.GetFullPath(tasksRoot), fullDir).Replace('\\', '/');
        return Parse(File.ReadAllText(file), file, fullDir, defaultName, envExists);
    }

    /// <summary>Parses suite JSON; <paramref name="file"/> is used in error messages.</summary>
    public static TaskSuite Parse(string json, string file, string directory, string defaultName, Func<string, bool>? envExists = null)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new TaskFileException(file, $"$ (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})", $"not valid JSON: {e.Message}", e);
        }
        using (document)
            return new SuiteReader(file, envExists).Read(document.RootElement, directory, defaultName);
    }

    private sealed class SuiteReader(string file, Func<string, bool>? envExists)
    {
        private static readonly string[] SuiteFields = ["suite", "description", "env", "defaults", "tasks", "generate"];
        private static readonly string[] TaskFields = ["id", "env", "instruction", "seed", "split", "tags", "config", "limits", "evaluator"];
        private static readonly string[] DefaultFields = ["instruction", "tags", "config", "limits", "evaluator"];
        private static readonly string[] GenerateFields = ["split", "seeds", "idPrefix", "tags", "config", "limits", "instruction", "evaluator"];
        private static readonly string[] LimitFields = ["maxSteps", "timeoutSeconds", "stepTimeoutSeconds"];

        private TaskFileException Error(string path, string problem) => new(file, path, problem);

        public TaskSuite Read(JsonElement root, string directory, string defaultName)
        {
            Expect(root, JsonValueKind.Object, "$");
            CheckFields(root, "$", SuiteFields);
            string name = OptionalString(root, "suite", "$") ?? defaultName;
            string description = OptionalString(root, "description", "$") ?? "";
            string? suiteEnv = OptionalString(root, "env", "$");
            TaskSpec defaults = new() { Id = "", EnvId = suiteEnv ?? "" };
            if (root.TryGetProperty("defaults", out JsonElement d))
            {
                Expect(d, JsonValueKind.Object, "$.defaults");
                CheckFields(d, "$.defaults", DefaultFields);
                defaults = Overlay(defaults, d, "$.defaults");
            }

            List<TaskSpec> tasks = [];
            if (root.TryGetProperty("tasks", out JsonElement list))
            {
                Expect(list, JsonValueKind.Array, "$.tasks");
                int i = 0;
                foreach (JsonElement t in list.EnumerateArray())
                {
                    string path = $"$.tasks[{i++}]";
                    Expect(t, JsonValueKind.Object, path);
                    CheckFields(t, path, TaskFields);
                    TaskSpec task = Overlay(defaults, t, path) with
                    {
                        Id = RequiredString(t, "id", path),
                        EnvId = OptionalString(t, "env", path) ?? defaults.EnvId,
                        Seed = t.TryGetProperty("seed", out JsonElement s) ? Long(s, path + ".seed") : 0,
                        Split = OptionalString(t, "split", path) ?? "train",
                        Suite = name,
                    };
                    tasks.Add(Validate(task, path));
                }
            }
            if (root.TryGetProperty("generate", out JsonElement generators))
            {
                Expect(generators, JsonValueKind.Array, "$.generate");
                List<(string Path, string Split, string World, long From, long Count)> ranges = [];
                int g = 0;
                foreach (JsonElement gen in generators.EnumerateArray())
                {
                    string path = $"$.generate[{g++}]";
                    Expect(gen, JsonValueKind.Object, path);
                    CheckFields(gen, path, GenerateFields);
                    string split = RequiredString(gen, "split", path);
                    string prefix = OptionalString(gen, "idPrefix", path) ?? split + "-";
                    if (!gen.TryGetProperty("seeds", out JsonElement seeds))
                        throw Error(path, "missing required field 'seeds' ({\"from\": N, \"count\": N})");
                    Expect(seeds, JsonValueKind.Object, path + ".seeds");
                    CheckFields(seeds, path + ".seeds", ["from", "count"]);
                    long from = seeds.TryGetProperty("from", out JsonElement f) ? Long(f, path + ".seeds.from") : 0;
                    if (!seeds.TryGetProperty("count", out JsonElement c))
                        throw Error(path + ".seeds", "missing required field 'count'");
                    long count = Long(c, path + ".seeds.count");
                    if (count is <= 0 or > 1_000_000)
                        throw Error(path + ".seeds.count", $"expected a count in 1..1000000, got {count}");
                    TaskSpec template = Overlay(defaults, gen, path);
                    for (long k = 0; k < count; k++)
                        tasks.Add(Validate(template with { Id = $"{prefix}{from + k}", Seed = from + k, Split = split, Suite = name }, path));
                    // The same environment and config with the same seed is the same task: splits must not share one.
                    string world = template.EnvId + "\n" + (template.Config.ValueKind == JsonValueKind.Undefined ? "" : template.Config.GetRawText());
                    foreach ((string otherPath, string otherSplit, string otherWorld, long otherFrom, long otherCount) in ranges)
                    {
                        if (otherSplit != split && otherWorld == world && from < otherFrom + otherCount && otherFrom < from + count)
                            throw Error(path + ".seeds", $"seeds {from}..{from + count - 1} of split '{split}' overlap seeds {otherFrom}..{otherFrom + otherCount - 1} of split '{otherSplit}' ({otherPath}): a task would be in two splits");
                    }
                    ranges.Add((path, split, world, from, count));
                }
            }
            if (tasks.Count == 0)
                throw Error("$", "the suite has no tasks: give 'tasks' or 'generate'");
            HashSet<string> ids = new(StringComparer.Ordinal);
            for (int i = 0; i < tasks.Count; i++)
            {
                if (!ids.Add(tasks[i].Id))
                    throw Error($"$.tasks[{i}].id", $"duplicate task id '{tasks[i].Id}'");
            }
            return new TaskSuite(name, description, directory, tasks);
        }

        private TaskSpec Validate(TaskSpec task, string path)
        {
            if (string.IsNullOrEmpty(task.EnvId))
                throw Error(path, "no environment: set 'env' on the task or the suite");
            if (envExists is not null && !envExists(task.EnvId))
                throw Error(path + ".env", $"unknown environment '{task.EnvId}'");
            return task with { Origin = new TaskOrigin(file, path) };
        }

        private TaskSpec Overlay(TaskSpec baseTask, JsonElement e, string path)
        {
            TaskSpec t = baseTask;
            if (OptionalString(e, "instruction", path) is { } instruction)
                t = t with { Instruction = instruction };
            if (e.TryGetProperty("tags", out JsonElement tags))
            {
                Expect(tags, JsonValueKind.Array, path + ".tags");
                List<string> values = [];
                int i = 0;
                foreach (JsonElement tag in tags.EnumerateArray())
                {
                    Expect(tag, JsonValueKind.String, $"{path}.tags[{i++}]");
                    values.Add(tag.GetString()!);
                }
                t = t with { Tags = [.. t.Tags, .. values] };
            }
            if (e.TryGetProperty("config", out JsonElement config))
            {
                Expect(config, JsonValueKind.Object, path + ".config");
                t = t with { Config = Merge(t.Config, config) };
            }
            if (e.TryGetProperty("evaluator", out JsonElement evaluator))
            {
                Expect(evaluator, JsonValueKind.Object, path + ".evaluator");
                t = t with { Evaluator = Merge(t.Evaluator, evaluator) };
            }
            if (e.TryGetProperty("limits", out JsonElement limits))
            {
                string lp = path + ".limits";
                Expect(limits, JsonValueKind.Object, lp);
                CheckFields(limits, lp, LimitFields);
                TaskLimits l = t.Limits;
                if (limits.TryGetProperty("maxSteps", out JsonElement ms))
                {
                    long steps = Long(ms, lp + ".maxSteps");
                    if (steps is <= 0 or > 100_000)
                        throw Error(lp + ".maxSteps", $"expected 1..100000, got {steps}");
                    l = l with { MaxSteps = (int)steps };
                }
                if (limits.TryGetProperty("timeoutSeconds", out JsonElement ts))
                    l = l with { TimeoutSeconds = PositiveNumber(ts, lp + ".timeoutSeconds") };
                if (limits.TryGetProperty("stepTimeoutSeconds", out JsonElement sts))
                    l = l with { StepTimeoutSeconds = PositiveNumber(sts, lp + ".stepTimeoutSeconds") };
                t = t with { Limits = l };
            }
            return t;
        }

        // Later keys override earlier ones, one level deep: suite defaults, then the task's own.
        private static JsonElement Merge(JsonElement baseObject, JsonElement overlay)
        {
            if (baseObject.ValueKind != JsonValueKind.Object)
                return overlay.Clone();
            Dictionary<string, JsonElement> merged = new(StringComparer.Ordinal);
            foreach (JsonProperty p in baseObject.EnumerateObject())
                merged[p.Name] = p.Value;
            foreach (JsonProperty p in overlay.EnumerateObject())
                merged[p.Name] = p.Value;
            return JsonSerializer.SerializeToElement(merged);
        }

        private void CheckFields(JsonElement e, string path, string[] allowed)
        {
            foreach (JsonProperty p in e.EnumerateObject())
            {
                if (Array.IndexOf(allowed, p.Name) < 0)
                    throw Error($"{path}.{p.Name}", $"unknown field '{p.Name}' (allowed: {string.Join(", ", allowed)})");
            }
        }

        private void Expect(JsonElement e, JsonValueKind kind, string path)
        {
            if (e.ValueKind != kind)
                throw Error(path, $"expected {Describe(kind)}, got {Describe(e.ValueKind)}");
        }

        private string RequiredString(JsonElement e, string name, string path) =>
            OptionalString(e, name, path) ?? throw Error(path, $"missing required field '{name}'");

        private string? OptionalString(JsonElement e, string name, string path)
        {
            if (!e.TryGetProperty(name, out JsonElement v))
                return null;
            Expect(v, JsonValueKind.String, $"{path}.{name}");
            string s = v.GetString()!;
            if (s.Length == 0 && name is "id" or "env" or "split")
                throw Error($"{path}.{name}", "must not be empty");
            return s;
        }

        private long Long(JsonElement e, string path)
        {
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out long value))
                throw Error(path, $"expected an integer, got {Describe(e.ValueKind)} {e.GetRawText()}");
            return value;
        }

        private double PositiveNumber(JsonElement e, string path)
        {
            if (e.ValueKind != JsonValueKind.Number || e.GetDouble() is not (> 0 and var v) || !double.IsFinite(v))
                throw Error(path, $"expected a positive number, got {e.GetRawText()}");
            return v;
        }

        private static string Describe(JsonValueKind kind) => kind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.Null => "null",
            _ => "nothing",
        };
    }
}
