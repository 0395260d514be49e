using Gym.Models;
using Gym.Models.Transformer;
using Gym.Testing;
using Gym.Trainer.Training;

namespace Gym.Trainer.Tests;

/// <summary>The critic of turn-level GAE: a value head on the policy, trained by the PPO update toward its targets.</summary>
[TestFixture]
public sealed class CriticTests
{
    [Test, CancelAfter(120_000)]
    public void TheUpdateFitsTheValueHeadToItsTargets()
    {
        ByteTokenizer tokenizer = new();
        using CausalLanguageModel model = new(new ModelConfig { HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 1, NumAttentionHeads = 2, NumKeyValueHeads = 1, ValueHead = true }, seed: 3);
        using PolicyOptimizer optimizer = new(model, learningRate: 3e-3, weightDecay: 0);
        PpoUpdater updater = new(model, optimizer, tokenizer.PadId, new PpoOptions { MinibatchSize = 4, ValueCoefficient = 1 });
        // Two states with different values; the response and advantage are irrelevant to the critic.
        (string State, double Value)[] states = [("near the goal", 0.9), ("next to a hole", 0.1)];
        TrainingRow[] rows = [.. states.Select(s =>
        {
            int[] prompt = tokenizer.ApplyChatTemplate([new ChatMessage("user", s.State)], addGenerationPrompt: true);
            int[] response = [.. tokenizer.Encode("up"), tokenizer.EndOfTurnId];
            return new TrainingRow(prompt, response, new float[response.Length], 0, s.Value);
        })];
        double first = updater.Update(rows, new Random(0)).ValueLoss;
        for (int i = 0; i < 60; i++)
            updater.Update(rows, new Random(i));
        double last = updater.Update(rows, new Random(99)).ValueLoss;
        Assert.That(first, Is.GreaterThan(0.05));
        Assert.That(last, Is.LessThan(first * 0.05), $"value loss {first:0.0000} -> {last:0.0000}");
        double[] values = StateValues.Of(model, [.. rows.Select(r => r.PromptIds)], tokenizer.PadId);
        Assert.That(values[0], Is.EqualTo(0.9).Within(0.1));
        Assert.That(values[1], Is.EqualTo(0.1).Within(0.1));
    }

    [Test]
    public void AFineTunedPolicyGetsANewValueHeadWhenLoadedForACritic()
    {
        string dir = TestPaths.TempDirectory();
        using (CausalLanguageModel policy = new(new ModelConfig { HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 1, NumAttentionHeads = 2, NumKeyValueHeads = 1 }, seed: 5))
            policy.Save(dir);
        using CausalLanguageModel plain = CausalLanguageModel.Load(dir);
        using CausalLanguageModel withCritic = CausalLanguageModel.Load(dir, addValueHead: true);
        Assert.That((plain.HasValueHead, withCritic.HasValueHead), Is.EqualTo((false, true)));
        Assert.That(withCritic.named_parameters().First().parameter.ToArray<float>(), Is.EqualTo(plain.named_parameters().First().parameter.ToArray<float>()));
    }
}
