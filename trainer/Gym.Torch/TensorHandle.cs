using System.Runtime.InteropServices;
using Gym.Torch.Interop;

namespace Gym.Torch;

/// <summary>Owns one native tensor handle; freeing it drops the shim's reference to the tensor.</summary>
internal sealed class TensorHandle : SafeHandle
{
    public TensorHandle(IntPtr handle)
        : base(IntPtr.Zero, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.TensorFree(handle);
        return true;
    }
}

/// <summary>Owns one native generator.</summary>
internal sealed class GeneratorHandle : SafeHandle
{
    public GeneratorHandle(IntPtr handle)
        : base(IntPtr.Zero, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.GeneratorFree(handle);
        return true;
    }
}
