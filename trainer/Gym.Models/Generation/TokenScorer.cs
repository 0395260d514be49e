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
/// train), and values from the value head. Only the response positions go through the output head and the softmax:
/// a prompt of 170 tokens before an action of 3 costs the decoder layers, not 170 vocabulary-wide softmaxes.
/// Sequences are right-padded into one batch, which causal attention alone keeps out of every real token's view.
/// </summary>
public static class TokenScorer
{
    /// <summary>
    /// Scores each (prompt, response) pair under the distribution the sampler draws from: softmax(logits /
    /// <paramref name="temperature"/>), restricted at each position to the tokens a row's constraint (the admissible
    /// strings it was decoded under, or null) allows there. Gradients flow unless called under no-grad.
    /// </summary>
    public static TokenScores Score(CausalLanguageModel model, IReadOnlyList<(int[] Prompt, int[] Response)> rows, int padId, double temperature = 1.0,
        IReadOnlyList<TokenTrie?>? constraints = null)
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
        int length = rows.Max(r => r.Prompt.Length + r.Response.Length);
        int responses = Math.Max(1, rows.Max(r => r.Response.Length));
        long[] ids = new long[batch * length];
        // For response position t of row b: the flat index of the hidden state that predicts it, and the token.
        long[] predictors = new long[batch * responses], targets = new long[batch * responses], promptEnds = new long[batch];
        float[] responseMask = new float[batch * responses];
        bool[]? allowed = constraints?.Any(c => c is not null) == true ? new bool[batch * responses * vocab] : null;
        for (int b = 0; b < batch; b++)
        {
            (int[] prompt, int[] response) = rows[b];
            if (prompt.Length == 0)
                throw new ArgumentException($"Row {b} has an empty prompt.", nameof(rows));
            TokenIds.Check(prompt, vocab, $"row {b}'s prompt");
            TokenIds.Check(response, vocab, $"row {b}'s response");
            int n = prompt.Length + response.Length;
            for (int t = 0; t < length; t++)
                ids[b * length + t] = t < prompt.Length ? prompt[t] : t < n ? response[t - prompt.Length] : padId;
            promptEnds[b] = (long)b * length + prompt.Length - 1;
            for (int t = 0; t < responses; t++)
            {
                int at = b * responses + t;
                bool real = t < response.Length;
                predictors[at] = real ? (long)b * length + prompt.Length - 1 + t : promptEnds[b];
                targets[at] = real ? response[t] : padId;
                responseMask[at] = real ? 1 : 0;
                if (allowed is not null)
                    Allow(allowed.AsSpan(at * vocab, vocab), real ? constraints![b] : null, response.AsSpan(0, real ? t : 0));
            }
        }
        Device device = model.Device;
        Tensor hidden = model.HiddenStates(tensor(ids, [batch, length], device: device)).reshape(batch * length, -1);
        Tensor logits = model.Logits(hidden.index_select(0, tensor(predictors, device: device))).to(ScalarType.Float32);
        if (temperature != 1.0)
            logits = logits / temperature;
        Tensor? permitted = allowed is null ? null : tensor(allowed, [batch * responses, vocab], device: device);
        if (permitted is not null)
            logits = logits.masked_fill(permitted.logical_not(), double.NegativeInfinity);
        Tensor logSoftmax = logits.log_softmax(-1);
        Tensor logProbs = logSoftmax.gather(1, tensor(targets, [batch * responses, 1], device: device)).reshape(batch, responses);
        // Tokens a constraint rules out have probability 0 and log-probability -inf: they add nothing to the entropy.
        Tensor finiteLogSoftmax = permitted is null ? logSoftmax : logSoftmax.masked_fill(permitted.logical_not(), 0);
        Tensor entropies = -(logSoftmax.exp() * finiteLogSoftmax).sum(-1).reshape(batch, responses);
        Tensor? values = model.Values(hidden.index_select(0, tensor(promptEnds, device: device)));
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
