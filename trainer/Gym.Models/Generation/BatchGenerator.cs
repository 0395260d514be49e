using System.Text;
using Gym.Models.Transformer;
using Gym.Torch;

namespace Gym.Models.Generation;

/// <summary>
/// Batched sampling from a <see cref="CausalLanguageModel"/>: prompts are left-padded into one batch, decoded
/// together with a KV cache (or, for comparison, by recomputing the whole sequence each step), with temperature,
/// top-k, top-p, stop tokens and sequences, and optional constraints to a set of admissible strings.
/// Returns every sequence's exact tokens and their sampling log-probabilities.
/// </summary>
public sealed class BatchGenerator(CausalLanguageModel model, ITokenizer tokenizer)
{
    /// <summary>The model.</summary>
    public CausalLanguageModel Model { get; } = model ?? throw new ArgumentNullException(nameof(model));

    /// <summary>The tokenizer.</summary>
    public ITokenizer Tokenizer { get; } = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));

    /// <summary>
    /// Generates one response per prompt; <paramref name="constraints"/> (per prompt, null for none) limits responses to
    /// admissible strings. With <paramref name="seeds"/> each sequence samples from its own generator, so its tokens do not
    /// depend on which other prompts share the batch; otherwise the batch shares one generator seeded by the options.
    /// </summary>
    public IReadOnlyList<GenerationResult> Generate(IReadOnlyList<int[]> prompts, GenerationOptions options, IReadOnlyList<TokenTrie?>? constraints = null, bool useCache = true, IReadOnlyList<ulong>? seeds = null)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (prompts.Count == 0)
            return [];
        if (constraints is not null && constraints.Count != prompts.Count)
            throw new ArgumentException($"{constraints.Count} constraints for {prompts.Count} prompts.", nameof(constraints));
        if (prompts.Any(p => p.Length == 0))
            throw new ArgumentException("Every prompt needs at least one token.", nameof(prompts));
        if (seeds is not null && seeds.Count != prompts.Count)
            throw new ArgumentException($"{seeds.Count} seeds for {prompts.Count} prompts.", nameof(seeds));

        int batch = prompts.Count;
        int promptLength = prompts.Max(p => p.Length);
        int maxNew = Math.Min(options.MaxNewTokens, Model.Config.MaxPositionEmbeddings - promptLength);
        if (maxNew < 1)
            throw new ArgumentException($"The prompt ({promptLength} tokens) fills the model's context of {Model.Config.MaxPositionEmbeddings}.", nameof(prompts));
        int vocab = Model.Config.VocabSize;
        HashSet<int> stopIds = [.. options.StopTokenIds ?? [Tokenizer.EndOfTurnId]];
        Device device = Model.Device;

        List<int>[] responses = [.. Enumerable.Range(0, batch).Select(_ => new List<int>())];
        List<float>[] logProbs = [.. Enumerable.Range(0, batch).Select(_ => new List<float>())];
        FinishReason[] finish = new FinishReason[batch];
        bool[] done = new bool[batch];
        int[] textCut = new int[batch];
        Array.Fill(textCut, -1);

        using TorchScope outer = new();
        using Generator generator = new(options.Seed, device);
        Generator[]? own = seeds?.Select(s => new Generator(s, device)).ToArray();
        // Left padding keeps every sequence's newest token in the last column.
        long[] ids = new long[batch * promptLength];
        long[] mask = new long[batch * promptLength];
        for (int b = 0; b < batch; b++)
        {
            int pad = promptLength - prompts[b].Length;
            for (int t = 0; t < promptLength; t++)
            {
                ids[b * promptLength + t] = t < pad ? Tokenizer.PadId : prompts[b][t - pad];
                mask[b * promptLength + t] = t < pad ? 0 : 1;
            }
        }
        Tensor sequence = Tensor.From<long>(ids, [batch, promptLength], device);
        Tensor attention = Tensor.From<long>(mask, [batch, promptLength], device);
        Tensor positions = (attention.Cumsum(1) - 1).Clamp(0);
        using KvCache? cache = useCache ? new KvCache(Model.Config, batch, promptLength + maxNew, Model.Dtype, device) : null;

        Tensor logits = Last(Model.Forward(sequence, attention, positions, cache).Logits);
        Tensor lastPosition = positions.Narrow(1, promptLength - 1, 1);
        for (int step = 0; step < maxNew; step++)
        {
            using TorchScope stepScope = new();
            (long[] tokens, float[] tokenLogProbs) = Sample(logits, options, generator, own, constraints, responses, done, vocab, device);
            long[] nextMask = new long[batch];
            for (int b = 0; b < batch; b++)
            {
                if (done[b])
                {
                    tokens[b] = Tokenizer.PadId;
                    continue;
                }
                int token = (int)tokens[b];
                responses[b].Add(token);
                logProbs[b].Add(tokenLogProbs[b]);
                nextMask[b] = 1;
                if (stopIds.Contains(token) || (constraints?[b] is { } trie && trie.Allowed(responses[b].ToArray()).Count == 0))
                {
                    done[b] = true;
                    finish[b] = FinishReason.Stop;
                }
                else if (options.StopSequences.Count > 0 && FindStop(responses[b], options.StopSequences) is int cut and >= 0)
                {
                    done[b] = true;
                    finish[b] = FinishReason.Stop;
                    textCut[b] = cut;
                }
                else if (step == maxNew - 1)
                {
                    finish[b] = FinishReason.Length;
                }
            }
            if (done.All(d => d) || step == maxNew - 1)
                break;
            Tensor next = Tensor.From<long>(tokens, [batch, 1], device);
            Tensor nextAttention = Tensor.From<long>(nextMask, [batch, 1], device);
            attention = Tensor.Cat([attention, nextAttention], 1).MoveToOuterScope();
            lastPosition = (lastPosition + 1).MoveToOuterScope();
            if (cache is not null)
            {
                logits = Last(Model.Forward(next, attention, lastPosition, cache).Logits).MoveToOuterScope();
            }
            else
            {
                // Without a cache the whole sequence is run again: the reference the cache must match.
                sequence = Tensor.Cat([sequence, next], 1).MoveToOuterScope();
                positions = Tensor.Cat([positions, lastPosition], 1).MoveToOuterScope();
                logits = Last(Model.Forward(sequence, attention, positions).Logits).MoveToOuterScope();
            }
        }

        if (own is not null)
        {
            foreach (Generator g in own)
                g.Dispose();
        }
        GenerationResult[] results = new GenerationResult[batch];
        for (int b = 0; b < batch; b++)
        {
            int[] response = [.. responses[b]];
            string text = Tokenizer.Decode(response);
            if (textCut[b] >= 0)
                text = text[..textCut[b]];
            results[b] = new GenerationResult([.. prompts[b]], response, [.. logProbs[b]], text, finish[b]);
        }
        return results;
    }

    private static Tensor Last(Tensor logits) => logits.Select(1, logits.Size(1) - 1);

    // The distribution the token is drawn from: constraints, then temperature, top-k and top-p, as logits.
    private (long[] Tokens, float[] LogProbs) Sample(Tensor rawLogits, GenerationOptions options, Generator generator, Generator[]? own,
        IReadOnlyList<TokenTrie?>? constraints, List<int>[] responses, bool[] done, int vocab, Device device)
    {
        int batch = responses.Length;
        Tensor logits = rawLogits.To(ScalarType.Float32);
        if (constraints is not null && constraints.Any(c => c is not null))
        {
            bool[] allowed = new bool[batch * vocab];
            for (int b = 0; b < batch; b++)
            {
                if (constraints[b] is not { } trie || done[b])
                {
                    Array.Fill(allowed, true, b * vocab, vocab);
                    continue;
                }
                IReadOnlyCollection<int> next = trie.Allowed(responses[b].ToArray());
                if (next.Count == 0)
                    Array.Fill(allowed, true, b * vocab, vocab);
                foreach (int id in next)
                    allowed[b * vocab + id] = true;
            }
            logits = logits.MaskedFill(Tensor.From<bool>(allowed, [batch, vocab], device).LogicalNot(), double.NegativeInfinity);
        }
        bool greedy = options.Temperature == 0;
        if (!greedy && options.Temperature != 1)
            logits = logits / options.Temperature;
        if (options.TopK > 0 && options.TopK < vocab)
        {
            (Tensor top, Tensor _) = logits.TopK(options.TopK, -1);
            logits = logits.MaskedFill(logits.Lt(top.Narrow(1, options.TopK - 1, 1)), double.NegativeInfinity);
        }
        if (options.TopP < 1)
        {
            (Tensor sorted, Tensor _) = logits.Sort(-1, descending: true);
            Tensor probabilities = sorted.Softmax(-1);
            Tensor before = probabilities.Cumsum(-1) - probabilities;            // mass strictly before each token
            Tensor keep = before.Lt(options.TopP).To(ScalarType.Int64).Sum(-1, keepDim: true).Clamp(1);
            Tensor threshold = sorted.Gather(1, (keep - 1).To(ScalarType.Int64));
            logits = logits.MaskedFill(logits.Lt(threshold), double.NegativeInfinity);
        }
        Tensor logSoftmax = logits.LogSoftmax(-1);
        Tensor tokens = greedy ? logits.Argmax(-1, keepDim: true)
            : own is null ? logSoftmax.Exp().Multinomial(1, generator: generator)
            : Tensor.Stack([.. Enumerable.Range(0, batch).Select(b => logSoftmax.Select(0, b).Exp().Multinomial(1, generator: own[b]))], 0);
        Tensor chosen = logSoftmax.Gather(1, tokens);
        return (tokens.ToArray<long>(), chosen.ToArray<float>());
    }

    // The index in the decoded response where a stop sequence starts, or -1.
    private int FindStop(List<int> response, IReadOnlyList<string> stops)
    {
        string text = Tokenizer.Decode(response.ToArray());
        int best = -1;
        foreach (string stop in stops)
        {
            int at = text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (best < 0 || at < best))
                best = at;
        }
        return best;
    }

    /// <summary>A dispose scope for the generator's temporaries, under no-grad.</summary>
    private sealed class TorchScope : IDisposable
    {
        private readonly DisposeScope _scope = TorchRuntime.NewDisposeScope();
        private readonly NoGradScope _noGrad = TorchRuntime.NoGrad();

        public void Dispose()
        {
            _noGrad.Dispose();
            _scope.Dispose();
        }
    }
}
