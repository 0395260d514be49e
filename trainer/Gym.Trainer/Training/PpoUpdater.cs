using System.Diagnostics;
using Gym.Models;
using Gym.Models.Generation;
using Gym.Models.Transformer;
using Gym.Trainer.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Gym.Trainer.Training;

/// <summary>One training row: a step's exact tokens from the rollout, their sampling log-probabilities, and the step's advantage.</summary>
/// <param name="PromptIds">The prompt tokens (with its bounded history).</param>
/// <param name="ResponseIds">The sampled response tokens.</param>
/// <param name="OldLogProbs">Their log-probabilities when sampled.</param>
/// <param name="Advantage">The step's combined advantage, spread over its response tokens.</param>
/// <param name="ValueTarget">The critic's target for the state the step acted on (turn-level GAE), or null.</param>
/// <param name="Constraint">
/// The admissible actions the response was decoded under, or null: the policy is trained as it acts, over the
/// tokens the constraint allows (pushing an action down moves its probability to the other admissible actions,
/// not to tokens the decoder would never pick).
/// </param>
public sealed record TrainingRow(int[] PromptIds, int[] ResponseIds, float[] OldLogProbs, double Advantage, double? ValueTarget = null, TokenTrie? Constraint = null);

/// <summary>Settings of the policy update; defaults are documented on each property.</summary>
public sealed record PpoOptions
{
    /// <summary>Clip ranges, dual clip and loss aggregation (defaults 0.2 / 0.28 / 3, token-mean).</summary>
    public PpoClip Clip { get; init; } = new();

    /// <summary>
    /// The objective (default PPO). TOPR weighs each row by its response's ratio to the policy that sampled it, so it
    /// always uses the rollout's log-probabilities, never recomputed ones.
    /// </summary>
    public PolicyObjective Objective { get; init; } = PolicyObjective.Ppo;

    /// <summary>Passes over the rows per update (default 1).</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Rows per optimizer step (default 16).</summary>
    public int MinibatchSize { get; init; } = 16;

    /// <summary>Weight of the entropy bonus (default 0).</summary>
    public double EntropyCoefficient { get; init; }

    /// <summary>Weight of the KL penalty to the frozen reference (default 0: off).</summary>
    public double KlCoefficient { get; init; }

    /// <summary>The KL estimator (default k3).</summary>
    public KlEstimator KlEstimator { get; init; } = KlEstimator.K3;

    /// <summary>Gradient-norm clip (default 1).</summary>
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>
    /// The sampling temperature of the rollouts (default 1): the policy being optimised is softmax(logits / T), so
    /// that a hotter sampler (more exploration) is still trained on-policy. Greedy evaluation is unaffected by T.
    /// </summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Weight of the critic's squared error on rows with a value target (default 0.5).</summary>
    public double ValueCoefficient { get; init; } = 0.5;

    /// <summary>Recompute the old log-probabilities with the current weights instead of using the rollout's (default false).</summary>
    public bool RecomputeOldLogProbs { get; init; }

    /// <summary>
    /// Encode each distinct prompt of a minibatch once (default true); false encodes every row's prompt, as a plain
    /// implementation does (<c>bench/run update</c> compares the two).
    /// </summary>
    public bool SharePrompts { get; init; } = true;

    /// <summary>Checks the values; the message names the field.</summary>
    public void Validate()
    {
        if (Epochs < 1)
            throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "ppo.epochs must be at least 1.");
        if (MinibatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(MinibatchSize), MinibatchSize, "ppo.minibatchSize must be at least 1.");
        if (Clip.ClipLow is <= 0 or >= 1 || Clip.ClipHigh <= 0 || Clip.ClipRatioC <= 1)
            throw new ArgumentOutOfRangeException(nameof(Clip), "ppo clip ranges must be in (0, 1) and the dual-clip c above 1.");
        if (!(Temperature > 0))
            throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "the sampling temperature (agent.temperature) must be positive for training.");
        if (MaxGradNorm <= 0)
            throw new ArgumentOutOfRangeException(nameof(MaxGradNorm), MaxGradNorm, "ppo.maxGradNorm must be positive.");
    }
}

/// <summary>What one update did, averaged over its optimizer steps.</summary>
public sealed record UpdateStatistics(
    double PolicyLoss, double Entropy, double ApproxKl, double ClipFraction, double ClipFractionLower, double GradNorm,
    double ReferenceKl, double AdvantageMean, double AdvantageStd, int Rows, long Tokens, int OptimizerSteps, double Seconds, double ValueLoss = 0);

/// <summary>
/// The PPO update: minibatches of training rows are scored under the current weights (<see cref="TokenScorer"/>),
/// the dual-clip loss with entropy bonus and optional KL to a frozen reference is minimised with AdamW after
/// gradient clipping. Prompt tokens are masked out; every response token carries its row's advantage.
/// </summary>
public sealed class PpoUpdater(CausalLanguageModel policy, PolicyOptimizer optimizer, int padId, PpoOptions options, CausalLanguageModel? reference = null)
{
    /// <summary>The options.</summary>
    public PpoOptions Options { get; } = Validated(options);

    private static PpoOptions Validated(PpoOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        o.Validate();
        return o;
    }

    /// <summary>Runs <see cref="PpoOptions.Epochs"/> passes of minibatch updates over <paramref name="rows"/>.</summary>
    public UpdateStatistics Update(IReadOnlyList<TrainingRow> rows, Random shuffle, Func<long, double>? learningRate = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(shuffle);
        Stopwatch clock = Stopwatch.StartNew();
        IReadOnlyList<TrainingRow> work = Options.RecomputeOldLogProbs && Options.Objective == PolicyObjective.Ppo ? Recompute(rows) : rows;
        double sumLoss = 0, sumEntropy = 0, sumKl = 0, sumClip = 0, sumClipLower = 0, sumNorm = 0, sumRefKl = 0, sumValueLoss = 0;
        int steps = 0;
        long tokens = 0;
        int[] order = [.. Enumerable.Range(0, work.Count)];
        for (int epoch = 0; epoch < Options.Epochs; epoch++)
        {
            shuffle.Shuffle(order);
            for (int start = 0; start < order.Length; start += Options.MinibatchSize)
            {
                TrainingRow[] batch = [.. order.Skip(start).Take(Options.MinibatchSize).Select(i => work[i])];
                if (learningRate is not null)
                    optimizer.LearningRate = learningRate(optimizer.StepCount);
                using DisposeScope scope = NewDisposeScope();
                TokenScores scores = Score(policy, batch);
                (Tensor old, Tensor advantages) = Aligned(batch, scores);
                PolicyLossResult pg = Options.Objective == PolicyObjective.Topr
                    ? PolicyLoss.Topr(old, scores.LogProbs, advantages, scores.ResponseMask, Options.Clip.Aggregation)
                    : PolicyLoss.Compute(old, scores.LogProbs, advantages, scores.ResponseMask, Options.Clip);
                Tensor entropy = PolicyLoss.MaskedMean(scores.Entropies, scores.ResponseMask);
                Tensor loss = Options.EntropyCoefficient == 0 ? pg.Loss : pg.Loss - entropy * Scalars.Of(Options.EntropyCoefficient);
                double referenceKl = 0;
                if (reference is not null && Options.KlCoefficient > 0)
                {
                    Tensor referenceLogProbs;
                    using (no_grad())
                        referenceLogProbs = Score(reference, batch).LogProbs;
                    Tensor kl = PolicyLoss.MaskedMean(PolicyLoss.KlPenalty(scores.LogProbs, referenceLogProbs, Options.KlEstimator), scores.ResponseMask);
                    loss = loss + kl * Scalars.Of(Options.KlCoefficient);
                    referenceKl = kl.item<float>();
                }
                double valueLoss = 0;
                if (scores.PromptValues is not null && batch.Any(r => r.ValueTarget is not null))
                {
                    Tensor critic = CriticLoss(batch, scores.PromptValues);
                    loss = loss + critic * Scalars.Of(Options.ValueCoefficient);
                    valueLoss = critic.item<float>();
                }
                double lossValue = loss.item<float>();
                if (!double.IsFinite(lossValue))
                    throw new TrainingDivergedException($"The loss is {lossValue} at optimizer step {optimizer.StepCount + 1}; the update was stopped before changing the weights.");
                optimizer.ZeroGrad();
                loss.backward();
                double norm = optimizer.ClipGradients(Options.MaxGradNorm);
                if (!double.IsFinite(norm))
                    throw new TrainingDivergedException($"The gradient norm is {norm} at optimizer step {optimizer.StepCount + 1}; the update was stopped before changing the weights.");
                optimizer.Step();
                steps++;
                tokens += batch.Sum(r => r.PromptIds.Length + r.ResponseIds.Length);
                sumLoss += pg.Loss.item<float>();
                sumEntropy += entropy.item<float>();
                sumKl += pg.ApproxKl;
                sumClip += pg.ClipFraction;
                sumClipLower += pg.ClipFractionLower;
                sumNorm += norm;
                sumRefKl += referenceKl;
                sumValueLoss += valueLoss;
            }
        }
        double mean = rows.Count == 0 ? 0 : rows.Average(r => r.Advantage);
        double std = rows.Count < 2 ? 0 : Math.Sqrt(rows.Sum(r => (r.Advantage - mean) * (r.Advantage - mean)) / (rows.Count - 1));
        int n = Math.Max(1, steps);
        return new UpdateStatistics(sumLoss / n, sumEntropy / n, sumKl / n, sumClip / n, sumClipLower / n, sumNorm / n, sumRefKl / n,
            mean, std, rows.Count, tokens, steps, clock.Elapsed.TotalSeconds, sumValueLoss / n);
    }

    private TokenScores Score(CausalLanguageModel model, IReadOnlyList<TrainingRow> batch) =>
        TokenScorer.Score(model, [.. batch.Select(r => (r.PromptIds, r.ResponseIds))], padId, Options.Temperature, [.. batch.Select(r => r.Constraint)], Options.SharePrompts);

    // Mean squared error of the value at each row's last prompt token (the state its turn acted on) against its target.
    private static Tensor CriticLoss(TrainingRow[] batch, Tensor values)
    {
        float[] pick = new float[batch.Length], targets = new float[batch.Length];
        for (int b = 0; b < batch.Length; b++)
        {
            if (batch[b].ValueTarget is not { } target)
                continue;
            pick[b] = 1;
            targets[b] = (float)target;
        }
        Device device = values.device;
        Tensor error = values.to(ScalarType.Float32) - tensor(targets, device: device);
        return (error * error * tensor(pick, device: device)).sum() / Scalars.Of((double)pick.Sum());
    }

    // The rollout's log-probabilities and the advantages, laid out like the scorer's [batch, longest response] tensors.
    private static (Tensor Old, Tensor Advantages) Aligned(TrainingRow[] batch, TokenScores scores)
    {
        long width = scores.LogProbs.size(1);
        float[] old = new float[batch.Length * width], advantages = new float[batch.Length * width];
        for (int b = 0; b < batch.Length; b++)
        {
            TrainingRow r = batch[b];
            if (r.OldLogProbs.Length != r.ResponseIds.Length)
                throw new ArgumentException($"A training row has {r.ResponseIds.Length} response tokens but {r.OldLogProbs.Length} log-probabilities.");
            r.OldLogProbs.CopyTo(old, b * width);
            Array.Fill(advantages, (float)r.Advantage, (int)(b * width), r.ResponseIds.Length);
        }
        Device device = scores.LogProbs.device;
        return (tensor(old, [batch.Length, width], device: device), tensor(advantages, [batch.Length, width], device: device));
    }

    private List<TrainingRow> Recompute(IReadOnlyList<TrainingRow> rows)
    {
        List<TrainingRow> result = new(rows.Count);
        for (int start = 0; start < rows.Count; start += Options.MinibatchSize)
        {
            TrainingRow[] batch = [.. rows.Skip(start).Take(Options.MinibatchSize)];
            using DisposeScope scope = NewDisposeScope();
            using IDisposable noGrad = no_grad();
            float[] logProbs = Score(policy, batch).LogProbs.ToArray<float>();
            int width = logProbs.Length / batch.Length;
            for (int b = 0; b < batch.Length; b++)
                result.Add(batch[b] with { OldLogProbs = logProbs.AsSpan(b * width, batch[b].ResponseIds.Length).ToArray() });
        }
        return result;
    }
}
