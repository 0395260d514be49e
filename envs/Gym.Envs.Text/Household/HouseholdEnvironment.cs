using Gym.Core;

namespace Gym.Envs.Text.Household;

/// <summary>
/// A household text world in the spirit of ALFWorld: rooms with receptacles (cabinets open and close),
/// objects, and object states; goals such as "clean some mug and put it in cabinet". Every step lists the
/// admissible commands. Configured by <see cref="HouseholdConfig"/>. Reward 1 on success.
/// </summary>
public sealed class HouseholdEnvironment : TextEnvironment
{
    /// <summary>The registered id.</summary>
    public const string Id = "text/household-v1";

    /// <summary>The environment's description.</summary>
    public static readonly EnvSpec EnvSpec = TextSpec(Id,
        "Household text world (ALFWorld-style): find objects in receptacles, clean/heat/cool them, put them in place.",
        "One admissible command, e.g. 'go to cabinet 1', 'open fridge 1', 'take mug 1 from countertop 1', 'clean mug 1 with sinkbasin 1', 'put mug 1 in/on cabinet 2', 'look', 'inventory'.",
        maxSteps: 40);

    private HouseholdWorld _world = null!;

    /// <inheritdoc />
    public override EnvSpec Spec => EnvSpec;

    /// <summary>Generates the world of a task, as the environment does on reset (the oracle plans on it).</summary>
    public static HouseholdWorld WorldOf(TaskSpec task, long seed)
    {
        ArgumentNullException.ThrowIfNull(task);
        HouseholdConfig config = task.ConfigAs<HouseholdConfig>();
        return HouseholdGenerator.Generate(seed, config.Scenes, config.TaskTypes, config.Objects);
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
}
