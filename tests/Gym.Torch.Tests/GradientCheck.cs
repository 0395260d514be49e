namespace Gym.Torch.Tests;

/// <summary>Compares autograd's gradients with central finite differences, in float64.</summary>
internal static class GradientCheck
{
    public static void Check(string name, Func<Tensor[], Tensor> f, params Tensor[] inputs)
    {
        using DisposeScope scope = TorchRuntime.NewDisposeScope();
        foreach (Tensor x in inputs)
            x.RequiresGrad = true;
        Tensor y = f(inputs);
        using Generator g = new(99);
        Tensor weights = Tensor.Randn(y.Shape, g, ScalarType.Float64);
        (y * weights).Sum().Backward();
        double Loss()
        {
            using DisposeScope inner = TorchRuntime.NewDisposeScope();
            using NoGradScope noGrad = TorchRuntime.NoGrad();
            return (f(inputs) * weights).Sum().Item();
        }
        const double h = 1e-6;
        for (int i = 0; i < inputs.Length; i++)
        {
            Tensor? grad = inputs[i].Grad;
            Assert.That(grad, Is.Not.Null, $"{name}: input {i} got no gradient");
            double[] analytic = grad!.ToArray<double>();
            Span<double> data = inputs[i].AsSpan<double>();
            int checkedCount = Math.Min(data.Length, 48);
            for (int j = 0; j < checkedCount; j++)
            {
                double original = data[j];
                data[j] = original + h;
                double plus = Loss();
                data = inputs[i].AsSpan<double>();
                data[j] = original - h;
                double minus = Loss();
                data = inputs[i].AsSpan<double>();
                data[j] = original;
                double numeric = (plus - minus) / (2 * h);
                Assert.That(analytic[j], Is.EqualTo(numeric).Within(1e-5 + 1e-4 * Math.Abs(numeric)), $"{name}: d/d input {i}[{j}]");
            }
        }
    }

    public static Tensor Input(long[] shape, int seed, double scale = 1.0, double offset = 0.0)
    {
        using Generator g = new((ulong)seed);
        using Tensor r = Tensor.Randn(shape, g, ScalarType.Float64).DetachFromDisposeScope();
        using Tensor scaled = (r * scale).DetachFromDisposeScope();
        return (scaled + offset).Contiguous();
    }
}
