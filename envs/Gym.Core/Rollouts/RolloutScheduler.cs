using System.Threading.Channels;
using Gym.Core.Trajectories;

namespace Gym.Core.Rollouts;

public sealed partial class RolloutRunner
{
    /// <summary>
    /// Runs the episode slots (task, attempt) on <see cref="RolloutOptions.MaxConcurrentEpisodes"/> worker loops
    /// and assembles them into groups. Workers pull slots in task order; a worker that completes a group writes it
    /// to the bounded output and waits there while the consumer is behind. With synchronous environments a
    /// worker runs on the consumer's thread, with no thread hop per episode.
    /// </summary>
    private sealed class Scheduler(RolloutRunner runner, ChannelWriter<EpisodeGroup> output, CancellationToken cancellationToken)
    {
        private readonly Lock _gate = new();
        private IEnumerator<(GroupState Group, int Attempt)>? _slots;

        public async Task RunAsync(IReadOnlyList<TaskSpec> tasks)
        {
            try
            {
                _slots = Slots(tasks).GetEnumerator();
                int workers = (int)Math.Min(runner._options.MaxConcurrentEpisodes, (long)tasks.Count * runner._options.GroupSize);
                Task[] running = new Task[workers];
                runner._batching?.Reserve(workers);
                for (int i = 0; i < workers; i++)
                    running[i] = WorkerAsync();
                await Task.WhenAll(running).ConfigureAwait(false);
                output.TryComplete();
            }
            catch (Exception e)
            {
                output.TryComplete(e);
                throw;
            }
        }

        private IEnumerable<(GroupState, int)> Slots(IReadOnlyList<TaskSpec> tasks)
        {
            foreach (TaskSpec task in tasks)
            {
                GroupState group = new(task, runner.GroupIdOf(task), runner._options.GroupSize);
                for (int attempt = 0; attempt < runner._options.GroupSize; attempt++)
                    yield return (group, attempt);
            }
        }

        private bool TryNext(out GroupState group, out int attempt)
        {
            lock (_gate)
            {
                if (_slots!.MoveNext())
                {
                    (group, attempt) = _slots.Current;
                    return true;
                }
            }
            (group, attempt) = (null!, 0);
            return false;
        }

        private async Task WorkerAsync()
        {
            try
            {
                await WorkAsync().ConfigureAwait(false);
            }
            finally
            {
                runner._batching?.Release();
            }
        }

        private async Task WorkAsync()
        {
            while (TryNext(out GroupState group, out int attempt))
            {
                cancellationToken.ThrowIfCancellationRequested();
                SemaphoreSlim? familyLimit = runner.FamilyLimit(group.Task.EnvId);
                if (familyLimit is not null)
                {
                    // A worker waiting for its family's slot asks the agent nothing: batches must not wait for it.
                    runner._batching?.Release();
                    try
                    {
                        await familyLimit.WaitAsync(cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        runner._batching?.Reserve(1);
                    }
                }
                try
                {
                    await RunSlotAsync(group, attempt).ConfigureAwait(false);
                }
                finally
                {
                    familyLimit?.Release();
                }
            }
        }

        private async ValueTask RunSlotAsync(GroupState group, int attempt)
        {
            Episode? episode = null;
            int maxTries = runner._options.MaxAttempts;
            for (int tryIndex = 0; tryIndex < maxTries && !group.Dropped; tryIndex++)
            {
                (Episode? result, string? reason, int steps) = await runner.RunEpisodeAsync(group.Task, attempt, tryIndex, cancellationToken).ConfigureAwait(false);
                if (result is not null)
                {
                    runner.Statistics.EpisodeCompleted(steps);
                    episode = result;
                    break;
                }
                runner.Statistics.AttemptAborted(steps, $"{group.Task.Id}#{attempt}: {reason}");
            }
            if (episode is null && !group.Dropped)
                LogGroupDropped(runner._logger, group.GroupId, maxTries);
            if (group.Complete(attempt, episode) is { } finished)
            {
                if (finished.Dropped)
                {
                    runner.Statistics.GroupDropped();
                }
                else
                {
                    runner.Statistics.GroupCompleted();
                    await output.WriteAsync(new EpisodeGroup(group.Task, group.GroupId, finished.Episodes), cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>The episodes of a group as they arrive; a missing one drops the group.</summary>
    private sealed class GroupState(TaskSpec task, string groupId, int size)
    {
        private readonly Episode?[] _episodes = new Episode?[size];
        private int _remaining = size;
        private volatile bool _dropped;

        public TaskSpec Task { get; } = task;

        public string GroupId { get; } = groupId;

        public bool Dropped => _dropped;

        /// <summary>Records one slot; returns the finished group when this was the last slot.</summary>
        public (bool Dropped, Episode[] Episodes)? Complete(int attempt, Episode? episode)
        {
            if (episode is null)
                _dropped = true;
            else
                _episodes[attempt] = episode;
            if (Interlocked.Decrement(ref _remaining) != 0)
                return null;
            return _dropped ? (true, []) : (false, _episodes.Select(e => e!).ToArray());
        }
    }
}
