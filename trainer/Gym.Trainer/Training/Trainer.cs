using System.Diagnostics;
using System.Text.Json;
using Gym.Agents.Policy;
using Gym.Core.Evaluation;
using Gym.Core.Registry;
using Gym.Core.Rollouts;
using Gym.Core.Tasks;
using Gym.Core.Trajectories;
using Gym.Core;
using Gym.Models.Generation;
using Gym.Models.Transformer;
using Gym.Models;
using Gym.Trainer.Advantages;
using Gym.Trainer.Sampling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;

namespace Gym.Trainer.Training;

/// <summary>
/// The training loop: each iteration rolls out groups of episodes with the current policy, turns every step into a
/// training row (its exact tokens), computes hierarchical advantages, and runs a PPO update. It writes
/// <c>metrics.jsonl</c>, evaluates greedily on the evaluation split (validation: the test split is for final
/// reports only) every <see cref="TrainConfig.EvalInterval"/> iterations and at the last, keeps the best policy so
/// far in <c>checkpoints/best/</c>, and checkpoints so that a killed run resumes where its last checkpoint left it.
/// </summary>
public sealed class Trainer(TrainConfig config, EnvRegistry registry, TaskSuite suite, string runDirectory, ILogger? logger = null, TimeProvider? timeProvider = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    // The clock of the run's time budget (config.Minutes) and of its elapsed time; tests drive a fake one.
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

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
        if (!suite.Splits.Contains(config.EvalSplit))
            throw new InvalidOperationException($"{config.Suite} has no '{config.EvalSplit}' split to evaluate on and choose the best checkpoint by (it has: {string.Join(", ", suite.Splits)}). Give the suite one (a generated suite: a validation seed range disjoint from the others) or set evalSplit.");

        string? checkpoint = resume ? Checkpoint.Latest(runDirectory) : null;
        if (resume && checkpoint is null && File.Exists(metricsPath))
            throw new InvalidOperationException($"{runDirectory}: --resume found no checkpoint to continue from.");
        TrainerState state = checkpoint is null ? new TrainerState(0, 0, 0) : Checkpoint.ReadState(checkpoint);
        bool critic = config.Estimator == AdvantageEstimator.Gae;
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
        using ProcessRewardModel? rewardModel = config.Estimator == AdvantageEstimator.Oprl ? ProcessRewardModel.Open(config, checkpoint, tokenizer.PadId) : null;
        int updatesPerIteration = config.Ppo.Epochs * (int)Math.Ceiling(config.TasksPerIteration * config.GroupSize * 10.0 / config.Ppo.MinibatchSize);
        LearningRateSchedule schedule = new(config.Optimizer.LearningRate, config.Optimizer.WarmupSteps, config.Iterations * updatesPerIteration,
            config.Optimizer.Decay);
        await using PolicyAgent agent = new(model, tokenizer, AgentOptions(0, config.Agent.Temperature), "policy");
        using TensorBoardWriter tensorBoard = new(Path.Combine(runDirectory, "tb"));
        BestCheckpoint best = BestCheckpoint.Open(runDirectory);
        RolloutCollector collector = new(registry, agent, new CollectorOptions(config.GroupSize, config.Concurrency, config.Seed,
            config.Sampling.Adaptive, config.Sampling.MaxEpisodesPerTask, config.Sampling.Exit, config.HorizonCurriculum));
        AdvantageEstimation estimation = new(config, registry);

        long started = _time.GetTimestamp();
        TimeSpan Elapsed() => _time.GetElapsedTime(started);
        double elapsedBefore = state.ElapsedSeconds;
        int iteration = state.Iteration;
        while (iteration < config.Iterations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            iteration++;
            agent.Options = AgentOptions(iteration, config.Agent.Temperature);
            Stopwatch rolloutClock = Stopwatch.StartNew();
            CollectedRollouts collected = await collector.CollectAsync(TasksOf(train, iteration), iteration, cancellationToken).ConfigureAwait(false);
            List<EpisodeGroup> groups = [.. collected.Groups];
            int replayed = replay?.Mix(groups, config.Replay.PerGroup) ?? 0;
            double rolloutSeconds = rolloutClock.Elapsed.TotalSeconds;
            await using (TrajectoryWriter writer = TrajectoryWriter.Open(Path.Combine(runDirectory, "trajectories.msgpack")))
            {
                foreach (Episode episode in collected.Episodes)
                    await writer.AppendAsync(episode, cancellationToken).ConfigureAwait(false);
            }
            Stopwatch updateClock = Stopwatch.StartNew();
            TrainingBatch batch = TrainingBatch.Build(groups, config.Agent.Constrained, tokenizer);
            Random shuffle = new((int)(config.Seed * 7919 + iteration));
            // OPRL: the reward model learns from this iteration's preferences first, then scores its steps.
            RewardModelStatistics? rewardStats = rewardModel?.Train(batch.Rows, batch.Table, shuffle);
            double[]? stepRewards = rewardModel?.StepRewards(batch.Rows);
            (double[] advantages, double[]? valueTargets) = estimation.Compute(batch, collected.Baselines, model, tokenizer, stepRewards);
            batch.WithAdvantages(advantages, valueTargets);
            UpdateStatistics update = updater.Update(batch.Rows, shuffle, schedule.At);
            double updateSeconds = updateClock.Elapsed.TotalSeconds;
            bool last = iteration == config.Iterations || (config.Minutes > 0 && elapsedBefore / 60 + Elapsed().TotalMinutes >= config.Minutes);
            // The last iteration is always evaluated, so the best checkpoint is chosen among all that were.
            EvaluationReport? eval = null;
            bool isBest = false;
            if (last || (config.EvalInterval > 0 && iteration % config.EvalInterval == 0))
            {
                eval = await EvaluateAsync(agent, $"iter-{iteration:D6}", cancellationToken).ConfigureAwait(false);
                isBest = best.Offer(iteration, eval, directory => PolicySetup.SaveForEvaluation(model, config, directory, version: iteration));
                if (isBest)
                    _logger.NewBest(iteration, config.EvalSplit, eval.SuccessRate);
            }
            IReadOnlyList<Episode> trained = [.. groups.SelectMany(g => g.Episodes)];
            int totalSteps = trained.Sum(e => e.Steps.Count);
            IterationMetrics metrics = new()
            {
                Iteration = iteration,
                Episodes = collected.Episodes.Count,
                TrainSuccessRate = trained.Count == 0 ? 0 : trained.Average(e => e.Outcome.Success ? 1.0 : 0.0),
                MeanReturn = trained.Count == 0 ? 0 : trained.Average(e => e.Return),
                MeanSteps = trained.Count == 0 ? 0 : trained.Average(e => e.Steps.Count),
                InvalidActionRate = totalSteps == 0 ? 0 : trained.Sum(e => e.InvalidActions) / (double)totalSteps,
                DroppedGroups = collected.DroppedGroups,
                ZeroAdvantageGroupFraction = batch.ZeroAdvantageGroupFraction(advantages),
                AnchorSingletonFraction = batch.AnchorSingletonFraction(),
                AdaptiveExtraEpisodes = collected.ExtraEpisodes,
                Horizon = config.HorizonCurriculum?.At(iteration),
                ReplayedEpisodes = replayed,
                RewardModel = rewardStats,
                Update = update,
                LearningRate = optimizer.LearningRate,
                RolloutSeconds = rolloutSeconds,
                IterationUpdateSeconds = updateSeconds,
                UpdateTokensPerSecond = update.Seconds > 0 ? update.Tokens / update.Seconds : 0,
                ElapsedSeconds = elapsedBefore + Elapsed().TotalSeconds,
                EvalSuccessRate = eval?.SuccessRate,
                EvalMeanSteps = eval?.MeanSteps,
                Best = isBest,
            };
            File.AppendAllText(metricsPath, JsonSerializer.Serialize(metrics, MetricsJson) + "\n");
            tensorBoard.AddScalars(iteration, Scalars(metrics));
            TrainingReport.Write(runDirectory, $"Training on {config.Suite}");
            IterationCompleted?.Invoke(metrics);
            _logger.IterationDone(iteration, metrics.Episodes, metrics.TrainSuccessRate, metrics.ElapsedSeconds);
            if (metrics.DroppedGroups > 0)
                _logger.GroupsDropped(iteration, metrics.DroppedGroups);
            if (iteration % config.CheckpointInterval == 0 || last)
                SaveCheckpoint(model, optimizer, new TrainerState(iteration, optimizer.StepCount, metrics.ElapsedSeconds), replay, rewardModel);
            if (last)
                break;
        }
        string final = Checkpoint.Latest(runDirectory) ?? SaveCheckpoint(model, optimizer, new TrainerState(iteration, optimizer.StepCount, elapsedBefore + Elapsed().TotalSeconds), replay, rewardModel);
        // A run resumed after its last iteration has nothing left to evaluate: its final evaluation is on disk.
        EvaluationReport report = EvaluationReport.Load(Path.Combine(runDirectory, "eval", $"iter-{iteration:D6}", "report.json"));
        return new TrainResult(iteration, final, report, best.Directory, best.Score!);
    }

    /// <summary>Evaluates a policy the way training does: greedy, constrained, on the first <see cref="TrainConfig.EvalTasks"/> tasks of the evaluation (validation) split.</summary>
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

    // A checkpoint also records how its policy acts, so `gym eval --agent policy:DIR` renders prompts as training did,
    // and keeps what else the run learns (the replay buffer, OPRL's reward model) for an exact resume.
    private string SaveCheckpoint(CausalLanguageModel model, PolicyOptimizer optimizer, TrainerState state, ReplayBuffer? replay, ProcessRewardModel? rewardModel)
    {
        string saved = Checkpoint.Save(runDirectory, model, optimizer, state, directory =>
        {
            EvaluationOptions(state.Iteration).Save(directory);
            replay?.Save(directory);
            rewardModel?.Save(directory);
        });
        _logger.CheckpointSaved(saved);
        return saved;
    }

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
        yield return ("update/anchor_singleton_fraction", m.AnchorSingletonFraction);
        yield return ("train/adaptive_extra_episodes", m.AdaptiveExtraEpisodes);
        if (m.RewardModel is { } prm)
        {
            yield return ("reward_model/loss", prm.Loss);
            yield return ("reward_model/accuracy", prm.Accuracy);
        }
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
