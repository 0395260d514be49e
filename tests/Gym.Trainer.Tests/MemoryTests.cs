using System.Diagnostics;
using Gym.Models;
using Gym.Models.Transformer;
using Gym.Trainer.Training;

namespace Gym.Trainer.Tests;

/// <summary>Native memory over a long run of the real update path: scorer, PPO loss, clipping, AdamW.</summary>
[TestFixture]
public sealed class MemoryTests
{
    [Test, CancelAfter(600_000), Category("Slow")]
    public void TenThousandUpdateStepsDoNotGrowResidentMemory()
    {
        // One thread: the model is tiny, and libtorch's OpenMP barriers, 13,000 steps of them, crawl when other
        // processes hold the cores (over 5 minutes beside two busy loops on 2 cores, against seconds alone).
        int threads = TorchSharp.torch.get_num_threads();
        TorchSharp.torch.set_num_threads(1);
        try
        {
            Run();
        }
        finally
        {
            TorchSharp.torch.set_num_threads(threads);
        }
    }

    private static void Run()
    {
        ByteTokenizer tokenizer = new();
        using CausalLanguageModel model = new(new ModelConfig { HiddenSize = 16, IntermediateSize = 32, NumHiddenLayers = 1, NumAttentionHeads = 2, NumKeyValueHeads = 1 }, seed: 1);
        using PolicyOptimizer optimizer = new(model, learningRate: 1e-4, weightDecay: 0.01);
        PpoUpdater updater = new(model, optimizer, tokenizer.PadId, new PpoOptions { MinibatchSize = 2 });
        int[] response = [.. tokenizer.Encode("up"), tokenizer.EndOfTurnId];
        TrainingRow[] rows = [.. new[] { "left", "right" }.Select((s, i) =>
            new TrainingRow(tokenizer.Encode(s), response, [.. response.Select(_ => -1f)], i == 0 ? 1 : -1))];
        Random shuffle = new(0);
        // Resident memory less the managed heap's committed bytes: what libtorch and TorchSharp hold.
        static long Native()
        {
            using Process p = Process.GetCurrentProcess();
            p.Refresh();
            return p.WorkingSet64 - GC.GetGCMemoryInfo().TotalCommittedBytes;
        }
        void Train(int steps)
        {
            for (int i = 0; i < steps; i++)
                updater.Update(rows, shuffle);
        }
        // The runtime settles (JIT tiers, allocator pools) over the first thousands of steps: warm up first, then
        // measure 10,000 steps; a leak keeps growing in proportion.
        Train(3000);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        List<long> samples = [Native()];
        for (int round = 0; round < 10; round++)
        {
            Train(1000);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            samples.Add(Native());
        }
        TestContext.Out.WriteLine($"native resident memory every 1000 steps (KiB): {string.Join(", ", samples.Select(s => s / 1024))}");
        Assert.That(optimizer.StepCount, Is.EqualTo(13_000));
        // A leak grows every interval; allocator and thread-stack commits come as one-off jumps, and the runtime
        // creeps (by up to about 540 KiB per interval while other test assemblies run beside it). A leaked hidden
        // state per step ([2, 8, 16] floats, 1 KiB) would add 1 MiB per 1000 steps, the logits ([2, 8, 272]) 17 MiB:
        // the median growth must stay under 1 MiB, and the total bounded.
        long[] increments = [.. samples.Zip(samples.Skip(1), (a, b) => b - a).Order()];
        long median = increments[increments.Length / 2];
        Assert.That(median, Is.LessThan(1024L * 1024), $"native resident memory grows by a median {median / 1024} KiB per 1000 steps");
        Assert.That(samples[^1] - samples[0], Is.LessThan(16L * 1024 * 1024), "native resident memory stays bounded");
    }
}
