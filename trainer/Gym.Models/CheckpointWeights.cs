using System.Collections;
using System.Text.Json;
using TorchSharp.PyBridge;
using TorchSharp;
using static TorchSharp.torch;

namespace Gym.Models;

/// <summary>
/// The weights of a checkpoint directory in any of the layouts Hugging Face writes: <c>model.safetensors</c>,
/// sharded safetensors (<c>model.safetensors.index.json</c>), or PyTorch pickles (<c>pytorch_model.bin</c>, sharded
/// or not, read through TorchSharp.PyBridge's unpickler).
/// </summary>
public static class CheckpointWeights
{
    /// <summary>Whether <paramref name="directory"/> holds a checkpoint: config.json and weights in one of the layouts above.</summary>
    public static bool Exists(string directory) =>
        File.Exists(Path.Combine(directory, "config.json"))
        && new[] { "model.safetensors", "model.safetensors.index.json", "pytorch_model.bin", "pytorch_model.bin.index.json" }.Any(f => File.Exists(Path.Combine(directory, f)));

    /// <summary>Every tensor of the checkpoint on the CPU (the caller disposes them), and a description of where they came from.</summary>
    public static (Dictionary<string, Tensor> Tensors, string Source) Read(string directory)
    {
        string single = Path.Combine(directory, "model.safetensors");
        if (File.Exists(single))
            return (Safetensors.Load(single), single);
        string index = Path.Combine(directory, "model.safetensors.index.json");
        if (File.Exists(index))
            return (Sharded(index, Safetensors.Load), index);
        string pickle = Path.Combine(directory, "pytorch_model.bin");
        if (File.Exists(pickle))
            return (Unpickle(pickle), pickle);
        string pickleIndex = Path.Combine(directory, "pytorch_model.bin.index.json");
        if (File.Exists(pickleIndex))
            return (Sharded(pickleIndex, Unpickle), pickleIndex);
        throw new FileNotFoundException($"{directory}: no weights (model.safetensors, model.safetensors.index.json, pytorch_model.bin or pytorch_model.bin.index.json).");
    }

    // An index maps each tensor to the shard that holds it: {"weight_map": {name: file}}.
    private static Dictionary<string, Tensor> Sharded(string index, Func<string, Dictionary<string, Tensor>> readShard)
    {
        string directory = Path.GetDirectoryName(index)!;
        string[] shards;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(index));
            shards = [.. doc.RootElement.GetProperty("weight_map").EnumerateObject().Select(p => p.Value.GetString() ?? "").Distinct()];
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"{index}: not a shard index with a weight_map of tensor names to files: {e.Message}", e);
        }
        Dictionary<string, Tensor> all = new(StringComparer.Ordinal);
        foreach (string shard in shards)
        {
            if (shard.Length == 0 || Path.IsPathRooted(shard) || shard.Contains("..", StringComparison.Ordinal))
                throw new InvalidDataException($"{index}: shard '{shard}' is not a file name in the checkpoint's directory.");
            foreach ((string name, Tensor t) in readShard(Path.Combine(directory, shard)))
                all[name] = t;
        }
        return all;
    }

    private static Dictionary<string, Tensor> Unpickle(string path)
    {
        Hashtable table;
        try
        {
            table = PyTorchUnpickler.UnpickleStateDict(path);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"{path}: not a PyTorch state dict ({e.GetType().Name}: {e.Message}).", e);
        }
        Dictionary<string, Tensor> tensors = new(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Key is string name && entry.Value is Tensor t)
                tensors[name] = t.DetachFromDisposeScope();
        }
        return tensors;
    }
}
