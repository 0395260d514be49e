namespace Gym.Torch.Nn;

/// <summary>y = x Wᵀ (+ b), with W of shape [out, in] (initialised uniform in ±1/sqrt(in), as torch.nn.Linear).</summary>
public sealed class Linear : Module
{
    /// <summary>Creates the layer; <paramref name="generator"/> seeds the initial weights.</summary>
    public Linear(long inputSize, long outputSize, Generator? generator = null, bool bias = false, ScalarType dtype = ScalarType.Float32, Device device = default)
    {
        double bound = 1.0 / Math.Sqrt(inputSize);
        using (DisposeScope scope = TorchRuntime.NewDisposeScope())
        {
            Weight = RegisterParameter("weight", Uniform([outputSize, inputSize], bound, generator, dtype, device).DetachFromDisposeScope());
            if (bias)
                Bias = RegisterParameter("bias", Uniform([outputSize], bound, generator, dtype, device).DetachFromDisposeScope());
        }
    }

    /// <summary>The weight [out, in].</summary>
    public Parameter Weight { get; }

    /// <summary>The bias [out], when the layer has one.</summary>
    public Parameter? Bias { get; }

    /// <summary>Applies the layer.</summary>
    public Tensor Forward(Tensor input) => Functional.Linear(input, Weight.Value, Bias?.Value);

    internal static Tensor Uniform(long[] shape, double bound, Generator? generator, ScalarType dtype, Device device) =>
        (Tensor.Rand(shape, generator, ScalarType.Float32, device) * (2 * bound) - bound).To(dtype);
}

/// <summary>A table of vectors looked up by integer id (initialised standard normal, as torch.nn.Embedding).</summary>
public sealed class Embedding : Module
{
    /// <summary>Creates the table.</summary>
    public Embedding(long count, long size, Generator? generator = null, ScalarType dtype = ScalarType.Float32, Device device = default)
    {
        using DisposeScope scope = TorchRuntime.NewDisposeScope();
        Weight = RegisterParameter("weight", Tensor.Randn([count, size], generator, ScalarType.Float32, device).To(dtype).DetachFromDisposeScope());
    }

    /// <summary>The table [count, size].</summary>
    public Parameter Weight { get; }

    /// <summary>Looks up <paramref name="ids"/>.</summary>
    public Tensor Forward(Tensor ids) => Functional.Embedding(Weight.Value, ids);
}

/// <summary>RMS normalisation with a learned scale (initialised to ones).</summary>
public sealed class RmsNorm : Module
{
    /// <summary>Creates the layer.</summary>
    public RmsNorm(long size, double eps = 1e-6, ScalarType dtype = ScalarType.Float32, Device device = default)
    {
        Epsilon = eps;
        Weight = RegisterParameter("weight", Tensor.Ones([size], dtype, device).DetachFromDisposeScope());
    }

    /// <summary>The scale [size].</summary>
    public Parameter Weight { get; }

    /// <summary>The epsilon added to the mean square.</summary>
    public double Epsilon { get; }

    /// <summary>Applies the layer.</summary>
    public Tensor Forward(Tensor input) => Functional.RmsNorm(input, Weight.Value, Epsilon);
}
