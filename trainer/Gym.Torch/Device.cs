namespace Gym.Torch;

/// <summary>The kinds of device a tensor can live on.</summary>
public enum DeviceType
{
    /// <summary>The host.</summary>
    Cpu = 0,
    /// <summary>An NVIDIA GPU.</summary>
    Cuda = 1,
}

/// <summary>A device: CPU, or a CUDA device by index.</summary>
/// <param name="Type">The kind.</param>
/// <param name="Index">The CUDA device index (0 for the CPU).</param>
public readonly record struct Device(DeviceType Type, int Index = 0)
{
    /// <summary>The host.</summary>
    public static readonly Device Cpu = new(DeviceType.Cpu);

    /// <summary>CUDA device <paramref name="index"/>.</summary>
    public static Device Cuda(int index = 0) => new(DeviceType.Cuda, index);

    /// <summary>Parses "cpu", "cuda" or "cuda:N".</summary>
    public static Device Parse(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        if (text == "cpu")
            return Cpu;
        if (text == "cuda")
            return Cuda();
        if (text.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(text.AsSpan(5), out int index) && index >= 0)
            return Cuda(index);
        throw new FormatException($"Unknown device '{text}': use cpu, cuda or cuda:N.");
    }

    /// <inheritdoc />
    public override string ToString() => Type == DeviceType.Cpu ? "cpu" : $"cuda:{Index}";
}
