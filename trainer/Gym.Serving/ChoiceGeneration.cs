using System.Threading.Channels;
using Gym.Models.Generation;

namespace Gym.Serving;

/// <summary>The choices of one request, queued together; when streaming, their tokens arrive on one channel as they are chosen.</summary>
internal sealed class ChoiceGeneration
{
    private readonly Channel<(int Choice, int Token)>? _tokens;

    public ChoiceGeneration(GenerationQueue queue, IReadOnlyList<GenerationRequest> choices, bool stream)
    {
        _tokens = stream ? Channel.CreateUnbounded<(int, int)>(new UnboundedChannelOptions { SingleReader = true }) : null;
        Results = [.. choices.Select((request, i) => queue.GenerateAsync(request, _tokens is null ? null : token => _tokens.Writer.TryWrite((i, token))))];
        All = Task.WhenAll(Results);
        if (_tokens is not null)
            _ = All.ContinueWith(_ => _tokens.Writer.TryComplete(), TaskScheduler.Default);
    }

    public Task<GenerationResult>[] Results { get; }

    public Task<GenerationResult[]> All { get; }

    /// <summary>Tokens as they are chosen (streaming only); ends when every choice is done.</summary>
    public IAsyncEnumerable<(int Choice, int Token)> Tokens(CancellationToken cancellationToken) =>
        (_tokens ?? throw new InvalidOperationException("Not streaming.")).Reader.ReadAllAsync(cancellationToken);
}
