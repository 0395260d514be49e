using Gym.Models;
using Gym.Models.Generation;
using Gym.Models.Transformer;
using Gym.Trainer.Advantages;
using Gym.Trainer.Training;

namespace Gym.Trainer.Tests;

/// <summary>End to end on a bandit: real sampling, group advantages, PPO updates; the rewarded answer must take over.</summary>
[TestFixture]
public sealed class PpoLearningTests
{
    [Test, CancelAfter(300_000)]
    public void PpoShiftsTheConstrainedPolicyTowardTheRewardedChoice()
    {
        ByteTokenizer tokenizer = new();
        using CausalLanguageModel model = new(new ModelConfig { HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 1, NumAttentionHeads = 2, NumKeyValueHeads = 1 }, seed: 4);
        using PolicyOptimizer optimizer = new(model, learningRate: 3e-3, weightDecay: 0);
        PpoUpdater updater = new(model, optimizer, tokenizer.PadId, new PpoOptions { Epochs = 2, MinibatchSize = 8 });
        BatchGenerator generator = new(model, tokenizer);
        string[] choices = ["apple", "banana", "cherry"];
        TokenTrie trie = new(choices, tokenizer, tokenizer.EndOfTurnId);
        int[] prompt = tokenizer.ApplyChatTemplate([new ChatMessage("user", "Pick a fruit.")], addGenerationPrompt: true);
        const int samples = 24;

        double RewardedShare(ulong seed)
        {
            IReadOnlyList<GenerationResult> r = generator.Generate([.. Enumerable.Repeat(prompt, 64)], new GenerationOptions { MaxNewTokens = 10, Seed = seed }, [.. Enumerable.Repeat(trie, 64)]);
            return r.Count(x => x.Text == "banana") / 64.0;
        }

        double before = RewardedShare(1000);
        Random shuffle = new(0);
        for (int iteration = 0; iteration < 12; iteration++)
        {
            IReadOnlyList<GenerationResult> rollouts = generator.Generate([.. Enumerable.Repeat(prompt, samples)], new GenerationOptions { MaxNewTokens = 10, Seed = (ulong)iteration }, [.. Enumerable.Repeat(trie, samples)]);
            StepTable table = new(samples);
            for (int i = 0; i < samples; i++)
            {
                table.Trajectory[i] = i;
                table.EpisodeReward[i] = rollouts[i].Text == "banana" ? 1 : 0;
            }
            double[] advantages = EpisodeAdvantages.Grpo(table, GroupStatistics.PerTrajectory);
            TrainingRow[] rows = [.. rollouts.Select((r, i) => new TrainingRow(r.PromptIds, r.ResponseIds, r.LogProbs, advantages[i]))];
            UpdateStatistics stats = updater.Update(rows, shuffle);
            Assert.That(stats.OptimizerSteps, Is.EqualTo(2 * samples / 8));
            Assert.That(double.IsFinite(stats.PolicyLoss) && double.IsFinite(stats.GradNorm), Is.True);
        }
        double after = RewardedShare(1000);
        Assert.That(before, Is.LessThan(0.6), "the untrained policy has no preference to speak of");
        Assert.That(after, Is.GreaterThan(0.9), $"share of the rewarded answer: {before:P0} before, {after:P0} after");
    }
}
