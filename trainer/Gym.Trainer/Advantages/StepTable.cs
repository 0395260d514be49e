namespace Gym.Trainer.Advantages;

/// <summary>
/// The step rows of a batch of episodes, as columns: one row per agent step (one training row), rows of a
/// trajectory contiguous and in step order. Groups, trajectories and anchor states are small integer ids
/// (<see cref="Intern"/> maps strings to them), so estimators run over arrays.
/// </summary>
public sealed class StepTable
{
    /// <summary>Creates a table of <paramref name="count"/> rows.</summary>
    public StepTable(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Count = count;
        Group = new int[count];
        Trajectory = new int[count];
        Anchor = new int[count];
        Reward = new double[count];
        EpisodeReward = new double[count];
    }

    /// <summary>Rows.</summary>
    public int Count { get; }

    /// <summary>The episode group of each row (episodes of one task from one env seed).</summary>
    public int[] Group { get; }

    /// <summary>The trajectory of each row.</summary>
    public int[] Trajectory { get; }

    /// <summary>The anchor state of each row (from the observation's StateKey).</summary>
    public int[] Anchor { get; }

    /// <summary>The step reward r_t.</summary>
    public double[] Reward { get; }

    /// <summary>The trajectory's outcome reward R (the same on every row of a trajectory).</summary>
    public double[] EpisodeReward { get; }

    /// <summary>Maps strings to dense ids in first-seen order.</summary>
    public sealed class Intern
    {
        private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

        /// <summary>The id of <paramref name="value"/>.</summary>
        public int this[string value]
        {
            get
            {
                if (!_ids.TryGetValue(value, out int id))
                    _ids[value] = id = _ids.Count;
                return id;
            }
        }

        /// <summary>Distinct values seen.</summary>
        public int Count => _ids.Count;
    }

    /// <summary>Checks that each trajectory's rows are contiguous and within one group.</summary>
    public void Validate()
    {
        HashSet<int> finished = [];
        for (int i = 0; i < Count; i++)
        {
            if (i > 0 && Trajectory[i] != Trajectory[i - 1])
            {
                if (!finished.Add(Trajectory[i - 1]) || finished.Contains(Trajectory[i]))
                    throw new ArgumentException($"Row {i}: the rows of trajectory {Trajectory[i]} are not contiguous.");
            }
            else if (i > 0 && Group[i] != Group[i - 1])
            {
                throw new ArgumentException($"Row {i}: trajectory {Trajectory[i]} spans two groups.");
            }
        }
    }
}
