namespace Gym.Core.Wrappers;

/// <summary>Statistics of one finished episode.</summary>
/// <param name="Return">The sum of rewards.</param>
/// <param name="Length">The number of steps.</param>
/// <param name="InvalidActions">Steps whose action was invalid.</param>
/// <param name="Success">Whether the final step reported success.</param>
/// <param name="Terminated">True when the task ended, false when it was truncated.</param>
/// <param name="Elapsed">Wall-clock time from reset to the final step.</param>
public sealed record EpisodeStatistics(double Return, int Length, int InvalidActions, bool Success, bool Terminated, TimeSpan Elapsed);

/// <summary>Records return, length and invalid actions of every episode (Gymnasium's RecordEpisodeStatistics).</summary>
public sealed class EpisodeStatisticsWrapper(IEnvironment inner, TimeProvider? time = null) : EnvironmentWrapper(inner)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private long _start;
    private double _return;
    private int _length;
    private int _invalid;

    /// <summary>The statistics of the last finished episode, or null before one finished.</summary>
    public EpisodeStatistics? LastEpisode { get; private set; }

    /// <summary>How many episodes finished.</summary>
    public int EpisodeCount { get; private set; }

    /// <inheritdoc />
    public override ValueTask<Observation> ResetAsync(TaskSpec task, ResetOptions options, CancellationToken cancellationToken = default)
    {
        (_return, _length, _invalid) = (0, 0, 0);
        _start = _time.GetTimestamp();
        return base.ResetAsync(task, options, cancellationToken);
    }

    /// <inheritdoc />
    public override ValueTask<StepResult> StepAsync(AgentAction action, CancellationToken cancellationToken = default) =>
        Map(base.StepAsync(action, cancellationToken));

    /// <inheritdoc />
    protected override StepResult OnStep(StepResult result)
    {
        _return += result.Reward;
        _length++;
        if (!result.Info.ActionValid)
            _invalid++;
        if (result.Done)
        {
            LastEpisode = new EpisodeStatistics(_return, _length, _invalid, result.Info.Success, result.Terminated, _time.GetElapsedTime(_start));
            EpisodeCount++;
        }
        return result;
    }
}
