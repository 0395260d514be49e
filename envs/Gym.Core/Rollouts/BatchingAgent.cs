namespace Gym.Core.Rollouts;

/// <summary>
/// Presents an <see cref="IBatchAgent"/> as an <see cref="IAgent"/>: requests wait until every active worker is
/// waiting for an action (or a full batch is ready), then go to the model in one call. Workers count as active
/// from the start of the run until they run out of episodes, so a batch never leaves before the episodes that
/// are about to ask have asked: batches are as large, and as reproducible, as the run allows.
/// </summary>
internal sealed class BatchingAgent(IBatchAgent inner) : IAgent
{
    private readonly Lock _gate = new();
    private List<(AgentContext Context, TaskCompletionSource<AgentTurn> Result)> _pending = [];
    private int _active;

    public string Name => inner.Name;

    /// <summary>Counts <paramref name="workers"/> more workers as active.</summary>
    public void Reserve(int workers)
    {
        lock (_gate)
            _active += workers;
    }

    /// <summary>A worker has no more episodes to run.</summary>
    public void Release()
    {
        List<(AgentContext, TaskCompletionSource<AgentTurn>)>? batch;
        lock (_gate)
        {
            _active--;
            batch = TakeBatchIfReady();
        }
        Dispatch(batch);
    }

    public ValueTask<AgentTurn> ActAsync(AgentContext context, CancellationToken cancellationToken = default)
    {
        TaskCompletionSource<AgentTurn> result = new(TaskCreationOptions.RunContinuationsAsynchronously);
        List<(AgentContext, TaskCompletionSource<AgentTurn>)>? batch;
        lock (_gate)
        {
            _pending.Add((context, result));
            batch = TakeBatchIfReady();
        }
        Dispatch(batch);
        return new ValueTask<AgentTurn>(result.Task.WaitAsync(cancellationToken));
    }

    private List<(AgentContext, TaskCompletionSource<AgentTurn>)>? TakeBatchIfReady()
    {
        if (_pending.Count == 0 || _pending.Count < Math.Min(inner.MaxBatchSize, Math.Max(1, _active)))
            return null;
        List<(AgentContext, TaskCompletionSource<AgentTurn>)> batch;
        if (_pending.Count <= inner.MaxBatchSize)
        {
            batch = _pending;
            _pending = [];
        }
        else
        {
            batch = _pending.GetRange(0, inner.MaxBatchSize);
            _pending.RemoveRange(0, inner.MaxBatchSize);
        }
        return batch;
    }

    private void Dispatch(List<(AgentContext Context, TaskCompletionSource<AgentTurn> Result)>? batch)
    {
        if (batch is null)
            return;
        _ = Task.Run(async () =>
        {
            try
            {
                IReadOnlyList<AgentTurn> turns = await inner.ActBatchAsync([.. batch.Select(b => b.Context)]).ConfigureAwait(false);
                if (turns.Count != batch.Count)
                    throw new InvalidOperationException($"The batch agent '{inner.Name}' returned {turns.Count} turns for {batch.Count} contexts.");
                for (int i = 0; i < batch.Count; i++)
                    batch[i].Result.TrySetResult(turns[i]);
            }
            catch (Exception e)
            {
                foreach ((AgentContext _, TaskCompletionSource<AgentTurn> result) in batch)
                    result.TrySetException(e);
            }
        });
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
