using System.Diagnostics;
using System.Text.Json;
using Gym.Agents.Policy;
using Gym.Core;
using Gym.Core.Evaluation;
using Gym.Core.Registry;
using Gym.Core.Rollouts;
using Gym.Core.Tasks;
using Gym.Core.Trajectories;
using Gym.Models;
using Gym.Models.Transformer;
using Gym.Trainer.Advantages;

namespace Gym.Trainer.Training;

/// <summary>One line of <c>metrics.jsonl</c>: what an iteration did.</summary>
public sealed record IterationMetrics
{
    /// <summary>The iteration (1-based).</summary>
    public int Iteration { get; init; }
    /// <summary>Episodes rolled out.</summary>
    public int Episodes { get; init; }
    /// <summary>Success rate of the rollouts (sampled, training split).</summary>
    public double TrainSuccessRate { get; init; }
    /// <summary>Mean episode return of the rollouts.</summary>
    public double MeanReturn { get; init; }
    /// <summary>Mean steps per episode.</summary>
    public double MeanSteps { get; init; }
    /// <summary>Invalid actions over all steps.</summary>
    public double InvalidActionRate { get; init; }
    /// <summary>Groups dropped by the runner.</summary>
    public long DroppedGroups { get; init; }
    /// <summary>Episodes taken from the replay buffer into groups without a success.</summary>
    public int ReplayedEpisodes { get; init; }
    /// <summary>Fraction of groups whose every advantage is zero (no learning signal).</summary>
    public double ZeroAdvantageGroupFraction { get; init; }
    /// <summary>The update's statistics.</summary>
    public required UpdateStatistics Update { get; init; }
    /// <summary>The learning rate of the last optimizer step.</summary>
    public double LearningRate { get; init; }
    /// <summary>Seconds spent in rollouts.</summary>
    public double RolloutSeconds { get; init; }
    /// <summary>Training tokens per second of the update.</summary>
    public double UpdateTokensPerSecond { get; init; }
    /// <summary>Training time since the run started (resumes included).</summary>
    public double ElapsedSeconds { get; init; }
    /// <summary>Success rate on the evaluation split, when this iteration evaluated.</summary>
    public double? EvalSuccessRate { get; init; }
}

/// <summary>What a run produced.</summary>
/// <param name="Iterations">Iterations completed.</param>
/// <param name="FinalCheckpoint">The last checkpoint (model + optimizer + state).</param>
/// <param name="Evaluation">The final evaluation on the evaluation split.</param>
public sealed record TrainResult(int Iterations, string FinalCheckpoint, EvaluationReport Evaluation);

/// <summary>
/// The training loop: each iteration rolls out groups of episodes with the current policy, turns every step into a
/// training row (its exact tokens), computes hierarchical advantages, and runs a PPO update. It writes
/// <c>metrics.jsonl</c>, evaluates on the evaluation split every <see cref="TrainConfig.EvalInterval"/> iterations,
/// and checkpoints so that a killed run resumes where its last checkpoint left it.
/// </summary>
public sealed class Trainer(TrainConfig config, EnvRegistry registry, TaskSuite suite, string runDirectory)
{
    private static readonly JsonSerializerOptions MetricsJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Reports each finished iteration (for progress displays).</summary>
    public event Action<IterationMetrics>? IterationCompleted;

    /// <summary>Runs (or, with <paramref name="resume"/>, continues) the training and evaluates the result.</summary>
    public async Task<TrainResult> RunAsync(bool resume, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        Directory.CreateDirectory(runDirectory);
        TorchDevices.SetThreads(config.Threads);
        File.WriteAllText(Path.Combine(runDirectory, "config.json"), config.ToJson());
        string metricsPath = Path.Combine(runDirectory, "metrics.jsonl");
        IReadOnlyList<TaskSpec> train = suite.Split(config.TrainSplit);

        string? checkpoint = resume ? Checkpoint.Latest(runDirectory) : null;
        if (resume && checkpoint is null && File.Exists(metricsPath))
            throw new InvalidOperationException($"{runDirectory}: --resume found no checkpoint to continue from.");
        TrainerState state = checkpoint is null ? new TrainerState(0, 0, 0) : Checkpoint.ReadState(checkpoint);
        bool critic = config.Estimator == "gae";
        using CausalLanguageModel model = checkpoint is not null ? CausalLanguageModel.Load(checkpoint, device: PolicySetup.Device(config)) : PolicySetup.StartingModel(config, critic);
        // The KL reference is the policy the run started from, frozen (rebuilt the same way on resume).
        using CausalLanguageModel? reference = config.Ppo.KlCoefficient <= 0 ? null : PolicySetup.StartingModel(config);
        using PolicyOptimizer optimizer = new(model, config.Optimizer.LearningRate, config.Optimizer.WeightDecay);
        if (checkpoint is not null)
            Checkpoint.RestoreOptimizer(checkpoint, optimizer, state);
        // Metrics written after the checkpoint belong to work that is redone: drop them.
        TruncateMetrics(metricsPath, state.Iteration);

        ByteTokenizer tokenizer = new();
        PpoUpdater updater = new(model, optimizer, tokenizer.PadId, config.PpoOptions(), reference);
        ReplayBuffer? replay = config.Replay.Enabled ? ReplayBuffer.Load(checkpoint, config.Replay.PerTask) : null;
        int updatesPerIteration = config.Ppo.Epochs * (int)Math.Ceiling(config.TasksPerIteration * config.GroupSize * 10.0 / config.Ppo.MinibatchSize);
        LearningRateSchedule schedule = new(config.Optimizer.LearningRate, config.Optimizer.WarmupSteps, config.Iterations * updatesPerIteration,
            config.Optimizer.Decay switch { "linear" => DecayKind.Linear, "cosine" => DecayKind.Cosine, _ => DecayKind.Constant });
        await using PolicyAgent agent = new(model, tokenizer, AgentOptions(0, config.Agent.Temperature), "policy");
        using TensorBoardWriter tensorBoard = new(Path.Combine(runDirectory, "tb"));

        Stopwatch clock = Stopwatch.StartNew();
        double elapsedBefore = state.ElapsedSeconds;
        int iteration = state.Iteration;
        while (iteration < config.Iterations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            iteration++;
            agent.Options = AgentOptions(iteration, config.Agent.Temperature);
            Stopwatch rolloutClock = Stopwatch.StartNew();
            (List<Episode> episodes, List<EpisodeGroup> groups, long dropped) = await RolloutAsync(agent, TasksOf(train, iteration), iteration, cancellationToken).ConfigureAwait(false);
            int replayed = replay?.Mix(groups, config.Replay.PerGroup) ?? 0;
            double rolloutSeconds = rolloutClock.Elapsed.TotalSeconds;
            await using (TrajectoryWriter writer = TrajectoryWriter.Open(Path.Combine(runDirectory, "trajectories.msgpack")))
            {
                foreach (Episode episode in episodes)
                    await writer.AppendAsync(episode, cancellationToken).ConfigureAwait(false);
            }
            (List<TrainingRow> rows, double zeroGroups) = Rows(groups, model, tokenizer);
            UpdateStatistics update = updater.Update(rows, new Random((int)(config.Seed * 7919 + iteration)), schedule.At);
            double? eval = null;
            bool last = iteration == config.Iterations || (config.Minutes > 0 && elapsedBefore + clock.Elapsed.TotalMinutes >= config.Minutes);
            if (config.EvalInterval > 0 && iteration % config.EvalInterval == 0 && !last)
                eval = (await EvaluateAsync(agent, $"iter-{iteration:D6}", cancellationToken).ConfigureAwait(false)).SuccessRate;
            int totalSteps = episodes.Sum(e => e.Steps.Count);
            IterationMetrics metrics = new()
            {
                Iteration = iteration,
                Episodes = episodes.Count,
                TrainSuccessRate = episodes.Count == 0 ? 0 : episodes.Average(e => e.Outcome.Success ? 1.0 : 0.0),
                MeanReturn = episodes.Count == 0 ? 0 : episodes.Average(e => e.Return),
                MeanSteps = episodes.Count == 0 ? 0 : episodes.Average(e => e.Steps.Count),
                InvalidActionRate = totalSteps == 0 ? 0 : episodes.Sum(e => e.InvalidActions) / (double)totalSteps,
                DroppedGroups = dropped,
                ZeroAdvantageGroupFraction = zeroGroups,
                ReplayedEpisodes = replayed,
                Update = update,
                LearningRate = optimizer.LearningRate,
                RolloutSeconds = rolloutSeconds,
                UpdateTokensPerSecond = update.Seconds > 0 ? update.Tokens / update.Seconds : 0,
                ElapsedSeconds = elapsedBefore + clock.Elapsed.TotalSeconds,
                EvalSuccessRate = eval,
            };
            File.AppendAllText(metricsPath, JsonSerializer.Serialize(metrics, MetricsJson) + "\n");
            tensorBoard.AddScalars(iteration, Scalars(metrics));
            TrainingReport.Write(runDirectory, $"Training on {config.Suite}");
            IterationCompleted?.Invoke(metrics);
            if (iteration % config.CheckpointInterval == 0 || last)
                SaveCheckpoint(model, optimizer, new TrainerState(iteration, optimizer.StepCount, metrics.ElapsedSeconds), replay);
            if (last)
                break;
        }
        string final = Checkpoint.Latest(runDirectory) ?? SaveCheckpoint(model, optimizer, new TrainerState(iteration, optimizer.StepCount, elapsedBefore + clock.Elapsed.TotalSeconds), replay);
        EvaluationReport report = await EvaluateAsync(agent, "final", cancellationToken).ConfigureAwait(false);
        return new TrainResult(iteration, final, report);
    }

    /// <summary>Evaluates a policy the way training does: greedy, constrained, on the first <see cref="TrainConfig.EvalTasks"/> tasks of the evaluation split.</summary>
    public async Task<EvaluationReport> EvaluateAsync(PolicyAgent agent, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        PolicyAgentOptions training = agent.Options;
        agent.Options = training with { Temperature = 0 };
        try
        {
            TaskSuite evalSuite = suite.Take(config.EvalSplit, config.EvalTasks);
            RolloutOptions options = new() { MaxConcurrentEpisodes = config.Concurrency, RunId = $"eval-{name}", SamplingSeed = config.Seed };
            EvaluationResult result = await SuiteEvaluator.EvaluateAsync(registry, agent, evalSuite, config.EvalSplit, 1,
                Path.Combine(runDirectory, "eval", name), options, cancellationToken: cancellationToken).ConfigureAwait(false);
            return result.Report;
        }
        finally
        {
            agent.Options = training;
        }
    }

    // A checkpoint also records how its policy acts, so `gym eval --agent policy:DIR` renders prompts as training did.
    private string SaveCheckpoint(CausalLanguageModel model, PolicyOptimizer optimizer, TrainerState state, ReplayBuffer? replay = null) =>
        Checkpoint.Save(runDirectory, model, optimizer, state, directory =>
        {
            EvaluationOptions(state.Iteration).Save(directory);
            replay?.Save(directory);
        });

    /// <summary>How the trained policy acts when evaluated: as in training, but greedy.</summary>
    public PolicyAgentOptions EvaluationOptions(int version) => AgentOptions(version, 0);

    private PolicyAgentOptions AgentOptions(int version, double temperature) => PolicySetup.AgentOptions(config, temperature, version);

    // The tasks of an iteration: consecutive slices of the training split, reshuffled (by seed) each pass.
    private List<TaskSpec> TasksOf(IReadOnlyList<TaskSpec> train, int iteration)
    {
        List<TaskSpec> tasks = [];
        long start = (long)(iteration - 1) * config.TasksPerIteration;
        for (long k = start; k < start + config.TasksPerIteration; k++)
        {
            int pass = (int)(k / train.Count);
            TaskSpec[] order = [.. train];
            new Random((int)(config.Seed * 31 + pass)).Shuffle(order);
            tasks.Add(order[(int)(k % train.Count)]);
        }
        return tasks;
    }

    private async Task<(List<Episode> Episodes, List<EpisodeGroup> Groups, long Dropped)> RolloutAsync(PolicyAgent agent, List<TaskSpec> tasks, int iteration, CancellationToken cancellationToken)
    {
        RolloutOptions options = new()
        {
            GroupSize = config.GroupSize,
            MaxConcurrentEpisodes = config.Concurrency,
            SamplingSeed = config.Seed * 1_000_003 + iteration,
            RunId = $"train-{iteration:D6}",
            PolicyVersion = iteration,
        };
        await using RolloutRunner runner = new(registry, agent, options);
        List<EpisodeGroup> groups = [];
        await foreach (EpisodeGroup g in runner.RunAsync(tasks, cancellationToken).ConfigureAwait(false))
            groups.Add(g);
        // Groups arrive as they finish; order them by task so the update does not depend on timing.
        groups.Sort((a, b) => string.CompareOrdinal(a.GroupId, b.GroupId));
        return ([.. groups.SelectMany(g => g.Episodes)], groups, runner.Statistics.GroupsDropped);
    }

    private (List<TrainingRow> Rows, double ZeroGroupFraction) Rows(List<EpisodeGroup> groups, CausalLanguageModel model, ITokenizer tokenizer)
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
        for (int i = 0; i < steps.Count; i++)
        {
            table.Group[i] = steps[i].Group;
            table.Trajectory[i] = steps[i].Trajectory;
            table.Anchor[i] = anchors[steps[i].Step.Observation.StateKey];
            table.Reward[i] = steps[i].Step.Reward;
            table.EpisodeReward[i] = steps[i].Outcome;
        }
        (double[] advantages, double[]? valueTargets) = config.Estimator == "gae" && table.Count > 0
            ? CriticAdvantages(table, [.. steps.Select(s => s.Step.Trace!.PromptIds)], trajectories, model, tokenizer)
            : (Advantages(table), null);
        List<TrainingRow> rows = new(steps.Count);
        for (int i = 0; i < steps.Count; i++)
        {
            TokenTrace t = steps[i].Step.Trace!;
            rows.Add(new TrainingRow(t.PromptIds, t.ResponseIds, t.ResponseLogProbs, advantages[i], valueTargets?[i]));
        }
        int zero = Enumerable.Range(0, groups.Count).Count(g => Enumerable.Range(0, steps.Count).Where(i => table.Group[i] == g).All(i => Math.Abs(advantages[i]) < 1e-9));
        return (rows, groups.Count == 0 ? 0 : (double)zero / groups.Count);
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

    private double[] Advantages(StepTable table)
    {
        if (table.Count == 0)
            return [];
        GroupStatistics stats = config.Statistics;
        return config.Estimator switch
        {
            "gigpo" => AdvantageCombiner.Combine(
                EpisodeAdvantages.Normalize(table, stats, config.Norm),
                StepAdvantages.AnchorGroups(table, StepAdvantages.DiscountedReturns(table, config.Gamma), config.Norm),
                config.EpisodeWeight, config.StepWeight),
            "grpo" => EpisodeAdvantages.Grpo(table, stats),
            "drgrpo" => EpisodeAdvantages.DrGrpo(table, stats),
            "rloo" => EpisodeAdvantages.Rloo(table, stats),
            "reinforce++" => EpisodeAdvantages.ReinforcePlusPlus(table, stats),
            "discounted" => AdvantageCombiner.Combine(EpisodeAdvantages.Grpo(table, stats),
                AdvantageCombiner.DiscountedReturnAdvantages(table, config.Gamma, whiten: true), config.EpisodeWeight, config.StepWeight),
            _ => throw new InvalidOperationException($"Unknown estimator '{config.Estimator}'."),
        };
    }

    private static IEnumerable<(string, double)> Scalars(IterationMetrics m)
    {
        yield return ("train/success_rate", m.TrainSuccessRate);
        yield return ("train/mean_return", m.MeanReturn);
        yield return ("train/mean_steps", m.MeanSteps);
        yield return ("train/invalid_action_rate", m.InvalidActionRate);
        if (m.EvalSuccessRate is { } eval)
            yield return ("eval/success_rate", eval);
        yield return ("update/policy_loss", m.Update.PolicyLoss);
        yield return ("update/entropy", m.Update.Entropy);
        yield return ("update/approx_kl", m.Update.ApproxKl);
        yield return ("update/reference_kl", m.Update.ReferenceKl);
        yield return ("update/value_loss", m.Update.ValueLoss);
        yield return ("train/replayed_episodes", m.ReplayedEpisodes);
        yield return ("update/clip_fraction", m.Update.ClipFraction);
        yield return ("update/grad_norm", m.Update.GradNorm);
        yield return ("update/advantage_mean", m.Update.AdvantageMean);
        yield return ("update/advantage_std", m.Update.AdvantageStd);
        yield return ("update/zero_advantage_groups", m.ZeroAdvantageGroupFraction);
        yield return ("update/learning_rate", m.LearningRate);
        yield return ("time/rollout_seconds", m.RolloutSeconds);
        yield return ("time/update_seconds", m.Update.Seconds);
        yield return ("time/update_tokens_per_second", m.UpdateTokensPerSecond);
    }

    private static void TruncateMetrics(string path, int keepThrough)
    {
        if (!File.Exists(path))
            return;
        string[] kept = [.. File.ReadAllLines(path).Where(line =>
        {
            using JsonDocument doc = JsonDocument.Parse(line);
            return doc.RootElement.GetProperty("iteration").GetInt32() <= keepThrough;
        })];
        File.WriteAllLines(path, kept);
    }
}
