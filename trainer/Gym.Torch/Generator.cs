using Gym.Torch.Interop;

namespace Gym.Torch;

/// <summary>A seeded random generator for sampling and initialisation; its state can be saved and restored.</summary>
public sealed class Generator : IDisposable
{
    private readonly GeneratorHandle _handle;

    /// <summary>Creates a generator on <paramref name="device"/> seeded with <paramref name="seed"/>.</summary>
    public Generator(ulong seed, Device device = default) =>
        _handle = new GeneratorHandle(NativeMethods.Check(NativeMethods.GeneratorNew(seed, (int)device.Type, device.Index)));

    internal IntPtr Handle => _handle.IsClosed ? throw new ObjectDisposedException(nameof(Generator)) : _handle.DangerousGetHandle();

    /// <summary>Reseeds.</summary>
    public void Seed(ulong seed)
    {
        NativeMethods.Check(NativeMethods.GeneratorSetSeed(Handle, seed));
        GC.KeepAlive(this);
    }

    /// <summary>The full state as bytes (for checkpoints).</summary>
    public byte[] GetState()
    {
        NativeMethods.Check(NativeMethods.GeneratorGetState(Handle, out IntPtr state));
        GC.KeepAlive(this);
        using Tensor t = Tensor.FromHandle(state).DetachFromDisposeScope();
        return t.ToArray<byte>();
    }

    /// <summary>Restores a state from <see cref="GetState"/>.</summary>
    public void SetState(byte[] state)
    {
        ArgumentNullException.ThrowIfNull(state);
        using Tensor t = Tensor.From(state).DetachFromDisposeScope();
        NativeMethods.Check(NativeMethods.GeneratorSetState(Handle, t.Handle));
        GC.KeepAlive(this);
    }

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();
}
