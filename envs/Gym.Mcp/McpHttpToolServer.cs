using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using Gym.Envs.Tools;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Gym.Mcp;

/// <summary>
/// Serves a Gym tool domain over MCP's Streamable HTTP transport at <c>/mcp</c> (<c>gym mcp serve --http</c>).
/// Every session (each <c>initialize</c>) runs in an episode of its own, so parallel agents never see each other's
/// changes; a session ends when its client sends DELETE, after <see cref="IdleTimeout"/> without requests, or when
/// the server stops.
/// </summary>
public sealed class McpHttpToolServer : IAsyncDisposable
{
    private const string SessionHeader = "Mcp-Session-Id";

    private readonly IToolDomain _domain;
    private readonly long _seed;
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private WebApplication? _app;
    private ITimer? _sweeper;
    private long _started;

    private readonly ILogger _logger;

    private readonly TimeProvider _time;

    private McpHttpToolServer(IToolDomain domain, long seed, TimeSpan idleTimeout, ILoggerFactory? loggers, TimeProvider time)
    {
        _time = time;
        _logger = (loggers ?? NullLoggerFactory.Instance).CreateLogger("Gym.Mcp");
        _domain = domain;
        _seed = seed;
        IdleTimeout = idleTimeout;
    }

    /// <summary>The MCP endpoint, e.g. <c>http://127.0.0.1:8001/mcp</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>How long a session may go without requests before it is closed.</summary>
    public TimeSpan IdleTimeout { get; }

    /// <summary>Sessions open now, and started since the server did.</summary>
    public (int Open, long Started) Sessions => (_sessions.Count, Interlocked.Read(ref _started));

    /// <summary>
    /// Starts listening on <paramref name="host"/>:<paramref name="port"/> (0 picks a free port); logs go to
    /// <paramref name="loggers"/>; idle time is measured on <paramref name="timeProvider"/> (the system clock by default).
    /// </summary>
    public static async Task<McpHttpToolServer> StartAsync(IToolDomain domain, long seed, string host = "127.0.0.1", int port = 0,
        TimeSpan? idleTimeout = null, ILoggerFactory? loggers = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (!IPAddress.TryParse(host, out IPAddress? address))
            throw new ArgumentException($"'{host}' is not an IP address to listen on.", nameof(host));
        McpHttpToolServer server = new(domain, seed, idleTimeout ?? TimeSpan.FromMinutes(30), loggers, timeProvider ?? TimeProvider.System);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (loggers is not null)
            builder.Services.AddSingleton(loggers);
        builder.WebHost.UseKestrel(k => k.Listen(address, port));
        WebApplication app = builder.Build();
        app.MapPost("/mcp", server.PostAsync);
        app.MapGet("/mcp", server.GetAsync);
        app.MapDelete("/mcp", server.DeleteAsync);
        server._app = app;
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        string bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Endpoint = new Uri(bound.TrimEnd('/') + "/mcp");
        TimeSpan every = server.IdleTimeout / 4 < TimeSpan.FromMinutes(1) ? server.IdleTimeout / 4 : TimeSpan.FromMinutes(1);
        server._sweeper = server._time.CreateTimer(_ => _ = server.SweepAsync(), null, every, every);
        return server;
    }

    // A JSON-RPC message from the client; requests are answered on this response as an SSE stream.
    private async Task PostAsync(HttpContext context)
    {
        if (!Accepts(context.Request, "application/json") || !Accepts(context.Request, "text/event-stream"))
        {
            await Refuse(context, StatusCodes.Status406NotAcceptable, "The client must accept both application/json and text/event-stream.").ConfigureAwait(false);
            return;
        }
        JsonRpcMessage? message;
        try
        {
            message = await JsonSerializer.DeserializeAsync(context.Request.Body, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcMessage)),
                context.RequestAborted).ConfigureAwait(false) as JsonRpcMessage;
        }
        catch (JsonException e)
        {
            await Refuse(context, StatusCodes.Status400BadRequest, $"The body is not a JSON-RPC message: {e.Message}", -32700).ConfigureAwait(false);
            return;
        }
        if (message is null)
        {
            await Refuse(context, StatusCodes.Status400BadRequest, "The body is empty.", -32700).ConfigureAwait(false);
            return;
        }
        Session? session;
        if (context.Request.Headers.ContainsKey(SessionHeader))
            session = await Find(context).ConfigureAwait(false);
        else if (message is JsonRpcRequest { Method: RequestMethods.Initialize })
            session = Open();
        else
        {
            await Refuse(context, StatusCodes.Status400BadRequest, $"The {SessionHeader} header is required after initialize.").ConfigureAwait(false);
            return;
        }
        if (session is null)
            return;
        context.Response.Headers[SessionHeader] = session.Id;
        StartEventStream(context.Response);
        bool answered = await session.Transport.HandlePostRequestAsync(message, context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        if (!answered)
        {
            // A notification or a response: nothing to stream back.
            context.Response.Headers.ContentType = default;
            context.Response.StatusCode = StatusCodes.Status202Accepted;
        }
    }

    // The optional stream of messages the server sends unprompted.
    private async Task GetAsync(HttpContext context)
    {
        if (!Accepts(context.Request, "text/event-stream"))
        {
            await Refuse(context, StatusCodes.Status406NotAcceptable, "The client must accept text/event-stream.").ConfigureAwait(false);
            return;
        }
        if (await Find(context).ConfigureAwait(false) is not { } session)
            return;
        context.Response.Headers[SessionHeader] = session.Id;
        StartEventStream(context.Response);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        try
        {
            await session.Transport.HandleGetRequestAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (context.RequestAborted.IsCancellationRequested)
        {
            _logger.StreamClosed(session.Id, e);
        }
    }

    private async Task DeleteAsync(HttpContext context)
    {
        if (await Find(context).ConfigureAwait(false) is not { } session)
            return;
        await Close(session).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private Session Open()
    {
        string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        IToolEpisode episode = _domain.Start(_seed);
        StreamableHttpServerTransport transport = new(loggerFactory: null) { SessionId = id };
        McpServer server = McpServer.Create(transport, McpToolServer.Options(_domain, episode));
        Session session = new(id, transport, server, episode, server.RunAsync(), _logger, _time);
        _sessions[id] = session;
        Interlocked.Increment(ref _started);
        return session;
    }

    // The session the request names, or null after answering 404 (unknown or closed).
    private async Task<Session?> Find(HttpContext context)
    {
        string id = context.Request.Headers[SessionHeader].ToString();
        if (_sessions.TryGetValue(id, out Session? session))
        {
            session.Touch();
            return session;
        }
        await Refuse(context, StatusCodes.Status404NotFound, $"There is no session '{id}' (it ended or never began); initialize a new one.").ConfigureAwait(false);
        return null;
    }

    private async Task Close(Session session)
    {
        if (_sessions.TryRemove(new KeyValuePair<string, Session>(session.Id, session)))
            await session.DisposeAsync().ConfigureAwait(false);
    }

    private async Task SweepAsync()
    {
        foreach (Session session in _sessions.Values.Where(s => s.IdleFor > IdleTimeout).ToList())
            await Close(session).ConfigureAwait(false);
    }

    private static bool Accepts(HttpRequest request, string mediaType) =>
        request.Headers.Accept.Any(a => a is not null && (a.Contains(mediaType, StringComparison.OrdinalIgnoreCase) || a.Contains("*/*", StringComparison.Ordinal)));

    private static void StartEventStream(HttpResponse response)
    {
        response.Headers.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache,no-store";
        response.Headers.ContentEncoding = "identity";
    }

    private static readonly JsonSerializerOptions RelaxedJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // A JSON-RPC error object with no id, as the transport prescribes for refused HTTP requests.
    private static Task Refuse(HttpContext context, int status, string message, int code = -32000)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { jsonrpc = "2.0", error = new { code, message }, id = (string?)null }, RelaxedJson));
    }

    /// <summary>Stops listening and closes every session.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_sweeper is not null)
            await _sweeper.DisposeAsync().ConfigureAwait(false);
        foreach (Session session in _sessions.Values.ToList())
            await Close(session).ConfigureAwait(false);
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private sealed class Session(string id, StreamableHttpServerTransport transport, McpServer server, IToolEpisode episode, Task running, ILogger logger, TimeProvider time)
        : IAsyncDisposable
    {
        private long _lastUsed = time.GetTimestamp();

        public string Id { get; } = id;

        public StreamableHttpServerTransport Transport { get; } = transport;

        public TimeSpan IdleFor => time.GetElapsedTime(Interlocked.Read(ref _lastUsed));

        public void Touch() => Interlocked.Exchange(ref _lastUsed, time.GetTimestamp());

        public async ValueTask DisposeAsync()
        {
            await Transport.DisposeAsync().ConfigureAwait(false);
            await server.DisposeAsync().ConfigureAwait(false);
            try
            {
                await running.ConfigureAwait(false);
            }
            catch (OperationCanceledException e)
            {
                logger.SessionLoopStopped(Id, e);
            }
            episode.Dispose();
        }
    }
}
