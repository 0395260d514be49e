using System.Buffers.Binary;

namespace Gym.Docker;

/// <summary>
/// Docker's multiplexed output (attach, exec and logs without a terminal): frames of an 8-byte header
/// (stream: 0 stdin, 1 stdout, 2 stderr; three zero bytes; payload length, big-endian) and the payload.
/// </summary>
public static class MultiplexedStream
{
    /// <summary>Reads frames until the end of <paramref name="source"/>, sending each payload to its stream's sink.</summary>
    public static async Task CopyAsync(Stream source, CappedOutput stdout, CappedOutput stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        byte[] header = new byte[8];
        byte[] buffer = new byte[1 << 16];
        while (true)
        {
            if (!await FillAsync(source, header, cancellationToken).ConfigureAwait(false))
                return;
            CappedOutput sink = header[0] == 2 ? stderr : stdout;
            if (header[0] > 2 || header[1] != 0 || header[2] != 0 || header[3] != 0)
                throw new InvalidDataException($"Not a multiplexed Docker stream: frame header {Convert.ToHexString(header)}.");
            long remaining = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
            while (remaining > 0)
            {
                int n = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                    throw new EndOfStreamException($"The Docker stream ended inside a frame ({remaining} bytes missing).");
                sink.Write(buffer.AsSpan(0, n));
                remaining -= n;
            }
        }
    }

    // Fills the buffer; false when the stream ended cleanly before its first byte.
    private static async Task<bool> FillAsync(Stream source, byte[] buffer, CancellationToken cancellationToken)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await source.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
                return read == 0 ? false : throw new EndOfStreamException("The Docker stream ended inside a frame header.");
            read += n;
        }
        return true;
    }
}
