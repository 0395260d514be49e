using System.Text.Json;
using Gym.Core;

namespace Gym.Envs.Text.Household;

/// <summary>
/// A household text world in the spirit of ALFWorld: rooms with receptacles (cabinets open and close),
/// objects, and object states; goals such as "clean some mug and put it in cabinet". Every step lists the
/// admissible commands. Config: <c>scenes</c> (array of kitchen, livingroom, bedroom, bathroom),
/// <c>taskTypes</c> (array of place, clean, heat, cool), <c>objects</c> (default 10). Reward 1 on success.
/// </summary>
public sealed class HouseholdEnvironment : TextEnvironment
{
    /// <summary>The registered id.</summary>
    public const string Id = "text/household-v1";

    /// <summary>The environment's description.</summary>
    public static readonly EnvSpec EnvSpec = new()
    {
        Id = Id,
        Family = "text",
        Description = "Household text world (ALFWorld-style): find objects in receptacles, clean/heat/cool them, put them in place.",
        ActionSyntax = "One admissible command, e.g. 'go to cabinet 1', 'open fridge 1', 'take mug 1 from countertop 1', 'clean mug 1 with sinkbasin 1', 'put mug 1 in/on cabinet 2', 'look', 'inventory'.",
        MaxSteps = 40,
    };

    private HouseholdWorld _world = null!;

    /// <inheritdoc />
    public override EnvSpec Spec => EnvSpec;

    /// <summary>Generates the world of a task, as the environment does on reset (the oracle plans on it).</summary>
    public static HouseholdWorld WorldOf(TaskSpec task, long seed)
    {
        ArgumentNullException.ThrowIfNull(task);
        return HouseholdGenerator.Generate(seed, ConfigList(task, "scenes"), [.. ConfigList(task, "taskTypes").Select(ParseType)], task.ConfigInt("objects", 10));
    }

    /// <inheritdoc />
    protected override Observation Reset(TaskSpec task, long seed)
    {
        _world = WorldOf(task, seed);
        return Observe(_world.Look(), null);
    }

    /// <inheritdoc />
    protected override StepResult Step(string action)
    {
        string? message = action.Length == 0 ? null : _world.Apply(action);
        if (message is null)
        {
            string error = $"Nothing happens: '{Shown(action)}' is not an admissible command here. Choose one of the admissible commands.";
            return new StepResult(Observe(error, error), 0, false, false, StepInfo.Invalid(error));
        }
        bool success = _world.GoalReached;
        StepInfo info = new() { ParsedAction = action, Success = success, Score = success ? 1.0 : 0.0 };
        return new StepResult(Observe(message, null), success ? 1.0 : 0.0, success, false, info);
    }

    private Observation Observe(string message, string? feedback) => new()
    {
        Text = $"{message}\nYour task is to: {_world.Goal}.",
        StateKey = _world.StateKey(),
        AdmissibleActions = _world.Admissible(),
        Feedback = feedback,
    };

    private static List<string> ConfigList(TaskSpec task, string name)
    {
        if (task.Config.ValueKind != JsonValueKind.Object || !task.Config.TryGetProperty(name, out JsonElement list))
            return [];
        if (list.ValueKind != JsonValueKind.Array || list.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            throw new ArgumentException($"Task '{task.Id}': config.{name} must be an array of strings.");
        return [.. list.EnumerateArray().Select(e => e.GetString()!)];
    }

    private static HouseholdTaskType ParseType(string name) =>
        Enum.TryParse(name, ignoreCase: true, out HouseholdTaskType type)
            ? type
            : throw new ArgumentException($"Unknown household task type '{name}' (place, clean, heat, cool).");
}
