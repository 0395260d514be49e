using Gym.Core;
using Gym.Core.Rollouts;
using Gym.Core.Trajectories;
using Gym.Models;
using Gym.Models.Generation;
using Gym.Trainer.Advantages;

namespace Gym.Trainer.Training;

/// <summary>
/// The training rows of an iteration: one per step of every group's episodes that has a token trace, in group,
/// trajectory and step order, with the step table the estimators run on and each row's decoding constraint. The
/// rows carry no advantage until <see cref="WithAdvantages"/> sets them.
/// </summary>
internal sealed class TrainingBatch
{
    private TrainingBatch(List<TrainingRow> rows, StepTable table, List<Episode> trajectories, int groups)
    {
        Rows = rows;
        Table = table;
        Trajectories = trajectories;
        GroupCount = groups;
    }

    /// <summary>The rows (advantage 0 until set).</summary>
    public List<TrainingRow> Rows { get; private set; }

    /// <summary>The step table, row for row.</summary>
    public StepTable Table { get; }

    /// <summary>The episodes, by trajectory id.</summary>
    public List<Episode> Trajectories { get; }

    /// <summary>Episode groups in the batch.</summary>
    public int GroupCount { get; }

    /// <summary>Builds the batch; <paramref name="constrained"/> says whether the policy decoded under the admissible actions.</summary>
    public static TrainingBatch Build(IReadOnlyList<EpisodeGroup> groups, bool constrained, ITokenizer tokenizer)
    {
        List<(EpisodeStep Step, int Group, int Trajectory, double Outcome)> steps = [];
        List<Episode> trajectories = [];
        for (int g = 0; g < groups.Count; g++)
        {
            foreach (Episode e in groups[g].Episodes)
            {
                foreach (EpisodeStep s in e.Steps.Where(s => s.Trace is not null))
                    steps.Add((s, g, trajectories.Count, e.Outcome.Score));
                trajectories.Add(e);
            }
        }
        StepTable table = new(steps.Count);
        StepTable.Intern anchors = new();
        List<TrainingRow> rows = new(steps.Count);
        Dictionary<string, TokenTrie> tries = new(StringComparer.Ordinal);
        for (int i = 0; i < steps.Count; i++)
        {
            table.Group[i] = steps[i].Group;
            table.Trajectory[i] = steps[i].Trajectory;
            table.Anchor[i] = anchors[steps[i].Step.Observation.StateKey];
            table.Reward[i] = steps[i].Step.Reward;
            table.EpisodeReward[i] = steps[i].Outcome;
            TokenTrace t = steps[i].Step.Trace!;
            rows.Add(new TrainingRow(t.PromptIds, t.ResponseIds, t.ResponseLogProbs, 0, null, constrained ? Constraint(steps[i].Step.Observation, tokenizer, tries) : null));
        }
        return new TrainingBatch(rows, table, trajectories, groups.Count);
    }

    /// <summary>Sets each row's advantage (and critic target).</summary>
    public void WithAdvantages(double[] advantages, double[]? valueTargets)
    {
        ArgumentNullException.ThrowIfNull(advantages);
        Rows = [.. Rows.Select((r, i) => r with { Advantage = advantages[i], ValueTarget = valueTargets?[i] })];
    }

    /// <summary>Share of groups whose every row has a zero advantage (no learning signal).</summary>
    public double ZeroAdvantageGroupFraction(double[] advantages)
    {
        if (GroupCount == 0)
            return 0;
        bool[] signal = new bool[GroupCount];
        for (int i = 0; i < Table.Count; i++)
            signal[Table.Group[i]] |= Math.Abs(advantages[i]) >= 1e-9;
        // A group with no traced steps has no signal either.
        return signal.Count(s => !s) / (double)GroupCount;
    }

    /// <summary>
    /// Share of rows whose anchor state occurs only once in its group: GiGPO's step group of one, whose step advantage
    /// is 0 (in environments whose states never repeat, every row).
    /// </summary>
    public double AnchorSingletonFraction()
    {
        if (Table.Count == 0)
            return 0;
        Dictionary<(int, int), int> counts = [];
        for (int i = 0; i < Table.Count; i++)
            counts[(Table.Group[i], Table.Anchor[i])] = counts.GetValueOrDefault((Table.Group[i], Table.Anchor[i])) + 1;
        return Enumerable.Range(0, Table.Count).Count(i => counts[(Table.Group[i], Table.Anchor[i])] == 1) / (double)Table.Count;
    }

    // The constraint the policy agent decoded this step under (the same trie it builds), shared between steps that
    // offered the same actions.
    private static TokenTrie? Constraint(Observation observation, ITokenizer tokenizer, Dictionary<string, TokenTrie> tries)
    {
        if (observation.AdmissibleActions.Count == 0)
            return null;
        string key = string.Join('\n', observation.AdmissibleActions);
        if (!tries.TryGetValue(key, out TokenTrie? trie))
            tries[key] = trie = new TokenTrie(observation.AdmissibleActions, tokenizer, tokenizer.EndOfTurnId);
        return trie;
    }
}
