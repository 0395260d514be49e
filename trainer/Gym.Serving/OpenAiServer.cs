using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gym.Models.Generation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gym.Serving;

/// <summary>
/// Serves a model over the OpenAI-compatible HTTP API: <c>GET /v1/models</c>, <c>POST /v1/chat/completions</c>,
/// <c>POST /v1/completions</c> (and <c>GET /health</c>). Concurrent requests are batched by a
/// <see cref="GenerationQueue"/>. Refused requests get the OpenAI error shape with a message naming the field.
/// </summary>
public sealed class OpenAiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GenerationQueue _queue;

    private OpenAiServer(WebApplication app, GenerationQueue queue, ServedModel served, Uri baseUrl)
    {
        _app = app;
        _queue = queue;
        Served = served;
        BaseUrl = baseUrl;
    }

    /// <summary>The model served.</summary>
    public ServedModel Served { get; }

    /// <summary>The API's base URL, ending in <c>/v1/</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Sequences generated and batches run so far.</summary>
    public (long Sequences, long Batches) Counts => _queue.Counts;

    /// <summary>Starts listening; with port 0 a free port is chosen (see <see cref="BaseUrl"/>).</summary>
    public static async Task<OpenAiServer> StartAsync(ServedModel served, ServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(served);
        options ??= new ServerOptions();
        if (!IPAddress.TryParse(options.Host, out IPAddress? address))
            throw new ArgumentException($"'{options.Host}' is not an IP address to listen on.", nameof(options));
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (options.Loggers is { } loggers)
            builder.Services.AddSingleton(loggers);
        builder.WebHost.UseKestrel(k => k.Listen(address, options.Port));
        WebApplication app = builder.Build();
        GenerationQueue queue = new(new BatchGenerator(served.Model, served.Tokenizer), options.MaxBatchSize, options.BatchWindow);
        ChatCompletionsEndpoint chat = new(served, queue);
        CompletionsEndpoint completions = new(served, queue);
        app.MapGet("/health", () => Results.Ok());
        app.MapGet("/v1/models", (HttpContext c) => ResponseParts.WriteJsonAsync(c.Response, new JsonObject { ["object"] = "list", ["data"] = new JsonArray(Model(served)) }));
        app.MapGet("/v1/models/{id}", (HttpContext c, string id) => id == served.Name
            ? ResponseParts.WriteJsonAsync(c.Response, Model(served))
            : Error(c.Response, NotFound(id, served)));
        ILogger logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Gym.Serving");
        app.MapPost("/v1/chat/completions", (HttpContext c) => Handle(c, served, chat.HandleAsync, logger));
        app.MapPost("/v1/completions", (HttpContext c) => Handle(c, served, completions.HandleAsync, logger));
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            queue.Dispose();
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        string bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new OpenAiServer(app, queue, served, new Uri(bound.TrimEnd('/') + "/v1/"));
    }

    private static JsonObject Model(ServedModel served) => new()
    {
        ["id"] = served.Name, ["object"] = "model", ["created"] = served.Created, ["owned_by"] = "gym", ["max_model_len"] = served.Context,
    };

    private static OpenAiError NotFound(string model, ServedModel served) =>
        new(404, $"The model '{model}' does not exist; this server serves '{served.Name}'.", "model", "model_not_found");

    private static async Task Handle(HttpContext context, ServedModel served, Func<HttpContext, JsonObject, Task> handler, ILogger logger)
    {
        try
        {
            JsonObject body;
            try
            {
                body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false) as JsonObject
                    ?? throw new OpenAiError(400, "The body must be a JSON object.");
            }
            catch (JsonException e)
            {
                throw new OpenAiError(400, $"The body is not valid JSON: {e.Message}");
            }
            string model = SamplingParameters.String(body, "model") ?? throw OpenAiError.Invalid("model", "is required.");
            if (model != served.Name)
                throw NotFound(model, served);
            await handler(context, body).ConfigureAwait(false);
        }
        catch (OpenAiError e) when (!context.Response.HasStarted)
        {
            await Error(context.Response, e).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (context.RequestAborted.IsCancellationRequested)
        {
            logger.ClientWentAway(context.Request.Path, e);
        }
        catch (Exception e) when (!context.Response.HasStarted && e is not OperationCanceledException)
        {
            logger.RequestFailed(context.Request.Path, e);
            await Error(context.Response, new OpenAiError(500, $"{e.GetType().Name}: {e.Message}", code: "internal_error")).ConfigureAwait(false);
        }
    }

    private static Task Error(HttpResponse response, OpenAiError e) => ResponseParts.WriteJsonAsync(response, new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["message"] = e.Message,
            ["type"] = e.Status >= 500 ? "server_error" : "invalid_request_error",
            ["param"] = e.Param,
            ["code"] = e.Code,
        },
    }, e.Status);

    /// <summary>Stops listening, lets running generations finish, and stops the batcher.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _queue.Dispose();
    }
}
