using Gym.Torch.Interop;

namespace Gym.Torch;

/// <summary>The runtime: version, devices, threads, seeds, dispose and no-grad scopes.</summary>
public static class TorchRuntime
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
}
