using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Gym.Agents;
using Gym.Core.Evaluation;
using Gym.Core.Registry;
using Gym.Core.Tasks;
using Gym.Core.Trajectories;
using Gym.Envs.Text;
using Gym.Models;
using Gym.Models.Generation;
using Gym.Models.Transformer;
using Gym.Trainer.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Gym.Bench;

/// <summary>
/// The PPO update of the main job's policy on one iteration's worth of rows, beside PyTorch eager doing the same
/// update (bench/update_bench.py: the same checkpoint, the same rows in the same order, the same threads).
/// <c>update-rows DIR</c> records the rows: the oracle's episodes on 16 training maps of text/frozenlake-4x4, 8 per
/// map as a group, rendered as the main job's agent renders prompts, with fixed advantages and the checkpoint's own
/// log-probabilities as the old ones. <c>update DIR [threads] [repeats] [plain]</c> times the update (plain: every
/// row's prompt encoded, as the peer does).
/// </summary>
internal static class UpdateBenchmark
{
    private sealed record Row(int[] Prompt, int[] Response, float[] Old, double Advantage);

    // Minibatches in the order written, as the peer takes them.
    private sealed class InOrder : Random
    {
        public override int Next(int minValue, int maxValue) => minValue;
    }

    public static async Task<int> WriteRowsAsync(string[] args)
    {
        string dir = args[0];
        string root = Environment.GetEnvironmentVariable("GYM_ROOT") ?? Directory.GetCurrentDirectory();
        TrainConfig config = TrainConfig.Load(Path.Combine(root, "configs", "main.json"));
        EnvRegistry registry = new EnvRegistry().AddTextEnvironments();
        TaskSuite suite = TaskSuiteLoader.Load("text/frozenlake-4x4", Path.Combine(root, "tasks"), registry.Contains).Take("train", 16);
        await using (OracleAgent oracle = new(registry))
            await SuiteEvaluator.EvaluateAsync(registry, oracle, suite, "train", 8, Path.Combine(dir, "oracle"));
        List<Episode> episodes = [.. TrajectoryReader.ReadFile(Path.Combine(dir, "oracle", "trajectories.msgpack")).Episodes];
        ByteTokenizer tokenizer = new();
        List<(int[] Prompt, int[] Response)> pairs = SupervisedFineTuning.Rows(episodes, registry, config, tokenizer);
        using CausalLanguageModel model = CausalLanguageModel.Load(dir);
        List<Row> rows = [];
        for (int start = 0; start < pairs.Count; start += 128)
        {
            (int[], int[])[] batch = [.. pairs.Skip(start).Take(128)];
            using DisposeScope scope = NewDisposeScope();
            using IDisposable noGrad = no_grad();
            float[] logProbs = TokenScorer.Score(model, batch, tokenizer.PadId).LogProbs.ToArray<float>();
            int width = logProbs.Length / batch.Length;
            for (int b = 0; b < batch.Length; b++)
            {
                int i = start + b;
                rows.Add(new Row(batch[b].Item1, batch[b].Item2, logProbs.AsSpan(b * width, batch[b].Item2.Length).ToArray(), (i * 7919 % 13 - 6) / 6.0));
            }
        }
        File.WriteAllText(Path.Combine(dir, "rows.json"), JsonSerializer.Serialize(rows, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
        Console.WriteLine($"{rows.Count} rows, {rows.Select(r => string.Join(',', r.Prompt)).Distinct().Count()} distinct prompts, {rows.Average(r => r.Prompt.Length):0} prompt and {rows.Average(r => r.Response.Length):0.0} response tokens on average");
        return 0;
    }

    public static int Run(string[] args)
    {
        string dir = args[0];
        int threads = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2;
        int repeats = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
        bool plain = args.Length > 3 && args[3] == "plain";
        TorchDevices.SetThreads(threads);
        List<Row> rows = JsonSerializer.Deserialize<List<Row>>(File.ReadAllText(Path.Combine(dir, "rows.json")), new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })!;
        TrainingRow[] training = [.. rows.Select(r => new TrainingRow(r.Prompt, r.Response, r.Old, r.Advantage))];
        using CausalLanguageModel model = CausalLanguageModel.Load(dir);
        using PolicyOptimizer optimizer = new(model, learningRate: 6e-4, weightDecay: 0);
        PpoUpdater updater = new(model, optimizer, new ByteTokenizer().PadId, new PpoOptions { Epochs = 1, MinibatchSize = 128, SharePrompts = !plain });
        UpdateStatistics first = updater.Update(training, new InOrder());
        List<double> seconds = [];
        for (int i = 0; i < repeats; i++)
        {
            Stopwatch clock = Stopwatch.StartNew();
            updater.Update(training, new InOrder());
            seconds.Add(clock.Elapsed.TotalSeconds);
        }
        seconds.Sort();
        double median = seconds[seconds.Count / 2];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"gym{(plain ? " (every prompt encoded)" : "")}: update {rows.Count / median:0} rows/s ({median * 1000:0} ms per update of {rows.Count} rows, median of {repeats}, {threads} threads), first loss {first.PolicyLoss:0.000000}"));
        return 0;
    }
}
