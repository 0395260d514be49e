using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gym.Docker;

/// <summary>
/// A client of the Docker Engine API over the daemon's socket. The API version is negotiated from
/// <c>/version</c> (the daemon's newest, capped at the newest this client knows); every call is async and
/// cancellable; a refusal raises <see cref="DockerException"/> (or its not-found and conflict kinds) with the
/// status and the daemon's message, and an absent daemon <see cref="DockerUnavailableException"/>.
/// </summary>
public sealed partial class DockerClient : IDisposable
{
    /// <summary>The newest API version this client was written against.</summary>
    public const string NewestApiVersion = "1.43";

    /// <summary>The oldest API version it accepts.</summary>
    public const string OldestApiVersion = "1.40";

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly HttpClient _http;

    private DockerClient(DockerEndpoint endpoint, HttpClient http, string apiVersion, DockerVersion version)
    {
        Endpoint = endpoint;
        _http = http;
        ApiVersion = apiVersion;
        DaemonVersion = version;
    }

    /// <summary>Where the daemon listens.</summary>
    public DockerEndpoint Endpoint { get; }

    /// <summary>The negotiated API version.</summary>
    public string ApiVersion { get; }

    /// <summary>The daemon's version, read when connecting.</summary>
    public DockerVersion DaemonVersion { get; }

    /// <summary>Connects to <paramref name="endpoint"/> (default: <c>DOCKER_HOST</c> or the default socket) and negotiates the API version.</summary>
    public static async Task<DockerClient> ConnectAsync(DockerEndpoint? endpoint = null, CancellationToken cancellationToken = default)
    {
        endpoint ??= DockerEndpoint.FromEnvironment();
        SocketsHttpHandler handler = new()
        {
            ConnectCallback = async (_, ct) => await endpoint.ConnectAsync(ct).ConfigureAwait(false),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            MaxConnectionsPerServer = 64,
        };
        HttpClient http = new(handler) { BaseAddress = new Uri("http://docker/"), Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            DockerVersion version;
            try
            {
                using HttpResponseMessage response = await http.GetAsync("version", cancellationToken).ConfigureAwait(false);
                await EnsureAsync(response, "version", cancellationToken).ConfigureAwait(false);
                version = await ReadAsync<DockerVersion>(response, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw new DockerUnavailableException(endpoint.ToString(), e);
            }
            string api = Compare(version.ApiVersion, NewestApiVersion) < 0 ? version.ApiVersion : NewestApiVersion;
            if (Compare(api, OldestApiVersion) < 0)
                throw new NotSupportedException($"The Docker daemon at {endpoint} speaks API {version.ApiVersion}; Gym needs {OldestApiVersion} or newer.");
            return new DockerClient(endpoint, http, api, version);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    private static int Compare(string a, string b)
    {
        int[] x = [.. a.Split('.').Select(p => int.Parse(p, CultureInfo.InvariantCulture))], y = [.. b.Split('.').Select(p => int.Parse(p, CultureInfo.InvariantCulture))];
        for (int i = 0; i < Math.Max(x.Length, y.Length); i++)
        {
            int c = (i < x.Length ? x[i] : 0).CompareTo(i < y.Length ? y[i] : 0);
            if (c != 0)
                return c;
        }
        return 0;
    }

    /// <summary>Whether the daemon answers (<c>GET /_ping</c>).</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, "_ping", null, "ping", cancellationToken).ConfigureAwait(false);
        return (await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).Trim() == "OK";
    }

    /// <summary>The daemon's version now.</summary>
    public Task<DockerVersion> VersionAsync(CancellationToken cancellationToken = default) =>
        GetAsync<DockerVersion>("version", "version", cancellationToken);

    private async Task<T> GetAsync<T>(string path, string operation, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, path, null, operation, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<T>(response, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> PostJsonAsync<T>(string path, object? body, string operation, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Post, path, body is null ? null : JsonContent(body), operation, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<T>(response, cancellationToken).ConfigureAwait(false);
    }

    private async Task SendAndDiscardAsync(HttpMethod method, string path, HttpContent? content, string operation, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendAsync(method, path, content, operation, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, string operation, CancellationToken cancellationToken,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        using HttpRequestMessage request = new(method, $"v{ApiVersion}/{path}") { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new DockerUnavailableException(Endpoint.ToString(), e);
        }
        try
        {
            await EnsureAsync(response, operation, cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
            return;
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string message = body;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("message", out JsonElement m))
                message = m.GetString() ?? body;
        }
        catch (JsonException)
        {
            // Not JSON: keep the body as the message.
        }
        throw DockerException.For(response.StatusCode, operation, message.Trim());
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
            return await JsonSerializer.DeserializeAsync<T>(stream, Json, cancellationToken).ConfigureAwait(false) ?? throw new InvalidDataException("The Docker daemon answered with an empty body.");
    }

    private static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body, body.GetType(), Json), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    private static string Query(params (string Name, string? Value)[] parameters) =>
        string.Join("&", parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}"));

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    internal static HttpStatusCode StatusOf(int code) => (HttpStatusCode)code;
}
