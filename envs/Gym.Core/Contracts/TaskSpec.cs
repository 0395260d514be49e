using System.Text.Json;

namespace Gym.Core;

/// <summary>One task: which environment, configured how, from which seed, and how it is judged.</summary>
public sealed record TaskSpec
{
    /// <summary>The task id, unique inside its suite.</summary>
    public required string Id { get; init; }

    /// <summary>The id of the environment that runs it.</summary>
    public required string EnvId { get; init; }

    /// <summary>What the agent is asked to do; environments may refine it in their first observation.</summary>
    public string Instruction { get; init; } = "";

    /// <summary>The environment seed: the same task and seed give the same initial state.</summary>
    public long Seed { get; init; }

    /// <summary>The split: "train" or "test" (or any name a suite uses).</summary>
    public string Split { get; init; } = "train";

    /// <summary>The suite this task belongs to ("text/sokoban"), set by the loader.</summary>
    public string Suite { get; init; } = "";

    /// <summary>Free tags for filtering and reports.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Environment configuration, passed through to the environment as JSON.</summary>
    public JsonElement Config { get; init; }

    /// <summary>Step and time limits.</summary>
    public TaskLimits Limits { get; init; } = new();

    /// <summary>Evaluator settings, interpreted by the environment (for example a success threshold).</summary>
    public JsonElement Evaluator { get; init; }

    /// <summary>Where the task was defined (set by the suite loader), for error messages; null for tasks built in code.</summary>
    public TaskOrigin? Origin { get; init; }

    /// <summary>
    /// <see cref="Config"/> as the environment's config record <typeparamref name="T"/> (camelCase keys); unknown keys and
    /// values of the wrong kind throw a <see cref="Tasks.TaskFileException"/> naming the file and the JSON path.
    /// </summary>
    public T ConfigAs<T>() where T : new() => TaskConfigJson.Read<T>(this);
}

/// <summary>Limits of one episode. Null means the environment's default.</summary>
/// <param name="MaxSteps">Steps before truncation.</param>
/// <param name="TimeoutSeconds">Wall-clock seconds for the whole episode before it is aborted.</param>
/// <param name="StepTimeoutSeconds">Wall-clock seconds for one step before the episode is aborted.</param>
public sealed record TaskLimits(int? MaxSteps = null, double? TimeoutSeconds = null, double? StepTimeoutSeconds = null);
