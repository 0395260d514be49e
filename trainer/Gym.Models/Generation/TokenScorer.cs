using Gym.Models.Transformer;
using TorchSharp;
using static TorchSharp.torch;

namespace Gym.Models.Generation;

/// <summary>Per-token quantities of a batch of responses, laid out by response position.</summary>
/// <param name="LogProbs">[batch, longest response]: log p(response token t | prompt, response tokens before t).</param>
/// <param name="Entropies">[batch, longest response]: the entropy of the distribution that token was drawn from.</param>
/// <param name="ResponseMask">[batch, longest response]: 1 where a response has a token, 0 past its end.</param>
/// <param name="PromptValues">[batch]: the value head at each prompt's last token (the state the response acts on), or null.</param>
public sealed record TokenScores(Tensor LogProbs, Tensor Entropies, Tensor ResponseMask, Tensor? PromptValues);

/// <summary>
/// Log-probabilities and entropies of given response tokens under the current weights (to recompute PPO ratios, or to
/// train), and values from the value head. The work goes where the learned tokens are: each distinct prompt is
/// encoded once (rows with the same prompt attend to its keys and values, <see cref="PrefixCache"/>), then the
/// responses in one short pass; only response positions go through the output head and the softmax, so a prompt of
/// 170 tokens before an action of 3 does not cost 170 vocabulary-wide softmaxes.
/// </summary>
public static class TokenScorer
{
    /// <summary>
    /// Scores each (prompt, response) pair under the distribution the sampler draws from: softmax(logits /
    /// <paramref name="temperature"/>), restricted at each position to the tokens a row's constraint (the admissible
    /// strings it was decoded under, or null) allows there. Gradients flow unless called under no-grad.
    /// </summary>
    /// <remarks>
    /// With <paramref name="sharePrompts"/> false every row's prompt is encoded, shared or not (what a plain
    /// implementation does; <c>bench/run update</c> compares the two).
    /// </remarks>
    public static TokenScores Score(CausalLanguageModel model, IReadOnlyList<(int[] Prompt, int[] Response)> rows, int padId, double temperature = 1.0,
        IReadOnlyList<TokenTrie?>? constraints = null, bool sharePrompts = true)
    {
        if (!(temperature > 0))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The scoring temperature must be positive.");
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
            throw new ArgumentException("There are no rows to score.", nameof(rows));
        if (constraints is not null && constraints.Count != rows.Count)
            throw new ArgumentException($"{constraints.Count} constraints for {rows.Count} rows.", nameof(constraints));
        int vocab = model.Config.VocabSize;
        int batch = rows.Count;
        // Each distinct prompt is encoded once; rows that share it (a recurring state, a group's first step) reuse it.
        Dictionary<int[], int> distinct = new(TokenSequenceComparer.Instance);
        int[] promptOf = new int[batch];
        for (int b = 0; b < batch; b++)
        {
            (int[] prompt, int[] response) = rows[b];
            if (prompt.Length == 0)
                throw new ArgumentException($"Row {b} has an empty prompt.", nameof(rows));
            TokenIds.Check(prompt, vocab, $"row {b}'s prompt");
            TokenIds.Check(response, vocab, $"row {b}'s response");
            if (!sharePrompts)
                distinct[[.. prompt, -1 - b]] = promptOf[b] = b;     // a key no other row has: its own prompt pass
            else if (!distinct.TryGetValue(prompt, out promptOf[b]))
                distinct[prompt] = promptOf[b] = distinct.Count;
        }
        int[][] prompts = [.. distinct.OrderBy(p => p.Value).Select(p => sharePrompts ? p.Key : p.Key[..^1])];
        int unique = prompts.Length, promptLength = prompts.Max(p => p.Length);
        int responses = Math.Max(1, rows.Max(r => r.Response.Length));
        // The response pass feeds every response token but the last (the last is only predicted).
        int fed = responses - 1;
        long[] promptIds = new long[unique * promptLength];
        for (int u = 0; u < unique; u++)
        {
            for (int t = 0; t < promptLength; t++)
                promptIds[u * promptLength + t] = t < prompts[u].Length ? prompts[u][t] : padId;
        }
        long[] responseIds = new long[batch * Math.Max(fed, 1)], positions = new long[batch * Math.Max(fed, 1)], attention = new long[batch * (promptLength + fed)];
        // For response position t of row b: the flat index (prompt states first, then response states) of the hidden
        // state that predicts it, and the token.
        long[] predictors = new long[batch * responses], targets = new long[batch * responses], promptEnds = new long[batch];
        float[] responseMask = new float[batch * responses];
        bool[]? allowed = constraints?.Any(c => c is not null) == true ? new bool[batch * responses * vocab] : null;
        for (int b = 0; b < batch; b++)
        {
            (int[] prompt, int[] response) = rows[b];
            int u = promptOf[b];
            promptEnds[b] = (long)u * promptLength + prompt.Length - 1;
            for (int t = 0; t < fed; t++)
            {
                responseIds[b * fed + t] = t < response.Length ? response[t] : padId;
                positions[b * fed + t] = prompt.Length + t;
            }
            for (int k = 0; k < promptLength + fed; k++)
                attention[b * (promptLength + fed) + k] = k < prompt.Length || k >= promptLength ? 1 : 0;
            for (int t = 0; t < responses; t++)
            {
                int at = b * responses + t;
                bool real = t < response.Length;
                predictors[at] = !real || t == 0 ? promptEnds[b] : (long)unique * promptLength + (long)b * fed + t - 1;
                targets[at] = real ? response[t] : padId;
                responseMask[at] = real ? 1 : 0;
                if (allowed is not null)
                    Allow(allowed.AsSpan(at * vocab, vocab), real ? constraints![b] : null, response.AsSpan(0, real ? t : 0));
            }
        }
        Device device = model.Device;
        PrefixCache prefixes = new(model.Config.NumHiddenLayers);
        Tensor promptHidden = model.HiddenStates(tensor(promptIds, [unique, promptLength], device: device), cache: prefixes).reshape(unique * promptLength, -1);
        Tensor states = promptHidden;
        if (fed > 0)
        {
            Tensor responseHidden = model.HiddenStates(tensor(responseIds, [batch, fed], device: device), tensor(attention, [batch, promptLength + fed], device: device),
                tensor(positions, [batch, fed], device: device), prefixes.Gather(tensor([.. promptOf.Select(u => (long)u)], device: device)));
            states = cat([promptHidden, responseHidden.reshape(batch * fed, -1)], 0);
        }
        Tensor logits = model.Logits(states.index_select(0, tensor(predictors, device: device))).to(ScalarType.Float32);
        if (temperature != 1.0)
            logits = logits / Scalars.Of(temperature);
        Tensor? permitted = allowed is null ? null : tensor(allowed, [batch * responses, vocab], device: device);
        if (permitted is not null)
            logits = logits.masked_fill(permitted.logical_not(), Scalars.NegativeInfinity);
        Tensor logSoftmax = logits.log_softmax(-1);
        Tensor logProbs = logSoftmax.gather(1, tensor(targets, [batch * responses, 1], device: device)).reshape(batch, responses);
        // Tokens a constraint rules out have probability 0 and log-probability -inf: they add nothing to the entropy.
        Tensor finiteLogSoftmax = permitted is null ? logSoftmax : logSoftmax.masked_fill(permitted.logical_not(), Scalars.Of(0.0));
        Tensor entropies = -(logSoftmax.exp() * finiteLogSoftmax).sum(-1).reshape(batch, responses);
        Tensor? values = model.Values(promptHidden.index_select(0, tensor(promptEnds, device: device)));
        return new TokenScores(logProbs, entropies, tensor(responseMask, [batch, responses], device: device), values);
    }

    // The tokens allowed after this response prefix: the constraint's children, or every token without one (or
    // where the prefix left the constraint, which a response decoded under it never does).
    private static void Allow(Span<bool> row, TokenTrie? constraint, ReadOnlySpan<int> prefix)
    {
        IReadOnlyCollection<int>? next = constraint?.Allowed(prefix);
        if (next is null || next.Count == 0)
        {
            row.Fill(true);
            return;
        }
        foreach (int token in next)
            row[token] = true;
    }
}

/// <summary>Token sequences compared by content, for finding rows that share a prompt.</summary>
internal sealed class TokenSequenceComparer : IEqualityComparer<int[]>
{
    public static readonly TokenSequenceComparer Instance = new();

    public bool Equals(int[]? x, int[]? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

    public int GetHashCode(int[] obj)
    {
        HashCode hash = new();
        hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(obj.AsSpan()));
        return hash.ToHashCode();
    }
}
