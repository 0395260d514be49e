using System.Text.Json;
using System.Text.Json.Serialization;
using Gym.Trainer.Advantages;
using Gym.Trainer.Losses;
using Gym.Trainer.Sampling;

namespace Gym.Trainer.Training;

/// <summary>A training run, as read from a JSON config file. Every field has a documented default.</summary>
public sealed record TrainConfig
{
    /// <summary>The task suite (default text/frozenlake).</summary>
    public string Suite { get; init; } = "text/frozenlake";
    /// <summary>Split to train on (default train).</summary>
    public string TrainSplit { get; init; } = "train";
    /// <summary>
    /// Split to evaluate on while training and to choose the best checkpoint by (default validation: choosing by
    /// the test split would leak it into training).
    /// </summary>
    public string EvalSplit { get; init; } = "validation";
    /// <summary>Split of the final report (<c>gym main</c>), touched by nothing else (default test).</summary>
    public string TestSplit { get; init; } = "test";
    /// <summary>The model.</summary>
    public ModelSettings Model { get; init; } = new();
    /// <summary>How the policy acts.</summary>
    public AgentSettings Agent { get; init; } = new();
    /// <summary>
    /// gigpo, grpo, drgrpo, rloo, reinforce++, discounted, gae (turn-level GAE from a value head) or oprl (GRPO plus
    /// implicit step rewards from a process reward model; default gigpo).
    /// </summary>
    public AdvantageEstimator Estimator { get; init; } = AdvantageEstimator.GiGpo;
    /// <summary>Weight of the episode-level advantage (default 1).</summary>
    public double EpisodeWeight { get; init; } = 1.0;
    /// <summary>Weight of the step-level advantage (default 1).</summary>
    public double StepWeight { get; init; } = 1.0;
    /// <summary>Discount between turns (default 0.95).</summary>
    public double Gamma { get; init; } = 0.95;
    /// <summary>GAE's λ (estimator gae; default 0.95).</summary>
    public double Lambda { get; init; } = 0.95;
    /// <summary>across-steps or per-trajectory group statistics (default across-steps).</summary>
    public GroupStatistics GroupStatistics { get; init; } = GroupStatistics.AcrossSteps;
    /// <summary>mean or mean-std normalisation (default mean-std).</summary>
    public Normalization Normalization { get; init; } = Normalization.MeanStd;
    /// <summary>Episodes per task in a rollout group (default 8).</summary>
    public int GroupSize { get; init; } = 8;
    /// <summary>Tasks per iteration (default 8).</summary>
    public int TasksPerIteration { get; init; } = 8;
    /// <summary>Iterations to run (default 40).</summary>
    public int Iterations { get; init; } = 40;
    /// <summary>Wall-clock budget in minutes; the run stops after the iteration that crosses it (default 0: none).</summary>
    public double Minutes { get; init; }
    /// <summary>The PPO update.</summary>
    public PpoSettings Ppo { get; init; } = new();
    /// <summary>The optimizer.</summary>
    public OptimizerSettings Optimizer { get; init; } = new();
    /// <summary>Supervised fine-tuning (used by <c>gym sft</c>).</summary>
    public SftSettings Sft { get; init; } = new();
    /// <summary>The ARPO replay buffer (off by default).</summary>
    public ReplaySettings Replay { get; init; } = new();
    /// <summary>Reinforce-Ada adaptive sampling (off by default).</summary>
    public SamplingSettings Sampling { get; init; } = new();
    /// <summary>A horizon curriculum for training episodes (default null: the suite's limits from the start).</summary>
    public HorizonSettings? Horizon { get; init; }
    /// <summary>The OPRL reward model (estimator oprl).</summary>
    public OprlSettings Oprl { get; init; } = new();
    /// <summary>Evaluate every N iterations (default 10; 0: only at the end).</summary>
    public int EvalInterval { get; init; } = 10;
    /// <summary>Tasks of the eval split to evaluate (default 50).</summary>
    public int EvalTasks { get; init; } = 50;
    /// <summary>Checkpoint every N iterations (default 5).</summary>
    public int CheckpointInterval { get; init; } = 5;
    /// <summary>Episodes run at once in rollouts (default 64; batched through the policy).</summary>
    public int Concurrency { get; init; } = 64;
    /// <summary>CPU threads for libtorch (default: the processor count).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
    /// <summary>Where the model's tensors live: "cpu", "cuda" or "cuda:N" (default cpu; on CUDA, matrix products run in bfloat16).</summary>
    public string Device { get; init; } = "cpu";
    /// <summary>The run's seed (default 0).</summary>
    public long Seed { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        Converters = { new ConfigNames.Converter() },
        // A file for people to read, never embedded in HTML: reinforce++ stays reinforce++.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Reads and validates a config file, JSON or YAML (.yaml, .yml); errors name the file and the field.</summary>
    public static TrainConfig Load(string path)
    {
        TrainConfig config;
        string text = File.ReadAllText(path);
        if (YamlConfig.IsYaml(path))
            text = YamlConfig.ToJson(text, path);
        try
        {
            config = JsonSerializer.Deserialize<TrainConfig>(text, Json) ?? throw new InvalidDataException($"{path}: empty config.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Path ?? "$"}: {e.Message}", e);
        }
        return config.Validate(path);
    }

    /// <summary>This config with every seed (the run's and the model's initialisation) set to <paramref name="seed"/>.</summary>
    public TrainConfig WithSeed(long seed) => this with { Seed = seed, Model = Model with { Seed = unchecked((ulong)seed) } };

    /// <summary>This config with <c>device</c> replaced by <paramref name="device"/> when one is given (a command-line override named <paramref name="source"/>).</summary>
    public TrainConfig WithDevice(string? device, string source) => device is null ? this : (this with { Device = device }).Validate(source);

    /// <summary>The config as JSON (saved next to every run).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Checks every field; the message names the one that is wrong.</summary>
    public TrainConfig Validate(string source = "config")
    {
        void Require(bool ok, string field, string problem)
        {
            if (!ok)
                throw new InvalidDataException($"{source}: $.{field}: {problem}");
        }
        Require(GroupSize >= 1, "groupSize", $"must be at least 1 (got {GroupSize})");
        Require(TasksPerIteration >= 1, "tasksPerIteration", $"must be at least 1 (got {TasksPerIteration})");
        Require(Iterations >= 1, "iterations", $"must be at least 1 (got {Iterations})");
        Require(Minutes >= 0, "minutes", "must not be negative");
        Require(Gamma is > 0 and <= 1, "gamma", $"must be in (0, 1] (got {Gamma})");
        Require(Concurrency >= 1, "concurrency", "must be at least 1");
        Require(Threads >= 1, "threads", "must be at least 1");
        Require(Device == "cpu" || Device == "cuda" || (Device.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(Device.AsSpan(5), out int index) && index >= 0),
            "device", $"must be cpu, cuda or cuda:N (got '{Device}')");
        Require(EvalTasks >= 1, "evalTasks", "must be at least 1");
        Require(EvalSplit != TrainSplit && EvalSplit != TestSplit, "evalSplit", $"must differ from trainSplit and testSplit (got '{EvalSplit}'): checkpoints chosen on it would not be measured fairly");
        Require(CheckpointInterval >= 1, "checkpointInterval", "must be at least 1");
        Require(Optimizer.LearningRate > 0, "optimizer.learningRate", "must be positive");
        Require(Agent.MaxNewTokens >= 1, "agent.maxNewTokens", "must be at least 1");
        Require(Agent.Temperature > 0, "agent.temperature", $"must be positive: rollouts sample at this temperature and the update trains that distribution (got {Agent.Temperature})");
        Require(Sft.Epochs >= 1, "sft.epochs", "must be at least 1");
        Require(Sft.Demonstrations is null or >= 0, "sft.demonstrations", "must not be negative");
        Require(Sft.BatchSize >= 1, "sft.batchSize", "must be at least 1");
        Require(Sft.LearningRate is null or > 0, "sft.learningRate", "must be positive");
        Require(Agent.HistoryTurns >= 0, "agent.historyTurns", "must not be negative");
        Require(Model.Init is not null || (Model.HiddenSize > 0 && Model.HiddenSize % Math.Max(1, Model.Heads) == 0), "model.hiddenSize", "must be a positive multiple of model.heads");
        Require(Sampling.MaxEpisodesPerTask >= GroupSize, "sampling.maxEpisodesPerTask", $"must be at least groupSize ({GroupSize})");
        Require(Horizon is null || (Horizon.Start >= 1 && Horizon.End >= Horizon.Start), "horizon", "needs 1 <= start <= end");
        Require(Horizon is null || Horizon.Iterations >= 1, "horizon.iterations", "must be at least 1");
        Require(Oprl.Beta > 0, "oprl.beta", "must be positive");
        Require(Oprl.LearningRate > 0, "oprl.learningRate", "must be positive");
        Require(Oprl.PairsPerStep >= 1, "oprl.pairsPerStep", "must be at least 1");
        Require(Lambda is >= 0 and <= 1, "lambda", $"must be in [0, 1] (got {Lambda})");
        Require(Ppo.KlCoefficient >= 0, "ppo.klCoefficient", "must not be negative");
        Require(Ppo.ValueCoefficient >= 0, "ppo.valueCoefficient", "must not be negative");
        Require(Replay.PerTask >= 1, "replay.perTask", "must be at least 1");
        Require(Replay.PerGroup >= 1 && Replay.PerGroup <= GroupSize, "replay.perGroup", $"must be in [1, groupSize] (got {Replay.PerGroup})");
        try
        {
            PpoOptions().Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new InvalidDataException($"{source}: $.ppo: {e.Message}", e);
        }
        return this;
    }

    internal PpoOptions PpoOptions() => new()
    {
        Clip = new PpoClip(Ppo.ClipLow, Ppo.ClipHigh, Ppo.ClipRatioC, Ppo.Aggregation),
        Epochs = Ppo.Epochs,
        MinibatchSize = Ppo.MinibatchSize,
        EntropyCoefficient = Ppo.EntropyCoefficient,
        MaxGradNorm = Ppo.MaxGradNorm,
        RecomputeOldLogProbs = Ppo.RecomputeOldLogProbs,
        KlCoefficient = Ppo.KlCoefficient,
        KlEstimator = Ppo.KlEstimator,
        ValueCoefficient = Ppo.ValueCoefficient,
        Temperature = Agent.Temperature,
        Objective = Ppo.Objective,
    };

    internal HorizonCurriculum? HorizonCurriculum => Horizon is null ? null : new HorizonCurriculum(Horizon.Start, Horizon.End, Horizon.Iterations);
}
