using MessagePack;

namespace Gym.Core.Trajectories;

/// <summary>A problem found while reading a trajectory file; reading goes on past it.</summary>
/// <param name="Offset">The byte offset of the damaged record.</param>
/// <param name="Kind">What kind of damage.</param>
/// <param name="Message">What is wrong, for people.</param>
public sealed record TrajectoryIssue(long Offset, TrajectoryIssueKind Kind, string Message);

/// <summary>Everything read from a trajectory file.</summary>
/// <param name="Episodes">Every complete, intact episode, in file order.</param>
/// <param name="Issues">Damage found and skipped.</param>
public sealed record TrajectoryReadResult(IReadOnlyList<Episode> Episodes, IReadOnlyList<TrajectoryIssue> Issues);

/// <summary>
/// Reads trajectory files written by <see cref="TrajectoryWriter"/>. It never fails on damaged data: a torn final
/// record or a corrupt one is reported as a <see cref="TrajectoryIssue"/>, and every intact record is returned.
/// </summary>
public static class TrajectoryReader
{
    /// <summary>Reads a whole file.</summary>
    public static TrajectoryReadResult ReadFile(string path)
    {
        using FileStream stream = new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
        List<TrajectoryIssue> issues = [];
        List<Episode> episodes = [.. Read(stream, issues.Add)];
        return new TrajectoryReadResult(episodes, issues);
    }

    /// <summary>Streams the episodes of a seekable stream; damage is reported to <paramref name="onIssue"/>.</summary>
    public static IEnumerable<Episode> Read(Stream stream, Action<TrajectoryIssue> onIssue)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(onIssue);
        if (!stream.CanSeek)
            throw new ArgumentException("Trajectory files are read from seekable streams.", nameof(stream));
        long length = stream.Length;
        long position = stream.Position;
        byte[] header = new byte[TrajectoryFrame.HeaderSize];
        while (position < length)
        {
            stream.Position = position;
            int got = ReadFully(stream, header);
            if (got < TrajectoryFrame.HeaderSize)
            {
                int prefix = Math.Min(got, TrajectoryFrame.Magic.Length);
                if (header.AsSpan(0, prefix).SequenceEqual(TrajectoryFrame.Magic[..prefix]))
                {
                    onIssue(new TrajectoryIssue(position, TrajectoryIssueKind.TornTail, $"The final record at offset {position} is incomplete ({got} of its {TrajectoryFrame.HeaderSize} header bytes): the writer was probably killed while appending; it was skipped."));
                    yield break;
                }
                onIssue(new TrajectoryIssue(position, TrajectoryIssueKind.Corrupt, $"{got} trailing bytes at offset {position} are not a record; skipped."));
                yield break;
            }
            if (!TrajectoryFrame.TryReadHeader(header, out uint bodyLength, out uint crc))
            {
                long next = FindNextRecord(stream, position + 1, length);
                onIssue(new TrajectoryIssue(position, TrajectoryIssueKind.Corrupt, $"No record header at offset {position}; skipped {next - position} bytes to the next record."));
                position = next;
                continue;
            }
            long bodyStart = position + TrajectoryFrame.HeaderSize;
            if (bodyLength > TrajectoryFrame.MaxEpisodeBytes || bodyStart + bodyLength > length)
            {
                long next = FindNextRecord(stream, position + 1, length);
                if (next >= length)
                {
                    onIssue(new TrajectoryIssue(position, TrajectoryIssueKind.TornTail, $"The final record at offset {position} is incomplete: it declares {bodyLength} bytes but only {length - bodyStart} follow; the writer was probably killed while appending; it was skipped."));
                    yield break;
                }
                onIssue(new TrajectoryIssue(position, TrajectoryIssueKind.Corrupt, $"The record at offset {position} declares {bodyLength} bytes, more than the file holds before the next record; skipped."));
                position = next;
                continue;
            }
            byte[] body = new byte[bodyLength];
            stream.Position = bodyStart;
            ReadFully(stream, body);
            if (Crc32.Compute(body) != crc)
            {
                long next = FindNextRecord(stream, position + 1, length);
                onIssue(new TrajectoryIssue(position, TrajectoryIssueKind.Corrupt, $"The record at offset {position} fails its checksum; skipped {next - position} bytes to the next intact record header."));
                position = next;
                continue;
            }
            Episode? episode = null;
            try
            {
                MessagePackReader reader = new(body);
                episode = EpisodeCodec.Read(ref reader);
            }
            catch (MessagePackSerializationException e)
            {
                onIssue(new TrajectoryIssue(position, TrajectoryIssueKind.Corrupt, $"The record at offset {position} has an intact checksum but does not decode: {e.Message}; skipped."));
            }
            position = bodyStart + bodyLength;
            if (episode is not null)
                yield return episode;
        }
    }

    private static int ReadFully(Stream stream, byte[] buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer, total, buffer.Length - total);
            if (n == 0)
                break;
            total += n;
        }
        return total;
    }

    // Scans forward for the next record magic; returns the stream length when there is none.
    private static long FindNextRecord(Stream stream, long from, long length)
    {
        ReadOnlySpan<byte> magic = TrajectoryFrame.Magic;
        byte[] block = new byte[1 << 16];
        long position = from;
        while (position < length)
        {
            stream.Position = position;
            int got = ReadFully(stream, block);
            if (got == 0)
                break;
            int index = block.AsSpan(0, got).IndexOf(magic);
            if (index >= 0)
                return position + index;
            if (got < block.Length)
                break;
            position += got - magic.Length + 1;
        }
        return length;
    }
}
