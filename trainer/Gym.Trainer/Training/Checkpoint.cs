using System.Text.Json;
using Gym.Models;
using Gym.Models.Transformer;
using static TorchSharp.torch;

namespace Gym.Trainer.Training;

/// <summary>Where a run stands: enough to continue it exactly.</summary>
/// <param name="Iteration">Iterations completed.</param>
/// <param name="OptimizerSteps">AdamW steps taken.</param>
/// <param name="ElapsedSeconds">Training time spent so far.</param>
public sealed record TrainerState(int Iteration, long OptimizerSteps, double ElapsedSeconds);

/// <summary>
/// Checkpoints of a run under <c>DIR/checkpoints/</c>: each is a directory with the model (Hugging Face layout),
/// the AdamW moments (<c>optimizer.safetensors</c>) and <c>state.json</c>. A checkpoint is written to a temporary
/// directory, then renamed, and only then named in <c>latest</c>, so a run killed at any point finds a whole one.
/// </summary>
public static class Checkpoint
{
    private const string LatestFile = "latest";

    /// <summary>
    /// Writes a checkpoint for <paramref name="state"/> and keeps the two newest; <paramref name="writeExtra"/>
    /// adds files of its own to the directory before the checkpoint becomes visible.
    /// </summary>
    public static string Save(string runDirectory, CausalLanguageModel model, PolicyOptimizer optimizer, TrainerState state, Action<string>? writeExtra = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(state);
        string root = Path.Combine(runDirectory, "checkpoints");
        string name = $"iter-{state.Iteration:D6}";
        string final = Path.Combine(root, name);
        string temporary = Path.Combine(root, $".tmp-{name}-{Environment.ProcessId}");
        if (Directory.Exists(temporary))
            Directory.Delete(temporary, true);
        Directory.CreateDirectory(temporary);
        model.Save(temporary);
        (string Name, Tensor Value)[] optimizerState = [.. optimizer.State()];
        Safetensors.Save(Path.Combine(temporary, "optimizer.safetensors"), optimizerState);
        foreach ((string _, Tensor value) in optimizerState.Where(s => s.Name.StartsWith("step.", StringComparison.Ordinal)))
            value.Dispose();
        File.WriteAllText(Path.Combine(temporary, "state.json"), JsonSerializer.Serialize(state));
        writeExtra?.Invoke(temporary);
        if (Directory.Exists(final))
            Directory.Delete(final, true);
        Directory.Move(temporary, final);
        string pointer = Path.Combine(root, LatestFile);
        File.WriteAllText(pointer + ".tmp", name);
        File.Move(pointer + ".tmp", pointer, overwrite: true);
        foreach (string old in Directory.GetDirectories(root, "iter-*").Order(StringComparer.Ordinal).SkipLast(2))
            Directory.Delete(old, true);
        return final;
    }

    /// <summary>The newest whole checkpoint of a run, or null when it has none.</summary>
    public static string? Latest(string runDirectory)
    {
        string pointer = Path.Combine(runDirectory, "checkpoints", LatestFile);
        if (!File.Exists(pointer))
            return null;
        string directory = Path.Combine(runDirectory, "checkpoints", File.ReadAllText(pointer).Trim());
        return Directory.Exists(directory) ? directory : null;
    }

    /// <summary>Reads a checkpoint's state.</summary>
    public static TrainerState ReadState(string checkpoint) =>
        JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(Path.Combine(checkpoint, "state.json")))
        ?? throw new InvalidDataException($"{checkpoint}: state.json is empty.");

    /// <summary>Restores the optimizer's moments and step count from a checkpoint.</summary>
    public static void RestoreOptimizer(string checkpoint, PolicyOptimizer optimizer, TrainerState state)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(state);
        string path = Path.Combine(checkpoint, "optimizer.safetensors");
        Dictionary<string, Tensor> moments = Safetensors.Load(path);
        try
        {
            optimizer.Restore(moments, state.OptimizerSteps, path);
        }
        finally
        {
            foreach (Tensor t in moments.Values)
                t.Dispose();
        }
    }
}
