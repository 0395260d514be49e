using Gym.Torch.Interop;

namespace Gym.Torch;

/// <summary>Entry points: tensor creation, scopes, runtime settings.</summary>
public static class Torch
{
    /// <summary>libtorch's version ("1.13.1").</summary>
    public static string Version => NativeMethods.Version;

    /// <summary>Whether a CUDA device can be used.</summary>
    public static bool CudaIsAvailable => NativeMethods.CudaIsAvailable() != 0;

    /// <summary>The number of CUDA devices.</summary>
    public static int CudaDeviceCount => NativeMethods.CudaDeviceCount();

    /// <summary>Whether attention uses libtorch's fused scaled_dot_product_attention (libtorch 2.x).</summary>
    public static bool HasFusedAttention => NativeMethods.HasFusedAttention() != 0;

    /// <summary>Intra-op threads libtorch uses on the CPU.</summary>
    public static int Threads
    {
        get => NativeMethods.GetNumThreads();
        set => NativeMethods.Check(NativeMethods.SetNumThreads(value));
    }

    /// <summary>Whether gradients are being recorded on this thread.</summary>
    public static bool IsGradEnabled => NativeMethods.IsGradEnabled() != 0;

    /// <summary>Seeds libtorch's default generators.</summary>
    public static void ManualSeed(ulong seed) => NativeMethods.Check(NativeMethods.ManualSeed(seed));

    /// <summary>Waits for queued CUDA work (no-op without CUDA).</summary>
    public static void Synchronize() => NativeMethods.Check(NativeMethods.CudaSynchronize());

    /// <summary>Starts a scope that frees the tensors created in it.</summary>
    public static DisposeScope NewDisposeScope() => new();

    /// <summary>Disables gradient recording until the returned scope is disposed.</summary>
    public static NoGradScope NoGrad() => new();

    /// <summary>An uninitialised tensor.</summary>
    public static unsafe Tensor Empty(long[] shape, ScalarType dtype = ScalarType.Float32, Device device = default)
    {
        fixed (long* s = shape)
            return Tensor.FromHandle(NativeMethods.Empty(s, shape.Length, (int)dtype, (int)device.Type, device.Index));
    }

    /// <summary>Zeros.</summary>
    public static unsafe Tensor Zeros(long[] shape, ScalarType dtype = ScalarType.Float32, Device device = default)
    {
        fixed (long* s = shape)
            return Tensor.FromHandle(NativeMethods.Zeros(s, shape.Length, (int)dtype, (int)device.Type, device.Index));
    }

    /// <summary>Ones.</summary>
    public static unsafe Tensor Ones(long[] shape, ScalarType dtype = ScalarType.Float32, Device device = default)
    {
        fixed (long* s = shape)
            return Tensor.FromHandle(NativeMethods.Ones(s, shape.Length, (int)dtype, (int)device.Type, device.Index));
    }

    /// <summary>Every element <paramref name="value"/>.</summary>
    public static unsafe Tensor Full(long[] shape, double value, ScalarType dtype = ScalarType.Float32, Device device = default)
    {
        fixed (long* s = shape)
            return Tensor.FromHandle(NativeMethods.Full(s, shape.Length, value, (int)dtype, (int)device.Type, device.Index));
    }

    /// <summary>A scalar (zero-dimensional) tensor.</summary>
    public static Tensor Scalar(double value, ScalarType dtype = ScalarType.Float32, Device device = default) => Full([], value, dtype, device);

    /// <summary>[start, end) in steps of <paramref name="step"/>.</summary>
    public static Tensor Arange(double start, double end, double step = 1, ScalarType dtype = ScalarType.Int64, Device device = default) =>
        Tensor.FromHandle(NativeMethods.Arange(start, end, step, (int)dtype, (int)device.Type, device.Index));

    /// <summary>Standard normal samples.</summary>
    public static unsafe Tensor Randn(long[] shape, Generator? generator = null, ScalarType dtype = ScalarType.Float32, Device device = default)
    {
        fixed (long* s = shape)
        {
            Tensor t = Tensor.FromHandle(NativeMethods.Randn(s, shape.Length, (int)dtype, (int)device.Type, device.Index, generator?.Handle ?? IntPtr.Zero));
            GC.KeepAlive(generator);
            return t;
        }
    }

    /// <summary>Uniform samples in [0, 1).</summary>
    public static unsafe Tensor Rand(long[] shape, Generator? generator = null, ScalarType dtype = ScalarType.Float32, Device device = default)
    {
        fixed (long* s = shape)
        {
            Tensor t = Tensor.FromHandle(NativeMethods.Rand(s, shape.Length, (int)dtype, (int)device.Type, device.Index, generator?.Handle ?? IntPtr.Zero));
            GC.KeepAlive(generator);
            return t;
        }
    }
}
