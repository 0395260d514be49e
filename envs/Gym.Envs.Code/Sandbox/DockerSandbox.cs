using System.Diagnostics;
using System.Formats.Tar;
using System.Globalization;
using System.Text;
using Docker.DotNet.Models;
using Gym.Docker;
using Microsoft.Extensions.Logging;

namespace Gym.Envs.Code.Sandbox;

/// <summary>
/// One hardened container for one episode. Commands run as the image's unprivileged user in the tmpfs work
/// directory under <c>timeout -s KILL</c>; afterwards every process of that user is killed (nothing survives a
/// command), and past the limit plus a grace period the host kills them itself. The container is removed on dispose.
/// </summary>
public sealed class DockerSandbox : ISandbox
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);
    private readonly DockerClient _docker;
    private readonly SandboxLimits _limits;
    private readonly string _user;
    private readonly Func<string, Task> _release;
    private readonly ILogger _logger;

    internal DockerSandbox(DockerClient docker, string containerId, SandboxLimits limits, int uid, Func<string, Task> release, ILogger logger)
    {
        _logger = logger;
        _docker = docker;
        ContainerId = containerId;
        _limits = limits;
        _user = $"{uid}:{uid}";
        _release = release;
    }

    /// <summary>The container.</summary>
    public string ContainerId { get; }

    /// <inheritdoc />
    public string Kind => "docker";

    /// <inheritdoc />
    public async Task<CommandResult> RunAsync(string command, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        TimeSpan limit = timeout ?? _limits.CommandTimeout;
        string seconds = limit.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        // The wrapper shell outlives the command, then kills every other process of the user (kill -1 spares
        // the caller), so background processes and pipe holders end with the command.
        string wrapper = $"timeout -s KILL {seconds} sh -c \"$0\"; rc=$?; kill -9 -1 2>/dev/null; exit $rc";
        return await ExecAsync(["sh", "-c", wrapper, command], null, limit, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task WriteFileAsync(string path, string content, CancellationToken cancellationToken = default)
    {
        string relative = SandboxPaths.Relative(path);
        using MemoryStream stdin = new(Encoding.UTF8.GetBytes(content));
        CommandResult result = await ExecAsync(["sh", "-c", "mkdir -p -- \"$(dirname -- \"$0\")\" && cat > \"$0\"", relative], stdin, _limits.CommandTimeout, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
            throw new IOException($"Could not write {relative} in the sandbox: {result.Reason}: {result.Stderr.Trim()}");
    }

    /// <inheritdoc />
    public async Task WriteFilesAsync(IEnumerable<KeyValuePair<string, string>> files, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        // One exec: a tar of every file on standard input, extracted by the user into the work directory.
        using MemoryStream tar = new();
        await using (TarWriter writer = new(tar, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach ((string path, string content) in files)
            {
                UstarTarEntry entry = new(TarEntryType.RegularFile, SandboxPaths.Relative(path))
                {
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                };
                await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
            }
        }
        tar.Position = 0;
        CommandResult result = await ExecAsync(["tar", "-x", "--no-same-owner", "-f", "-"], tar, _limits.CommandTimeout, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
            throw new IOException($"Could not write files in the sandbox: {result.Reason}: {result.Stderr.Trim()}");
    }

    private async Task<CommandResult> ExecAsync(string[] cmd, Stream? stdin, TimeSpan limit, CancellationToken cancellationToken)
    {
        Stopwatch clock = Stopwatch.StartNew();
        ContainerExecCreateParameters spec = new() { Cmd = cmd, User = _user, WorkingDir = "/work", AttachStdin = stdin is not null };
        string exec = await _docker.CreateExecAsync(ContainerId, spec, cancellationToken).ConfigureAwait(false);
        CappedOutput stdout = new(_limits.OutputLimit), stderr = new(_limits.OutputLimit);
        using CancellationTokenSource deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit + Grace);
        bool hostKilled = false;
        try
        {
            await _docker.StartExecAsync(exec, stdin, stdout, stderr, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Past the limit and the grace period: the command ignored its timeout (or something holds its
            // output open). Kill every process of the user from outside.
            hostKilled = true;
            await KillUserProcessesAsync().ConfigureAwait(false);
        }
        ContainerExecInspectResponse state = await _docker.InspectExecAsync(exec, CancellationToken.None).ConfigureAwait(false);
        double elapsed = clock.Elapsed.TotalSeconds;
        int? code = state.Running ? null : (int?)state.ExitCode;
        // A killed wrapper (the command may kill its parent) did not clean up: do it from outside.
        if (!hostKilled && code is null or >= 128)
            await KillUserProcessesAsync().ConfigureAwait(false);
        bool timedOut = hostKilled || (code == 137 && elapsed >= limit.TotalSeconds - 0.05);
        return new CommandResult(code, stdout.ToString(), stderr.ToString(), timedOut, elapsed, stdout.Truncated || stderr.Truncated);
    }

    private async Task KillUserProcessesAsync()
    {
        using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(10));
        try
        {
            await _docker.ExecAsync(ContainerId, new ContainerExecCreateParameters { Cmd = ["kill", "-9", "-1"], User = _user }, cancellationToken: timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DockerException or OperationCanceledException or IOException)
        {
            // The container is being replaced anyway when it cannot even run kill.
            _logger.KillFailed(ContainerId, e);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _release(ContainerId).ConfigureAwait(false);
}
