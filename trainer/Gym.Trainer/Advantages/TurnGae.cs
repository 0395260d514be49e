namespace Gym.Trainer.Advantages;

/// <summary>
/// Turn-level generalised advantage estimation from a learned critic (ArCHer-style): each agent turn is one
/// step of the MDP, V(s_t) is the critic's value of the observation the turn acted on.
/// δ_t = r_t + γ V(s_{t+1}) - V(s_t); A_t = δ_t + γ λ A_{t+1}. The last turn of a terminated trajectory does not
/// bootstrap (V after the end is 0); the last turn of a truncated one bootstraps from the value of the final
/// observation, because the state still had a future.
/// </summary>
public static class TurnGae
{
    /// <summary>Advantages and value targets (returns = A + V) per row.</summary>
    /// <param name="table">The rows (trajectories contiguous and in order).</param>
    /// <param name="values">V(s_t) per row.</param>
    /// <param name="finalValues">Per trajectory id: V of the observation after its last turn (used only when truncated).</param>
    /// <param name="terminated">Per trajectory id: whether it ended by termination (true) or truncation (false).</param>
    /// <param name="gamma">Discount between turns.</param>
    /// <param name="lambda">GAE's λ.</param>
    public static (double[] Advantages, double[] Returns) Compute(StepTable table, double[] values, IReadOnlyDictionary<int, double> finalValues,
        IReadOnlyDictionary<int, bool> terminated, double gamma, double lambda)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(finalValues);
        ArgumentNullException.ThrowIfNull(terminated);
        if (values.Length != table.Count)
            throw new ArgumentException($"{values.Length} values for {table.Count} rows.", nameof(values));
        double[] advantages = new double[table.Count], returns = new double[table.Count];
        double nextAdvantage = 0, nextValue = 0;
        for (int i = table.Count - 1; i >= 0; i--)
        {
            int trajectory = table.Trajectory[i];
            bool last = i == table.Count - 1 || table.Trajectory[i + 1] != trajectory;
            if (last)
            {
                bool ended = terminated.TryGetValue(trajectory, out bool t) ? t : throw new ArgumentException($"No termination flag for trajectory {trajectory}.", nameof(terminated));
                nextValue = ended ? 0 : finalValues.TryGetValue(trajectory, out double v) ? v : throw new ArgumentException($"Trajectory {trajectory} was truncated but has no final value to bootstrap from.", nameof(finalValues));
                nextAdvantage = 0;
            }
            double delta = table.Reward[i] + gamma * nextValue - values[i];
            nextAdvantage = delta + gamma * lambda * nextAdvantage;
            advantages[i] = nextAdvantage;
            returns[i] = nextAdvantage + values[i];
            nextValue = values[i];
        }
        return (advantages, returns);
    }
}
