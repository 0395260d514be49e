namespace Gym.Torch;

/// <summary>
/// Frees every tensor created while it is the current scope, when it is disposed (a training step's
/// temporaries, say). Tensors to keep are moved out with <see cref="Tensor.MoveToOuterScope"/> or
/// <see cref="Tensor.DetachFromDisposeScope"/>. Scopes nest and are per thread.
/// </summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic]
    private static DisposeScope? _current;

    private readonly DisposeScope? _outer;
    private HashSet<Tensor>? _tensors = [];

    internal DisposeScope()
    {
        _outer = _current;
        _current = this;
    }

    /// <summary>The innermost scope of this thread, if any.</summary>
    public static DisposeScope? Current => _current;

    /// <summary>Tensors the scope will free.</summary>
    public int Count => _tensors?.Count ?? 0;

    internal DisposeScope? Outer => _outer;

    internal void Add(Tensor tensor) => (_tensors ?? throw new ObjectDisposedException(nameof(DisposeScope))).Add(tensor);

    internal bool Remove(Tensor tensor) => _tensors?.Remove(tensor) ?? false;

    /// <summary>Frees the scope's tensors and makes the outer scope current again.</summary>
    public void Dispose()
    {
        if (_tensors is null)
            return;
        foreach (Tensor tensor in _tensors)
        {
            tensor.Scope = null;
            tensor.Dispose();
        }
        _tensors = null;
        if (_current == this)
            _current = _outer;
    }
}

/// <summary>Disables gradient recording on this thread until disposed (torch.no_grad).</summary>
public sealed class NoGradScope : IDisposable
{
    private bool _disposed;

    internal NoGradScope() => Interop.NativeMethods.Check(Interop.NativeMethods.NoGradEnter());

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        Interop.NativeMethods.Check(Interop.NativeMethods.NoGradExit());
    }
}
