using Gym.Core;
using Gym.Models;
using Gym.Models.Generation;
using Gym.Models.Transformer;

namespace Gym.Agents.Policy;

/// <summary>
/// A language-model policy: renders the prompt, samples a response with <see cref="BatchGenerator"/> (optionally
/// constrained to the admissible actions, so an untrained model still acts validly), extracts the action, and
/// returns the exact tokens and their sampling log-probabilities as the turn's <see cref="TokenTrace"/>.
/// Concurrent episodes are batched by the rollout runner.
/// </summary>
public sealed class PolicyAgent : IBatchAgent
{
    private readonly BatchGenerator _generator;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly bool _ownsModel;

    /// <summary>Creates the agent over a model and tokenizer; <paramref name="ownsModel"/> disposes the model with the agent.</summary>
    public PolicyAgent(CausalLanguageModel model, ITokenizer tokenizer, PolicyAgentOptions? options = null, string name = "policy", bool ownsModel = false)
    {
        _generator = new BatchGenerator(model, tokenizer);
        Options = options ?? new PolicyAgentOptions();
        Name = name;
        _ownsModel = ownsModel;
    }

    /// <summary>
    /// Loads a checkpoint directory (config.json and weights) onto <paramref name="device"/> (default: the CPU) with the
    /// byte tokenizer, acting as the checkpoint's <c>gym_agent.json</c> says (how training rendered prompts; greedy)
    /// unless options are given.
    /// </summary>
    public static PolicyAgent FromCheckpoint(string directory, PolicyAgentOptions? options = null, TorchSharp.torch.Device? device = null) =>
        new(CausalLanguageModel.Load(directory, device: device), new ByteTokenizer(), options ?? PolicyAgentOptions.Load(directory), $"policy:{directory}", ownsModel: true);

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The options.</summary>
    public PolicyAgentOptions Options { get; set; }

    /// <inheritdoc />
    public int MaxBatchSize => Options.MaxBatchSize;

    /// <inheritdoc />
    public async ValueTask<AgentTurn> ActAsync(AgentContext context, CancellationToken cancellationToken = default) =>
        (await ActBatchAsync([context], cancellationToken).ConfigureAwait(false))[0];

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<AgentTurn>> ActBatchAsync(IReadOnlyList<AgentContext> contexts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contexts);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return Act(contexts);
        }
        finally
        {
            _gate.Release();
        }
    }

    private List<AgentTurn> Act(IReadOnlyList<AgentContext> contexts)
    {
        PolicyAgentOptions o = Options;
        ITokenizer tokenizer = _generator.Tokenizer;
        int context = _generator.Model.Config.MaxPositionEmbeddings;
        List<int[]> prompts = [];
        List<TokenTrie?> constraints = [];
        List<ulong> seeds = [];
        foreach (AgentContext c in contexts)
        {
            prompts.Add(Prompt(c, tokenizer, context - o.MaxNewTokens));
            IReadOnlyList<string> admissible = c.Observation.AdmissibleActions;
            constraints.Add(o.ConstrainToAdmissible && admissible.Count > 0 ? new TokenTrie(admissible, tokenizer, tokenizer.EndOfTurnId) : null);
            // Each episode samples from its own stream (its sampling seed and step): its actions do not depend on
            // which other episodes share the batch.
            seeds.Add(((ulong)c.SamplingSeed * 0x9E3779B97F4A7C15UL) ^ (ulong)(c.StepIndex + 1) * 0xBF58476D1CE4E5B9UL);
        }
        GenerationOptions generation = new() { MaxNewTokens = o.MaxNewTokens, Temperature = o.Temperature, TopP = o.TopP, TopK = o.TopK };
        IReadOnlyList<GenerationResult> results = _generator.Generate(prompts, generation, constraints, seeds: seeds);
        return [.. results.Select(r => new AgentTurn(
            AgentAction.FromText(PromptRenderer.ExtractAction(r.Text)),
            new TokenTrace(r.PromptIds, r.ResponseIds, r.LogProbs, o.PolicyVersion)))];
    }

    // The prompt with as much history as fits in the budget. Without history it is cut from the left if it still
    // does not fit (keeping the start-of-sequence and system tokens), so the current observation's end survives.
    private int[] Prompt(AgentContext c, ITokenizer tokenizer, int budget)
    {
        for (int history = Options.HistoryTurns; history > 0; history--)
        {
            int[] ids = tokenizer.ApplyChatTemplate(PromptRenderer.Messages(c, history, Options.ShowAdmissibleActions, Options.SystemPrompt), addGenerationPrompt: true);
            if (ids.Length <= budget)
                return ids;
        }
        int[] bare = tokenizer.ApplyChatTemplate(PromptRenderer.Messages(c, 0, Options.ShowAdmissibleActions, Options.SystemPrompt), addGenerationPrompt: true);
        return bare.Length <= budget ? bare : [.. bare[..2], .. bare[^(budget - 2)..]];
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (_ownsModel)
            _generator.Model.Dispose();
        _gate.Dispose();
        return ValueTask.CompletedTask;
    }
}
