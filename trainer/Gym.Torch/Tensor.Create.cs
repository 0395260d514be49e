using Gym.Torch.Interop;

namespace Gym.Torch;

public sealed partial class Tensor
{
    /// <summary>An uninitialised tensor.</summary>
    public static unsafe Tensor Empty(long[] shape, ScalarType dtype = ScalarType.Float32, Device device = default)
    {
        fixed (long* s = shape)
            return FromHandle(NativeMethods.Empty(s, shape.Length, (int)dtype, (int)device.Type, device.Index));
    }

    /// <summary>Zeros.</summary>
    public static unsafe Tensor Zeros(long[] shape, ScalarType dtype = ScalarType.Float32, Device device = default)
    {
        fixed (long* s = shape)
            return FromHandle(NativeMethods.Zeros(s, shape.Length, (int)dtype, (int)device.Type, device.Index));
    }

    /// <summary>Ones.</summary>
    public static unsafe Tensor Ones(long[] shape, ScalarType dtype = ScalarType.Float32, Device device = default)
    {
        fixed (long* s = shape)
            return FromHandle(NativeMethods.Ones(s, shape.Length, (int)dtype, (int)device.Type, device.Index));
    }

    /// <summary>Every element <paramref name="value"/>.</summary>
    public static unsafe Tensor Full(long[] shape, double value, ScalarType dtype = ScalarType.Float32, Device device = default)
    {
        fixed (long* s = shape)
            return FromHandle(NativeMethods.Full(s, shape.Length, value, (int)dtype, (int)device.Type, device.Index));
    }

    /// <summary>A scalar (zero-dimensional) tensor.</summary>
    public static Tensor Scalar(double value, ScalarType dtype = ScalarType.Float32, Device device = default) => Full([], value, dtype, device);

    /// <summary>[start, end) in steps of <paramref name="step"/>.</summary>
    public static Tensor Arange(double start, double end, double step = 1, ScalarType dtype = ScalarType.Int64, Device device = default) =>
        FromHandle(NativeMethods.Arange(start, end, step, (int)dtype, (int)device.Type, device.Index));

    /// <summary>Standard normal samples.</summary>
    public static unsafe Tensor Randn(long[] shape, Generator? generator = null, ScalarType dtype = ScalarType.Float32, Device device = default)
    {
        fixed (long* s = shape)
        {
            Tensor t = FromHandle(NativeMethods.Randn(s, shape.Length, (int)dtype, (int)device.Type, device.Index, generator?.Handle ?? IntPtr.Zero));
            GC.KeepAlive(generator);
            return t;
        }
    }

    /// <summary>Uniform samples in [0, 1).</summary>
    public static unsafe Tensor Rand(long[] shape, Generator? generator = null, ScalarType dtype = ScalarType.Float32, Device device = default)
    {
        fixed (long* s = shape)
        {
            Tensor t = FromHandle(NativeMethods.Rand(s, shape.Length, (int)dtype, (int)device.Type, device.Index, generator?.Handle ?? IntPtr.Zero));
            GC.KeepAlive(generator);
            return t;
        }
    }
}
