using TorchSharp;
using static TorchSharp.torch;

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
        return tensor(inv).DetachFromDisposeScope();
    }

    /// <summary>cos and sin of shape [batch, 1, length, head_dim] for integer positions [batch, length].</summary>
    public (Tensor Cos, Tensor Sin) Tables(Tensor positions, ScalarType dtype)
    {
        Tensor angles = positions.to(ScalarType.Float32).unsqueeze(-1) * _inverseFrequencies.to(positions.device);   // [B, T, d/2]
        Tensor both = cat([angles, angles], -1).unsqueeze(1);                                                       // [B, 1, T, d]
        return (both.cos().to(dtype), both.sin().to(dtype));
    }

    /// <summary>x cos + rotate_half(x) sin, where rotate_half(x) = [-x₂, x₁] over the halves of the last dimension.</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        long half = x.size(-1) / 2;
        Tensor rotated = cat([-x.narrow(-1, half, half), x.narrow(-1, 0, half)], -1);
        return x * cos + rotated * sin;
    }

    public void Dispose() => _inverseFrequencies.Dispose();
}
