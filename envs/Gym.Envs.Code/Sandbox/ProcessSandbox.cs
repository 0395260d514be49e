using System.Diagnostics;
using System.Globalization;
using Gym.Docker;

namespace Gym.Envs.Code.Sandbox;

/// <summary>
/// The fallback for machines without Docker, and clearly weaker: a private temporary directory, resource limits
/// set with <c>prlimit</c> (address space, file size, processes, CPU time), a new session whose whole process group
/// is killed when the command ends or overruns. There is no network or file-system isolation: code can reach
/// whatever the user running Gym can.
/// </summary>
public sealed class ProcessSandboxProvider(SandboxLimits? limits = null) : ISandboxProvider
{
    /// <summary>The limits.</summary>
    public SandboxLimits Limits { get; } = limits ?? new SandboxLimits();

    /// <inheritdoc />
    public string Kind => "process";

    /// <inheritdoc />
    public string Description => "process (WEAKER: rlimits and a killed process group in a temporary directory; no network or file-system isolation)";

    /// <inheritdoc />
    public Task<ISandbox> AcquireAsync(CancellationToken cancellationToken = default) => Task.FromResult<ISandbox>(new ProcessSandbox(Limits));

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>One temporary work directory and the processes started in it; see <see cref="ProcessSandboxProvider"/>.</summary>
public sealed class ProcessSandbox : ISandbox
{
    private readonly SandboxLimits _limits;

    internal ProcessSandbox(SandboxLimits limits)
    {
        _limits = limits;
        WorkDirectory = Directory.CreateTempSubdirectory("gym-sandbox-").FullName;
    }

    /// <summary>The work directory.</summary>
    public string WorkDirectory { get; }

    /// <inheritdoc />
    public string Kind => "process";

    /// <inheritdoc />
    public async Task<CommandResult> RunAsync(string command, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        TimeSpan limit = timeout ?? _limits.CommandTimeout;
        CultureInfo c = CultureInfo.InvariantCulture;
        ProcessStartInfo start = new("setsid") { WorkingDirectory = WorkDirectory, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (string a in new[] { "prlimit", $"--as={_limits.MemoryBytes * 4}", $"--fsize={_limits.FileSizeBytes}", $"--nproc={_limits.Pids * 16}",
            $"--cpu={(int)Math.Ceiling(limit.TotalSeconds) + 1}", "--", "sh", "-c", command })
            start.ArgumentList.Add(a);
        start.Environment["HOME"] = WorkDirectory;
        start.Environment["TMPDIR"] = WorkDirectory;
        Stopwatch clock = Stopwatch.StartNew();
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("Could not start setsid.");
        process.StandardInput.Close();
        CappedOutput stdout = new(_limits.OutputLimit), stderr = new(_limits.OutputLimit);
        Task copyOut = CopyAsync(process.StandardOutput.BaseStream, stdout), copyErr = CopyAsync(process.StandardError.BaseStream, stderr);
        bool timedOut = false;
        using (CancellationTokenSource deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            deadline.CancelAfter(limit);
            try
            {
                await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                timedOut = !cancellationToken.IsCancellationRequested;
            }
        }
        // setsid made the shell a session and group leader: its group holds every process it started.
        KillGroup(process.Id);
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        await Task.WhenAll(copyOut, copyErr).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        int code = process.ExitCode;
        return new CommandResult(timedOut ? 137 : code, stdout.ToString(), stderr.ToString(), timedOut, clock.Elapsed.TotalSeconds, stdout.Truncated || stderr.Truncated);
    }

    private static void KillGroup(int pid)
    {
        using Process? kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-KILL", "--", $"-{pid}" }, RedirectStandardError = true });
        kill?.WaitForExit();
    }

    private static async Task CopyAsync(Stream source, CappedOutput sink)
    {
        byte[] buffer = new byte[1 << 16];
        int n;
        while ((n = await source.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            sink.Write(buffer.AsSpan(0, n));
    }

    /// <inheritdoc />
    public async Task WriteFileAsync(string path, string content, CancellationToken cancellationToken = default)
    {
        string full = Path.Combine(WorkDirectory, SandboxPaths.Relative(path));
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await File.WriteAllTextAsync(full, content, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task WriteFilesAsync(IEnumerable<KeyValuePair<string, string>> files, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        foreach ((string path, string content) in files)
            await WriteFileAsync(path, content, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(WorkDirectory))
            Directory.Delete(WorkDirectory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
