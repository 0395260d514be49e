using Gym.Models;
using Gym.Models.Transformer;

namespace Gym.Serving;

/// <summary>The model a server serves, under the name clients ask for.</summary>
/// <param name="Name">The model id of <c>/v1/models</c> and of requests.</param>
/// <param name="Model">The model.</param>
/// <param name="Tokenizer">Its tokenizer.</param>
public sealed record ServedModel(string Name, CausalLanguageModel Model, ITokenizer Tokenizer)
{
    /// <summary>The model's context in tokens.</summary>
    public int Context => Model.Config.MaxPositionEmbeddings;

    /// <summary>When it was loaded (the <c>created</c> field).</summary>
    public long Created { get; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}

/// <summary>Options of <see cref="OpenAiServer"/>; defaults are documented on each property.</summary>
public sealed record ServerOptions
{
    /// <summary>Where the server logs (its own messages and ASP.NET Core's); none by default.</summary>
    public Microsoft.Extensions.Logging.ILoggerFactory? Loggers { get; init; }

    /// <summary>The address to listen on (default 127.0.0.1).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The port (default 8000; 0 picks a free one).</summary>
    public int Port { get; init; } = 8000;

    /// <summary>Most sequences generated in one batch (default 32).</summary>
    public int MaxBatchSize { get; init; } = 32;

    /// <summary>How long the batcher waits for more requests after the first of a batch (default 5 ms).</summary>
    public TimeSpan BatchWindow { get; init; } = TimeSpan.FromMilliseconds(5);
}
