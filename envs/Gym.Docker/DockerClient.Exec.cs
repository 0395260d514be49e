using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Gym.Docker;

/// <summary>What an exec produced: its exit code and its demultiplexed, capped output.</summary>
/// <param name="ExitCode">The exit code (null when it could not be read, e.g. the container died).</param>
/// <param name="Stdout">Standard output.</param>
/// <param name="Stderr">Standard error.</param>
public sealed record ExecResult(int? ExitCode, CappedOutput Stdout, CappedOutput Stderr);

public sealed partial class DockerClient
{
    private sealed record IdResponse(string Id);

    /// <summary>Creates an exec instance in a running container; returns its id.</summary>
    public async Task<string> CreateExecAsync(string containerId, ExecSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return (await PostJsonAsync<IdResponse>($"containers/{containerId}/exec", spec, $"create exec in container {Short(containerId)}", cancellationToken).ConfigureAwait(false)).Id;
    }

    /// <summary>An exec instance's state and exit code.</summary>
    public Task<ExecInspect> InspectExecAsync(string execId, CancellationToken cancellationToken = default) =>
        GetAsync<ExecInspect>($"exec/{execId}/json", $"inspect exec {Short(execId)}", cancellationToken);

    /// <summary>
    /// Starts an exec instance attached: <paramref name="stdin"/> (when the exec attaches it) is written and then
    /// closed, and the output is demultiplexed into the sinks until the process and every process holding its
    /// output have exited. Cancelling closes the connection (the process itself keeps running: stop it by other
    /// means, such as killing the container).
    /// </summary>
    public async Task StartExecAsync(string execId, Stream? stdin, CappedOutput stdout, CappedOutput stderr, CancellationToken cancellationToken = default)
    {
        // Attached exec upgrades the HTTP connection to a raw stream ("hijacking"), which HttpClient cannot do:
        // the request goes out by hand on a connection of its own.
        Stream connection = await Endpoint.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using CancellationTokenRegistration closeOnCancel = cancellationToken.Register(connection.Dispose);
            byte[] body = Encoding.UTF8.GetBytes("""{"Detach":false,"Tty":false}""");
            string head = $"POST /v{ApiVersion}/exec/{execId}/start HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\n" +
                $"Connection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: {body.Length}\r\n\r\n";
            try
            {
                await connection.WriteAsync(Encoding.ASCII.GetBytes(head), cancellationToken).ConfigureAwait(false);
                await connection.WriteAsync(body, cancellationToken).ConfigureAwait(false);
                (int status, string responseBody) = await ReadResponseHeadAsync(connection, cancellationToken).ConfigureAwait(false);
                if (status is not (101 or 200))
                    throw DockerException.For(StatusOf(status), $"start exec {Short(execId)}", responseBody);
                Task pump = stdin is null ? Task.CompletedTask : PumpStdinAsync(stdin, connection, cancellationToken);
                await MultiplexedStream.CopyAsync(connection, stdout, stderr, cancellationToken).ConfigureAwait(false);
                await pump.ConfigureAwait(false);
            }
            catch (Exception e) when (cancellationToken.IsCancellationRequested && e is IOException or ObjectDisposedException or SocketException)
            {
                throw new OperationCanceledException(cancellationToken);
            }
        }
    }

    /// <summary>Creates, starts and inspects an exec: the whole command, with its exit code.</summary>
    public async Task<ExecResult> ExecAsync(string containerId, ExecSpec spec, Stream? stdin = null, int outputLimit = 1 << 20, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string id = await CreateExecAsync(containerId, spec with { AttachStdin = stdin is not null }, cancellationToken).ConfigureAwait(false);
        CappedOutput stdout = new(outputLimit), stderr = new(outputLimit);
        await StartExecAsync(id, stdin, stdout, stderr, cancellationToken).ConfigureAwait(false);
        ExecInspect state = await InspectExecAsync(id, cancellationToken).ConfigureAwait(false);
        return new ExecResult(state.Running ? null : state.ExitCode, stdout, stderr);
    }

    private static async Task PumpStdinAsync(Stream stdin, Stream connection, CancellationToken cancellationToken)
    {
        await stdin.CopyToAsync(connection, cancellationToken).ConfigureAwait(false);
        await connection.FlushAsync(cancellationToken).ConfigureAwait(false);
        // Half-close: the process sees end of input while its output still flows back.
        if (connection is NetworkStream network)
            network.Socket.Shutdown(SocketShutdown.Send);
    }

    // Reads the status line and headers byte by byte (the raw stream follows them directly); for an error
    // status, also the body when its length is given.
    private static async Task<(int Status, string Body)> ReadResponseHeadAsync(Stream connection, CancellationToken cancellationToken)
    {
        StringBuilder head = new();
        byte[] one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await connection.ReadAsync(one, cancellationToken).ConfigureAwait(false) == 0)
                throw new IOException("The Docker daemon closed the connection before answering.");
            head.Append((char)one[0]);
            if (head.Length > 65536)
                throw new InvalidDataException("The Docker daemon's response headers exceed 64 KiB.");
        }
        string[] lines = head.ToString().Split("\r\n");
        string[] statusLine = lines[0].Split(' ', 3);
        int status = int.Parse(statusLine[1], System.Globalization.CultureInfo.InvariantCulture);
        if (status is 101 or 200)
            return (status, "");
        string? length = lines.FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))?.Split(':', 2)[1].Trim();
        byte[] body = new byte[length is null ? 0 : Math.Min(65536, int.Parse(length, System.Globalization.CultureInfo.InvariantCulture))];
        await connection.ReadExactlyAsync(body, cancellationToken).ConfigureAwait(false);
        string text = Encoding.UTF8.GetString(body);
        try
        {
            using JsonDocument doc = JsonDocument.Parse(text);
            text = doc.RootElement.GetProperty("message").GetString() ?? text;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // Keep the raw body.
        }
        return (status, text.Trim());
    }
}
