using System.Text.Json.Serialization;
using Gym.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Gym.Trainer.Losses;

/// <summary>How per-token losses are reduced to one number (verl's loss_agg_mode).</summary>
public enum LossAggregation
{
    /// <summary>Mean over every response token of the batch.</summary>
    [JsonStringEnumMemberName("token-mean")] TokenMean,
    /// <summary>Sum over each sequence's tokens, mean over sequences.</summary>
    [JsonStringEnumMemberName("seq-mean-token-sum")] SequenceMeanTokenSum,
    /// <summary>Mean over each sequence's tokens, mean over sequences.</summary>
    [JsonStringEnumMemberName("seq-mean-token-mean")] SequenceMeanTokenMean,
    /// <summary>Sum over each sequence's tokens, summed over sequences and divided by the padded length (Dr.GRPO).</summary>
    [JsonStringEnumMemberName("seq-mean-token-sum-norm")] SequenceMeanTokenSumNorm,
}

/// <summary>The KL estimators of a policy against a frozen reference, per token.</summary>
public enum KlEstimator
{
    /// <summary>k1: log p - log p_ref.</summary>
    [JsonStringEnumMemberName("k1")] K1,
    /// <summary>|log p - log p_ref|.</summary>
    [JsonStringEnumMemberName("abs")] Abs,
    /// <summary>k2: ½ (log p - log p_ref)².</summary>
    [JsonStringEnumMemberName("k2")] K2,
    /// <summary>k3 (low variance): exp(ref - logp) - (ref - logp) - 1, clamped to [-10, 10].</summary>
    [JsonStringEnumMemberName("k3")] K3,
}

/// <summary>Dual-clip PPO settings.</summary>
/// <param name="ClipLow">Lower clip range: the ratio is clipped below at 1 - ClipLow.</param>
/// <param name="ClipHigh">Upper clip range (clip-higher): the ratio is clipped above at 1 + ClipHigh.</param>
/// <param name="ClipRatioC">The dual-clip bound on the loss of negative advantages (c in -A c).</param>
/// <param name="Aggregation">How token losses are reduced.</param>
public sealed record PpoClip(double ClipLow = 0.2, double ClipHigh = 0.28, double ClipRatioC = 3.0, LossAggregation Aggregation = LossAggregation.TokenMean);

/// <summary>The PPO loss and its statistics.</summary>
/// <param name="Loss">The aggregated policy-gradient loss (a scalar tensor with gradient).</param>
/// <param name="ClipFraction">Fraction of tokens where the clipped term was taken.</param>
/// <param name="ApproxKl">Masked mean of log p_old - log p (verl's ppo_kl).</param>
/// <param name="ClipFractionLower">Fraction of tokens where the dual clip bound applied.</param>
public sealed record PolicyLossResult(Tensor Loss, double ClipFraction, double ApproxKl, double ClipFractionLower);

/// <summary>Which policy-gradient objective the update minimises.</summary>
public enum PolicyObjective
{
    /// <summary>Dual-clip PPO with clip-higher (<see cref="PolicyLoss.Compute"/>).</summary>
    [JsonStringEnumMemberName("ppo")] Ppo,
    /// <summary>Tapered off-policy REINFORCE (<see cref="PolicyLoss.Topr"/>).</summary>
    [JsonStringEnumMemberName("topr")] Topr,
}

/// <summary>The dual-clip PPO objective, TOPR, loss aggregation and KL penalties, as verl and the papers compute them.</summary>
public static class PolicyLoss
{
    /// <summary>
    /// ratio = exp(logp - logp_old); L = max(-A ratio, -A clamp(ratio, 1 - low, 1 + high)); where A &lt; 0,
    /// L = min(L, -A c). All tensors are [batch, length]; <paramref name="mask"/> is 1 on response tokens.
    /// </summary>
    public static PolicyLossResult Compute(Tensor oldLogProb, Tensor logProb, Tensor advantages, Tensor mask, PpoClip clip)
    {
        ArgumentNullException.ThrowIfNull(oldLogProb);
        ArgumentNullException.ThrowIfNull(logProb);
        ArgumentNullException.ThrowIfNull(advantages);
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentNullException.ThrowIfNull(clip);
        Tensor logRatio = (logProb - oldLogProb).clamp(Scalars.Of(-20.0), Scalars.Of(20.0));
        Tensor ratio = logRatio.exp();
        double approxKl;
        using (no_grad())
            approxKl = MaskedMean(-logRatio, mask).item<float>();
        Tensor loss1 = -advantages * ratio;
        Tensor loss2 = -advantages * ratio.clamp(Scalars.Of(1 - clip.ClipLow), Scalars.Of(1 + clip.ClipHigh));
        Tensor clipped = loss1.maximum(loss2);
        Tensor loss3 = -advantages * Scalars.Of(clip.ClipRatioC);
        Tensor dual = loss3.minimum(clipped);
        Tensor negative = advantages.lt(Scalars.Of(0.0));
        Tensor losses = where(negative, dual, clipped);
        double clipFraction, clipFractionLower;
        using (no_grad())
        {
            clipFraction = MaskedMean(loss2.gt(loss1).to(ScalarType.Float32), mask).item<float>();
            clipFractionLower = MaskedMean(clipped.gt(loss3).logical_and(negative).to(ScalarType.Float32), mask).item<float>();
        }
        return new PolicyLossResult(Aggregate(losses, mask, clip.Aggregation), clipFraction, approxKl, clipFractionLower);
    }

    /// <summary>
    /// TOPR, tapered off-policy REINFORCE (Le Roux et al., 2025): per token -sg(w) A log p, with w = 1 on rows whose
    /// advantage is not negative (their responses are pushed up whatever the behaviour policy was) and w =
    /// clamp(p(y) / mu(y), 0, 1) on rows with a negative one, p(y) / mu(y) being the whole response's ratio to the
    /// policy that sampled it (<paramref name="behaviourLogProb"/>). The truncation keeps pushing down an unlikely
    /// response from blowing up, so no KL term and no clipping are needed, and replayed or stale episodes may be
    /// used. <see cref="PolicyLossResult.ClipFraction"/> reports the share of negative-row tokens whose weight was
    /// truncated below 1.
    /// </summary>
    public static PolicyLossResult Topr(Tensor behaviourLogProb, Tensor logProb, Tensor advantages, Tensor mask, LossAggregation aggregation)
    {
        ArgumentNullException.ThrowIfNull(behaviourLogProb);
        ArgumentNullException.ThrowIfNull(logProb);
        ArgumentNullException.ThrowIfNull(advantages);
        ArgumentNullException.ThrowIfNull(mask);
        Tensor logRatio = (logProb - behaviourLogProb).clamp(Scalars.Of(-20.0), Scalars.Of(20.0));
        double approxKl;
        Tensor weight, negative;
        using (no_grad())
        {
            approxKl = MaskedMean(-logRatio, mask).item<float>();
            // clamp(exp(x), 0, 1) = exp(min(x, 0)), for the sum of the row's token log-ratios.
            Tensor rowRatio = (logRatio * mask).sum(-1, keepdim: true).clamp(max: Scalars.Of(0.0)).exp();
            negative = advantages.lt(Scalars.Of(0.0));
            weight = where(negative, rowRatio.expand_as(advantages), ones_like(advantages));
        }
        Tensor losses = -(weight * advantages) * logProb;
        double truncated;
        using (no_grad())
            truncated = MaskedMean(weight.lt(Scalars.Of(1.0)).logical_and(negative).to(ScalarType.Float32), mask).item<float>();
        return new PolicyLossResult(Aggregate(losses, mask, aggregation), truncated, approxKl, 0);
    }

    /// <summary>Reduces per-token losses [batch, length] to a scalar.</summary>
    public static Tensor Aggregate(Tensor losses, Tensor mask, LossAggregation aggregation)
    {
        ArgumentNullException.ThrowIfNull(losses);
        ArgumentNullException.ThrowIfNull(mask);
        Tensor masked = losses * mask;
        return aggregation switch
        {
            LossAggregation.TokenMean => MaskedMean(losses, mask),
            LossAggregation.SequenceMeanTokenSum => masked.sum(-1).mean(),
            LossAggregation.SequenceMeanTokenMean => (masked.sum(-1) / (mask.sum(-1) + Scalars.Of(1e-8))).mean(),
            LossAggregation.SequenceMeanTokenSumNorm => masked.sum(-1).sum() / Scalars.Of((double)mask.size(-1)),
            _ => throw new ArgumentOutOfRangeException(nameof(aggregation), aggregation, "Unknown loss aggregation."),
        };
    }

    /// <summary>The per-token KL penalty of <paramref name="logProb"/> against <paramref name="referenceLogProb"/>.</summary>
    public static Tensor KlPenalty(Tensor logProb, Tensor referenceLogProb, KlEstimator estimator)
    {
        ArgumentNullException.ThrowIfNull(logProb);
        ArgumentNullException.ThrowIfNull(referenceLogProb);
        Tensor diff = logProb - referenceLogProb;
        switch (estimator)
        {
            case KlEstimator.K1: return diff;
            case KlEstimator.Abs: return diff.abs();
            case KlEstimator.K2: return diff.square() * Scalars.Of(0.5);
            case KlEstimator.K3:
                Tensor kl = referenceLogProb - logProb;
                return (kl.exp() - kl - Scalars.Of(1.0)).clamp(Scalars.Of(-10.0), Scalars.Of(10.0));
            default: throw new ArgumentOutOfRangeException(nameof(estimator), estimator, "Unknown KL estimator.");
        }
    }

    /// <summary>sum(x mask) / (sum(mask) + 1e-8).</summary>
    public static Tensor MaskedMean(Tensor values, Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(mask);
        return (values * mask).sum() / (mask.sum() + Scalars.Of(1e-8));
    }
}
