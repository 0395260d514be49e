using System.Threading.Channels;
using Gym.Core.Trajectories;

namespace Gym.Core.Rollouts;

public sealed partial class RolloutRunner
{
    /// <summary>Starts episodes within the concurrency limits and assembles them into groups.</summary>
    private sealed class Scheduler(RolloutRunner runner, ChannelWriter<EpisodeGroup> output, CancellationToken cancellationToken)
    {
        // Starts at 1 for the producer itself; whoever brings it to 0 completes the output.
        private int _outstanding = 1;
        private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Drained => _drained.Task;

        public async Task ProduceAsync(IReadOnlyList<TaskSpec> tasks)
        {
            try
            {
                int groupSize = runner._options.GroupSize;
                foreach (TaskSpec task in tasks)
                {
                    GroupState group = new(task, runner.GroupIdOf(task), groupSize);
                    SemaphoreSlim? familyLimit = runner.FamilyLimit(task.EnvId);
                    for (int attempt = 0; attempt < groupSize; attempt++)
                    {
                        await runner._globalLimit.WaitAsync(cancellationToken).ConfigureAwait(false);
                        if (familyLimit is not null)
                        {
                            try
                            {
                                await familyLimit.WaitAsync(cancellationToken).ConfigureAwait(false);
                            }
                            catch
                            {
                                runner._globalLimit.Release();
                                throw;
                            }
                        }
                        Interlocked.Increment(ref _outstanding);
                        _ = RunSlotAsync(group, attempt, familyLimit);
                    }
                }
            }
            catch (OperationCanceledException e)
            {
                output.TryComplete(e);
            }
            finally
            {
                Release();
            }
        }

        private async Task RunSlotAsync(GroupState group, int attempt, SemaphoreSlim? familyLimit)
        {
            try
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
                        runner.Statistics.GroupDropped();
                    else
                    {
                        runner.Statistics.GroupCompleted();
                        output.TryWrite(new EpisodeGroup(group.Task, group.GroupId, finished.Episodes));
                    }
                }
            }
            catch (OperationCanceledException e)
            {
                output.TryComplete(e);
            }
            catch (Exception e)
            {
                output.TryComplete(e);
            }
            finally
            {
                familyLimit?.Release();
                runner._globalLimit.Release();
                Release();
            }
        }

        private void Release()
        {
            if (Interlocked.Decrement(ref _outstanding) == 0)
            {
                output.TryComplete();
                _drained.TrySetResult();
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
