using Gym.Models;
using Gym.Models.Transformer;
using Gym.Serving;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Gym.Testing;

/// <summary>Small real models for serving tests: a random one, or one fine-tuned until it gives a fixed reply.</summary>
public static class ServedModels
{
    /// <summary>The byte tokenizer every served test model uses.</summary>
    public static readonly ByteTokenizer Tokenizer = new();

    /// <summary>A two-layer model small enough to train in a test.</summary>
    public static ModelConfig Tiny(int context = 512) => new()
    {
        VocabSize = ByteTokenizer.DefaultVocabSize, HiddenSize = 48, IntermediateSize = 96, NumHiddenLayers = 2,
        NumAttentionHeads = 4, NumKeyValueHeads = 2, MaxPositionEmbeddings = context,
    };

    /// <summary>Trains <paramref name="model"/> until it answers every prompt with <paramref name="reply"/> (and the end token).</summary>
    public static void Overfit(CausalLanguageModel model, IReadOnlyList<int[]> prompts, string reply, int steps = 200)
    {
        using AdamW optimizer = optim.AdamW(model.parameters(), lr: 1e-2, weight_decay: 0);
        int[] response = [.. Tokenizer.Encode(reply), Tokenizer.EndOfTurnId];
        int length = prompts.Max(p => p.Length) + response.Length;
        long[] ids = new long[prompts.Count * length];
        long[] targets = new long[prompts.Count * length];
        Array.Fill(targets, -100);
        for (int b = 0; b < prompts.Count; b++)
        {
            int[] row = [.. prompts[b], .. response];
            for (int t = 0; t < length; t++)
                ids[b * length + t] = t < row.Length ? row[t] : Tokenizer.PadId;
            // Position t predicts token t + 1: only the reply's tokens are trained.
            for (int t = prompts[b].Length - 1; t < row.Length - 1; t++)
                targets[b * length + t] = row[t + 1];
        }
        for (int step = 0; step < steps; step++)
        {
            using DisposeScope scope = NewDisposeScope();
            Tensor input = tensor(ids, [prompts.Count, length]);
            Tensor logits = model.Forward(input).Logits;
            Tensor loss = nn.functional.cross_entropy(logits.reshape(-1, model.Config.VocabSize), tensor(targets, [prompts.Count * length]));
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            if (loss.item<float>() < 0.01)
                break;
        }
    }

    /// <summary>Serves <paramref name="model"/> on a free port of 127.0.0.1.</summary>
    public static Task<OpenAiServer> ServeAsync(CausalLanguageModel model, string name = "tiny", int maxBatch = 32) =>
        OpenAiServer.StartAsync(new ServedModel(name, model, Tokenizer), new ServerOptions { Port = 0, MaxBatchSize = maxBatch });
}
