namespace Gym.Torch;

/// <summary>libtorch rejected an operation (a shape or dtype mismatch, an unavailable device...); the message is libtorch's.</summary>
public sealed class TorchException : Exception
{
    /// <summary>Creates the exception with libtorch's message.</summary>
    public TorchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with libtorch's message and a cause.</summary>
    public TorchException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
