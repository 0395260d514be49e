using Gym.Torch.Interop;

namespace Gym.Torch;

public sealed partial class Tensor
{
    // Operation codes shared with native/src/ops.cpp.
    private enum BinaryOp { Add = 0, Sub = 1, Mul = 2, Div = 3, Maximum = 4, Minimum = 5, Eq = 6, Ne = 7, Lt = 8, Le = 9, Gt = 10, Ge = 11, And = 12, Or = 13, Pow = 14, ReverseSub = 15 }

    private enum UnaryOp { Neg = 0, Exp = 1, Log = 2, Sqrt = 3, Rsqrt = 4, Tanh = 5, Sigmoid = 6, Relu = 7, Abs = 8, Not = 9, Sin = 10, Cos = 11, Square = 12, Reciprocal = 13, Log1p = 14, Expm1 = 15, IsFinite = 16, IsNan = 17, Sign = 18, Floor = 19 }

    private enum ReduceOp { Sum = 0, Mean = 1, Max = 2, Min = 3, LogSumExp = 4, Var = 5, Std = 6 }

    private Tensor Binary(BinaryOp op, Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Wrap(NativeMethods.Binary((int)op, Handle, other.Handle), other);
    }

    private Tensor Binary(BinaryOp op, double other) => Wrap(NativeMethods.BinaryScalar((int)op, Handle, other));

    private Tensor Unary(UnaryOp op) => Wrap(NativeMethods.Unary((int)op, Handle));

#pragma warning disable CA2225 // Named alternates exist (Add, Sub, Mul, Div, Neg).
    /// <summary>Elementwise sum, broadcasting.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);
    /// <summary>Adds a scalar.</summary>
    public static Tensor operator +(Tensor a, double b) => a.Add(b);
    /// <summary>Adds a scalar.</summary>
    public static Tensor operator +(double a, Tensor b) => b.Add(a);
    /// <summary>Elementwise difference, broadcasting.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);
    /// <summary>Subtracts a scalar.</summary>
    public static Tensor operator -(Tensor a, double b) => a.Sub(b);
    /// <summary>A scalar minus a tensor.</summary>
    public static Tensor operator -(double a, Tensor b) => b.Binary(BinaryOp.ReverseSub, a);
    /// <summary>Negation.</summary>
    public static Tensor operator -(Tensor a) => a.Neg();
    /// <summary>Elementwise product, broadcasting.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);
    /// <summary>Multiplies by a scalar.</summary>
    public static Tensor operator *(Tensor a, double b) => a.Mul(b);
    /// <summary>Multiplies by a scalar.</summary>
    public static Tensor operator *(double a, Tensor b) => b.Mul(a);
    /// <summary>Elementwise quotient, broadcasting.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);
    /// <summary>Divides by a scalar.</summary>
    public static Tensor operator /(Tensor a, double b) => a.Div(b);
#pragma warning restore CA2225

    /// <summary>Elementwise sum.</summary>
    public Tensor Add(Tensor other) => Binary(BinaryOp.Add, other);
    /// <summary>Adds a scalar.</summary>
    public Tensor Add(double other) => Binary(BinaryOp.Add, other);
    /// <summary>this + alpha * other.</summary>
    public Tensor Add(Tensor other, double alpha)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Wrap(NativeMethods.AddScaled(Handle, other.Handle, alpha), other);
    }
    /// <summary>Elementwise difference.</summary>
    public Tensor Sub(Tensor other) => Binary(BinaryOp.Sub, other);
    /// <summary>Subtracts a scalar.</summary>
    public Tensor Sub(double other) => Binary(BinaryOp.Sub, other);
    /// <summary>Elementwise product.</summary>
    public Tensor Mul(Tensor other) => Binary(BinaryOp.Mul, other);
    /// <summary>Multiplies by a scalar.</summary>
    public Tensor Mul(double other) => Binary(BinaryOp.Mul, other);
    /// <summary>Elementwise quotient.</summary>
    public Tensor Div(Tensor other) => Binary(BinaryOp.Div, other);
    /// <summary>Divides by a scalar.</summary>
    public Tensor Div(double other) => Binary(BinaryOp.Div, other);
    /// <summary>Elementwise power.</summary>
    public Tensor Pow(Tensor exponent) => Binary(BinaryOp.Pow, exponent);
    /// <summary>Raises to a scalar power.</summary>
    public Tensor Pow(double exponent) => Wrap(NativeMethods.PowScalar(Handle, exponent));
    /// <summary>Elementwise maximum.</summary>
    public Tensor Maximum(Tensor other) => Binary(BinaryOp.Maximum, other);
    /// <summary>Elementwise minimum.</summary>
    public Tensor Minimum(Tensor other) => Binary(BinaryOp.Minimum, other);
    /// <summary>Elementwise ==.</summary>
    public Tensor Eq(Tensor other) => Binary(BinaryOp.Eq, other);
    /// <summary>Elementwise == a scalar.</summary>
    public Tensor Eq(double other) => Binary(BinaryOp.Eq, other);
    /// <summary>Elementwise !=.</summary>
    public Tensor Ne(Tensor other) => Binary(BinaryOp.Ne, other);
    /// <summary>Elementwise != a scalar.</summary>
    public Tensor Ne(double other) => Binary(BinaryOp.Ne, other);
    /// <summary>Elementwise &lt;.</summary>
    public Tensor Lt(Tensor other) => Binary(BinaryOp.Lt, other);
    /// <summary>Elementwise &lt; a scalar.</summary>
    public Tensor Lt(double other) => Binary(BinaryOp.Lt, other);
    /// <summary>Elementwise &lt;=.</summary>
    public Tensor Le(double other) => Binary(BinaryOp.Le, other);
    /// <summary>Elementwise &gt;.</summary>
    public Tensor Gt(Tensor other) => Binary(BinaryOp.Gt, other);
    /// <summary>Elementwise &gt; a scalar.</summary>
    public Tensor Gt(double other) => Binary(BinaryOp.Gt, other);
    /// <summary>Elementwise &gt;= a scalar.</summary>
    public Tensor Ge(double other) => Binary(BinaryOp.Ge, other);
    /// <summary>Elementwise logical and.</summary>
    public Tensor LogicalAnd(Tensor other) => Binary(BinaryOp.And, other);
    /// <summary>Elementwise logical or.</summary>
    public Tensor LogicalOr(Tensor other) => Binary(BinaryOp.Or, other);
    /// <summary>Elementwise logical not.</summary>
    public Tensor LogicalNot() => Unary(UnaryOp.Not);

    /// <summary>Negation.</summary>
    public Tensor Neg() => Unary(UnaryOp.Neg);
    /// <summary>e^x.</summary>
    public Tensor Exp() => Unary(UnaryOp.Exp);
    /// <summary>Natural logarithm.</summary>
    public Tensor Log() => Unary(UnaryOp.Log);
    /// <summary>Square root.</summary>
    public Tensor Sqrt() => Unary(UnaryOp.Sqrt);
    /// <summary>1 / sqrt(x).</summary>
    public Tensor Rsqrt() => Unary(UnaryOp.Rsqrt);
    /// <summary>Hyperbolic tangent.</summary>
    public Tensor Tanh() => Unary(UnaryOp.Tanh);
    /// <summary>Logistic sigmoid.</summary>
    public Tensor Sigmoid() => Unary(UnaryOp.Sigmoid);
    /// <summary>max(x, 0).</summary>
    public Tensor Relu() => Unary(UnaryOp.Relu);
    /// <summary>x * sigmoid(x).</summary>
    public Tensor Silu() => Wrap(NativeMethods.Silu(Handle));
    /// <summary>Absolute value.</summary>
    public Tensor Abs() => Unary(UnaryOp.Abs);
    /// <summary>Sine.</summary>
    public Tensor Sin() => Unary(UnaryOp.Sin);
    /// <summary>Cosine.</summary>
    public Tensor Cos() => Unary(UnaryOp.Cos);
    /// <summary>x².</summary>
    public Tensor Square() => Unary(UnaryOp.Square);
    /// <summary>1 / x.</summary>
    public Tensor Reciprocal() => Unary(UnaryOp.Reciprocal);
    /// <summary>log(1 + x).</summary>
    public Tensor Log1p() => Unary(UnaryOp.Log1p);
    /// <summary>e^x - 1.</summary>
    public Tensor Expm1() => Unary(UnaryOp.Expm1);
    /// <summary>Which elements are finite.</summary>
    public Tensor IsFinite() => Unary(UnaryOp.IsFinite);
    /// <summary>Which elements are NaN.</summary>
    public Tensor IsNan() => Unary(UnaryOp.IsNan);
    /// <summary>Sign (-1, 0, 1).</summary>
    public Tensor Sign() => Unary(UnaryOp.Sign);
    /// <summary>Rounds down.</summary>
    public Tensor Floor() => Unary(UnaryOp.Floor);

    /// <summary>Clamps to [min, max]; either bound may be absent.</summary>
    public Tensor Clamp(double? min = null, double? max = null) =>
        Wrap(NativeMethods.Clamp(Handle, min ?? 0, max ?? 0, min.HasValue ? 1 : 0, max.HasValue ? 1 : 0));

    /// <summary>Clamps elementwise between two tensors.</summary>
    public Tensor Clamp(Tensor min, Tensor max)
    {
        ArgumentNullException.ThrowIfNull(min);
        ArgumentNullException.ThrowIfNull(max);
        Tensor r = Wrap(NativeMethods.ClampTensor(Handle, min.Handle, max.Handle), min);
        GC.KeepAlive(max);
        return r;
    }

    /// <summary>Elements of <paramref name="a"/> where <paramref name="condition"/> holds, else of <paramref name="b"/>.</summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Tensor r = condition.Wrap(NativeMethods.Where(condition.Handle, a.Handle, b.Handle), a);
        GC.KeepAlive(b);
        return r;
    }

    /// <summary>Replaces elements where <paramref name="mask"/> is true by <paramref name="value"/>.</summary>
    public Tensor MaskedFill(Tensor mask, double value)
    {
        ArgumentNullException.ThrowIfNull(mask);
        return Wrap(NativeMethods.MaskedFill(Handle, mask.Handle, value), mask);
    }

    /// <summary>Matrix product with broadcasting batch dimensions (torch.matmul).</summary>
    public Tensor Matmul(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Wrap(NativeMethods.Matmul(Handle, other.Handle), other);
    }

    private unsafe Tensor Reduce(ReduceOp op, long[]? dims, bool keepDim)
    {
        if (dims is null)
            return Wrap(NativeMethods.ReduceAll((int)op, Handle));
        fixed (long* d = dims)
            return Wrap(NativeMethods.Reduce((int)op, Handle, d, dims.Length, keepDim ? 1 : 0));
    }

    /// <summary>Sum of all elements, or over <paramref name="dims"/>.</summary>
    public Tensor Sum(long[]? dims = null, bool keepDim = false) => Reduce(ReduceOp.Sum, dims, keepDim);
    /// <summary>Sum over one dimension.</summary>
    public Tensor Sum(long dim, bool keepDim = false) => Reduce(ReduceOp.Sum, [dim], keepDim);
    /// <summary>Mean of all elements, or over <paramref name="dims"/>.</summary>
    public Tensor Mean(long[]? dims = null, bool keepDim = false) => Reduce(ReduceOp.Mean, dims, keepDim);
    /// <summary>Mean over one dimension.</summary>
    public Tensor Mean(long dim, bool keepDim = false) => Reduce(ReduceOp.Mean, [dim], keepDim);
    /// <summary>Maximum of all elements, or over <paramref name="dims"/>.</summary>
    public Tensor Max(long[]? dims = null, bool keepDim = false) => Reduce(ReduceOp.Max, dims, keepDim);
    /// <summary>Minimum of all elements, or over <paramref name="dims"/>.</summary>
    public Tensor Min(long[]? dims = null, bool keepDim = false) => Reduce(ReduceOp.Min, dims, keepDim);
    /// <summary>log(sum(exp(x))) over one dimension, computed stably.</summary>
    public Tensor LogSumExp(long dim, bool keepDim = false) => Reduce(ReduceOp.LogSumExp, [dim], keepDim);
    /// <summary>Unbiased variance (divides by n - 1).</summary>
    public Tensor Var(long[]? dims = null, bool keepDim = false) => Reduce(ReduceOp.Var, dims, keepDim);
    /// <summary>Unbiased standard deviation (divides by n - 1).</summary>
    public Tensor Std(long[]? dims = null, bool keepDim = false) => Reduce(ReduceOp.Std, dims, keepDim);

    /// <summary>The maximum along a dimension, with its indices.</summary>
    public (Tensor Values, Tensor Indices) MaxAlong(long dim, bool keepDim = false)
    {
        NativeMethods.Check(NativeMethods.MaxDim(Handle, dim, keepDim ? 1 : 0, out IntPtr values, out IntPtr indices));
        GC.KeepAlive(this);
        return (FromHandle(values), FromHandle(indices));
    }

    /// <summary>Indices of the maximum along a dimension.</summary>
    public Tensor Argmax(long dim, bool keepDim = false) => Wrap(NativeMethods.Argmax(Handle, dim, keepDim ? 1 : 0));

    /// <summary>Softmax along a dimension.</summary>
    public Tensor Softmax(long dim) => Wrap(NativeMethods.Softmax(Handle, dim));

    /// <summary>Log-softmax along a dimension.</summary>
    public Tensor LogSoftmax(long dim) => Wrap(NativeMethods.LogSoftmax(Handle, dim));

    /// <summary>Picks elements along a dimension by index (torch.gather).</summary>
    public Tensor Gather(long dim, Tensor index)
    {
        ArgumentNullException.ThrowIfNull(index);
        return Wrap(NativeMethods.Gather(Handle, dim, index.Handle), index);
    }

    /// <summary>Cumulative sum along a dimension.</summary>
    public Tensor Cumsum(long dim) => Wrap(NativeMethods.Cumsum(Handle, dim));

    /// <summary>The k largest (or smallest) elements along a dimension, sorted, with their indices.</summary>
    public (Tensor Values, Tensor Indices) TopK(long k, long dim = -1, bool largest = true)
    {
        NativeMethods.Check(NativeMethods.TopK(Handle, k, dim, largest ? 1 : 0, out IntPtr values, out IntPtr indices));
        GC.KeepAlive(this);
        return (FromHandle(values), FromHandle(indices));
    }

    /// <summary>Sorts along a dimension (stable), with the permutation.</summary>
    public (Tensor Values, Tensor Indices) Sort(long dim = -1, bool descending = false)
    {
        NativeMethods.Check(NativeMethods.Sort(Handle, dim, descending ? 1 : 0, out IntPtr values, out IntPtr indices));
        GC.KeepAlive(this);
        return (FromHandle(values), FromHandle(indices));
    }

    /// <summary>Draws <paramref name="samples"/> indices per row from these (unnormalised) probabilities.</summary>
    public Tensor Multinomial(long samples, bool replacement = false, Generator? generator = null)
    {
        Tensor r = Wrap(NativeMethods.Multinomial(Handle, samples, replacement ? 1 : 0, generator?.Handle ?? IntPtr.Zero));
        GC.KeepAlive(generator);
        return r;
    }

    /// <summary>The lower triangle (other elements zero).</summary>
    public Tensor Tril(long diagonal = 0) => Wrap(NativeMethods.Tril(Handle, diagonal));

    /// <summary>The upper triangle (other elements zero).</summary>
    public Tensor Triu(long diagonal = 0) => Wrap(NativeMethods.Triu(Handle, diagonal));

    /// <summary>Whether all elements are within atol + rtol * |other| of <paramref name="other"/>.</summary>
    public bool AllClose(Tensor other, double rtol = 1e-5, double atol = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(other);
        NativeMethods.Check(NativeMethods.AllClose(Handle, other.Handle, rtol, atol, out int result));
        GC.KeepAlive(this);
        GC.KeepAlive(other);
        return result != 0;
    }
}
