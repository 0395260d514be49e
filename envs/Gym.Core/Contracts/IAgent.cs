namespace Gym.Core;

/// <summary>Chooses actions. One instance may serve many concurrent episodes; per-episode state lives in the context.</summary>
public interface IAgent : IAsyncDisposable
{
    /// <summary>A short name for reports ("random", "oracle", "policy:runs/x/ckpt-10").</summary>
    string Name { get; }

    /// <summary>Chooses the next action for the episode described by <paramref name="context"/>.</summary>
    ValueTask<AgentTurn> ActAsync(AgentContext context, CancellationToken cancellationToken = default);
}

/// <summary>
/// An agent that is more efficient when it acts for many episodes at once (a batched policy). The runner gathers
/// the concurrent episodes that wait for an action and calls <see cref="ActBatchAsync"/> once for them.
/// </summary>
public interface IBatchAgent : IAgent
{
    /// <summary>The largest batch the agent accepts.</summary>
    int MaxBatchSize { get; }

    /// <summary>Chooses one action per context, in order.</summary>
    ValueTask<IReadOnlyList<AgentTurn>> ActBatchAsync(IReadOnlyList<AgentContext> contexts, CancellationToken cancellationToken = default);
}

/// <summary>Everything an agent knows about the episode it acts in.</summary>
public sealed class AgentContext
{
    /// <summary>Creates the context of a new episode.</summary>
    public AgentContext(TaskSpec task, EnvSpec env, Observation observation, long samplingSeed, int attempt)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(env);
        // Sized for the whole episode up front: growing the history would copy it again and again.
        _history = new List<Trajectories.EpisodeStep>(Math.Clamp(task.Limits.MaxSteps ?? env.MaxSteps, 1, 1024));
        Task = task;
        Env = env;
        Observation = observation;
        SamplingSeed = samplingSeed;
        Attempt = attempt;
    }

    /// <summary>The task being run.</summary>
    public TaskSpec Task { get; }

    /// <summary>The environment's description (action syntax, limits).</summary>
    public EnvSpec Env { get; }

    /// <summary>The current observation.</summary>
    public Observation Observation { get; internal set; }

    /// <summary>The steps so far, oldest first (the same records the trajectory keeps).</summary>
    public IReadOnlyList<Trajectories.EpisodeStep> History => _history;

    /// <summary>The index of the step about to be taken.</summary>
    public int StepIndex => _history.Count;

    /// <summary>The seed of this episode's sampling: episodes of a group share the env seed, not this.</summary>
    public long SamplingSeed { get; }

    /// <summary>Which episode of its group this is (0-based).</summary>
    public int Attempt { get; }

    /// <summary>State an agent keeps for this episode (a plan, an RNG); the runner never reads it.</summary>
    public object? AgentState { get; set; }

    private readonly List<Trajectories.EpisodeStep> _history;

    /// <summary>Appends a finished step and moves to the next observation.</summary>
    internal void Record(Trajectories.EpisodeStep step, Observation next)
    {
        _history.Add(step);
        Observation = next;
    }

    /// <summary>The history list itself, handed to the episode record when the episode ends.</summary>
    internal List<Trajectories.EpisodeStep> HistoryList => _history;
}

/// <summary>An agent's answer: the action, and the tokens that produced it when the agent is a model.</summary>
/// <param name="Action">The action to take.</param>
/// <param name="Trace">The exact sampled tokens, or null for agents that are not token models.</param>
public sealed record AgentTurn(AgentAction Action, TokenTrace? Trace = null)
{
    /// <summary>The tokens a model server billed for this turn, for agents that call one.</summary>
    public TokenUsage? Usage { get; init; }

    /// <summary>A text action without a trace.</summary>
    public static AgentTurn FromText(string text) => new(AgentAction.FromText(text));
}

/// <summary>Tokens a model server counted for one call.</summary>
/// <param name="PromptTokens">Tokens of the prompt.</param>
/// <param name="CompletionTokens">Tokens generated.</param>
public sealed record TokenUsage(int PromptTokens, int CompletionTokens);

/// <summary>
/// The tokens of one model call exactly as sampled: training uses these, never a re-tokenization.
/// </summary>
/// <param name="PromptIds">The prompt token ids.</param>
/// <param name="ResponseIds">The sampled response token ids.</param>
/// <param name="ResponseLogProbs">The log-probability of each response token under the sampling distribution.</param>
/// <param name="PolicyVersion">The version of the weights that sampled them.</param>
public sealed record TokenTrace(int[] PromptIds, int[] ResponseIds, float[] ResponseLogProbs, int PolicyVersion = 0)
{
    /// <summary>Checks that ids and logprobs line up.</summary>
    public void Validate()
    {
        if (ResponseIds.Length != ResponseLogProbs.Length)
            throw new ArgumentException($"TokenTrace has {ResponseIds.Length} response ids but {ResponseLogProbs.Length} logprobs.");
    }
}
