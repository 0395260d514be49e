using Gym.Torch.Interop;
using Gym.Torch.Nn;

namespace Gym.Torch.Optim;

/// <summary>Operations over the gradients of a set of parameters.</summary>
public static class Gradients
{
    /// <summary>The joint L2 norm of all gradients.</summary>
    public static unsafe double Norm(IReadOnlyList<Parameter> parameters)
    {
        IntPtr[] handles = Tensor.Handles([.. parameters.Select(p => p.Value)]);
        double norm;
        fixed (IntPtr* h = handles)
            NativeMethods.Check(NativeMethods.GradNorm(h, handles.Length, out norm));
        GC.KeepAlive(parameters);
        return norm;
    }

    /// <summary>Scales the gradients so their joint L2 norm is at most <paramref name="maxNorm"/>; returns the norm before clipping.</summary>
    public static unsafe double ClipNorm(IReadOnlyList<Parameter> parameters, double maxNorm)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxNorm);
        IntPtr[] handles = Tensor.Handles([.. parameters.Select(p => p.Value)]);
        double norm;
        fixed (IntPtr* h = handles)
            NativeMethods.Check(NativeMethods.ClipGradNorm(h, handles.Length, maxNorm, out norm));
        GC.KeepAlive(parameters);
        return norm;
    }

    /// <summary>Whether every element of every tensor is finite.</summary>
    public static unsafe bool AllFinite(IReadOnlyList<Tensor> tensors)
    {
        IntPtr[] handles = Tensor.Handles(tensors);
        int result;
        fixed (IntPtr* h = handles)
            NativeMethods.Check(NativeMethods.AllFinite(h, handles.Length, out result));
        GC.KeepAlive(tensors);
        return result != 0;
    }
}
