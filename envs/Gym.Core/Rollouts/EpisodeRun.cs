using System.Diagnostics;

namespace Gym.Core.Rollouts;

/// <summary>The episode deadline passed between two steps.</summary>
internal sealed class EpisodeTimeoutException() : TimeoutException("The episode deadline passed.");

/// <summary>
/// The state of one episode attempt in the runner. The episode's cancellation source (with the episode
/// deadline) is created only when a call goes asynchronous: synchronous environments never pay for a timer.
/// </summary>
internal sealed class EpisodeRun(IEnvironment environment, TimeProvider time, TimeSpan episodeTimeout, TimeSpan stepTimeout, CancellationToken outer) : IDisposable
{
    private CancellationTokenSource? _source;

    public IEnvironment Environment { get; } = environment;

    public long Start { get; } = Stopwatch.GetTimestamp();

    /// <summary>The episode deadline, in <see cref="Stopwatch"/> ticks.</summary>
    public long Deadline { get; } = Stopwatch.GetTimestamp() + (long)Math.Min(episodeTimeout.TotalSeconds * Stopwatch.Frequency, long.MaxValue / 4);

    public AgentContext? Context { get; set; }

    public AgentTurn? Turn { get; set; }

    public StepResult? Last { get; set; }

    public string Phase { get; set; } = "reset";

    public long T0 { get; set; }

    public long T1 { get; set; }

    public ValueTask<AgentTurn>? PendingAgent { get; set; }

    public ValueTask<StepResult>? PendingStep { get; set; }

    /// <summary>The token to pass to calls: the caller's until a call went asynchronous, then the episode's.</summary>
    public CancellationToken Token => _source?.Token ?? outer;

    /// <summary>Waits for a call that went asynchronous, within the step timeout and the episode deadline.</summary>
    public async ValueTask<T> WaitAsync<T>(ValueTask<T> pending, string phase)
    {
        Phase = phase;
        TimeSpan remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), Deadline);
        if (_source is null)
        {
            _source = CancellationTokenSource.CreateLinkedTokenSource(outer);
            _source.CancelAfter(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
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

    public void Dispose() => _source?.Dispose();
}
