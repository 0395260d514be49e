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

    /// <summary>
    /// cos and signed sin of shape [batch, 1, length, head_dim] for integer positions [batch, length]: the sin table's
    /// first half is negated, so that rotate_half(x) sin = roll(x, d/2) sin' (see <see cref="Apply"/>).
    /// </summary>
    public (Tensor Cos, Tensor SignedSin) Tables(Tensor positions, ScalarType dtype)
    {
        Tensor angles = positions.to(ScalarType.Float32).unsqueeze(-1) * _inverseFrequencies.to(positions.device);   // [B, T, d/2]
        Tensor sin = angles.sin();
        Tensor signedSin = cat([-sin, sin], -1).unsqueeze(1);                                                      // [B, 1, T, d]
        Tensor cos = cat([angles, angles], -1).unsqueeze(1).cos();
        return (cos.to(dtype), signedSin.to(dtype));
    }

    /// <summary>
    /// x cos + rotate_half(x) sin, where rotate_half(x) = [-x₂, x₁] over the halves of the last dimension; computed as
    /// x cos + roll(x, d/2) sin' with the signed table (four operations instead of seven: this runs for every layer
    /// and token).
    /// </summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor signedSin) =>
        x * cos + x.roll(x.size(-1) / 2, -1) * signedSin;

    public void Dispose() => _inverseFrequencies.Dispose();
}
