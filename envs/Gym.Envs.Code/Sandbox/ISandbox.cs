namespace Gym.Envs.Code.Sandbox;

/// <summary>Limits of a sandbox; the defaults suit small Python tasks.</summary>
public sealed record SandboxLimits
{
    /// <summary>Memory in bytes, no swap (default 256 MiB).</summary>
    public long MemoryBytes { get; init; } = 256L << 20;
    /// <summary>CPUs (default 1).</summary>
    public double Cpus { get; init; } = 1.0;
    /// <summary>Processes and threads (default 64).</summary>
    public int Pids { get; init; } = 64;
    /// <summary>Largest file a command may write, in bytes (default 16 MiB).</summary>
    public long FileSizeBytes { get; init; } = 16L << 20;
    /// <summary>Size of the writable work directory (default 64 MiB).</summary>
    public long WorkDirBytes { get; init; } = 64L << 20;
    /// <summary>Wall-clock limit of one command (default 10 s); the command is killed on expiry.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Output kept per stream and command, head and tail (default 16 KiB).</summary>
    public int OutputLimit { get; init; } = 16 << 10;
}

/// <summary>What a command did.</summary>
/// <param name="ExitCode">Its exit code (null when it was killed before one could be read).</param>
/// <param name="Stdout">Standard output, capped (head and tail, with a marker where bytes were dropped).</param>
/// <param name="Stderr">Standard error, capped likewise.</param>
/// <param name="TimedOut">Whether the wall-clock limit killed it.</param>
/// <param name="Seconds">How long it ran.</param>
/// <param name="OutputTruncated">Whether output was dropped.</param>
public sealed record CommandResult(int? ExitCode, string Stdout, string Stderr, bool TimedOut, double Seconds, bool OutputTruncated)
{
    /// <summary>Why the command ended, in words: exit code, timeout, or the signal that killed it.</summary>
    public string Reason => TimedOut ? "killed: wall-clock limit exceeded"
        : ExitCode is null ? "killed: the sandbox stopped answering"
        : ExitCode == 137 ? "killed by SIGKILL (memory or process limit, or a kill)"
        : ExitCode > 128 ? $"killed by signal {ExitCode - 128}"
        : $"exit code {ExitCode}";
}

/// <summary>An isolated place to write files and run commands, for one episode.</summary>
public interface ISandbox : IAsyncDisposable
{
    /// <summary>"docker" or "process".</summary>
    string Kind { get; }

    /// <summary>Runs a shell command in the work directory, under the limits.</summary>
    Task<CommandResult> RunAsync(string command, TimeSpan? timeout = null, CancellationToken cancellationToken = default);

    /// <summary>Writes a file under the work directory (parents created); the path must stay inside it.</summary>
    Task WriteFileAsync(string path, string content, CancellationToken cancellationToken = default);

    /// <summary>Writes several files at once (one round trip where the sandbox allows it).</summary>
    Task WriteFilesAsync(IEnumerable<KeyValuePair<string, string>> files, CancellationToken cancellationToken = default);
}

/// <summary>Hands out sandboxes.</summary>
public interface ISandboxProvider : IAsyncDisposable
{
    /// <summary>"docker" or "process".</summary>
    string Kind { get; }

    /// <summary>What isolation it gives, for reports.</summary>
    string Description { get; }

    /// <summary>A fresh sandbox (never one another episode used).</summary>
    Task<ISandbox> AcquireAsync(CancellationToken cancellationToken = default);
}

/// <summary>Checks paths given by agents and tasks.</summary>
public static class SandboxPaths
{
    /// <summary>The normalised relative path, or an exception naming the problem.</summary>
    public static string Relative(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string p = path.Trim().Replace('\\', '/');
        if (p.StartsWith("./", StringComparison.Ordinal))
            p = p[2..];
        if (p.Length == 0 || p.StartsWith('/') || p.Split('/').Any(s => s is ".." or "") || p.Any(char.IsControl))
            throw new ArgumentException($"'{path}' is not a relative path inside the work directory.");
        return p;
    }
}
