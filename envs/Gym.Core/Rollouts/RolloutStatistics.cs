namespace Gym.Core.Rollouts;

/// <summary>Counters of a rollout run; updated as the run goes, safe to read at any time.</summary>
public sealed class RolloutStatistics
{
    private long _groupsCompleted, _groupsDropped, _episodes, _abortedAttempts, _steps;

    /// <summary>Groups whose every episode finished.</summary>
    public long GroupsCompleted => Interlocked.Read(ref _groupsCompleted);

    /// <summary>Groups dropped whole because an episode kept aborting.</summary>
    public long GroupsDropped => Interlocked.Read(ref _groupsDropped);

    /// <summary>Episodes that finished (in completed or dropped groups).</summary>
    public long EpisodesCompleted => Interlocked.Read(ref _episodes);

    /// <summary>Episode attempts that aborted (env crash, timeout, agent failure); each was retried or dropped its group.</summary>
    public long AbortedAttempts => Interlocked.Read(ref _abortedAttempts);

    /// <summary>Environment steps taken, aborted attempts included.</summary>
    public long Steps => Interlocked.Read(ref _steps);

    /// <summary>Reasons of the last aborted attempts (at most 20), for reports.</summary>
    public IReadOnlyList<string> RecentAbortReasons
    {
        get
        {
            lock (_reasons)
                return [.. _reasons];
        }
    }

    private readonly Queue<string> _reasons = new();

    internal void GroupCompleted() => Interlocked.Increment(ref _groupsCompleted);

    internal void GroupDropped() => Interlocked.Increment(ref _groupsDropped);

    internal void EpisodeCompleted(int steps)
    {
        Interlocked.Increment(ref _episodes);
        Interlocked.Add(ref _steps, steps);
    }

    internal void AttemptAborted(int steps, string reason)
    {
        Interlocked.Increment(ref _abortedAttempts);
        Interlocked.Add(ref _steps, steps);
        lock (_reasons)
        {
            _reasons.Enqueue(reason);
            if (_reasons.Count > 20)
                _reasons.Dequeue();
        }
    }
}
