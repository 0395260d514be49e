using System.Text.Json;
using System.Text.Json.Serialization;
using Gym.Core.Rollouts;
using Gym.Core.Trajectories;

namespace Gym.Core.Evaluation;

/// <summary>The results of one task in an evaluation.</summary>
public sealed record TaskResult
{
    /// <summary>The task id.</summary>
    public required string TaskId { get; init; }

    /// <summary>The task's split.</summary>
    public required string Split { get; init; }

    /// <summary>Episodes run (after retries).</summary>
    public int Episodes { get; init; }

    /// <summary>Episodes that succeeded.</summary>
    public int Successes { get; init; }

    /// <summary>Mean score over the episodes.</summary>
    public double MeanScore { get; init; }

    /// <summary>Mean number of steps.</summary>
    public double MeanSteps { get; init; }

    /// <summary>True when the task's group was dropped (an episode kept aborting).</summary>
    public bool Dropped { get; init; }
}

/// <summary>The summary of an evaluation: what <c>gym eval</c> writes to <c>report.json</c>.</summary>
public sealed record EvaluationReport
{
    /// <summary>The suite evaluated.</summary>
    public required string Suite { get; init; }

    /// <summary>The split, or "all".</summary>
    public required string Split { get; init; }

    /// <summary>The agent's name.</summary>
    public required string Agent { get; init; }

    /// <summary>Episodes per task (k of pass@k).</summary>
    public int Repeats { get; init; }

    /// <summary>Tasks in the evaluation.</summary>
    public int Tasks { get; init; }

    /// <summary>Completed episodes.</summary>
    public int Episodes { get; init; }

    /// <summary>Episode attempts that aborted (each was retried or dropped its task).</summary>
    public long Aborted { get; init; }

    /// <summary>Tasks whose group could not be completed; they count as failures in the rates.</summary>
    public int DroppedTasks { get; init; }

    /// <summary>Successful episodes over all episodes, dropped tasks counted as failed.</summary>
    public double SuccessRate { get; init; }

    /// <summary>Mean episode score.</summary>
    public double MeanScore { get; init; }

    /// <summary>Unbiased pass@k with k = <see cref="Repeats"/>, averaged over tasks.</summary>
    public double PassAtK { get; init; }

    /// <summary>pass^k (all k succeed), averaged over tasks.</summary>
    public double PassHatK { get; init; }

    /// <summary>Mean steps per episode.</summary>
    public double MeanSteps { get; init; }

    /// <summary>Invalid actions over all steps.</summary>
    public double InvalidActionRate { get; init; }

    /// <summary>Wall-clock seconds of the evaluation.</summary>
    public double DurationSeconds { get; init; }

    /// <summary>Environment steps per second over the evaluation.</summary>
    public double StepsPerSecond { get; init; }

    /// <summary>Per-task rows.</summary>
    public IReadOnlyList<TaskResult> PerTask { get; init; } = [];

    /// <summary>What else a reader should know about how the episodes ran (for example the kind of sandbox code ran in).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The JSON options of report files (snake_case, indented).</summary>
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Computes the report from the completed groups of a run.</summary>
    public static EvaluationReport From(string suite, string split, string agent, int repeats, IReadOnlyList<TaskSpec> tasks,
        IReadOnlyList<EpisodeGroup> groups, RolloutStatistics statistics, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(groups);
        Dictionary<string, EpisodeGroup> byTask = groups.ToDictionary(g => g.Task.Id, StringComparer.Ordinal);
        List<TaskResult> rows = [];
        double passAt = 0, passHat = 0;
        long steps = 0, invalid = 0, episodes = 0, successes = 0;
        double scoreSum = 0;
        foreach (TaskSpec task in tasks)
        {
            if (!byTask.TryGetValue(task.Id, out EpisodeGroup? group))
            {
                rows.Add(new TaskResult { TaskId = task.Id, Split = task.Split, Dropped = true });
                continue;
            }
            IReadOnlyList<Episode> eps = group.Episodes;
            int c = eps.Count(e => e.Outcome.Success);
            passAt += Evaluation.PassAtK.PassAt(eps.Count, c, Math.Min(repeats, eps.Count));
            passHat += Evaluation.PassAtK.PassHat(eps.Count, c, Math.Min(repeats, eps.Count));
            foreach (Episode e in eps)
            {
                steps += e.Steps.Count;
                invalid += e.InvalidActions;
                scoreSum += e.Outcome.Score;
            }
            episodes += eps.Count;
            successes += c;
            rows.Add(new TaskResult
            {
                TaskId = task.Id,
                Split = task.Split,
                Episodes = eps.Count,
                Successes = c,
                MeanScore = eps.Average(e => e.Outcome.Score),
                MeanSteps = eps.Average(e => e.Steps.Count),
            });
        }
        int dropped = rows.Count(r => r.Dropped);
        // Dropped tasks count as failures: an evaluation must not look better because episodes crashed.
        long denominator = episodes + (long)dropped * repeats;
        int taskCount = Math.Max(1, tasks.Count);
        return new EvaluationReport
        {
            Suite = suite,
            Split = split,
            Agent = agent,
            Repeats = repeats,
            Tasks = tasks.Count,
            Episodes = (int)episodes,
            Aborted = statistics.AbortedAttempts,
            DroppedTasks = dropped,
            SuccessRate = denominator == 0 ? 0 : (double)successes / denominator,
            MeanScore = denominator == 0 ? 0 : scoreSum / denominator,
            PassAtK = passAt / taskCount,
            PassHatK = passHat / taskCount,
            MeanSteps = episodes == 0 ? 0 : (double)steps / episodes,
            InvalidActionRate = steps == 0 ? 0 : (double)invalid / steps,
            DurationSeconds = duration.TotalSeconds,
            StepsPerSecond = duration.TotalSeconds > 0 ? statistics.Steps / duration.TotalSeconds : 0,
            PerTask = rows,
        };
    }

    /// <summary>Writes the report as JSON.</summary>
    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, JsonOptions));

    /// <summary>Reads a report written by <see cref="Save"/>.</summary>
    public static EvaluationReport Load(string path) =>
        JsonSerializer.Deserialize<EvaluationReport>(File.ReadAllText(path), JsonOptions)
        ?? throw new InvalidDataException($"{path}: not an evaluation report.");
}
