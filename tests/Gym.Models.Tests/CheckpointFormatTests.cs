using System.Text.Json;
using Gym.Models.Transformer;
using Gym.Testing;
using TorchSharp;
using static TorchSharp.torch;

namespace Gym.Models.Tests;

/// <summary>Checkpoints in the layouts Hugging Face writes, and what the model refuses.</summary>
[TestFixture]
public sealed class CheckpointFormatTests
{
    private static ModelConfig Tiny() => new()
    {
        HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2, MaxPositionEmbeddings = 64, TieWordEmbeddings = false,
    };

    [Test]
    public void AShardedCheckpointLoadsLikeASingleFile()
    {
        string dir = TestPaths.TempDirectory();
        using CausalLanguageModel model = new(Tiny(), seed: 2);
        model.Config.Save(Path.Combine(dir, "config.json"));
        (string Name, Tensor Tensor)[] all = [.. model.named_parameters().Select(p => (p.name, (Tensor)p.parameter))];
        Dictionary<string, string> map = [];
        for (int shard = 0; shard < 2; shard++)
        {
            string file = $"model-{shard + 1:D5}-of-00002.safetensors";
            (string, Tensor)[] part = [.. all.Where((_, i) => i % 2 == shard)];
            Safetensors.Save(Path.Combine(dir, file), part);
            foreach ((string name, Tensor _) in part)
                map[name] = file;
        }
        File.WriteAllText(Path.Combine(dir, "model.safetensors.index.json"), JsonSerializer.Serialize(new { metadata = new { }, weight_map = map }));

        using CausalLanguageModel loaded = CausalLanguageModel.Load(dir);
        using DisposeScope scope = NewDisposeScope();
        Tensor ids = tensor(new long[] { 3, 1, 4, 1, 5, 9 }, [2, 3]);
        Assert.That(loaded.Forward(ids).Logits.ToArray<float>(), Is.EqualTo(model.Forward(ids).Logits.ToArray<float>()));

        File.WriteAllText(Path.Combine(dir, "model.safetensors.index.json"), """{"weight_map": {"model.norm.weight": "../elsewhere.safetensors"}}""");
        Assert.That(Assert.Throws<InvalidDataException>(() => CausalLanguageModel.Load(dir))!.Message, Does.Contain("not a file name in the checkpoint's directory"));
    }

    [Test]
    public void ADirectoryWithoutWeightsOrWithAMissingTensorIsRefusedByName()
    {
        string dir = TestPaths.TempDirectory();
        using CausalLanguageModel model = new(Tiny(), seed: 2);
        model.Config.Save(Path.Combine(dir, "config.json"));
        Assert.That(Assert.Throws<FileNotFoundException>(() => CausalLanguageModel.Load(dir))!.Message, Does.Contain("no weights"));
        Safetensors.Save(Path.Combine(dir, "model.safetensors"), [.. model.named_parameters().Where(p => p.name != "model.norm.weight").Select(p => (p.name, (Tensor)p.parameter))]);
        Assert.That(Assert.Throws<InvalidDataException>(() => CausalLanguageModel.Load(dir))!.Message, Does.Contain("missing tensor 'model.norm.weight'"));
    }

    [Test]
    public void InputsThatWouldAbortUpstreamAreRefusedBeforeTheyReachLibtorch()
    {
        using CausalLanguageModel model = new(Tiny(), seed: 2);
        using DisposeScope scope = NewDisposeScope();
        Assert.That(Assert.Throws<ArgumentException>(() => model.Forward(tensor(new float[] { 1, 2 }, [1, 2])))!.Message, Does.Contain("int64"));
        Assert.That(Assert.Throws<ArgumentException>(() => model.Forward(tensor(new long[] { 1, 2 }, [1, 2]), tensor(new long[] { 1, 1, 1 }, [1, 3])))!.Message,
            Does.Contain("attention mask"));
        Assert.That(Assert.Throws<ArgumentException>(() => model.Forward(zeros([1, 65], ScalarType.Int64)))!.Message, Does.Contain("context of 64"));
        ArgumentException outside = Assert.Throws<ArgumentException>(() =>
            Generation.TokenScorer.Score(model, [([1, 2], [3, 999])], padId: 0))!;
        Assert.That(outside.Message, Does.Contain("Token 1 of row 0's response is 999, outside the vocabulary of 272"));
    }
}
