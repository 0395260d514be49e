using System.Net.Sockets;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using Engine = Docker.DotNet.DockerClient;

namespace Gym.Docker;

/// <summary>
/// Gym's client of the Docker Engine API: the operations sandboxes and image builds need, on the Docker.DotNet
/// library (<see cref="Api"/> gives the whole API). What it adds: every refusal raises <see cref="DockerException"/>
/// (or its not-found and conflict kinds) naming the operation and carrying the daemon's own message, an absent
/// daemon raises <see cref="DockerUnavailableException"/>, and exec output is demultiplexed into capped buffers.
/// </summary>
public sealed partial class DockerClient : IDisposable
{
    /// <summary>The socket Docker listens on when <c>DOCKER_HOST</c> says nothing.</summary>
    public const string DefaultEndpoint = "unix:///var/run/docker.sock";

    private DockerClient(Uri endpoint, Engine api, VersionResponse version)
    {
        Endpoint = endpoint;
        Api = api;
        DaemonVersion = version;
    }

    /// <summary>Where the daemon listens.</summary>
    public Uri Endpoint { get; }

    /// <summary>The library's client, for what Gym does not wrap.</summary>
    public Engine Api { get; }

    /// <summary>The daemon's version, read when connecting.</summary>
    public VersionResponse DaemonVersion { get; }

    /// <summary>The endpoint <paramref name="dockerHost"/> (a <c>DOCKER_HOST</c> value) names: <c>unix:///path</c> or <c>tcp://host:port</c>; empty means the default socket.</summary>
    public static Uri ParseEndpoint(string? dockerHost)
    {
        string value = string.IsNullOrWhiteSpace(dockerHost) ? DefaultEndpoint : dockerHost.Trim();
        if (Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) && uri.Scheme is "unix" or "tcp")
            return uri;
        throw new ArgumentException($"DOCKER_HOST '{value}' is neither unix:///path nor tcp://host:port.");
    }

    /// <summary>Connects to <paramref name="endpoint"/> (default: <c>DOCKER_HOST</c> or the default socket) and reads the daemon's version.</summary>
    public static async Task<DockerClient> ConnectAsync(Uri? endpoint = null, CancellationToken cancellationToken = default)
    {
        endpoint ??= ParseEndpoint(Environment.GetEnvironmentVariable("DOCKER_HOST"));
        // No client-side timeout: an exec streams for as long as its command runs; callers bound it by cancelling.
        Engine api = new DockerClientBuilder().WithEndpoint(endpoint).WithTimeout(Timeout.InfiniteTimeSpan).Build();
        try
        {
            VersionResponse version = await CallAsync(endpoint, "version", () => api.System.GetVersionAsync(cancellationToken)).ConfigureAwait(false);
            return new DockerClient(endpoint, api, version);
        }
        catch
        {
            api.Dispose();
            throw;
        }
    }

    /// <summary>Whether the daemon answers (<c>GET /_ping</c>).</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await CallAsync("ping", () => Api.System.PingAsync(cancellationToken)).ConfigureAwait(false);
            return true;
        }
        catch (DockerUnavailableException)
        {
            return false;
        }
    }

    private Task CallAsync(string operation, Func<Task> call) =>
        CallAsync<bool>(Endpoint, operation, async () => { await call().ConfigureAwait(false); return true; });

    private Task<T> CallAsync<T>(string operation, Func<Task<T>> call) => CallAsync(Endpoint, operation, call);

    // The library's errors, as Gym's: the operation, the status and the daemon's message; no daemon at all apart.
    private static async Task<T> CallAsync<T>(Uri endpoint, string operation, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (DockerApiException e)
        {
            throw DockerException.For(e.StatusCode, operation, DaemonMessage(e.ResponseBody));
        }
        catch (Exception e) when (e is HttpRequestException or SocketException || e is IOException { InnerException: SocketException })
        {
            throw new DockerUnavailableException(endpoint.ToString(), e);
        }
    }

    private static string DaemonMessage(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
            return "";
        try
        {
            using JsonDocument doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("message", out JsonElement m))
                return (m.GetString() ?? body).Trim();
        }
        catch (JsonException)
        {
            // Not JSON: the body is the message.
        }
        return body.Trim();
    }

    internal static string Short(string id) => id.Length > 12 ? id[..12] : id;

    private static Dictionary<string, IDictionary<string, bool>>? LabelFilter(string? label) =>
        label is null ? null : new() { ["label"] = new Dictionary<string, bool> { [label] = true } };

    /// <inheritdoc />
    public void Dispose() => Api.Dispose();
}
