using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Gym.Models;

/// <summary>Copies of tensor data on the host, from any device.</summary>
public static class TensorHost
{
    /// <summary>The elements in row-major order, converted to <typeparamref name="T"/>'s element type first if needed.</summary>
    public static T[] ToArray<T>(this Tensor tensor)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using DisposeScope scope = NewDisposeScope();
        Tensor host = tensor.detach().cpu();
        ScalarType wanted = default(T) switch
        {
            float => ScalarType.Float32,
            double => ScalarType.Float64,
            long => ScalarType.Int64,
            int => ScalarType.Int32,
            byte => ScalarType.Byte,
            bool => ScalarType.Bool,
            _ => throw new NotSupportedException($"No tensor element type for {typeof(T).Name}."),
        };
        if (host.dtype != wanted)
            host = host.to(wanted);
        // The raw bytes, reinterpreted: faster than TorchSharp's element accessor, which also fails on empty tensors.
        return host.NumberOfElements == 0 ? [] : MemoryMarshal.Cast<byte, T>(host.contiguous().bytes).ToArray();
    }
}
