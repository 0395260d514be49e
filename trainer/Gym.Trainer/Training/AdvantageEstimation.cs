using Gym.Agents.Policy;
using Gym.Core;
using Gym.Core.Registry;
using Gym.Core.Trajectories;
using Gym.Models;
using Gym.Models.Transformer;
using Gym.Trainer.Advantages;

namespace Gym.Trainer.Training;

/// <summary>The advantages of a batch, as the config's estimator computes them.</summary>
internal sealed class AdvantageEstimation(TrainConfig config, EnvRegistry registry)
{
    /// <summary>
    /// Each row's advantage and, for turn-level GAE, its critic target. <paramref name="baselines"/> (Reinforce-Ada)
    /// replace the groups' own reward statistics in the episode-level term; <paramref name="stepRewards"/> are OPRL's
    /// implicit step rewards.
    /// </summary>
    public (double[] Advantages, double[]? ValueTargets) Compute(TrainingBatch batch, IReadOnlyList<(double Mean, double Std)>? baselines,
        CausalLanguageModel model, ITokenizer tokenizer, double[]? stepRewards)
    {
        StepTable table = batch.Table;
        if (table.Count == 0)
            return ([], null);
        if (config.Estimator == AdvantageEstimator.Gae)
            return CriticAdvantages(table, [.. batch.Rows.Select(r => r.PromptIds)], batch.Trajectories, model, tokenizer);
        GroupStatistics stats = config.GroupStatistics;
        double[] Episode(Normalization normalization) =>
            baselines is null ? EpisodeAdvantages.Normalize(table, stats, normalization) : EpisodeAdvantages.Normalize(table, baselines, normalization);
        double[] advantages = config.Estimator switch
        {
            AdvantageEstimator.GiGpo => AdvantageCombiner.Combine(
                Episode(config.Normalization),
                StepAdvantages.AnchorGroups(table, StepAdvantages.DiscountedReturns(table, config.Gamma), config.Normalization),
                config.EpisodeWeight, config.StepWeight),
            AdvantageEstimator.Grpo => Episode(Normalization.MeanStd),
            AdvantageEstimator.DrGrpo => Episode(Normalization.Mean),
            AdvantageEstimator.Rloo => EpisodeAdvantages.Rloo(table, stats),
            AdvantageEstimator.ReinforcePlusPlus => EpisodeAdvantages.ReinforcePlusPlus(table, stats),
            AdvantageEstimator.Discounted => AdvantageCombiner.Combine(Episode(Normalization.MeanStd),
                AdvantageCombiner.DiscountedReturnAdvantages(table, config.Gamma, whiten: true), config.EpisodeWeight, config.StepWeight),
            AdvantageEstimator.Oprl => AdvantageCombiner.Combine(Episode(Normalization.MeanStd),
                ImplicitStepAdvantages.Normalize(table, stepRewards ?? throw new InvalidOperationException("OPRL needs the reward model's step rewards."), config.Normalization),
                config.EpisodeWeight, config.StepWeight),
            _ => throw new InvalidOperationException($"No episode advantages for estimator {config.Estimator}."),
        };
        return (advantages, null);
    }

    // Turn-level GAE from the value head: V of each step's exact prompt; a truncated episode bootstraps from V of
    // its final observation, rendered as the agent would have seen it. Advantages are whitened over the batch.
    private (double[] Advantages, double[] Returns) CriticAdvantages(StepTable table, List<int[]> prompts, List<Episode> trajectories,
        CausalLanguageModel model, ITokenizer tokenizer)
    {
        double[] values = StateValues.Of(model, prompts, tokenizer.PadId);
        Dictionary<int, bool> terminated = [];
        List<(int Trajectory, int[] Prompt)> finals = [];
        for (int t = 0; t < trajectories.Count; t++)
        {
            Episode e = trajectories[t];
            terminated[t] = e.Outcome.Termination == Termination.Terminated;
            if (!terminated[t] && e.Steps.Count > 0)
            {
                string syntax = registry.Contains(e.EnvId) ? registry.Get(e.EnvId).Spec.ActionSyntax : "";
                List<ChatMessage> messages = PromptRenderer.Messages(e.Instruction, syntax, e.Steps, e.FinalObservation ?? e.Steps[^1].Observation,
                    config.Agent.HistoryTurns, config.Agent.ShowAdmissible, config.Agent.SystemPrompt);
                finals.Add((t, tokenizer.ApplyChatTemplate(messages, addGenerationPrompt: true)));
            }
        }
        double[] finalValues = finals.Count == 0 ? [] : StateValues.Of(model, [.. finals.Select(f => f.Prompt)], tokenizer.PadId);
        Dictionary<int, double> bootstrap = finals.Select((f, i) => (f.Trajectory, finalValues[i])).ToDictionary(p => p.Trajectory, p => p.Item2);
        (double[] advantages, double[] returns) = TurnGae.Compute(table, values, bootstrap, terminated, config.Gamma, config.Lambda);
        double mean = advantages.Average();
        double std = Math.Sqrt(advantages.Sum(a => (a - mean) * (a - mean)) / Math.Max(1, advantages.Length - 1));
        return ([.. advantages.Select(a => (a - mean) / (std + 1e-6))], returns);
    }
}
