using System.Runtime.InteropServices;
using Gym.Torch.Interop;

namespace Gym.Torch;

/// <summary>
/// A libtorch tensor. Owns a native handle: dispose it, or create it inside a <see cref="DisposeScope"/>.
/// Operations return new tensors; methods ending in an underscore change the tensor in place.
/// </summary>
public sealed partial class Tensor : IDisposable
{
    private readonly TensorHandle _handle;

    private Tensor(IntPtr handle)
    {
        _handle = new TensorHandle(NativeMethods.Check(handle));
        Scope = DisposeScope.Current;
        Scope?.Add(this);
    }

    internal DisposeScope? Scope { get; set; }

    /// <summary>The raw handle, for calls into the shim; valid while this tensor is alive.</summary>
    internal IntPtr Handle => _handle.IsClosed ? throw new ObjectDisposedException(nameof(Tensor)) : _handle.DangerousGetHandle();

    /// <summary>True once disposed.</summary>
    public bool IsDisposed => _handle.IsClosed;

    internal static Tensor FromHandle(IntPtr handle) => new(handle);

    /// <summary>The sizes of each dimension.</summary>
    public unsafe long[] Shape
    {
        get
        {
            int dim = NativeMethods.Dim(Handle);
            long[] shape = new long[dim];
            fixed (long* p = shape)
                NativeMethods.Check(NativeMethods.Shape(Handle, p, dim));
            GC.KeepAlive(this);
            return shape;
        }
    }

    /// <summary>The number of dimensions.</summary>
    public int Dimensions => Keep(NativeMethods.Dim(Handle));

    /// <summary>The size of dimension <paramref name="dim"/> (negative counts from the end).</summary>
    public long Size(int dim)
    {
        long[] shape = Shape;
        int d = dim < 0 ? dim + shape.Length : dim;
        return d >= 0 && d < shape.Length ? shape[d] : throw new ArgumentOutOfRangeException(nameof(dim), $"Dimension {dim} of a {shape.Length}-dimensional tensor.");
    }

    /// <summary>The element type.</summary>
    public ScalarType Dtype => (ScalarType)Keep(NativeMethods.DType(Handle));

    /// <summary>The device.</summary>
    public Device Device
    {
        get
        {
            NativeMethods.Check(NativeMethods.Device(Handle, out int type, out int index));
            GC.KeepAlive(this);
            return new Device((DeviceType)type, index);
        }
    }

    /// <summary>The number of elements.</summary>
    public long NumElements => Keep(NativeMethods.NumElements(Handle));

    /// <summary>Whether the elements are stored contiguously in row-major order.</summary>
    public bool IsContiguous => Keep(NativeMethods.IsContiguous(Handle)) != 0;

    /// <summary>Creates a tensor from host data (one copy into memory libtorch owns, then to the device).</summary>
    public static unsafe Tensor From<T>(ReadOnlySpan<T> data, ReadOnlySpan<long> shape, Device device = default)
        where T : unmanaged
    {
        long count = 1;
        foreach (long s in shape)
            count *= s;
        if (count != data.Length)
            throw new ArgumentException($"Shape [{string.Join(", ", shape.ToArray())}] holds {count} elements but {data.Length} were given.", nameof(data));
        fixed (T* d = data)
        fixed (long* s = shape)
            return new Tensor(NativeMethods.FromHost(d, s, shape.Length, (int)ScalarTypes.Of<T>(), (int)device.Type, device.Index));
    }

    /// <summary>Creates a one-dimensional tensor from host data.</summary>
    public static Tensor From<T>(T[] data, Device device = default)
        where T : unmanaged => From<T>((ReadOnlySpan<T>)data, [data.Length], device);

    /// <summary>Copies the elements to a new host array (converting to <typeparamref name="T"/>'s element type first if needed).</summary>
    public unsafe T[] ToArray<T>()
        where T : unmanaged
    {
        ScalarType wanted = ScalarTypes.Of<T>();
        if (Dtype != wanted)
        {
            using Tensor converted = To(wanted);
            return converted.ToArray<T>();
        }
        T[] result = new T[NumElements];
        fixed (T* p = result)
            NativeMethods.Check(NativeMethods.ToHost(Handle, p, (long)result.Length * sizeof(T)));
        GC.KeepAlive(this);
        return result;
    }

    /// <summary>
    /// The elements of a contiguous CPU tensor as a span over libtorch's own memory (no copy); valid while the
    /// tensor is alive and not resized.
    /// </summary>
    public unsafe Span<T> AsSpan<T>()
        where T : unmanaged
    {
        if (Dtype != ScalarTypes.Of<T>())
            throw new InvalidOperationException($"The tensor holds {Dtype}, not {typeof(T).Name}.");
        IntPtr data = NativeMethods.Check(NativeMethods.DataPtr(Handle));
        return new Span<T>((void*)data, checked((int)NumElements));
    }

    /// <summary>The raw bytes of a contiguous CPU tensor, whatever its element type (no copy).</summary>
    public unsafe Span<byte> AsBytes()
    {
        IntPtr data = NativeMethods.Check(NativeMethods.DataPtr(Handle));
        return new Span<byte>((void*)data, checked((int)(NumElements * Dtype.ElementSize())));
    }

    /// <summary>The value of a one-element tensor.</summary>
    public double Item()
    {
        NativeMethods.Check(NativeMethods.ItemDouble(Handle, out double value));
        GC.KeepAlive(this);
        return value;
    }

    /// <summary>The value of a one-element integer tensor.</summary>
    public long ItemInt64()
    {
        NativeMethods.Check(NativeMethods.ItemInt64(Handle, out long value));
        GC.KeepAlive(this);
        return value;
    }

    /// <summary>Moves the tensor out of its dispose scope into the enclosing one (or out of scopes altogether).</summary>
    public Tensor MoveToOuterScope()
    {
        if (Scope is { } scope && scope.Remove(this))
        {
            Scope = scope.Outer;
            Scope?.Add(this);
        }
        return this;
    }

    /// <summary>Takes the tensor out of dispose scopes: the caller disposes it.</summary>
    public Tensor DetachFromDisposeScope()
    {
        Scope?.Remove(this);
        Scope = null;
        return this;
    }

    /// <summary>Frees the native tensor now.</summary>
    public void Dispose()
    {
        Scope?.Remove(this);
        Scope = null;
        _handle.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => IsDisposed ? "Tensor(disposed)" : $"Tensor([{string.Join(", ", Shape)}], {Dtype}, {Device})";

    private T Keep<T>(T value)
    {
        GC.KeepAlive(this);
        return value;
    }

    private Tensor Wrap(IntPtr result)
    {
        Tensor t = new(result);
        GC.KeepAlive(this);
        return t;
    }

    private Tensor Wrap(IntPtr result, Tensor other)
    {
        Tensor t = new(result);
        GC.KeepAlive(this);
        GC.KeepAlive(other);
        return t;
    }

    internal static unsafe IntPtr[] Handles(IReadOnlyList<Tensor> tensors)
    {
        IntPtr[] handles = new IntPtr[tensors.Count];
        for (int i = 0; i < handles.Length; i++)
            handles[i] = tensors[i].Handle;
        return handles;
    }

}
