using System.Collections.Concurrent;
using Gym.Models.Generation;

namespace Gym.Serving;

/// <summary>
/// Batches concurrent generation requests: one thread takes whatever has queued (waiting a short window for more
/// after the first), runs it as one batch through <see cref="BatchGenerator"/>, and completes each request.
/// A request whose client has gone away before its batch starts is dropped.
/// </summary>
public sealed class GenerationQueue : IDisposable
{
    private readonly BatchGenerator _generator;
    private readonly int _maxBatch;
    private readonly TimeSpan _window;
    private readonly BlockingCollection<Pending> _pending = [];
    private readonly Thread _thread;

    /// <summary>Starts the batching thread.</summary>
    public GenerationQueue(BatchGenerator generator, int maxBatch, TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _generator = generator ?? throw new ArgumentNullException(nameof(generator));
        _maxBatch = maxBatch;
        _window = window;
        _thread = new Thread(Loop) { IsBackground = true, Name = "gym-serve-generation" };
        _thread.Start();
    }

    /// <summary>Sequences generated so far, and batches run (their ratio is the mean batch size).</summary>
    public (long Sequences, long Batches) Counts => (Interlocked.Read(ref _sequences), Interlocked.Read(ref _batches));

    private long _sequences;
    private long _batches;

    /// <summary>Queues one sequence; <paramref name="onToken"/> sees each token as it is chosen (on the generation thread).</summary>
    public Task<GenerationResult> GenerateAsync(GenerationRequest request, Action<int>? onToken = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        Pending pending = new(request, onToken);
        if (!_pending.TryAdd(pending))
            throw new ObjectDisposedException(nameof(GenerationQueue));
        return pending.Result.Task;
    }

    private void Loop()
    {
        foreach (Pending first in _pending.GetConsumingEnumerable())
        {
            List<Pending> batch = [first];
            DateTime until = DateTime.UtcNow + _window;
            while (batch.Count < _maxBatch)
            {
                TimeSpan left = until - DateTime.UtcNow;
                if (!_pending.TryTake(out Pending? more, left > TimeSpan.Zero ? left : TimeSpan.Zero))
                    break;
                batch.Add(more);
            }
            Run(batch);
        }
    }

    private void Run(List<Pending> batch)
    {
        foreach (Pending p in batch.Where(p => p.Request.Cancellation.IsCancellationRequested))
            p.Result.TrySetCanceled(p.Request.Cancellation);
        batch.RemoveAll(p => p.Request.Cancellation.IsCancellationRequested);
        if (batch.Count == 0)
            return;
        try
        {
            IReadOnlyList<GenerationResult> results = _generator.Generate([.. batch.Select(p => p.Request)], onToken: (row, token) => batch[row].OnToken?.Invoke(token));
            Interlocked.Add(ref _sequences, batch.Count);
            Interlocked.Increment(ref _batches);
            for (int i = 0; i < batch.Count; i++)
                batch[i].Result.TrySetResult(results[i]);
        }
        catch (Exception e)
        {
            foreach (Pending p in batch)
                p.Result.TrySetException(e);
        }
    }

    /// <summary>Stops taking requests; those already queued are generated first.</summary>
    public void Dispose()
    {
        _pending.CompleteAdding();
        _thread.Join();
        _pending.Dispose();
    }

    private sealed record Pending(GenerationRequest Request, Action<int>? OnToken)
    {
        public TaskCompletionSource<GenerationResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
