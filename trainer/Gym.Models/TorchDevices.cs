using TorchSharp;
using static TorchSharp.torch;

namespace Gym.Models;

/// <summary>
/// The <c>device</c> setting: "cpu", "cuda" or "cuda:N", checked against what this build and machine can run, so that
/// asking for a GPU that is not there is a clear error rather than a failure deep inside libtorch.
/// </summary>
public static class TorchDevices
{
    /// <summary>The device named by <paramref name="text"/>; throws when it cannot be used here, naming what is missing.</summary>
    public static Device Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        if (text == "cpu")
            return CPU;
        int index;
        if (text == "cuda")
            index = 0;
        else if (!text.StartsWith("cuda:", StringComparison.Ordinal) || !int.TryParse(text.AsSpan(5), out index) || index < 0)
            throw new ArgumentException($"Unknown device '{text}': use cpu, cuda or cuda:N.");
        if (!cuda.is_available())
        {
            throw new InvalidOperationException(
                $"Device '{text}' asks for CUDA, which this build cannot use: Gym references libtorch's CPU build " +
                "(libtorch-cpu-linux-x64). CUDA needs TorchSharp's CUDA package (libtorch-cuda-12.8-linux-x64, as in TorchSharp-cuda-linux) " +
                "in place of it, an NVIDIA GPU and its driver. Use --device cpu here.");
        }
        int count = cuda.device_count();
        if (index >= count)
            throw new InvalidOperationException($"Device '{text}': this machine has {count} CUDA device(s) (cuda:0 to cuda:{count - 1}).");
        return device(DeviceType.CUDA, index);
    }

    /// <summary>
    /// The element type matrix products run in on <paramref name="device"/> (autocast): bfloat16 on CUDA, where it is
    /// what the tensor cores are fast at; none (the weights' own type) on the CPU.
    /// </summary>
    public static ScalarType? AutocastType(Device device) => device.type == DeviceType.CUDA ? ScalarType.BFloat16 : null;

    /// <summary>Sets the threads libtorch's CPU kernels use (intra-op and OpenMP alike).</summary>
    public static void SetThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        set_num_threads(threads);
    }
}
