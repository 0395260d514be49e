using Gym.Torch.Nn;

namespace Gym.Torch.Tests;

/// <summary>Finite-difference checks of autograd for every differentiable operation the policy and losses use.</summary>
[TestFixture]
public sealed class GradientTests
{
    private static Tensor In(params long[] shape) => GradientCheck.Input(shape, shape.Aggregate(7, (a, b) => a * 31 + (int)b));

    private static Tensor Positive(params long[] shape) => GradientCheck.Input(shape, 5, 0.3, 2.0);

    private static IEnumerable<TestCaseData> Cases()
    {
        yield return Case("add", x => x[0] + x[1], In(3, 4), In(4));
        yield return Case("sub", x => x[0] - x[1], In(3, 4), In(3, 1));
        yield return Case("mul", x => x[0] * x[1], In(3, 4), In(3, 4));
        yield return Case("div", x => x[0] / x[1], In(3, 4), Positive(3, 4));
        yield return Case("add scaled", x => x[0].Add(x[1], 0.5), In(2, 3), In(2, 3));
        yield return Case("pow", x => x[0].Pow(3), In(2, 3));
        yield return Case("pow tensor", x => x[0].Pow(x[1]), Positive(2, 3), In(2, 3));
        yield return Case("exp", x => x[0].Exp(), In(2, 3));
        yield return Case("log", x => x[0].Log(), Positive(2, 3));
        yield return Case("sqrt", x => x[0].Sqrt(), Positive(2, 3));
        yield return Case("rsqrt", x => x[0].Rsqrt(), Positive(2, 3));
        yield return Case("tanh", x => x[0].Tanh(), In(2, 3));
        yield return Case("sigmoid", x => x[0].Sigmoid(), In(2, 3));
        yield return Case("silu", x => x[0].Silu(), In(2, 3));
        yield return Case("relu", x => x[0].Relu(), Positive(2, 3));
        yield return Case("abs", x => x[0].Abs(), Positive(2, 3));
        yield return Case("sin cos", x => x[0].Sin() * x[0].Cos(), In(2, 3));
        yield return Case("square", x => x[0].Square(), In(2, 3));
        yield return Case("reciprocal", x => x[0].Reciprocal(), Positive(2, 3));
        yield return Case("log1p expm1", x => x[0].Log1p() + x[0].Expm1(), Positive(2, 3));
        yield return Case("neg", x => -x[0], In(2, 3));
        yield return Case("maximum minimum", x => x[0].Maximum(x[1]) + x[0].Minimum(x[1]), In(2, 3), In(2, 3));
        yield return Case("clamp", x => x[0].Clamp(-0.5, 0.5), In(4, 4));
        yield return Case("where", x => Tensor.Where(x[0].Gt(0), x[0], x[1]), In(3, 3), In(3, 3));
        yield return Case("masked fill", x => x[0].MaskedFill(x[0].Gt(0.5), 0), In(3, 3));
        yield return Case("matmul", x => x[0].Matmul(x[1]), In(2, 3, 4), In(4, 5));
        yield return Case("linear", x => Functional.Linear(x[0], x[1], x[2]), In(2, 3), In(4, 3), In(4));
        yield return Case("sum", x => x[0].Sum(1), In(3, 4));
        yield return Case("mean", x => x[0].Mean([0, 1], keepDim: true), In(3, 4));
        yield return Case("max", x => x[0].Max([1]), In(3, 4));
        yield return Case("min", x => x[0].Min([0]), In(3, 4));
        yield return Case("logsumexp", x => x[0].LogSumExp(1), In(3, 4));
        yield return Case("var std", x => x[0].Var([1]) + x[0].Std([1]), In(3, 4));
        yield return Case("softmax", x => x[0].Softmax(-1), In(3, 4));
        yield return Case("log softmax", x => x[0].LogSoftmax(-1), In(3, 4));
        yield return Case("gather", x => x[0].LogSoftmax(-1).Gather(1, Tensor.From(new long[] { 3, 0, 2 }, [3, 1])), In(3, 4));
        yield return Case("index select", x => x[0].IndexSelect(0, Tensor.From(new long[] { 2, 0, 2 })), In(3, 4));
        yield return Case("cat stack", x => Tensor.Cat([x[0], x[1]], 0) + Tensor.Stack([x[0], x[1]], 0).Sum(0).Repeat2(), In(2, 3), In(2, 3));
        yield return Case("narrow select", x => x[0].Narrow(1, 1, 2).Select(0, 1), In(3, 4));
        yield return Case("reshape transpose permute", x => x[0].Reshape(4, 3).Transpose(0, 1).Unsqueeze(0).Permute(2, 0, 1).Contiguous(), In(3, 4));
        yield return Case("expand", x => x[0].Expand(3, 4), In(1, 4));
        yield return Case("cumsum", x => x[0].Cumsum(1), In(3, 4));
        yield return Case("embedding", x => Functional.Embedding(x[0], Tensor.From(new long[] { 1, 3, 1 })), In(5, 4));
        yield return Case("rms norm", x => Functional.RmsNorm(x[0], x[1], 1e-6), In(3, 8), In(8));
        yield return Case("rotary", x => Functional.Rotary(x[0], x[1].Cos(), x[1].Sin()), In(2, 3, 8), In(3, 8));
        yield return Case("attention causal", x => Functional.Attention(x[0], x[1], x[2], null, causal: true), In(1, 2, 4, 8), In(1, 2, 4, 8), In(1, 2, 4, 8));
        yield return Case("attention grouped", x => Functional.Attention(x[0], x[1], x[2], null, causal: true), In(1, 4, 3, 8), In(1, 2, 3, 8), In(1, 2, 3, 8));
        yield return Case("attention masked", x => Functional.Attention(x[0], x[1], x[2], Tensor.From(new[] { true, true, false, true, true, true }, [1, 1, 2, 3]), causal: false), In(1, 2, 2, 4), In(1, 2, 3, 4), In(1, 2, 3, 4));
        yield return Case("cross entropy", x => Functional.CrossEntropy(x[0], Tensor.From(new long[] { 1, 0, 3, -100 }), -100), In(4, 5));
    }

    private static TestCaseData Case(string name, Func<Tensor[], Tensor> f, params Tensor[] inputs) =>
        new TestCaseData(name, f, inputs).SetName($"Gradient({name})");

    [TestCaseSource(nameof(Cases))]
    public void MatchesFiniteDifferences(string name, Func<Tensor[], Tensor> f, Tensor[] inputs)
    {
        try
        {
            GradientCheck.Check(name, f, inputs);
        }
        finally
        {
            foreach (Tensor t in inputs)
                t.Dispose();
        }
    }
}

internal static class TestTensorExtensions
{
    // Tiles [2, 3] to [4, 3] so it can be added to a concatenation along dim 0.
    public static Tensor Repeat2(this Tensor t) => Tensor.Cat([t, t], 0);
}
