using Gym.Core;
using Gym.Core.Registry;
using Gym.Core.Rollouts;
using Gym.Core.Trajectories;

namespace Gym.Trainer.Sampling;

/// <summary>What an iteration's rollouts produced.</summary>
/// <param name="Groups">One group per task that completed, in task order: the episodes to train on.</param>
/// <param name="Baselines">For adaptive sampling, each group's reward mean and standard deviation over every episode sampled for its task (else null).</param>
/// <param name="Episodes">Every episode sampled, those left out of the groups included (the trajectory file keeps them all).</param>
/// <param name="ExtraEpisodes">Episodes sampled beyond one group per task (adaptive sampling).</param>
/// <param name="DroppedGroups">Groups the runner could not complete.</param>
public sealed record CollectedRollouts(
    IReadOnlyList<EpisodeGroup> Groups, IReadOnlyList<(double Mean, double Std)>? Baselines, IReadOnlyList<Episode> Episodes, int ExtraEpisodes, long DroppedGroups);

/// <summary>Settings of <see cref="RolloutCollector"/>.</summary>
/// <param name="GroupSize">Episodes per task in a group.</param>
/// <param name="Concurrency">Episodes run at once.</param>
/// <param name="Seed">The run's seed (sampling streams derive from it, the iteration and the round).</param>
/// <param name="Adaptive">Reinforce-Ada: sample tasks without reward diversity again.</param>
/// <param name="MaxEpisodesPerTask">The cap of adaptive sampling per task and iteration.</param>
/// <param name="Exit">When a task has enough samples.</param>
/// <param name="Horizon">A step-limit curriculum for training episodes, or null.</param>
public sealed record CollectorOptions(int GroupSize, int Concurrency, long Seed, bool Adaptive = false, int MaxEpisodesPerTask = 32,
    AdaptiveExit Exit = AdaptiveExit.AnyDiversity, HorizonCurriculum? Horizon = null);

/// <summary>
/// Runs an iteration's training rollouts: a group of episodes per task, and with adaptive sampling (Reinforce-Ada)
/// more rounds for the tasks whose rewards do not differ yet, then fixed-size groups formed from everything sampled.
/// A horizon curriculum caps the step limit of the tasks first.
/// </summary>
public sealed class RolloutCollector(EnvRegistry registry, IAgent agent, CollectorOptions options)
{
    /// <summary>Rolls out <paramref name="tasks"/> for <paramref name="iteration"/> (1-based).</summary>
    public async Task<CollectedRollouts> CollectAsync(IReadOnlyList<TaskSpec> tasks, int iteration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        IReadOnlyList<TaskSpec> limited = options.Horizon is { } horizon ? [.. tasks.Select(t => Capped(t, horizon.At(iteration)))] : tasks;
        Dictionary<string, List<Episode>> byTask = limited.ToDictionary(t => t.Id, _ => new List<Episode>(), StringComparer.Ordinal);
        HashSet<string> complete = new(StringComparer.Ordinal);
        long dropped = 0;
        List<Episode> all = [];
        IReadOnlyList<TaskSpec> active = limited;
        for (int round = 0; active.Count > 0; round++)
        {
            (List<EpisodeGroup> groups, long lost) = await RunAsync(active, iteration, round, cancellationToken).ConfigureAwait(false);
            dropped += lost;
            foreach (EpisodeGroup group in groups)
            {
                byTask[group.Task.Id].AddRange(group.Episodes);
                complete.Add(group.Task.Id);
                all.AddRange(group.Episodes);
            }
            if (!options.Adaptive)
                break;
            // A task whose first group was dropped is not sampled again; the others until they carry a signal or hit the cap.
            active = [.. active.Where(t => complete.Contains(t.Id)
                && !AdaptiveGroups.Done(Rewards(byTask[t.Id]), options.GroupSize, options.Exit)
                && byTask[t.Id].Count + options.GroupSize <= options.MaxEpisodesPerTask)];
        }
        List<EpisodeGroup> formed = [];
        List<(double, double)>? baselines = options.Adaptive ? [] : null;
        foreach (TaskSpec task in limited.Where(t => complete.Contains(t.Id)))
        {
            List<Episode> sampled = byTask[task.Id];
            double[] rewards = Rewards(sampled);
            formed.Add(new EpisodeGroup(task, $"train-{iteration:D6}/{task.Id}", [.. AdaptiveGroups.Select(rewards, options.GroupSize).Select(i => sampled[i])]));
            baselines?.Add(AdaptiveGroups.Baseline(rewards));
        }
        return new CollectedRollouts(formed, baselines, all, all.Count - complete.Count * options.GroupSize, dropped);
    }

    private async Task<(List<EpisodeGroup> Groups, long Dropped)> RunAsync(IReadOnlyList<TaskSpec> tasks, int iteration, int round, CancellationToken cancellationToken)
    {
        RolloutOptions rollout = new()
        {
            GroupSize = options.GroupSize,
            MaxConcurrentEpisodes = options.Concurrency,
            // Rounds after the first draw fresh sampling streams, so a repeated task is not sampled the same way again.
            SamplingSeed = options.Seed * 1_000_003 + iteration + round * 0x5DEECE66DL,
            RunId = round == 0 ? $"train-{iteration:D6}" : $"train-{iteration:D6}-round-{round}",
            PolicyVersion = iteration,
        };
        await using RolloutRunner runner = new(registry, agent, rollout);
        List<EpisodeGroup> groups = [];
        await foreach (EpisodeGroup g in runner.RunAsync(tasks, cancellationToken).ConfigureAwait(false))
            groups.Add(g);
        // Groups arrive as they finish; order them by task so that training does not depend on timing.
        groups.Sort((a, b) => string.CompareOrdinal(a.GroupId, b.GroupId));
        return (groups, runner.Statistics.GroupsDropped);
    }

    private static double[] Rewards(List<Episode> episodes) => [.. episodes.Select(e => e.Outcome.Score)];

    private static TaskSpec Capped(TaskSpec task, int limit) =>
        task.Limits.MaxSteps is { } own && own <= limit ? task : task with { Limits = task.Limits with { MaxSteps = limit } };
}
