using Gym.Torch.Interop;

namespace Gym.Torch;

public sealed partial class Tensor
{
    /// <summary>Whether autograd records operations on this tensor (settable on leaves).</summary>
    public bool RequiresGrad
    {
        get => Keep(NativeMethods.RequiresGrad(Handle)) != 0;
        set
        {
            NativeMethods.Check(NativeMethods.SetRequiresGrad(Handle, value ? 1 : 0));
            GC.KeepAlive(this);
        }
    }

    /// <summary>Whether this is a leaf of the autograd graph (created by the user, not by an operation).</summary>
    public bool IsLeaf => Keep(NativeMethods.IsLeaf(Handle)) != 0;

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor.</summary>
    public Tensor RequiresGrad_(bool requires = true)
    {
        RequiresGrad = requires;
        return this;
    }

    /// <summary>Computes gradients of this (scalar) tensor with respect to the leaves that require them.</summary>
    public void Backward(Tensor? gradient = null, bool retainGraph = false)
    {
        NativeMethods.Check(NativeMethods.Backward(Handle, gradient?.Handle ?? IntPtr.Zero, retainGraph ? 1 : 0));
        GC.KeepAlive(this);
        GC.KeepAlive(gradient);
    }

    /// <summary>The accumulated gradient (a new handle sharing its data), or null when there is none.</summary>
    public Tensor? Grad
    {
        get
        {
            NativeMethods.Check(NativeMethods.Grad(Handle, out IntPtr grad));
            GC.KeepAlive(this);
            return grad == IntPtr.Zero ? null : FromHandle(grad);
        }
    }

    /// <summary>Drops the accumulated gradient.</summary>
    public void ZeroGrad()
    {
        NativeMethods.Check(NativeMethods.ZeroGrad(Handle));
        GC.KeepAlive(this);
    }
}
