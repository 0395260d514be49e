using System.Net.Sockets;

namespace Gym.Docker;

/// <summary>Where the daemon listens: a unix socket (default <c>/var/run/docker.sock</c>) or <c>tcp://host:port</c>.</summary>
public sealed record DockerEndpoint
{
    /// <summary>The unix socket path, or null for TCP.</summary>
    public string? SocketPath { get; init; }

    /// <summary>Host and port for TCP, or null for a unix socket.</summary>
    public (string Host, int Port)? Tcp { get; init; }

    /// <summary>The endpoint <c>DOCKER_HOST</c> names, else the default socket.</summary>
    public static DockerEndpoint FromEnvironment() => Parse(Environment.GetEnvironmentVariable("DOCKER_HOST"));

    /// <summary>Parses <c>unix:///path</c> or <c>tcp://host:port</c>; null or empty means the default socket.</summary>
    public static DockerEndpoint Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return new DockerEndpoint { SocketPath = "/var/run/docker.sock" };
        if (value.StartsWith("unix://", StringComparison.Ordinal))
            return new DockerEndpoint { SocketPath = value["unix://".Length..] };
        if (value.StartsWith("tcp://", StringComparison.Ordinal) && Uri.TryCreate("http://" + value["tcp://".Length..], UriKind.Absolute, out Uri? uri))
            return new DockerEndpoint { Tcp = (uri.Host, uri.Port) };
        throw new FormatException($"DOCKER_HOST '{value}' is neither unix:///path nor tcp://host:port.");
    }

    /// <summary>Opens a connected stream to the daemon.</summary>
    public async ValueTask<Stream> ConnectAsync(CancellationToken cancellationToken)
    {
        Socket socket = SocketPath is not null
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (SocketPath is not null)
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), cancellationToken).ConfigureAwait(false);
            else
                await socket.ConnectAsync(Tcp!.Value.Host, Tcp.Value.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public override string ToString() => SocketPath is not null ? $"unix://{SocketPath}" : $"tcp://{Tcp!.Value.Host}:{Tcp.Value.Port}";
}
