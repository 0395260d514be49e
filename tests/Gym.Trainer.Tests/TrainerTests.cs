using System.Text.Json;
using Gym.Core.Registry;
using Gym.Core.Tasks;
using Gym.Core.Trajectories;
using Gym.Envs.Text;
using Gym.Testing;
using Gym.Trainer.Advantages;
using Gym.Trainer.Losses;
using Gym.Trainer.Sampling;
using Gym.Trainer.Training;
using Microsoft.Extensions.Time.Testing;

namespace Gym.Trainer.Tests;

[TestFixture]
public sealed class TrainerTests
{
    private static TrainConfig Small() => new()
    {
        Suite = "text/frozenlake",
        Model = new ModelSettings { HiddenSize = 32, Layers = 1, Heads = 2, KvHeads = 1, IntermediateSize = 64, Seed = 1 },
        Agent = new AgentSettings { HistoryTurns = 0, MaxNewTokens = 8, ShowAdmissible = false, SystemPrompt = "" },
        GroupSize = 2,
        TasksPerIteration = 2,
        Iterations = 4,
        Ppo = new PpoSettings { Epochs = 1, MinibatchSize = 16 },
        EvalInterval = 0,
        EvalTasks = 2,
        CheckpointInterval = 2,
        Concurrency = 4,
        Threads = 1,
    };

    private static (EnvRegistry, TaskSuite) Suite()
    {
        EnvRegistry registry = new EnvRegistry().AddTextEnvironments();
        return (registry, TaskSuiteLoader.Load("text/frozenlake", Path.Combine(TestPaths.Root, "tasks"), registry.Contains));
    }

    private static List<JsonElement> Metrics(string dir) =>
        [.. File.ReadAllLines(Path.Combine(dir, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)];

    [Test, CancelAfter(600_000)]
    public async Task AKilledRunResumesFromItsCheckpointAndMatchesAnUninterruptedOne()
    {
        (EnvRegistry registry, TaskSuite suite) = Suite();
        string straight = TestPaths.TempDirectory(), interrupted = TestPaths.TempDirectory();
        TrainResult full = await new Training.Trainer(Small(), registry, suite, straight).RunAsync(resume: false);
        Assert.That(full.Iterations, Is.EqualTo(4));

        // Stop the second run after iteration 3 (its last checkpoint is iteration 2), as a kill would.
        using CancellationTokenSource kill = new();
        Training.Trainer first = new(Small(), registry, suite, interrupted);
        first.IterationCompleted += m =>
        {
            if (m.Iteration == 3)
                kill.Cancel();
        };
        await Assert.CatchAsync<OperationCanceledException>(async () => await first.RunAsync(resume: false, kill.Token));
        Assert.That(Checkpoint.ReadState(Checkpoint.Latest(interrupted)!).Iteration, Is.EqualTo(2));
        TrainResult resumed = await new Training.Trainer(Small(), registry, suite, interrupted).RunAsync(resume: true);
        Assert.That(resumed.Iterations, Is.EqualTo(4));

        List<JsonElement> a = Metrics(straight), b = Metrics(interrupted);
        Assert.That(b.Select(m => m.GetProperty("iteration").GetInt32()).ToArray(), Is.EqualTo(new[] { 1, 2, 3, 4 }), "iteration 3 is redone, not duplicated");
        for (int i = 0; i < 4; i++)
        {
            foreach (string key in new[] { "policy_loss", "entropy", "grad_norm", "approx_kl" })
                Assert.That(b[i].GetProperty("update").GetProperty(key).GetDouble(), Is.EqualTo(a[i].GetProperty("update").GetProperty(key).GetDouble()).Within(1e-6), $"iteration {i + 1} {key}");
            Assert.That(b[i].GetProperty("train_success_rate").GetDouble(), Is.EqualTo(a[i].GetProperty("train_success_rate").GetDouble()));
        }
        // Every completed episode is in the run's trajectories (the redone iteration's twice).
        TrajectoryReadResult trajectories = TrajectoryReader.ReadFile(Path.Combine(interrupted, "trajectories.msgpack"));
        Assert.That(trajectories.Issues, Is.Empty);
        Assert.That(trajectories.Episodes, Has.Count.EqualTo(5 * 4));
        Assert.That(resumed.Evaluation.Tasks, Is.EqualTo(2));
        AssertTensorBoardMatchesMetrics(straight, a);
        string report = File.ReadAllText(Path.Combine(interrupted, "report.html"));
        Assert.That(report, Does.Contain("<svg").And.Contain("Success rate (train rollouts)").And.Contain("4 iterations"));
        Assert.That(System.Text.RegularExpressions.Regex.Matches(report, "<polyline").Count, Is.GreaterThanOrEqualTo(7), "a line per metric with data");
    }

    // TensorBoard's own format, read by an independent decoder (protobuf in Python, CRC-32C checked per record).
    private static void AssertTensorBoardMatchesMetrics(string runDirectory, List<JsonElement> metrics)
    {
        string[] files = Directory.GetFiles(Path.Combine(runDirectory, "tb"), "events.out.tfevents.*");
        Assert.That(files, Has.Length.EqualTo(1));
        (int code, string output, string error) = ProcessRunner.Run("/usr/bin/python3", [Path.Combine(TestPaths.Interop, "read_tfevents.py"), files[0]], TestPaths.Interop);
        Assert.That(code, Is.EqualTo(0), error);
        List<JsonElement> events = [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)];
        Assert.That(events[0].GetProperty("file_version").GetString(), Is.EqualTo("brain.Event:2"));
        foreach (JsonElement m in metrics)
        {
            int step = m.GetProperty("iteration").GetInt32();
            double Scalar(string tag) => events.Single(e => e.TryGetProperty("tag", out JsonElement t) && t.GetString() == tag && e.GetProperty("step").GetInt32() == step).GetProperty("value").GetDouble();
            Assert.That(Scalar("train/success_rate"), Is.EqualTo(m.GetProperty("train_success_rate").GetDouble()).Within(1e-6));
            Assert.That(Scalar("update/policy_loss"), Is.EqualTo(m.GetProperty("update").GetProperty("policy_loss").GetDouble()).Within(1e-5));
            Assert.That(Scalar("update/entropy"), Is.EqualTo(m.GetProperty("update").GetProperty("entropy").GetDouble()).Within(1e-5));
        }
    }

    [Test, CancelAfter(300_000)]
    public async Task SupervisedFineTuningLearnsTheOraclesActionsWithThePoliciesOwnPrompts()
    {
        (EnvRegistry registry, TaskSuite suite) = Suite();
        string dir = TestPaths.TempDirectory();
        await using (Gym.Agents.OracleAgent oracle = new(registry))
        {
            await Gym.Core.Evaluation.SuiteEvaluator.EvaluateAsync(registry, oracle, suite.Take("train", 6), "train", 1, Path.Combine(dir, "oracle"));
        }
        TrainConfig config = Small() with { Sft = new SftSettings { Epochs = 30, BatchSize = 16 }, Optimizer = new OptimizerSettings { LearningRate = 3e-3 } };
        List<Episode> episodes = TrajectoryReader.ReadFile(Path.Combine(dir, "oracle", "trajectories.msgpack")).Episodes.ToList();
        Gym.Models.ByteTokenizer tokenizer = new();
        List<(int[] Prompt, int[] Response)> rows = SupervisedFineTuning.Rows(episodes, registry, config, tokenizer);
        Assert.That(rows, Has.Count.EqualTo(episodes.Sum(e => e.Steps.Count)));
        Assert.That(tokenizer.Decode(rows[0].Response, skipSpecial: false), Is.EqualTo(episodes[0].Steps[0].Action.Text + "<|end|>"));
        Assert.That(tokenizer.Decode(rows[0].Prompt, skipSpecial: false), Does.StartWith("<|bos|><|user|>Task: ").And.EndWith("<|assistant|>"));

        (string checkpoint, List<SftEpoch> epochs) = SupervisedFineTuning.Run(Path.Combine(dir, "oracle", "trajectories.msgpack"), config, registry, dir);
        Assert.That(epochs[^1].Loss, Is.LessThan(epochs[0].Loss * 0.3), $"loss {epochs[0].Loss:0.000} -> {epochs[^1].Loss:0.000}");
        Gym.Agents.Policy.PolicyAgentOptions saved = Gym.Agents.Policy.PolicyAgentOptions.Load(checkpoint)!;
        Assert.That((saved.Temperature, saved.ShowAdmissibleActions, saved.SystemPrompt), Is.EqualTo((0.0, false, "")));
    }

    [Test, CancelAfter(300_000)]
    public async Task TheCriticAndTheKlReferenceTakePartInTraining()
    {
        (EnvRegistry registry, TaskSuite suite) = Suite();
        string dir = TestPaths.TempDirectory();
        TrainConfig config = Small() with { Estimator = AdvantageEstimator.Gae, Iterations = 3, Ppo = new PpoSettings { Epochs = 1, MinibatchSize = 16, KlCoefficient = 0.1, KlEstimator = KlEstimator.K2 } };
        TrainResult result = await new Training.Trainer(config, registry, suite, dir).RunAsync(resume: false);
        Assert.That(result.Iterations, Is.EqualTo(3));
        List<JsonElement> metrics = Metrics(dir);
        Assert.That(metrics.Select(m => m.GetProperty("update").GetProperty("value_loss").GetDouble()), Has.All.GreaterThan(0), "the critic is trained every iteration");
        Assert.That(metrics[^1].GetProperty("update").GetProperty("reference_kl").GetDouble(), Is.GreaterThan(0), "the policy has moved away from its frozen start");
        Assert.That(metrics.Select(m => m.GetProperty("update").GetProperty("advantage_std").GetDouble()), Has.All.GreaterThan(0.5), "GAE advantages are whitened");
        using JsonDocument saved = JsonDocument.Parse(File.ReadAllText(Path.Combine(result.FinalCheckpoint, "config.json")));
        Assert.That(saved.RootElement.GetProperty("gym_value_head").GetBoolean(), Is.True, "the checkpoint keeps the critic");
    }

    [Test, CancelAfter(300_000)]
    public async Task TheTimeBudgetEndsTheRunOnTheClockTheTrainerIsGiven()
    {
        (EnvRegistry registry, TaskSuite suite) = Suite();
        string dir = TestPaths.TempDirectory();
        FakeTimeProvider clock = new();
        Training.Trainer trainer = new(Small() with { Iterations = 50, Minutes = 1 }, registry, suite, dir, timeProvider: clock);
        trainer.IterationCompleted += _ => clock.Advance(TimeSpan.FromSeconds(25));
        TrainResult result = await trainer.RunAsync(resume: false);
        // 0, 25 and 50 s into the run are within the minute; at 75 s the fourth iteration is the last.
        Assert.That(result.Iterations, Is.EqualTo(4));
        Assert.That(Metrics(dir).Select(m => m.GetProperty("elapsed_seconds").GetDouble()), Is.EqualTo(new[] { 0.0, 25, 50, 75 }));
    }

    [Test, CancelAfter(300_000)]
    public async Task TheBestPolicyOnTheValidationSplitIsKeptBesideTheLatest()
    {
        (EnvRegistry registry, TaskSuite suite) = Suite();
        string dir = TestPaths.TempDirectory();
        TrainConfig config = Small() with { Iterations = 4, EvalInterval = 1, EvalTasks = 3 };
        RecordingLogger log = new();
        TrainResult result = await new Training.Trainer(config, registry, suite, dir, log).RunAsync(resume: false);
        List<JsonElement> metrics = Metrics(dir);
        // The trainer says what it did through the logger it was given: each iteration, each new best, each checkpoint.
        Assert.That(log.Entries.Count(e => e.Id.Id == 1600), Is.EqualTo(4));
        Assert.That(log.Entries.Where(e => e.Id.Id == 1601).Select(e => e.Message).Last(), Does.StartWith($"Iteration {result.Best.Iteration} is the best so far on validation"));
        Assert.That(log.Entries.Any(e => e.Id.Id == 1602 && e.Level == Microsoft.Extensions.Logging.LogLevel.Debug), Is.True);
        Assert.That(metrics.Select(m => m.GetProperty("eval_success_rate").ValueKind), Is.All.EqualTo(JsonValueKind.Number), "every iteration evaluated");
        // The best by success, ties to fewer steps, the first of equals.
        JsonElement expected = metrics.Aggregate((best, m) =>
            m.GetProperty("eval_success_rate").GetDouble() > best.GetProperty("eval_success_rate").GetDouble()
            || (m.GetProperty("eval_success_rate").GetDouble() == best.GetProperty("eval_success_rate").GetDouble() && m.GetProperty("eval_mean_steps").GetDouble() < best.GetProperty("eval_mean_steps").GetDouble())
                ? m : best);
        Assert.That(result.Best.Iteration, Is.EqualTo(expected.GetProperty("iteration").GetInt32()));
        Assert.That(metrics.Where(m => m.GetProperty("best").GetBoolean()).Select(m => m.GetProperty("iteration").GetInt32()).Last(), Is.EqualTo(result.Best.Iteration));
        Assert.That(result.BestCheckpoint, Is.EqualTo(Path.Combine(dir, "checkpoints", "best")));
        // The evaluations used the validation split, never the test split.
        Gym.Core.Evaluation.EvaluationReport evaluated = Gym.Core.Evaluation.EvaluationReport.Load(Path.Combine(dir, "eval", "iter-000001", "report.json"));
        Assert.That((evaluated.Split, evaluated.Tasks), Is.EqualTo(("validation", 3)));
        Assert.That(evaluated.PerTask.Select(t => t.TaskId), Is.All.StartWith("validation-"));
        // The kept policy is the one that scored: evaluated again, it scores the same.
        await using Gym.Agents.Policy.PolicyAgent kept = Gym.Agents.Policy.PolicyAgent.FromCheckpoint(result.BestCheckpoint);
        Gym.Core.Evaluation.EvaluationResult again = await Gym.Core.Evaluation.SuiteEvaluator.EvaluateAsync(registry, kept, suite.Take("validation", 3), "validation", 1, Path.Combine(dir, "again"));
        Assert.That((again.Report.SuccessRate, again.Report.MeanSteps), Is.EqualTo((result.Best.SuccessRate, result.Best.MeanSteps)));
        string report = File.ReadAllText(Path.Combine(dir, "report.html"));
        Assert.That(report, Does.Contain($"best checkpoint: iteration {result.Best.Iteration}"));
    }

    [Test, CancelAfter(300_000)]
    public async Task AdaptiveSamplingToprOprlAndAHorizonCurriculumTakePartInTraining()
    {
        (EnvRegistry registry, TaskSuite suite) = Suite();
        string dir = TestPaths.TempDirectory();
        TrainConfig config = Small() with
        {
            Estimator = AdvantageEstimator.Oprl,
            Iterations = 3,
            Sampling = new SamplingSettings { Adaptive = true, MaxEpisodesPerTask = 6 },
            Horizon = new HorizonSettings { Start = 3, End = 7, Iterations = 3 },
            Ppo = Small().Ppo with { Objective = PolicyObjective.Topr },
        };
        TrainResult result = await new Training.Trainer(config, registry, suite, dir).RunAsync(resume: false);
        List<JsonElement> metrics = Metrics(dir);
        Assert.That(metrics.Select(m => m.GetProperty("horizon").GetInt32()), Is.EqualTo(new[] { 3, 5, 7 }));
        List<Episode> episodes = [.. TrajectoryReader.ReadFile(Path.Combine(dir, "trajectories.msgpack")).Episodes.Where(e => e.Id.StartsWith("train-", StringComparison.Ordinal))];
        foreach (Episode e in episodes)
            Assert.That(e.Steps.Count, Is.LessThanOrEqualTo(1 + 2 * e.PolicyVersion), $"episode {e.Id} ran past the horizon of iteration {e.PolicyVersion}");
        for (int i = 0; i < 3; i++)
        {
            // Two tasks of two episodes each, plus whatever adaptive sampling added (at most two rounds of two per task).
            int extra = metrics[i].GetProperty("adaptive_extra_episodes").GetInt32();
            Assert.That(extra, Is.InRange(0, 8));
            Assert.That(metrics[i].GetProperty("episodes").GetInt32(), Is.EqualTo(4 + extra));
            Assert.That(episodes.Count(e => e.PolicyVersion == i + 1), Is.EqualTo(4 + extra));
            Assert.That(metrics[i].GetProperty("reward_model").GetProperty("pairs").GetInt32(), Is.GreaterThanOrEqualTo(0));
        }
        Assert.That(Directory.Exists(Path.Combine(result.FinalCheckpoint, "reward_model")), Is.True, "the reward model is checkpointed");
        // Resumed from that checkpoint, the reward model comes back with the run.
        TrainResult resumed = await new Training.Trainer(config with { Iterations = 4 }, registry, suite, dir).RunAsync(resume: true);
        Assert.That(resumed.Iterations, Is.EqualTo(4));
    }

        [Test]
    public void AScoreBeatsAnotherByHigherSuccessThenByFewerSteps()
    {
        ValidationScore score = new(3, 0.5, 6.0);
        Assert.That(score.Beats(null), Is.True);
        Assert.That(score.Beats(new ValidationScore(1, 0.4, 2.0)), Is.True);
        Assert.That(score.Beats(new ValidationScore(1, 0.5, 7.0)), Is.True);
        Assert.That(score.Beats(new ValidationScore(1, 0.5, 6.0)), Is.False, "an equal score keeps the earlier checkpoint");
        Assert.That(score.Beats(new ValidationScore(1, 0.6, 9.0)), Is.False);
    }

    [Test]
    public void AYamlConfigReadsLikeItsJsonAndErrsTheSameWay()
    {
        string dir = TestPaths.TempDirectory();
        string json = Path.Combine(dir, "main.json"), yaml = Path.Combine(dir, "main.yaml");
        File.WriteAllText(json, """
            { "suite": "text/frozenlake-4x4", "groupSize": 8, "estimator": "grpo", "agent": { "temperature": 0.7, "systemPrompt": "" },
              "optimizer": { "learningRate": 1e-3, "decay": "cosine" }, "sampling": { "adaptive": true }, "model": { "init": null } }
            """);
        File.WriteAllText(yaml, """
            # the same config, in YAML
            suite: text/frozenlake-4x4
            groupSize: 8
            estimator: grpo
            agent: { temperature: 0.7, systemPrompt: "" }
            optimizer:
              learningRate: 1e-3
              decay: cosine
            sampling:
              adaptive: true
            model:
              init: ~
            """);
        Assert.That(TrainConfig.Load(yaml).ToJson(), Is.EqualTo(TrainConfig.Load(json).ToJson()));

        File.WriteAllText(yaml, "groupSize: 0\n");
        Assert.That(Assert.Throws<InvalidDataException>(() => TrainConfig.Load(yaml))!.Message, Does.Contain("$.groupSize: must be at least 1"));
        File.WriteAllText(yaml, "ppo:\n  klEstimatr: k3\n");
        Assert.That(Assert.Throws<InvalidDataException>(() => TrainConfig.Load(yaml))!.Message, Does.Contain("klEstimatr"));
        File.WriteAllText(yaml, "model:\n  hiddenSize: '64'\n");
        Assert.That(Assert.Throws<InvalidDataException>(() => TrainConfig.Load(yaml))!.Message, Does.Contain("$.model.hiddenSize"), "a quoted number is a string");
        File.WriteAllText(yaml, "groupSize: 8\n  estimator: [grpo\n");
        Assert.That(Assert.Throws<InvalidDataException>(() => TrainConfig.Load(yaml))!.Message, Does.StartWith($"{yaml}:2:"));
    }

    [Test]
    public void ClosedChoicesReadAndWriteByTheirConfigNames()
    {
        string path = Path.Combine(TestPaths.TempDirectory(), "choices.json");
        File.WriteAllText(path, """
            { "estimator": "reinforce++", "groupStatistics": "per-trajectory", "normalization": "mean",
              "optimizer": { "decay": "cosine" }, "sft": { "decay": "linear" }, "sampling": { "exit": "balanced" },
              "ppo": { "aggregation": "seq-mean-token-sum-norm", "klEstimator": "abs", "objective": "topr" } }
            """);
        TrainConfig config = TrainConfig.Load(path);
        Assert.That((config.Estimator, config.GroupStatistics, config.Normalization, config.Optimizer.Decay, config.Sft.Decay, config.Sampling.Exit),
            Is.EqualTo((AdvantageEstimator.ReinforcePlusPlus, GroupStatistics.PerTrajectory, Normalization.Mean, DecayKind.Cosine, (DecayKind?)DecayKind.Linear, AdaptiveExit.Balanced)));
        Assert.That((config.Ppo.Aggregation, config.Ppo.KlEstimator, config.Ppo.Objective), Is.EqualTo((LossAggregation.SequenceMeanTokenSumNorm, KlEstimator.Abs, PolicyObjective.Topr)));
        // Saved next to every run: the same names, and it reads back as the same config.
        string json = config.ToJson();
        Assert.That(json, Does.Contain("\"estimator\": \"reinforce++\"").And.Contain("\"aggregation\": \"seq-mean-token-sum-norm\""));
        File.WriteAllText(path, json);
        Assert.That(TrainConfig.Load(path).ToJson(), Is.EqualTo(json));
        Assert.That(ConfigNames.All<AdvantageEstimator>(), Is.EqualTo(new[] { "gigpo", "grpo", "drgrpo", "rloo", "reinforce++", "discounted", "gae", "oprl" }));
    }

    [Test]
    public void EveryShippedConfigLoads()
    {
        string[] files = Directory.GetFiles(Path.Combine(TestPaths.Root, "configs"), "*.json");
        Assert.That(files, Is.Not.Empty);
        foreach (string file in files)
            Assert.DoesNotThrow(() => TrainConfig.Load(file), file);
    }

    [Test]
    public void ConfigErrorsNameTheField()
    {
        string path = Path.Combine(TestPaths.TempDirectory(), "bad.json");
        File.WriteAllText(path, """{ "groupSize": 0 }""");
        Assert.That(Assert.Throws<InvalidDataException>(() => TrainConfig.Load(path))!.Message, Does.Contain("$.groupSize: must be at least 1"));
        File.WriteAllText(path, """{ "ppo": { "epochs": 1, "clipLow": 2 } }""");
        Assert.That(Assert.Throws<InvalidDataException>(() => TrainConfig.Load(path))!.Message, Does.Contain("$.ppo"));
        File.WriteAllText(path, """{ "estimator": "magic" }""");
        Assert.That(Assert.Throws<InvalidDataException>(() => TrainConfig.Load(path))!.Message,
            Does.Contain("$.estimator: must be one of gigpo, grpo, drgrpo, rloo, reinforce++, discounted, gae, oprl (got 'magic')"));
        File.WriteAllText(path, """{ "ppo": { "klEstimator": "k9" } }""");
        Assert.That(Assert.Throws<InvalidDataException>(() => TrainConfig.Load(path))!.Message, Does.Contain("$.ppo.klEstimator: must be one of k1, abs, k2, k3 (got 'k9')"));
        File.WriteAllText(path, """{ "optimizer": { "decay": 2 } }""");
        Assert.That(Assert.Throws<InvalidDataException>(() => TrainConfig.Load(path))!.Message, Does.Contain("$.optimizer.decay: must be one of constant, linear, cosine (got a number)"));
        File.WriteAllText(path, """{ "groupSize": 4, "replay": { "enabled": true, "perGroup": 5 } }""");
        Assert.That(Assert.Throws<InvalidDataException>(() => TrainConfig.Load(path))!.Message, Does.Contain("$.replay.perGroup"));
        File.WriteAllText(path, """{ "iterationz": 3 }""");
        Assert.That(Assert.Throws<InvalidDataException>(() => TrainConfig.Load(path))!.Message, Does.Contain("iterationz"));
        File.WriteAllText(path, """{ "model": { "hiddenSize": "big" } }""");
        Assert.That(Assert.Throws<InvalidDataException>(() => TrainConfig.Load(path))!.Message, Does.Contain("$.model.hiddenSize"));
        File.WriteAllText(path, """{ "evalSplit": "test" }""");
        Assert.That(Assert.Throws<InvalidDataException>(() => TrainConfig.Load(path))!.Message, Does.Contain("$.evalSplit: must differ from trainSplit and testSplit"));
        File.WriteAllText(path, """{ "device": "gpu" }""");
        Assert.That(Assert.Throws<InvalidDataException>(() => TrainConfig.Load(path))!.Message, Does.Contain("$.device: must be cpu, cuda or cuda:N"));
    }
}
