using System.Text.Json;
using System.Text.Json.Serialization;
using Gym.Trainer.Advantages;
using Gym.Trainer.Losses;
using Gym.Trainer.Sampling;

namespace Gym.Trainer.Training;

/// <summary>The policy model to train: a new one of these sizes, or a checkpoint to start from.</summary>
public sealed record ModelSettings
{
    /// <summary>A checkpoint directory to start from (then the sizes below are ignored).</summary>
    public string? Init { get; init; }
    /// <summary>Width of the residual stream (default 64).</summary>
    public int HiddenSize { get; init; } = 64;
    /// <summary>Decoder layers (default 2).</summary>
    public int Layers { get; init; } = 2;
    /// <summary>Query heads (default 4).</summary>
    public int Heads { get; init; } = 4;
    /// <summary>Key/value heads (default 2).</summary>
    public int KvHeads { get; init; } = 2;
    /// <summary>Feed-forward width (default 172).</summary>
    public int IntermediateSize { get; init; } = 172;
    /// <summary>Context length (default 1024).</summary>
    public int MaxPositions { get; init; } = 1024;
    /// <summary>Initialisation seed (default 0).</summary>
    public ulong Seed { get; init; }
}

/// <summary>How the policy acts during rollouts.</summary>
public sealed record AgentSettings
{
    /// <summary>Past turns in the prompt (default 1).</summary>
    public int HistoryTurns { get; init; } = 1;
    /// <summary>Most tokens per action (default 24).</summary>
    public int MaxNewTokens { get; init; } = 24;
    /// <summary>Sampling temperature in rollouts (default 1).</summary>
    public double Temperature { get; init; } = 1.0;
    /// <summary>Constrain actions to the admissible ones (default true).</summary>
    public bool Constrained { get; init; } = true;
    /// <summary>List the admissible actions in the prompt (default true).</summary>
    public bool ShowAdmissible { get; init; } = true;
    /// <summary>The system message: null for the default, "" for none (shorter prompts train faster).</summary>
    public string? SystemPrompt { get; init; }
}

/// <summary>The optimizer and its schedule.</summary>
public sealed record OptimizerSettings
{
    /// <summary>Peak learning rate (default 1e-3).</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Optimizer steps of linear warm-up (default 5).</summary>
    public int WarmupSteps { get; init; } = 5;
    /// <summary>constant, linear or cosine (default constant).</summary>
    public DecayKind Decay { get; init; } = DecayKind.Constant;
    /// <summary>AdamW's decoupled weight decay (default 0).</summary>
    public double WeightDecay { get; init; }
}

/// <summary>The PPO settings as written in a config file.</summary>
public sealed record PpoSettings
{
    /// <summary>Lower clip (default 0.2).</summary>
    public double ClipLow { get; init; } = 0.2;
    /// <summary>Upper clip (default 0.28).</summary>
    public double ClipHigh { get; init; } = 0.28;
    /// <summary>Dual-clip c (default 3).</summary>
    public double ClipRatioC { get; init; } = 3.0;
    /// <summary>token-mean, seq-mean-token-sum, seq-mean-token-mean or seq-mean-token-sum-norm (default token-mean).</summary>
    public LossAggregation Aggregation { get; init; } = LossAggregation.TokenMean;
    /// <summary>Passes over each batch (default 2).</summary>
    public int Epochs { get; init; } = 2;
    /// <summary>Rows per optimizer step (default 64).</summary>
    public int MinibatchSize { get; init; } = 64;
    /// <summary>Entropy bonus (default 0.001).</summary>
    public double EntropyCoefficient { get; init; } = 0.001;
    /// <summary>Gradient-norm clip (default 1).</summary>
    public double MaxGradNorm { get; init; } = 1.0;
    /// <summary>
    /// Recompute the old log-probabilities with the weights at the start of the update instead of using the
    /// rollout's (default true: under constrained decoding the rollout's are those of the constrained distribution,
    /// while the loss scores the full one).
    /// </summary>
    public bool RecomputeOldLogProbs { get; init; } = true;
    /// <summary>Weight of the KL penalty to the frozen initial policy (default 0: off, and no reference is kept).</summary>
    public double KlCoefficient { get; init; }
    /// <summary>k1, abs, k2 or k3 (default k3).</summary>
    public KlEstimator KlEstimator { get; init; } = KlEstimator.K3;
    /// <summary>Weight of the critic's squared error (estimator gae only; default 0.5).</summary>
    public double ValueCoefficient { get; init; } = 0.5;
    /// <summary>ppo (dual-clip PPO) or topr (tapered off-policy REINFORCE; default ppo).</summary>
    public PolicyObjective Objective { get; init; } = PolicyObjective.Ppo;
}

/// <summary>Reinforce-Ada adaptive sampling: tasks whose group has no reward diversity are sampled again.</summary>
public sealed record SamplingSettings
{
    /// <summary>Whether tasks without reward diversity are sampled again (default false: one group per task).</summary>
    public bool Adaptive { get; init; }
    /// <summary>Most episodes sampled for one task in an iteration, the first group included (default 32).</summary>
    public int MaxEpisodesPerTask { get; init; } = 32;
    /// <summary>"any-diversity" (stop once rewards differ) or "balanced" (once half a group lies on each side of the mean; default any-diversity).</summary>
    public AdaptiveExit Exit { get; init; } = AdaptiveExit.AnyDiversity;
}

/// <summary>A TTI-style horizon curriculum: the step limit of training episodes grows from start to end.</summary>
public sealed record HorizonSettings
{
    /// <summary>The step limit at the first iteration.</summary>
    public int Start { get; init; } = 8;
    /// <summary>The step limit once grown.</summary>
    public int End { get; init; } = 30;
    /// <summary>Iterations over which it grows linearly (default 20).</summary>
    public int Iterations { get; init; } = 20;
}

/// <summary>OPRL: an implicit process reward model trained by trajectory-level DPO beside the policy (estimator oprl).</summary>
public sealed record OprlSettings
{
    /// <summary>β of the DPO objective and of the implicit step rewards β log(π_φ / π_old) (default 0.1).</summary>
    public double Beta { get; init; } = 0.1;
    /// <summary>The reward model's learning rate (default 1e-4).</summary>
    public double LearningRate { get; init; } = 1e-4;
    /// <summary>Preference pairs per optimizer step of the reward model (default 8).</summary>
    public int PairsPerStep { get; init; } = 8;
}

/// <summary>The ARPO replay buffer: successful episodes kept per task and mixed into groups that had none.</summary>
public sealed record ReplaySettings
{
    /// <summary>Whether the buffer is used (default false).</summary>
    public bool Enabled { get; init; }
    /// <summary>Successful episodes kept per task, newest first (default 4).</summary>
    public int PerTask { get; init; } = 4;
    /// <summary>Episodes of a failed group replaced by replayed successes (default 1).</summary>
    public int PerGroup { get; init; } = 1;
}

/// <summary>Supervised fine-tuning on stored trajectories (<c>gym sft</c>, and the first stage of <c>gym main</c>).</summary>
public sealed record SftSettings
{
    /// <summary>
    /// <c>gym main</c>: training tasks the oracle demonstrates (the first N of the training split; default null: all
    /// of them; 0: no demonstrations and no fine-tuning, so RL starts from the untrained policy).
    /// </summary>
    public int? Demonstrations { get; init; }
    /// <summary>Passes over the data (default 3).</summary>
    public int Epochs { get; init; } = 3;
    /// <summary>Rows per optimizer step (default 32).</summary>
    public int BatchSize { get; init; } = 32;
    /// <summary>Train only on successful episodes (default true).</summary>
    public bool SuccessfulOnly { get; init; } = true;
    /// <summary>Peak learning rate (default: optimizer.learningRate).</summary>
    public double? LearningRate { get; init; }
    /// <summary>constant, linear or cosine decay after warmup (default: optimizer.decay).</summary>
    public DecayKind? Decay { get; init; }
}

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
