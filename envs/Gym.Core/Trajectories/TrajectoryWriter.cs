using System.Buffers;
using MessagePack;

namespace Gym.Core.Trajectories;

/// <summary>
/// Appends episodes to a trajectory file, one checksummed record each. Every append is written and flushed
/// whole, so a killed writer leaves at most one torn record at the end, which readers detect and skip.
/// Not thread-safe: one writer per file, appends from one thread at a time.
/// </summary>
public sealed class TrajectoryWriter : IDisposable, IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly bool _durable;
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);

    /// <summary>Creates a writer over <paramref name="stream"/>, positioned where records should go.</summary>
    /// <param name="stream">The output.</param>
    /// <param name="ownsStream">Whether disposing the writer disposes the stream.</param>
    /// <param name="durable">Whether each append waits for the data to reach the disk (fsync), not just the OS.</param>
    public TrajectoryWriter(Stream stream, bool ownsStream = true, bool durable = false)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        _ownsStream = ownsStream;
        _durable = durable;
    }

    /// <summary>Opens <paramref name="path"/> for appending (creating it and its directory when needed).</summary>
    public static TrajectoryWriter Open(string path, bool durable = false)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
            Directory.CreateDirectory(dir);
        FileStream stream = new(path, FileMode.Append, FileAccess.Write, FileShare.Read, 1 << 16);
        return new TrajectoryWriter(stream, ownsStream: true, durable);
    }

    /// <summary>Episodes appended by this writer.</summary>
    public long Count { get; private set; }

    /// <summary>Encodes one record into the internal buffer and returns it.</summary>
    private ReadOnlyMemory<byte> Encode(Episode episode)
    {
        _buffer.ResetWrittenCount();
        _buffer.GetSpan(TrajectoryFrame.HeaderSize);
        _buffer.Advance(TrajectoryFrame.HeaderSize);
        MessagePackWriter writer = new(_buffer);
        EpisodeCodec.Write(ref writer, episode);
        writer.Flush();
        int length = _buffer.WrittenCount - TrajectoryFrame.HeaderSize;
        ReadOnlySpan<byte> body = _buffer.WrittenSpan[TrajectoryFrame.HeaderSize..];
        // ArrayBufferWriter exposes its written data read-only; the header slot was reserved above.
        Span<byte> header = System.Runtime.InteropServices.MemoryMarshal.AsMemory(_buffer.WrittenMemory).Span[..TrajectoryFrame.HeaderSize];
        TrajectoryFrame.WriteHeader(header, length, Crc32.Compute(body));
        return _buffer.WrittenMemory;
    }

    /// <summary>Appends one episode and flushes it.</summary>
    public void Append(Episode episode)
    {
        _stream.Write(Encode(episode).Span);
        Flush();
        Count++;
    }

    /// <summary>Appends one episode and flushes it.</summary>
    public async ValueTask AppendAsync(Episode episode, CancellationToken cancellationToken = default)
    {
        await _stream.WriteAsync(Encode(episode), cancellationToken).ConfigureAwait(false);
        if (_durable && _stream is FileStream fs)
            fs.Flush(flushToDisk: true);
        else
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        Count++;
    }

    /// <summary>Flushes written records (to disk when the writer is durable).</summary>
    public void Flush()
    {
        if (_durable && _stream is FileStream fs)
            fs.Flush(flushToDisk: true);
        else
            _stream.Flush();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsStream)
            _stream.Dispose();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _ownsStream ? _stream.DisposeAsync() : ValueTask.CompletedTask;
}
