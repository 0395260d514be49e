using System.Text.Json;
using System.Text.Json.Nodes;
using Gym.Core;

namespace Gym.Envs.Gui.Tasks;

/// <summary>A set-up step: make a file or a folder, run a command to its end, or launch an application and wait for its window.</summary>
/// <param name="Kind">"file", "dir", "run" or "launch".</param>
/// <param name="Path">The file or folder, relative to the episode's home.</param>
/// <param name="Text">The file's text.</param>
/// <param name="Command">The program and its arguments (run, launch).</param>
/// <param name="Window">For launch: the window to wait for and focus (a substring of its title or application).</param>
public sealed record SetupStep(string Kind, string? Path, string? Text, IReadOnlyList<string> Command, string? Window);

/// <summary>One step of a task's scripted solution.</summary>
/// <param name="Do">The action, or "click"/"double_click" alone to click a window (<paramref name="At"/>) or an element (<paramref name="Element"/>).</param>
/// <param name="At">For a bare click: the window (title or application substring), and where in it as fractions.</param>
/// <param name="AtX">The point's fraction of the window's width (0.5: the middle).</param>
/// <param name="AtY">The point's fraction of the window's height.</param>
/// <param name="When">Act only once a window matching this is focused (the oracle waits until then).</param>
/// <param name="Element">For a bare click: the role of the accessibility tree's element to click at its centre (the oracle waits until it shows).</param>
/// <param name="Name">That element's name.</param>
public sealed record SolutionStep(string Do, string? At, double AtX, double AtY, string? When, string? Element = null, string? Name = null);

/// <summary>
/// A GUI task in the spirit of OSWorld's: the screen size, the set-up steps, the instruction, the evaluator (run on
/// the episode's home directory when the agent says done) and a scripted solution for the oracle. Written in the
/// task file's <c>config</c> or generated from a seed by a task kind (<see cref="GuiTaskKinds"/>).
/// </summary>
public sealed class GuiTask
{
    private GuiTask(string goal, int width, int height, IReadOnlyList<SetupStep> setup, Evaluator evaluator, IReadOnlyList<SolutionStep> solution)
    {
        Goal = goal;
        Width = width;
        Height = height;
        Setup = setup;
        Evaluator = evaluator;
        Solution = solution;
    }

    /// <summary>The instruction.</summary>
    public string Goal { get; }

    /// <summary>The screen's width (0: the environment's default).</summary>
    public int Width { get; }

    /// <summary>The screen's height (0: the environment's default).</summary>
    public int Height { get; }

    /// <summary>What is done before the agent's first look.</summary>
    public IReadOnlyList<SetupStep> Setup { get; }

    /// <summary>How the end state is judged.</summary>
    public Evaluator Evaluator { get; }

    /// <summary>The oracle's steps.</summary>
    public IReadOnlyList<SolutionStep> Solution { get; }

    /// <summary>The task of <paramref name="task"/> with seed <paramref name="seed"/>; errors name the task and the field.</summary>
    public static GuiTask Resolve(TaskSpec task, long seed)
    {
        ArgumentNullException.ThrowIfNull(task);
        string where = $"Task {task.Id}";
        if (task.Config.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{where}: config must be an object.");
        GuiConfig config = task.ConfigAs<GuiConfig>();
        if (config.Kind is { } kind)
            config = GuiTaskKinds.Generate(kind, seed, where).Deserialize<GuiConfig>(TaskConfigJson.Options)!;
        string goal = config.Goal ?? task.Instruction;
        int width = 0, height = 0;
        if (config.Screen is { } screen)
        {
            if (screen.Count != 2)
                throw new InvalidDataException($"{where}: config.screen must be [width, height].");
            (width, height) = (screen[0], screen[1]);
            if (width is < 320 or > 4096 || height is < 240 or > 4096)
                throw new InvalidDataException($"{where}: config.screen {width}x{height} is outside 320x240 to 4096x4096.");
        }
        List<SetupStep> setup = [.. (config.Setup ?? []).Select((s, i) => ReadSetup(s, $"{where}: config.setup[{i}]"))];
        Evaluator evaluator = Evaluator.Read(config.Evaluator ?? throw new InvalidDataException($"{where}: config.evaluator is missing."), $"{where}: config.evaluator");
        List<SolutionStep> solution = [.. (config.Solution ?? []).Select((s, i) => ReadSolution(s, $"{where}: config.solution[{i}]"))];
        return new GuiTask(goal, width, height, setup, evaluator, solution);
    }

    private static SetupStep ReadSetup(JsonNode? node, string where)
    {
        if (node is not JsonObject o)
            throw new InvalidDataException($"{where} must be an object.");
        string? Text(string key) => o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
        List<string> Command(string key) => o[key] is JsonArray a && a.Count > 0 && a.All(x => x?.GetValueKind() == JsonValueKind.String)
            ? [.. a.Select(x => x!.GetValue<string>())]
            : throw new InvalidDataException($"{where}.{key} must be a non-empty list of strings (the program and its arguments).");
        if (Text("file") is { } file)
            return new SetupStep("file", SafePath(file, where), Text("text") ?? "", [], null);
        if (Text("dir") is { } dir)
            return new SetupStep("dir", SafePath(dir, where), null, [], null);
        if (o.ContainsKey("run"))
            return new SetupStep("run", null, null, Command("run"), null);
        if (o.ContainsKey("launch"))
            return new SetupStep("launch", null, null, Command("launch"), Text("window") ?? throw new InvalidDataException($"{where}.window (the window to wait for) is missing."));
        throw new InvalidDataException($"{where}: a set-up step is one of {{\"file\", \"text\"}}, {{\"dir\"}}, {{\"run\": [...]}}, {{\"launch\": [...], \"window\"}}.");
    }

    private static SolutionStep ReadSolution(JsonNode? node, string where)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            return new SolutionStep(v.GetValue<string>(), null, 0.5, 0.5, null);
        if (node is not JsonObject o || o["do"] is not JsonValue d)
            throw new InvalidDataException($"{where} must be an action string or an object with \"do\".");
        double[] at = o["point"] is JsonArray { Count: 2 } p ? [p[0]!.GetValue<double>(), p[1]!.GetValue<double>()] : [0.5, 0.5];
        string? element = o["element"]?.GetValue<string>();
        if (element is not null && o["name"] is null)
            throw new InvalidDataException($"{where}: a step with \"element\" needs the element's \"name\".");
        return new SolutionStep(d.GetValue<string>(), o["at"]?.GetValue<string>(), at[0], at[1], o["when"]?.GetValue<string>(), element, o["name"]?.GetValue<string>());
    }

    /// <summary>A path inside the home directory: relative, without <c>..</c>.</summary>
    public static string SafePath(string path, string where)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0 || Path.IsPathRooted(path) || path.Split('/').Contains(".."))
            throw new InvalidDataException($"{where}: '{path}' must be a path inside the home directory (relative, without '..').");
        return path;
    }
}
