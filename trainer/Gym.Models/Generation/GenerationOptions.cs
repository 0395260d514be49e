namespace Gym.Models.Generation;

/// <summary>How to sample; defaults are documented on each property.</summary>
public sealed record GenerationOptions
{
    /// <summary>Most tokens to generate per sequence (default 64).</summary>
    public int MaxNewTokens { get; init; } = 64;

    /// <summary>Softmax temperature; 0 is greedy (default 1).</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Nucleus sampling: keep the smallest set of tokens whose probability reaches this (default 1: off).</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>Keep only the k most likely tokens (default 0: off).</summary>
    public int TopK { get; init; }

    /// <summary>Seed of the sampler: the same seed, model and prompts give the same tokens (default 0).</summary>
    public ulong Seed { get; init; }

    /// <summary>Texts that end a sequence when they appear in its decoded response (they are kept in the tokens).</summary>
    public IReadOnlyList<string> StopSequences { get; init; } = [];

    /// <summary>Tokens that end a sequence (default: the tokenizer's end-of-turn token).</summary>
    public IReadOnlyList<int>? StopTokenIds { get; init; }

    /// <summary>How many of the most likely tokens to report at each step, with their log-probabilities (default 0; at most 20).</summary>
    public int TopLogProbs { get; init; }

    /// <summary>Checks the values; the message names the field.</summary>
    public void Validate()
    {
        if (MaxNewTokens < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxNewTokens), MaxNewTokens, "MaxNewTokens must be at least 1.");
        if (Temperature < 0 || !double.IsFinite(Temperature))
            throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "Temperature must be 0 (greedy) or positive.");
        if (TopP is <= 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(TopP), TopP, "TopP must be in (0, 1].");
        if (TopK < 0)
            throw new ArgumentOutOfRangeException(nameof(TopK), TopK, "TopK must be 0 (off) or positive.");
        if (TopLogProbs is < 0 or > 20)
            throw new ArgumentOutOfRangeException(nameof(TopLogProbs), TopLogProbs, "TopLogProbs must be between 0 and 20.");
    }
}

/// <summary>Why a sequence stopped.</summary>
public enum FinishReason
{
    /// <summary>It produced a stop token or stop sequence (or completed a constrained choice).</summary>
    Stop,
    /// <summary>It reached <see cref="GenerationOptions.MaxNewTokens"/> or the model's context.</summary>
    Length,
    /// <summary>Its request was cancelled (the client went away); the tokens so far are kept.</summary>
    Cancelled,
}

/// <summary>One generated sequence with its exact tokens.</summary>
/// <param name="PromptIds">The prompt tokens.</param>
/// <param name="ResponseIds">The sampled tokens, stop token included.</param>
/// <param name="LogProbs">The log-probability of each sampled token under the distribution it was sampled from.</param>
/// <param name="Text">The response decoded, without special tokens and cut at a stop sequence.</param>
/// <param name="Finish">Why it stopped.</param>
/// <param name="TopLogProbs">
/// With <see cref="GenerationOptions.TopLogProbs"/>, per response token the most likely tokens of the distribution it
/// was sampled from, most likely first; otherwise null.
/// </param>
public sealed record GenerationResult(int[] PromptIds, int[] ResponseIds, float[] LogProbs, string Text, FinishReason Finish,
    IReadOnlyList<TokenLogProb[]>? TopLogProbs = null);

/// <summary>A token and its log-probability.</summary>
/// <param name="Token">The token id.</param>
/// <param name="LogProb">Its log-probability.</param>
public readonly record struct TokenLogProb(int Token, float LogProb);

/// <summary>One sequence to generate, with its own settings: the unit a server batches.</summary>
/// <param name="Prompt">The prompt tokens (at least one).</param>
/// <param name="Options">How to sample this sequence.</param>
/// <param name="Constraint">The admissible strings it must produce one of, or null.</param>
/// <param name="Seed">Its own sampler seed, so its tokens do not depend on the rest of the batch.</param>
/// <param name="Cancellation">Stops this sequence (and only this one) when cancelled.</param>
public sealed record GenerationRequest(int[] Prompt, GenerationOptions Options, TokenTrie? Constraint, ulong Seed, CancellationToken Cancellation = default);
