using Gym.Torch.Interop;

namespace Gym.Torch;

public sealed partial class Tensor
{
    /// <summary>Converts to another element type.</summary>
    public Tensor To(ScalarType dtype) { Device d = Device; return Wrap(NativeMethods.To(Handle, (int)dtype, (int)d.Type, d.Index)); }

    /// <summary>Moves to another device.</summary>
    public Tensor To(Device device) => Wrap(NativeMethods.To(Handle, (int)Dtype, (int)device.Type, device.Index));

    /// <summary>Converts and moves.</summary>
    public Tensor To(ScalarType dtype, Device device) => Wrap(NativeMethods.To(Handle, (int)dtype, (int)device.Type, device.Index));

    /// <summary>A contiguous copy (or this data when already contiguous).</summary>
    public Tensor Contiguous() => Wrap(NativeMethods.Contiguous(Handle));

    /// <summary>A copy that shares nothing with this tensor (gradients flow through it).</summary>
    public Tensor Clone() => Wrap(NativeMethods.Clone(Handle));

    /// <summary>The same data, cut from the autograd graph.</summary>
    public Tensor Detach() => Wrap(NativeMethods.Detach(Handle));

    /// <summary>The same elements in another shape (-1 infers one dimension); copies only when needed.</summary>
    public unsafe Tensor Reshape(params long[] shape)
    {
        fixed (long* s = shape)
            return Wrap(NativeMethods.Reshape(Handle, s, shape.Length));
    }

    /// <summary>A view in another shape (no copy; fails when the layout does not allow it).</summary>
    public unsafe Tensor View(params long[] shape)
    {
        fixed (long* s = shape)
            return Wrap(NativeMethods.View(Handle, s, shape.Length));
    }

    /// <summary>Swaps two dimensions.</summary>
    public Tensor Transpose(long dim0, long dim1) => Wrap(NativeMethods.Transpose(Handle, dim0, dim1));

    /// <summary>Reorders dimensions.</summary>
    public unsafe Tensor Permute(params long[] dims)
    {
        fixed (long* d = dims)
            return Wrap(NativeMethods.Permute(Handle, d, dims.Length));
    }

    /// <summary>Inserts a dimension of size 1.</summary>
    public Tensor Unsqueeze(long dim) => Wrap(NativeMethods.Unsqueeze(Handle, dim));

    /// <summary>Removes a dimension of size 1.</summary>
    public Tensor Squeeze(long dim) => Wrap(NativeMethods.Squeeze(Handle, dim));

    /// <summary>Broadcasts size-1 dimensions to a larger shape (no copy).</summary>
    public unsafe Tensor Expand(params long[] shape)
    {
        fixed (long* s = shape)
            return Wrap(NativeMethods.Expand(Handle, s, shape.Length));
    }

    /// <summary>A slice [start, start + length) along a dimension (a view).</summary>
    public Tensor Narrow(long dim, long start, long length) => Wrap(NativeMethods.Narrow(Handle, dim, start, length));

    /// <summary>Index <paramref name="index"/> of a dimension, which is removed (a view).</summary>
    public Tensor Select(long dim, long index) => Wrap(NativeMethods.Select(Handle, dim, index));

    /// <summary>The entries at <paramref name="index"/> along a dimension (a copy).</summary>
    public Tensor IndexSelect(long dim, Tensor index)
    {
        ArgumentNullException.ThrowIfNull(index);
        return Wrap(NativeMethods.IndexSelect(Handle, dim, index.Handle), index);
    }

    /// <summary>Copies <paramref name="source"/> into this tensor (broadcasting).</summary>
    public Tensor Copy_(Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        NativeMethods.Check(NativeMethods.CopyInPlace(Handle, source.Handle));
        GC.KeepAlive(source);
        return this;
    }

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    public Tensor Fill_(double value)
    {
        NativeMethods.Check(NativeMethods.FillInPlace(Handle, value));
        GC.KeepAlive(this);
        return this;
    }

    /// <summary>Concatenates along an existing dimension.</summary>
    public static unsafe Tensor Cat(IReadOnlyList<Tensor> tensors, long dim) => Join(tensors, dim, &NativeMethods.Cat);

    /// <summary>Stacks along a new dimension.</summary>
    public static unsafe Tensor Stack(IReadOnlyList<Tensor> tensors, long dim) => Join(tensors, dim, &NativeMethods.Stack);

    private static unsafe Tensor Join(IReadOnlyList<Tensor> tensors, long dim, delegate*<IntPtr*, int, long, IntPtr> join)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        IntPtr[] handles = Handles(tensors);
        fixed (IntPtr* h = handles)
        {
            Tensor r = FromHandle(join(h, handles.Length, dim));
            GC.KeepAlive(tensors);
            return r;
        }
    }
}
