using Gym.Models.Transformer;
using TorchSharp;
using static TorchSharp.torch;

namespace Gym.Models.Generation;

/// <summary>Per-token quantities of a batch of prompt + response sequences, aligned with the response tokens.</summary>
/// <param name="LogProbs">[batch, length - 1]: log p(token t+1 | tokens ≤ t).</param>
/// <param name="Entropies">[batch, length - 1]: the entropy of the distribution that predicted token t+1.</param>
/// <param name="Values">[batch, length] value-head outputs, or null.</param>
/// <param name="ResponseMask">[batch, length - 1]: 1 where token t+1 is a response token, else 0.</param>
/// <param name="Lengths">The unpadded length of each sequence.</param>
public sealed record TokenScores(Tensor LogProbs, Tensor Entropies, Tensor? Values, Tensor ResponseMask, int[] Lengths);

/// <summary>
/// Log-probabilities and entropies of given response tokens under the current weights (to recompute PPO ratios,
/// or to train), and values from the value head. Sequences are right-padded into one batch.
/// </summary>
public static class TokenScorer
{
    /// <summary>
    /// Scores each (prompt, response) pair under softmax(logits / <paramref name="temperature"/>), the distribution
    /// the sampler draws from at that temperature; gradients flow unless called under no-grad.
    /// </summary>
    public static TokenScores Score(CausalLanguageModel model, IReadOnlyList<(int[] Prompt, int[] Response)> rows, int padId, double temperature = 1.0)
    {
        if (!(temperature > 0))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The scoring temperature must be positive.");
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
            throw new ArgumentException("There are no rows to score.", nameof(rows));
        int vocab = model.Config.VocabSize;
        int batch = rows.Count;
        int length = rows.Max(r => r.Prompt.Length + r.Response.Length);
        long[] ids = new long[batch * length];
        float[] responseMask = new float[batch * (length - 1)];
        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++)
        {
            (int[] prompt, int[] response) = rows[b];
            if (prompt.Length == 0)
                throw new ArgumentException($"Row {b} has an empty prompt.", nameof(rows));
            TokenIds.Check(prompt, vocab, $"row {b}'s prompt");
            TokenIds.Check(response, vocab, $"row {b}'s response");
            int n = prompt.Length + response.Length;
            lengths[b] = n;
            for (int t = 0; t < length; t++)
            {
                ids[b * length + t] = t < prompt.Length ? prompt[t] : t < n ? response[t - prompt.Length] : padId;
            }
            for (int t = prompt.Length - 1; t < n - 1; t++)
                responseMask[b * (length - 1) + t] = 1;
        }
        Device device = model.Device;
        Tensor input = tensor(ids, [batch, length], device: device);
        // Rows are padded on the right, so causal attention alone keeps padding out of every real token's view.
        ModelOutput output = model.Forward(input);
        Tensor logits = output.Logits.narrow(1, 0, length - 1).to(ScalarType.Float32);
        if (temperature != 1.0)
            logits = logits / temperature;
        Tensor logSoftmax = logits.log_softmax(-1);
        Tensor targets = input.narrow(1, 1, length - 1).unsqueeze(-1);
        Tensor logProbs = logSoftmax.gather(2, targets).squeeze(-1);
        Tensor entropies = -(logSoftmax.exp() * logSoftmax).sum(-1);
        return new TokenScores(logProbs, entropies, output.Values, tensor(responseMask, [batch, length - 1], device: device), lengths);
    }
}
