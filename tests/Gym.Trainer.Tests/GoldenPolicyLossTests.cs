using System.Text.Json;
using Gym.Models;
using TorchSharp;
using static TorchSharp.torch;
using Gym.Trainer.Losses;

namespace Gym.Trainer.Tests;

/// <summary>The PPO loss, its aggregation modes and the KL penalties against tests/golden/policy_loss.json.</summary>
[TestFixture]
public sealed class GoldenPolicyLossTests
{
    private static readonly (string Name, LossAggregation Mode)[] Modes =
    [
        ("token-mean", LossAggregation.TokenMean), ("seq-mean-token-sum", LossAggregation.SequenceMeanTokenSum),
        ("seq-mean-token-mean", LossAggregation.SequenceMeanTokenMean), ("seq-mean-token-sum-norm", LossAggregation.SequenceMeanTokenSumNorm),
    ];

    private static Tensor Matrix(JsonElement e)
    {
        float[][] rows = [.. e.EnumerateArray().Select(r => r.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray())];
        return tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]);
    }

    private static void Close(double actual, double expected, string what) =>
        Assert.That(actual, Is.EqualTo(expected).Within(Math.Max(1e-4, 1e-4 * Math.Abs(expected))), what);

    [Test]
    public void EveryCaseMatchesTheReference()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(GoldenAdvantageTests.GoldenDirectory, "policy_loss.json")));
        int index = 0;
        foreach (JsonElement c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            using DisposeScope scope = NewDisposeScope();
            Tensor old = Matrix(c.GetProperty("old_logprob")), logProb = Matrix(c.GetProperty("logprob")).requires_grad_();
            Tensor advantages = Matrix(c.GetProperty("advantages")), mask = Matrix(c.GetProperty("mask")), reference = Matrix(c.GetProperty("ref_logprob"));
            JsonElement expected = c.GetProperty("expected");
            foreach ((string name, LossAggregation mode) in Modes)
            {
                PpoClip clip = new(c.GetProperty("cliprange_low").GetDouble(), c.GetProperty("cliprange_high").GetDouble(), c.GetProperty("clip_ratio_c").GetDouble(), mode);
                PolicyLossResult result = PolicyLoss.Compute(old, logProb, advantages, mask, clip);
                JsonElement e = expected.GetProperty(name);
                string where = $"case {index} {name}";
                Close(result.Loss.item<float>(), e.GetProperty("pg_loss").GetDouble(), where + " pg_loss");
                Close(result.ClipFraction, e.GetProperty("pg_clipfrac").GetDouble(), where + " pg_clipfrac");
                Close(result.ApproxKl, e.GetProperty("ppo_kl").GetDouble(), where + " ppo_kl");
                Close(result.ClipFractionLower, e.GetProperty("pg_clipfrac_lower").GetDouble(), where + " pg_clipfrac_lower");
            }
            foreach ((string key, KlEstimator estimator) in new[] { ("kl_k1", KlEstimator.K1), ("kl_abs", KlEstimator.Abs), ("kl_k2", KlEstimator.K2), ("kl_k3", KlEstimator.K3) })
            {
                float[] ours = PolicyLoss.KlPenalty(logProb, reference, estimator).ToArray<float>();
                float[] theirs = Matrix(expected.GetProperty(key)).ToArray<float>();
                for (int i = 0; i < ours.Length; i++)
                    Close(ours[i], theirs[i], $"case {index} {key}[{i}]");
            }
            index++;
        }
        Assert.That(index, Is.EqualTo(3));
    }

    [Test]
    public void TheLossHasGradientsOnlyThroughTheNewLogProbs()
    {
        using DisposeScope scope = NewDisposeScope();
        Tensor old = tensor(new[] { -1f, -1f }, [1, 2]);
        Tensor logProb = tensor(new[] { -1f, -1f }, [1, 2]).requires_grad_();
        Tensor advantages = tensor(new[] { 1f, -1f }, [1, 2]);
        Tensor mask = tensor(new[] { 1f, 1f }, [1, 2]);
        PolicyLossResult r = PolicyLoss.Compute(old, logProb, advantages, mask, new PpoClip());
        r.Loss.backward();
        // At ratio 1 the gradient of the token-mean loss is -A / n for each token.
        Assert.That(logProb.grad!.ToArray<float>(), Is.EqualTo(new float[] { -0.5f, 0.5f }).Within(1e-6));
    }
}
