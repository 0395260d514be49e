using Gym.Models.Transformer;
using TorchSharp;
using static TorchSharp.torch;

namespace Gym.Models.Generation;

/// <summary>
/// Batched sampling from a <see cref="CausalLanguageModel"/>: prompts are left-padded into one batch, decoded
/// together with a KV cache (or, for comparison, by recomputing the whole sequence each step), with temperature,
/// top-k, top-p, stop tokens and sequences, and optional constraints to a set of admissible strings; each sequence
/// may carry its own settings. Returns every sequence's exact tokens and their sampling log-probabilities.
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
        if (constraints is not null && constraints.Count != prompts.Count)
            throw new ArgumentException($"{constraints.Count} constraints for {prompts.Count} prompts.", nameof(constraints));
        if (seeds is not null && seeds.Count != prompts.Count)
            throw new ArgumentException($"{seeds.Count} seeds for {prompts.Count} prompts.", nameof(seeds));
        GenerationRequest[] requests = [.. prompts.Select((p, i) => new GenerationRequest(p, options, constraints?[i], seeds?[i] ?? 0))];
        return Run(requests, useCache, seeds is null ? options.Seed : null, onToken: null);
    }

    /// <summary>
    /// Generates one response per request, each with its own settings, constraint and sampler seed (what a server
    /// batches from concurrent clients). <paramref name="onToken"/> is called with (request index, token) as each token
    /// is chosen, for streaming. A cancelled request stops early with <see cref="FinishReason.Cancelled"/>.
    /// </summary>
    public IReadOnlyList<GenerationResult> Generate(IReadOnlyList<GenerationRequest> requests, bool useCache = true, Action<int, int>? onToken = null)
    {
        ArgumentNullException.ThrowIfNull(requests);
        return Run(requests, useCache, sharedSeed: null, onToken);
    }

    private IReadOnlyList<GenerationResult> Run(IReadOnlyList<GenerationRequest> requests, bool useCache, ulong? sharedSeed, Action<int, int>? onToken)
    {
        if (requests.Count == 0)
            return [];
        int batch = requests.Count;
        int context = Model.Config.MaxPositionEmbeddings;
        int[] rowMax = new int[batch];
        for (int b = 0; b < batch; b++)
        {
            GenerationRequest r = requests[b] ?? throw new ArgumentException($"Request {b} is null.", nameof(requests));
            ArgumentNullException.ThrowIfNull(r.Prompt);
            r.Options.Validate();
            if (r.Prompt.Length == 0)
                throw new ArgumentException($"Every prompt needs at least one token (prompt {b} has none).", nameof(requests));
            TokenIds.Check(r.Prompt, Model.Config.VocabSize, $"prompt {b}");
            rowMax[b] = Math.Min(r.Options.MaxNewTokens, context - r.Prompt.Length);
            if (rowMax[b] < 1)
                throw new ArgumentException($"Prompt {b} ({r.Prompt.Length} tokens) fills the model's context of {context}.", nameof(requests));
        }
        Rows rows = new(requests, Tokenizer.EndOfTurnId);
        int promptLength = requests.Max(r => r.Prompt.Length);
        int maxNew = rowMax.Max();
        int vocab = Model.Config.VocabSize;
        Device device = Model.Device;

        List<int>[] responses = [.. Enumerable.Range(0, batch).Select(_ => new List<int>())];
        List<float>[] logProbs = [.. Enumerable.Range(0, batch).Select(_ => new List<float>())];
        List<TokenLogProb[]>?[] tops = [.. requests.Select(r => r.Options.TopLogProbs > 0 ? new List<TokenLogProb[]>() : null)];
        FinishReason[] finish = new FinishReason[batch];
        bool[] done = new bool[batch];
        int[] textCut = new int[batch];
        Array.Fill(textCut, -1);

        using TorchScope outer = new();
        using Generator? shared = sharedSeed is { } seed ? new Generator(seed, device) : null;
        Generator[]? own = shared is null ? [.. requests.Select(r => new Generator(r.Seed, device))] : null;
        try
        {
            // Left padding keeps every sequence's newest token in the last column.
            long[] ids = new long[batch * promptLength];
            long[] mask = new long[batch * promptLength];
            for (int b = 0; b < batch; b++)
            {
                int[] prompt = requests[b].Prompt;
                int pad = promptLength - prompt.Length;
                for (int t = 0; t < promptLength; t++)
                {
                    ids[b * promptLength + t] = t < pad ? Tokenizer.PadId : prompt[t - pad];
                    mask[b * promptLength + t] = t < pad ? 0 : 1;
                }
            }
            Tensor sequence = tensor(ids, [batch, promptLength], device: device);
            Tensor attention = tensor(mask, [batch, promptLength], device: device);
            Tensor positions = (attention.cumsum(1) - Scalars.Of(1L)).clamp(Scalars.Of(0L));
            // Prompts of one length need no attention mask: finished sequences go on with padding, but no sequence
            // attends to another, so their tokens change nothing that is used.
            bool padded = requests.Any(r => r.Prompt.Length != promptLength);
            using KvCache? cache = useCache ? new KvCache(Model.Config, batch, promptLength + maxNew, Model.Dtype, device) : null;

            Tensor logits = Model.Logits(Last(Model.HiddenStates(sequence, padded ? attention : null, positions, cache)));
            Tensor lastPosition = positions.narrow(1, promptLength - 1, 1);
            for (int step = 0; step < maxNew; step++)
            {
                using TorchScope stepScope = new();
                (long[] tokens, float[] tokenLogProbs, TokenLogProb[][]? top) = Sample(logits, rows, shared, own, responses, done, vocab, device);
                long[] nextMask = new long[batch];
                for (int b = 0; b < batch; b++)
                {
                    if (!done[b] && requests[b].Cancellation.IsCancellationRequested)
                    {
                        done[b] = true;
                        finish[b] = FinishReason.Cancelled;
                    }
                    if (done[b])
                    {
                        tokens[b] = Tokenizer.PadId;
                        continue;
                    }
                    int token = (int)tokens[b];
                    responses[b].Add(token);
                    logProbs[b].Add(tokenLogProbs[b]);
                    tops[b]?.Add(top![b]);
                    nextMask[b] = 1;
                    onToken?.Invoke(b, token);
                    IReadOnlyList<string> stops = requests[b].Options.StopSequences;
                    if (rows.StopIds[b].Contains(token) || (rows.Constraints[b] is { } trie && trie.Allowed(responses[b].ToArray()).Count == 0))
                    {
                        done[b] = true;
                        finish[b] = FinishReason.Stop;
                    }
                    else if (stops.Count > 0 && FindStop(responses[b], stops) is int cut and >= 0)
                    {
                        done[b] = true;
                        finish[b] = FinishReason.Stop;
                        textCut[b] = cut;
                    }
                    else if (responses[b].Count == rowMax[b])
                    {
                        done[b] = true;
                        finish[b] = FinishReason.Length;
                    }
                }
                if (done.All(d => d) || step == maxNew - 1)
                    break;
                Tensor next = tensor(tokens, [batch, 1], device: device);
                if (padded)
                    attention = cat([attention, tensor(nextMask, [batch, 1], device: device)], 1).MoveToOuterDisposeScope();
                lastPosition = (lastPosition + Scalars.Of(1L)).MoveToOuterDisposeScope();
                if (cache is not null)
                {
                    logits = Model.Logits(Last(Model.HiddenStates(next, padded ? attention : null, lastPosition, cache))).MoveToOuterDisposeScope();
                }
                else
                {
                    // Without a cache the whole sequence is run again: the reference the cache must match.
                    sequence = cat([sequence, next], 1).MoveToOuterDisposeScope();
                    positions = cat([positions, lastPosition], 1).MoveToOuterDisposeScope();
                    logits = Model.Logits(Last(Model.HiddenStates(sequence, padded ? attention : null, positions))).MoveToOuterDisposeScope();
                }
            }
        }
        finally
        {
            foreach (Generator g in own ?? [])
                g.Dispose();
        }

        GenerationResult[] results = new GenerationResult[batch];
        for (int b = 0; b < batch; b++)
        {
            int[] response = [.. responses[b]];
            string text = Tokenizer.Decode(response);
            if (textCut[b] >= 0)
                text = text[..textCut[b]];
            results[b] = new GenerationResult([.. requests[b].Prompt], response, [.. logProbs[b]], text, finish[b], tops[b]);
        }
        return results;
    }

    // The newest position's hidden state: only it goes through the output head.
    private static Tensor Last(Tensor hidden) => hidden.select(1, hidden.size(1) - 1);

    // The distribution each token is drawn from: constraints, then temperature, top-k and top-p, as logits.
    private (long[] Tokens, float[] LogProbs, TokenLogProb[][]? Top) Sample(Tensor rawLogits, Rows rows, Generator? shared, Generator[]? own,
        List<int>[] responses, bool[] done, int vocab, Device device)
    {
        int batch = responses.Length;
        Tensor logits = rawLogits.to(ScalarType.Float32);
        if (rows.Constraints.Any(c => c is not null))
        {
            bool[] allowed = new bool[batch * vocab];
            for (int b = 0; b < batch; b++)
            {
                if (rows.Constraints[b] is not { } trie || done[b])
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
            logits = logits.masked_fill(tensor(allowed, [batch, vocab], device: device).logical_not(), Scalars.NegativeInfinity);
        }
        logits = Temper(logits, rows, device);
        logits = KeepTopK(logits, rows, vocab, device);
        logits = KeepTopP(logits, rows, device);
        Tensor logSoftmax = logits.log_softmax(-1);
        Tensor tokens = rows.AllGreedy ? logits.argmax(-1, keepdim: true)
            : own is null ? logSoftmax.exp().multinomial(1, generator: shared)
            : stack([.. Enumerable.Range(0, batch).Select(b => rows.Greedy[b]
                ? logits.select(0, b).argmax(-1, keepdim: true)
                : logSoftmax.select(0, b).exp().multinomial(1, generator: own[b]))], 0);
        Tensor chosen = logSoftmax.gather(1, tokens);
        return (tokens.ToArray<long>(), chosen.ToArray<float>(), rows.MaxTopLogProbs > 0 ? Top(logSoftmax, rows, batch) : null);
    }

    // Greedy rows keep temperature 1, so the log-probability they report is the model's own.
    private static Tensor Temper(Tensor logits, Rows rows, Device device)
    {
        if (rows.Uniform)
        {
            double t = rows.Temperature[0];
            return t is 0 or 1 ? logits : logits / Scalars.Of(t);
        }
        if (rows.Temperature.All(t => t is 0 or 1))
            return logits;
        float[] divisors = [.. rows.Temperature.Select(t => t == 0 ? 1f : (float)t)];
        return logits / tensor(divisors, [divisors.Length, 1], device: device);
    }

    private static Tensor KeepTopK(Tensor logits, Rows rows, int vocab, Device device)
    {
        bool[] on = [.. rows.TopK.Select(k => k > 0 && k < vocab)];
        if (!on.Any(x => x))
            return logits;
        if (rows.Uniform)
        {
            int k = rows.TopK[0];
            (Tensor top, Tensor _) = logits.topk(k, -1);
            return logits.masked_fill(logits.lt(top.narrow(1, k - 1, 1)), Scalars.NegativeInfinity);
        }
        int widest = rows.TopK.Where((k, b) => on[b]).Max();
        (Tensor values, Tensor _) = logits.topk(widest, -1);
        long[] index = [.. rows.TopK.Select((k, b) => on[b] ? k - 1L : 0L)];
        Tensor threshold = values.gather(1, tensor(index, [index.Length, 1], device: device))
            .masked_fill(tensor([.. on.Select(x => !x)], [on.Length, 1], device: device), Scalars.NegativeInfinity);
        return logits.masked_fill(logits.lt(threshold), Scalars.NegativeInfinity);
    }

    private static Tensor KeepTopP(Tensor logits, Rows rows, Device device)
    {
        if (rows.TopP.All(p => p >= 1))
            return logits;
        (Tensor sorted, Tensor _) = logits.sort(-1, descending: true);
        Tensor probabilities = sorted.softmax(-1);
        Tensor before = probabilities.cumsum(-1) - probabilities;            // mass strictly before each token
        // Rows without top-p compare with 2, which no cumulative mass reaches (1 might, by rounding).
        Tensor within = rows.Uniform ? before.lt(Scalars.Of(rows.TopP[0]))
            : before.lt(tensor([.. rows.TopP.Select(p => p >= 1 ? 2f : (float)p)], [rows.TopP.Length, 1], device: device));
        Tensor keep = within.to(ScalarType.Int64).sum(-1, keepdim: true).clamp(Scalars.Of(1L));
        Tensor threshold = sorted.gather(1, (keep - Scalars.Of(1L)).to(ScalarType.Int64));
        return logits.masked_fill(logits.lt(threshold), Scalars.NegativeInfinity);
    }

    private static TokenLogProb[][] Top(Tensor logSoftmax, Rows rows, int batch)
    {
        int n = rows.MaxTopLogProbs;
        (Tensor values, Tensor indices) = logSoftmax.topk(n, -1);
        float[] v = values.ToArray<float>();
        long[] ix = indices.ToArray<long>();
        TokenLogProb[][] top = new TokenLogProb[batch][];
        for (int b = 0; b < batch; b++)
        {
            top[b] = [.. Enumerable.Range(b * n, rows.TopLogProbs[b])
                .Where(i => !float.IsNegativeInfinity(v[i]))          // tokens a constraint or filter removed
                .Select(i => new TokenLogProb((int)ix[i], v[i]))];
        }
        return top;
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

    /// <summary>Each sequence's sampling settings, as arrays over the batch.</summary>
    private sealed class Rows
    {
        public Rows(IReadOnlyList<GenerationRequest> requests, int endOfTurn)
        {
            Uniform = requests.All(r => ReferenceEquals(r.Options, requests[0].Options) || r.Options == requests[0].Options);
            Temperature = [.. requests.Select(r => r.Options.Temperature)];
            TopK = [.. requests.Select(r => r.Options.TopK)];
            TopP = [.. requests.Select(r => r.Options.TopP)];
            TopLogProbs = [.. requests.Select(r => r.Options.TopLogProbs)];
            Greedy = [.. Temperature.Select(t => t == 0)];
            AllGreedy = Greedy.All(g => g);
            MaxTopLogProbs = TopLogProbs.Max();
            Constraints = [.. requests.Select(r => r.Constraint)];
            StopIds = [.. requests.Select(r => new HashSet<int>(r.Options.StopTokenIds ?? [endOfTurn]))];
        }

        public bool Uniform { get; }
        public double[] Temperature { get; }
        public int[] TopK { get; }
        public double[] TopP { get; }
        public int[] TopLogProbs { get; }
        public bool[] Greedy { get; }
        public bool AllGreedy { get; }
        public int MaxTopLogProbs { get; }
        public TokenTrie?[] Constraints { get; }
        public HashSet<int>[] StopIds { get; }
    }

    /// <summary>A dispose scope for the generator's temporaries, under no-grad.</summary>
    private sealed class TorchScope : IDisposable
    {
        private readonly DisposeScope _scope = NewDisposeScope();
        private readonly IDisposable _noGrad = no_grad();

        public void Dispose()
        {
            _noGrad.Dispose();
            _scope.Dispose();
        }
    }
}
