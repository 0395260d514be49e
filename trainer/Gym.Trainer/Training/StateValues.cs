using Gym.Models;
using Gym.Models.Transformer;
using TorchSharp;
using static TorchSharp.torch;

namespace Gym.Trainer.Training;

/// <summary>The critic's values V(s) of prompts: the value head's output at each prompt's last token.</summary>
public static class StateValues
{
    /// <summary>V of each prompt, computed without gradients in batches of <paramref name="batchSize"/>.</summary>
    public static double[] Of(CausalLanguageModel model, IReadOnlyList<int[]> prompts, int padId, int batchSize = 64)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(prompts);
        if (!model.HasValueHead)
            throw new InvalidOperationException("The model has no value head to estimate state values with.");
        double[] result = new double[prompts.Count];
        for (int start = 0; start < prompts.Count; start += batchSize)
        {
            int count = Math.Min(batchSize, prompts.Count - start);
            int length = Enumerable.Range(start, count).Max(i => prompts[i].Length);
            long[] ids = new long[count * length];
            for (int b = 0; b < count; b++)
            {
                int[] p = prompts[start + b];
                for (int t = 0; t < length; t++)
                    ids[b * length + t] = t < p.Length ? p[t] : padId;
            }
            using DisposeScope scope = NewDisposeScope();
            using IDisposable noGrad = no_grad();
            // Padded on the right: causal attention keeps the padding out of every prompt's last token.
            Tensor values = model.Forward(tensor(ids, [count, length], device: model.Device)).Values!;
            float[] v = values.ToArray<float>();
            for (int b = 0; b < count; b++)
                result[start + b] = v[b * length + prompts[start + b].Length - 1];
        }
        return result;
    }
}
