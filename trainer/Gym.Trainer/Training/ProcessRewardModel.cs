using Gym.Models;
using Gym.Models.Generation;
using Gym.Models.Transformer;
using Gym.Trainer.Advantages;
using Gym.Trainer.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Gym.Trainer.Training;

/// <summary>What one round of reward-model training did.</summary>
/// <param name="Pairs">Preference pairs trained on.</param>
/// <param name="Loss">Mean DPO loss over them.</param>
/// <param name="Accuracy">Share of pairs whose preferred trajectory had the higher implicit reward (before the update).</param>
public sealed record RewardModelStatistics(int Pairs, double Loss, double Accuracy);

/// <summary>
/// OPRL's implicit process reward model π_φ (Liu et al., 2025): a language model of the policy's own shape, trained
/// alternately with the policy by a trajectory-level DPO objective on preference pairs from each episode group
/// (a better-scoring trajectory over a worse one of the same task), -log σ(β [(log π_φ(τ⁺) - log π_old(τ⁺)) -
/// (log π_φ(τ⁻) - log π_old(τ⁻))]), where log π(τ) sums the log-probabilities of the trajectory's actions and
/// π_old is the policy that acted (the rollout's log-probabilities). Its implicit step rewards β log(π_φ(a_t) /
/// π_old(a_t)) then give the step advantages (<see cref="ImplicitStepAdvantages"/>).
/// </summary>
public sealed class ProcessRewardModel(CausalLanguageModel model, PolicyOptimizer optimizer, int padId, double beta, int pairsPerStep, double temperature, double maxGradNorm)
    : IDisposable
{
    private const string Folder = "reward_model";

    /// <summary>The reward model.</summary>
    public CausalLanguageModel Model { get; } = model ?? throw new ArgumentNullException(nameof(model));

    /// <summary>Its optimizer (checkpointed with the run).</summary>
    public PolicyOptimizer Optimizer { get; } = optimizer ?? throw new ArgumentNullException(nameof(optimizer));

    /// <summary>
    /// The reward model of a run: restored from <paramref name="checkpoint"/>'s <c>reward_model/</c> when resuming, else
    /// a copy of the policy the run starts from (so its implicit rewards start at 0).
    /// </summary>
    public static ProcessRewardModel Open(TrainConfig config, string? checkpoint, int padId)
    {
        ArgumentNullException.ThrowIfNull(config);
        string? saved = checkpoint is null ? null : Path.Combine(checkpoint, Folder);
        CausalLanguageModel model = saved is not null && Directory.Exists(saved)
            ? CausalLanguageModel.Load(saved, device: PolicySetup.Device(config))
            : PolicySetup.StartingModel(config);
        PolicyOptimizer optimizer = new(model, config.Oprl.LearningRate, config.Optimizer.WeightDecay);
        if (saved is not null && Directory.Exists(saved))
        {
            string state = Path.Combine(saved, "optimizer.safetensors");
            Dictionary<string, Tensor> moments = Safetensors.Load(state);
            try
            {
                optimizer.Restore(moments, 0, state);
            }
            finally
            {
                foreach (Tensor t in moments.Values)
                    t.Dispose();
            }
        }
        return new ProcessRewardModel(model, optimizer, padId, config.Oprl.Beta, config.Oprl.PairsPerStep, config.Agent.Temperature, config.Ppo.MaxGradNorm);
    }

    /// <summary>Saves the reward model and its optimizer into <paramref name="checkpointDirectory"/>/reward_model.</summary>
    public void Save(string checkpointDirectory)
    {
        string directory = Path.Combine(checkpointDirectory, Folder);
        Model.Save(directory);
        (string Name, Tensor Value)[] state = [.. Optimizer.State()];
        Safetensors.Save(Path.Combine(directory, "optimizer.safetensors"), state);
        foreach ((string _, Tensor value) in state.Where(s => s.Name.StartsWith("step.", StringComparison.Ordinal)))
            value.Dispose();
    }

    /// <summary>
    /// The preference pairs of a batch: within each group, trajectories sorted by outcome, the best paired with the
    /// worst, the second best with the second worst, ..., while the first still scores higher.
    /// </summary>
    public static List<(int Chosen, int Rejected)> Pairs(StepTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        Dictionary<int, (int Group, double Outcome)> trajectories = [];
        for (int i = 0; i < table.Count; i++)
            trajectories.TryAdd(table.Trajectory[i], (table.Group[i], table.EpisodeReward[i]));
        List<(int, int)> pairs = [];
        foreach (IGrouping<int, KeyValuePair<int, (int Group, double Outcome)>> group in trajectories.GroupBy(t => t.Value.Group).OrderBy(g => g.Key))
        {
            int[] sorted = [.. group.OrderByDescending(t => t.Value.Outcome).ThenBy(t => t.Key).Select(t => t.Key)];
            for (int k = 0; k < sorted.Length / 2; k++)
            {
                int better = sorted[k], worse = sorted[^(k + 1)];
                if (trajectories[better].Outcome > trajectories[worse].Outcome)
                    pairs.Add((better, worse));
            }
        }
        return pairs;
    }

    /// <summary>One pass of DPO over the batch's preference pairs, in minibatches of <c>pairsPerStep</c> pairs.</summary>
    public RewardModelStatistics Train(IReadOnlyList<TrainingRow> rows, StepTable table, Random shuffle)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(shuffle);
        List<(int Chosen, int Rejected)> pairs = Pairs(table);
        if (pairs.Count == 0)
            return new RewardModelStatistics(0, 0, 0);
        Dictionary<int, List<int>> rowsOf = [];
        for (int i = 0; i < table.Count; i++)
        {
            if (!rowsOf.TryGetValue(table.Trajectory[i], out List<int>? list))
                rowsOf[table.Trajectory[i]] = list = [];
            list.Add(i);
        }
        (int, int)[] order = [.. pairs];
        shuffle.Shuffle(order);
        double lossSum = 0, correct = 0;
        for (int start = 0; start < order.Length; start += pairsPerStep)
        {
            (int Chosen, int Rejected)[] batch = [.. order.Skip(start).Take(pairsPerStep)];
            // The rows of every trajectory in the minibatch, scored at once; each trajectory's log-ratio is the sum of its rows'.
            int[] trajectories = [.. batch.SelectMany(p => new[] { p.Chosen, p.Rejected }).Distinct()];
            List<int> rowIndex = [];
            List<long> owner = [];
            for (int t = 0; t < trajectories.Length; t++)
            {
                foreach (int r in rowsOf[trajectories[t]])
                {
                    rowIndex.Add(r);
                    owner.Add(t);
                }
            }
            using DisposeScope scope = NewDisposeScope();
            Tensor rowLogRatios = RowLogRatios([.. rowIndex.Select(i => rows[i])]);
            Tensor perTrajectory = zeros(trajectories.Length, device: Model.Device).index_add(0, tensor(owner.ToArray(), device: Model.Device), rowLogRatios, Scalars.Of(1.0));
            int[] position = new int[trajectories.Max() + 1];
            for (int t = 0; t < trajectories.Length; t++)
                position[trajectories[t]] = t;
            Tensor chosen = perTrajectory.index_select(0, tensor(batch.Select(p => (long)position[p.Chosen]).ToArray(), device: Model.Device));
            Tensor rejected = perTrajectory.index_select(0, tensor(batch.Select(p => (long)position[p.Rejected]).ToArray(), device: Model.Device));
            Tensor loss = PreferenceLoss.Dpo(chosen, rejected, beta);
            double value = loss.item<float>();
            if (!double.IsFinite(value))
                throw new TrainingDivergedException($"The reward model's DPO loss is {value}; it was not updated.");
            using (no_grad())
                correct += chosen.gt(rejected).sum().item<long>();
            Optimizer.ZeroGrad();
            loss.backward();
            Optimizer.ClipGradients(maxGradNorm);
            Optimizer.Step();
            lossSum += value * batch.Length;
        }
        return new RewardModelStatistics(pairs.Count, lossSum / pairs.Count, correct / pairs.Count);
    }

    /// <summary>The implicit step reward of each row: β (log π_φ(response) - log π_old(response)), without gradients.</summary>
    public double[] StepRewards(IReadOnlyList<TrainingRow> rows, int batchSize = 64)
    {
        ArgumentNullException.ThrowIfNull(rows);
        double[] result = new double[rows.Count];
        for (int start = 0; start < rows.Count; start += batchSize)
        {
            TrainingRow[] batch = [.. rows.Skip(start).Take(batchSize)];
            using DisposeScope scope = NewDisposeScope();
            using IDisposable noGrad = no_grad();
            float[] ratios = RowLogRatios(batch).ToArray<float>();
            for (int b = 0; b < batch.Length; b++)
                result[start + b] = beta * ratios[b];
        }
        return result;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Optimizer.Dispose();
        Model.Dispose();
    }

    // log π_φ(response) - log π_old(response) per row: the scorer's log-probabilities (under the row's constraint and
    // the sampling temperature, as the policy acted) summed over the response, minus the rollout's.
    private Tensor RowLogRatios(IReadOnlyList<TrainingRow> batch)
    {
        TokenScores scores = TokenScorer.Score(Model, [.. batch.Select(r => (r.PromptIds, r.ResponseIds))], padId, temperature, [.. batch.Select(r => r.Constraint)]);
        float[] old = [.. batch.Select(r => r.OldLogProbs.Sum())];
        return (scores.LogProbs * scores.ResponseMask).sum(-1) - tensor(old, device: Model.Device);
    }
}
