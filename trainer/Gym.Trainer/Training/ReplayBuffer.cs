using Gym.Core.Rollouts;
using Gym.Core.Trajectories;

namespace Gym.Trainer.Training;

/// <summary>
/// ARPO's replay buffer: the latest successful episodes of each task. A group in which no episode succeeded gets
/// some of its episodes replaced by stored successes of the same task, so that its advantages are not all zero.
/// Kept in each checkpoint (<c>replay.msgpack</c>) so that a resumed run replays what the uninterrupted one would.
/// </summary>
public sealed class ReplayBuffer(int perTask)
{
    private const string FileName = "replay.msgpack";
    private readonly Dictionary<string, List<Episode>> _successes = new(StringComparer.Ordinal);

    /// <summary>Successful episodes held.</summary>
    public int Count => _successes.Values.Sum(l => l.Count);

    /// <summary>
    /// Replaces the last <paramref name="perGroup"/> episodes of every group without a success by stored successes
    /// of its task (as many as there are), then stores this batch's successes. Returns how many were replaced.
    /// </summary>
    public int Mix(List<EpisodeGroup> groups, int perGroup)
    {
        ArgumentNullException.ThrowIfNull(groups);
        int replaced = 0;
        for (int g = 0; g < groups.Count; g++)
        {
            EpisodeGroup group = groups[g];
            if (group.Episodes.Any(e => e.Outcome.Success) || !_successes.TryGetValue(group.Task.Id, out List<Episode>? stored))
                continue;
            int n = Math.Min(Math.Min(perGroup, stored.Count), group.Episodes.Count);
            groups[g] = group with { Episodes = [.. group.Episodes.Take(group.Episodes.Count - n), .. stored.Take(n)] };
            replaced += n;
        }
        foreach (EpisodeGroup group in groups)
        {
            foreach (Episode e in group.Episodes.Where(e => e.Outcome.Success && e.Steps.All(s => s.Trace is not null)))
                Add(e);
        }
        return replaced;
    }

    private void Add(Episode episode)
    {
        if (!_successes.TryGetValue(episode.TaskId, out List<Episode>? list))
            _successes[episode.TaskId] = list = [];
        if (list.Any(e => e.Id == episode.Id))
            return;
        list.Insert(0, episode);
        if (list.Count > perTask)
            list.RemoveAt(list.Count - 1);
    }

    /// <summary>Writes the buffer into a checkpoint directory.</summary>
    public void Save(string checkpoint)
    {
        string path = Path.Combine(checkpoint, FileName);
        File.Delete(path);
        using TrajectoryWriter writer = TrajectoryWriter.Open(path);
        // Oldest first per task, so that loading (which puts each newest first) rebuilds the same order.
        foreach (Episode e in _successes.OrderBy(p => p.Key, StringComparer.Ordinal).SelectMany(p => Enumerable.Reverse(p.Value)))
            writer.Append(e);
    }

    /// <summary>The buffer saved in <paramref name="checkpoint"/>, or an empty one (a new run, or none saved).</summary>
    public static ReplayBuffer Load(string? checkpoint, int perTask)
    {
        ReplayBuffer buffer = new(perTask);
        string? path = checkpoint is null ? null : Path.Combine(checkpoint, FileName);
        if (path is not null && File.Exists(path))
        {
            foreach (Episode e in TrajectoryReader.ReadFile(path).Episodes)
                buffer.Add(e);
        }
        return buffer;
    }
}
