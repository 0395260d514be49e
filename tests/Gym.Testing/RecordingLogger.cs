using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Gym.Testing;

/// <summary>A logger that keeps what it is given, for tests of what code logs.</summary>
public sealed class RecordingLogger : ILogger
{
    private readonly ConcurrentQueue<(LogLevel Level, EventId Id, string Message)> _entries = new();

    /// <summary>What was logged, in order.</summary>
    public IReadOnlyList<(LogLevel Level, EventId Id, string Message)> Entries => [.. _entries];

    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => true;

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        _entries.Enqueue((logLevel, eventId, formatter(state, exception)));
    }
}
