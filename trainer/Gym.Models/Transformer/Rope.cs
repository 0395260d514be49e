using Gym.Torch;

namespace Gym.Models.Transformer;

/// <summary>Rotary position embeddings (RoPE): cos and sin tables for given positions, in the rotate-half layout.</summary>
internal sealed class Rope(int headDim, double theta) : IDisposable
{
    private readonly Tensor _inverseFrequencies = InverseFrequencies(headDim, theta);

    private static Tensor InverseFrequencies(int headDim, double theta)
    {
        float[] inv = new float[headDim / 2];
        for (int i = 0; i < inv.Length; i++)
            inv[i] = (float)(1.0 / Math.Pow(theta, 2.0 * i / headDim));
        return Tensor.From(inv).DetachFromDisposeScope();
    }

    /// <summary>cos and sin of shape [batch, 1, length, head_dim] for integer positions [batch, length].</summary>
    public (Tensor Cos, Tensor Sin) Tables(Tensor positions, ScalarType dtype)
    {
        using Tensor inv = _inverseFrequencies.To(positions.Device).DetachFromDisposeScope();
        Tensor angles = positions.To(ScalarType.Float32).Unsqueeze(-1) * inv;     // [B, T, d/2]
        Tensor both = Tensor.Cat([angles, angles], -1).Unsqueeze(1);             // [B, 1, T, d]
        return (both.Cos().To(dtype), both.Sin().To(dtype));
    }

    public void Dispose() => _inverseFrequencies.Dispose();
}
