using System.Runtime.InteropServices;
using Gym.Torch.Interop;

namespace Gym.Torch;

/// <summary>Owns one native object of the shim; disposing it (or finalization) frees the object once.</summary>
internal abstract class OwnedHandle : SafeHandle
{
    protected OwnedHandle(IntPtr handle)
        : base(IntPtr.Zero, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        Free(handle);
        return true;
    }

    protected abstract void Free(IntPtr value);
}

/// <summary>Owns one native tensor handle; freeing it drops the shim's reference to the tensor.</summary>
internal sealed class TensorHandle(IntPtr handle) : OwnedHandle(handle)
{
    protected override void Free(IntPtr value) => NativeMethods.TensorFree(value);
}

/// <summary>Owns one native generator.</summary>
internal sealed class GeneratorHandle(IntPtr handle) : OwnedHandle(handle)
{
    protected override void Free(IntPtr value) => NativeMethods.GeneratorFree(value);
}
