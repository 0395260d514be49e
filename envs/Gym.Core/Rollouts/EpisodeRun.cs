namespace Gym.Core.Rollouts;

/// <summary>The episode deadline passed between two steps.</summary>
internal sealed class EpisodeTimeoutException() : TimeoutException("The episode deadline passed.");

/// <summary>
/// The state of one episode attempt in the runner. The episode's cancellation source (with the episode
/// deadline) is created only when a call goes asynchronous: synchronous environments never pay for a timer. Every
/// clock reading and timer goes through the runner's <see cref="TimeProvider"/>, so a fake clock drives deadlines.
/// </summary>
internal sealed class EpisodeRun(IEnvironment environment, TimeProvider time, TimeSpan episodeTimeout, TimeSpan stepTimeout, CancellationToken outer) : IDisposable
{
    private CancellationTokenSource? _source;
    private CancellationTokenSource? _deadline;

    public IEnvironment Environment { get; } = environment;

    public long Start { get; } = time.GetTimestamp();

    /// <summary>The episode deadline, in the time provider's timestamp ticks.</summary>
    public long Deadline { get; } = time.GetTimestamp() + (long)Math.Min(episodeTimeout.TotalSeconds * time.TimestampFrequency, long.MaxValue / 4);

    /// <summary>The time provider's timestamp now.</summary>
    public long Now() => time.GetTimestamp();

    /// <summary>Seconds between two timestamps of <see cref="Now"/>.</summary>
    public double Seconds(long ticks) => (double)ticks / time.TimestampFrequency;

    public AgentContext? Context { get; set; }

    public AgentTurn? Turn { get; set; }

    public StepResult? Last { get; set; }

    public EpisodePhase Phase { get; set; } = EpisodePhase.Reset;

    public long T0 { get; set; }

    public long T1 { get; set; }

    public ValueTask<AgentTurn>? PendingAgent { get; set; }

    public ValueTask<StepResult>? PendingStep { get; set; }

    /// <summary>The token to pass to calls: the caller's until a call went asynchronous, then the episode's.</summary>
    public CancellationToken Token => _source?.Token ?? outer;

    /// <summary>Waits for a call that went asynchronous, within the step timeout and the episode deadline.</summary>
    public async ValueTask<T> WaitAsync<T>(ValueTask<T> pending, EpisodePhase phase)
    {
        Phase = phase;
        TimeSpan remaining = time.GetElapsedTime(time.GetTimestamp(), Deadline);
        if (_source is null)
        {
            _deadline = new CancellationTokenSource(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, time);
            _source = CancellationTokenSource.CreateLinkedTokenSource(outer, _deadline.Token);
        }
        Task<T> task = pending.AsTask();
        bool episodeLimit = remaining < stepTimeout;
        try
        {
            return await task.WaitAsync(episodeLimit ? remaining : stepTimeout, time, _source.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // The abandoned call may still fail later: observe it so it is not reported as unobserved.
            _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            if (outer.IsCancellationRequested)
                throw;
            if (episodeLimit || _source.IsCancellationRequested)
                throw new EpisodeTimeoutException();
            throw;
        }
    }

    /// <summary>Cancels calls still running with the episode's token (the attempt is being aborted).</summary>
    public void Cancel() => _source?.Cancel();

    public void Dispose()
    {
        _source?.Dispose();
        _deadline?.Dispose();
    }
}
