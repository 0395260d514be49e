using System.Diagnostics;
using System.Text.Json;
using Gym.Agents.Policy;
using Gym.Core.Registry;
using Gym.Core.Trajectories;
using Gym.Models;
using Gym.Models.Generation;
using Gym.Models.Transformer;
using Gym.Trainer.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace Gym.Trainer.Training;

/// <summary>One epoch of supervised fine-tuning.</summary>
/// <param name="Epoch">The epoch (1-based).</param>
/// <param name="Loss">Mean negative log-likelihood per response token.</param>
/// <param name="Rows">Training rows.</param>
/// <param name="Seconds">Time taken.</param>
public sealed record SftEpoch(int Epoch, double Loss, int Rows, double Seconds);

/// <summary>
/// Supervised fine-tuning on stored trajectories, the usual warm start before RL: each step of each (successful)
/// episode becomes a row whose prompt is rebuilt exactly as the policy agent renders it (same history window,
/// system message and action list) and whose target is the action followed by the end-of-turn token; the loss is
/// the mean negative log-likelihood of the target tokens.
/// </summary>
public static class SupervisedFineTuning
{
    /// <summary>The rows of <paramref name="episodes"/>, rendered with the agent settings of <paramref name="config"/>.</summary>
    public static List<(int[] Prompt, int[] Response)> Rows(IEnumerable<Episode> episodes, EnvRegistry registry, TrainConfig config, ITokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(episodes);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(tokenizer);
        List<(int[], int[])> rows = [];
        // In task order: a trajectory file lists episodes as they finished, which varies run to run.
        foreach (Episode e in episodes.Where(e => !config.Sft.SuccessfulOnly || e.Outcome.Success).OrderBy(e => e.TaskId, StringComparer.Ordinal).ThenBy(e => e.Group, StringComparer.Ordinal).ThenBy(e => e.Attempt))
        {
            string syntax = registry.Contains(e.EnvId) ? registry.Get(e.EnvId).Spec.ActionSyntax : "";
            for (int i = 0; i < e.Steps.Count; i++)
            {
                EpisodeStep step = e.Steps[i];
                if (!step.Info.ActionValid)
                    continue;
                List<ChatMessage> messages = PromptRenderer.Messages(e.Instruction, syntax, [.. e.Steps.Take(i)], step.Observation,
                    config.Agent.HistoryTurns, config.Agent.ShowAdmissible, config.Agent.SystemPrompt);
                int[] prompt = tokenizer.ApplyChatTemplate(messages, addGenerationPrompt: true);
                int[] response = [.. tokenizer.Encode(step.Action.Text), tokenizer.EndOfTurnId];
                rows.Add((prompt, response));
            }
        }
        return rows;
    }

    /// <summary>Trains <paramref name="model"/> on <paramref name="rows"/>; reports each epoch.</summary>
    public static List<SftEpoch> Train(CausalLanguageModel model, IReadOnlyList<(int[] Prompt, int[] Response)> rows, TrainConfig config, int padId, Action<SftEpoch>? onEpoch = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(config);
        if (rows.Count == 0)
            throw new InvalidOperationException("There is nothing to fine-tune on: no (successful) episode steps in the trajectories.");
        double peak = config.Sft.LearningRate ?? config.Optimizer.LearningRate;
        using PolicyOptimizer optimizer = new(model, peak, config.Optimizer.WeightDecay);
        int stepsPerEpoch = (rows.Count + config.Sft.BatchSize - 1) / config.Sft.BatchSize;
        LearningRateSchedule schedule = new(peak, config.Optimizer.WarmupSteps, config.Sft.Epochs * stepsPerEpoch,
            config.Sft.Decay ?? config.Optimizer.Decay);
        Random shuffle = new((int)config.Seed);
        int[] order = [.. Enumerable.Range(0, rows.Count)];
        List<SftEpoch> epochs = [];
        for (int epoch = 1; epoch <= config.Sft.Epochs; epoch++)
        {
            Stopwatch clock = Stopwatch.StartNew();
            shuffle.Shuffle(order);
            double total = 0;
            int batches = 0;
            for (int start = 0; start < order.Length; start += config.Sft.BatchSize)
            {
                using DisposeScope scope = NewDisposeScope();
                optimizer.LearningRate = schedule.At(optimizer.StepCount);
                TokenScores scores = TokenScorer.Score(model, [.. order.Skip(start).Take(config.Sft.BatchSize).Select(i => rows[i])], padId);
                Tensor loss = -PolicyLoss.MaskedMean(scores.LogProbs, scores.ResponseMask);
                double value = loss.item<float>();
                if (!double.IsFinite(value))
                    throw new TrainingDivergedException($"The SFT loss is {value} at step {optimizer.StepCount + 1}.");
                optimizer.ZeroGrad();
                loss.backward();
                optimizer.ClipGradients(config.Ppo.MaxGradNorm);
                optimizer.Step();
                total += value;
                batches++;
            }
            SftEpoch result = new(epoch, total / batches, rows.Count, clock.Elapsed.TotalSeconds);
            epochs.Add(result);
            onEpoch?.Invoke(result);
        }
        return epochs;
    }

    /// <summary>Fine-tunes a new (or the configured initial) model on a trajectory file and saves it as a checkpoint in <paramref name="runDirectory"/>.</summary>
    public static (string Checkpoint, List<SftEpoch> Epochs) Run(string trajectoriesPath, TrainConfig config, EnvRegistry registry, string runDirectory, Action<SftEpoch>? onEpoch = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        TorchDevices.SetThreads(config.Threads);
        TrajectoryReadResult read = TrajectoryReader.ReadFile(trajectoriesPath);
        ByteTokenizer tokenizer = new();
        List<(int[], int[])> rows = Rows(read.Episodes, registry, config, tokenizer);
        using CausalLanguageModel model = PolicySetup.StartingModel(config);
        List<SftEpoch> epochs = Train(model, rows, config, tokenizer.PadId, onEpoch);
        string checkpoint = PolicySetup.SaveForEvaluation(model, config, Path.Combine(runDirectory, "sft"));
        File.WriteAllText(Path.Combine(runDirectory, "sft_metrics.json"), JsonSerializer.Serialize(epochs, new JsonSerializerOptions { WriteIndented = true }));
        return (checkpoint, epochs);
    }
}
