using Docker.DotNet.Models;
using MultiplexedStream = Docker.DotNet.MultiplexedStream;

namespace Gym.Docker;

/// <summary>What an exec produced: its exit code and its demultiplexed, capped output.</summary>
/// <param name="ExitCode">The exit code (null when it could not be read, e.g. the container died).</param>
/// <param name="Stdout">Standard output.</param>
/// <param name="Stderr">Standard error.</param>
public sealed record ExecResult(int? ExitCode, CappedOutput Stdout, CappedOutput Stderr);

public sealed partial class DockerClient
{
    /// <summary>
    /// Creates an exec instance in a running container; returns its id. Output is always attached (it is read
    /// demultiplexed), so <paramref name="spec"/>'s <c>AttachStdout</c> and <c>AttachStderr</c> are set here.
    /// </summary>
    public async Task<string> CreateExecAsync(string containerId, ContainerExecCreateParameters spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.AttachStdout = spec.AttachStderr = true;
        ContainerExecCreateResponse created = await CallAsync($"create exec in container {Short(containerId)}",
            () => Api.Exec.CreateContainerExecAsync(containerId, spec, cancellationToken)).ConfigureAwait(false);
        return created.ID;
    }

    /// <summary>An exec instance's state and exit code.</summary>
    public Task<ContainerExecInspectResponse> InspectExecAsync(string execId, CancellationToken cancellationToken = default) =>
        CallAsync($"inspect exec {Short(execId)}", () => Api.Exec.InspectContainerExecAsync(execId, cancellationToken));

    /// <summary>
    /// Starts an exec instance attached: <paramref name="stdin"/> (when the exec attaches it) is written and then
    /// closed, and the output is demultiplexed into the sinks until the process and every process holding its
    /// output have exited. Cancelling closes the connection (the process itself keeps running: stop it by other
    /// means, such as killing the container).
    /// </summary>
    public async Task StartExecAsync(string execId, Stream? stdin, CappedOutput stdout, CappedOutput stderr, CancellationToken cancellationToken = default)
    {
        string operation = $"start exec {Short(execId)}";
        using MultiplexedStream stream = await CallAsync(operation,
            () => Api.Exec.StartContainerExecAsync(execId, new ContainerExecStartParameters { Detach = false }, cancellationToken)).ConfigureAwait(false);
        // The attached stream does not watch the token by itself: closing it is what ends a blocked read.
        using CancellationTokenRegistration closeOnCancel = cancellationToken.Register(stream.Dispose);
        try
        {
            Task pump = stdin is null ? Task.CompletedTask : PumpStdinAsync(stdin, stream, cancellationToken);
            await CallAsync(operation, () => CopyOutputAsync(stream, stdout, stderr, cancellationToken)).ConfigureAwait(false);
            await pump.ConfigureAwait(false);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
        {
            throw new OperationCanceledException("The exec was cancelled.", e, cancellationToken);
        }
    }

    /// <summary>Creates, starts and inspects an exec: the whole command, with its exit code (<paramref name="spec"/>'s attach flags are set to match).</summary>
    public async Task<ExecResult> ExecAsync(string containerId, ContainerExecCreateParameters spec, Stream? stdin = null, int outputLimit = 1 << 20, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.AttachStdin = stdin is not null;
        string id = await CreateExecAsync(containerId, spec, cancellationToken).ConfigureAwait(false);
        CappedOutput stdout = new(outputLimit), stderr = new(outputLimit);
        await StartExecAsync(id, stdin, stdout, stderr, cancellationToken).ConfigureAwait(false);
        ContainerExecInspectResponse state = await InspectExecAsync(id, cancellationToken).ConfigureAwait(false);
        return new ExecResult(state.Running ? null : (int?)state.ExitCode, stdout, stderr);
    }

    private static async Task PumpStdinAsync(Stream stdin, MultiplexedStream stream, CancellationToken cancellationToken)
    {
        await stream.CopyFromAsync(stdin, cancellationToken).ConfigureAwait(false);
        // Half-close: the process sees end of input while its output still flows back.
        stream.CloseWrite();
    }

    // Reads frames until the end of the stream, each payload into its stream's sink.
    private static async Task CopyOutputAsync(MultiplexedStream stream, CappedOutput stdout, CappedOutput stderr, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[1 << 16];
        while (true)
        {
            MultiplexedStream.ReadResult read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
            if (read.EOF)
                return;
            (read.Target == MultiplexedStream.TargetStream.StandardError ? stderr : stdout).Write(buffer.AsSpan(0, read.Count));
        }
    }
}
