using System.Diagnostics;
using Gym.Models;
using Gym.Models.Generation;
using Gym.Models.Transformer;
using TorchSharp;
using static TorchSharp.torch;

namespace Gym.Bench;

/// <summary>
/// Policy throughput: forward+backward tokens/s of the model bench/model_bench.py runs in PyTorch eager (same
/// sizes, same threads), and generation tokens/s with and without the KV cache.
/// </summary>
internal static class ModelBenchmark
{
    private static readonly ModelConfig Config = new()
    {
        VocabSize = 272, HiddenSize = 256, IntermediateSize = 688, NumHiddenLayers = 4, NumAttentionHeads = 8, NumKeyValueHeads = 4,
        MaxPositionEmbeddings = 512, TieWordEmbeddings = false,
    };

    private const int Batch = 8, Length = 128;

    public static int Train(string[] args)
    {
        int threads = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 2;
        int iterations = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20;
        TorchDevices.SetThreads(threads);
        using CausalLanguageModel model = new(Config, seed: 1);
        using Generator g = new(0);
        using Tensor ids = randint(0, Config.VocabSize, [Batch, Length], generator: g);
        void Step()
        {
            using DisposeScope scope = NewDisposeScope();
            model.zero_grad();
            Tensor logits = model.Forward(ids).Logits;
            nn.functional.cross_entropy(logits.narrow(1, 0, Length - 1).reshape(-1, Config.VocabSize), ids.narrow(1, 1, Length - 1).reshape(-1)).backward();
        }
        for (int i = 0; i < 3; i++)
            Step();
        Stopwatch clock = Stopwatch.StartNew();
        for (int i = 0; i < iterations; i++)
            Step();
        double seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"gym: forward+backward {Batch * Length * iterations / seconds:0} tokens/s ({seconds / iterations * 1000:0.0} ms/step, {threads} threads, TorchSharp with libtorch {__version__})");
        return 0;
    }

    public static int Generate(string[] args)
    {
        int threads = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 2;
        TorchDevices.SetThreads(threads);
        using CausalLanguageModel model = new(Config, seed: 1);
        ByteTokenizer tokenizer = new();
        BatchGenerator generator = new(model, tokenizer);
        // Prompts of one length (43 byte tokens), as the peer's: no padding on either side.
        int[][] prompts = [.. Enumerable.Range(0, Batch).Select(i => tokenizer.Encode($"prompt number {i:D2}: describe the room and act."))];
        GenerationOptions options = new() { MaxNewTokens = 64, Temperature = 0, StopTokenIds = [] };
        foreach (bool cache in new[] { true, false })
        {
            generator.Generate(prompts, options with { MaxNewTokens = 4 }, useCache: cache);
            // The median of five runs: one run is under a second, and this machine's neighbours are noisy.
            List<double> rates = [];
            for (int run = 0; run < 5; run++)
            {
                Stopwatch clock = Stopwatch.StartNew();
                IReadOnlyList<GenerationResult> results = generator.Generate(prompts, options, useCache: cache);
                rates.Add(results.Sum(r => r.ResponseIds.Length) / clock.Elapsed.TotalSeconds);
            }
            rates.Sort();
            Console.WriteLine($"gym generation {(cache ? "with" : "without")} KV cache: {rates[2]:0} tokens/s, median of 5 ({Batch} sequences x 64 tokens, prompts of {prompts.Max(p => p.Length)} tokens, {threads} threads)");
        }
        return 0;
    }
}
