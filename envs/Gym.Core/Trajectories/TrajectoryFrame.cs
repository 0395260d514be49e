using System.Buffers.Binary;

namespace Gym.Core.Trajectories;

/// <summary>
/// The frame around each stored episode. A record is itself a MessagePack map, so that Python's
/// <c>msgpack.Unpacker</c> reads a trajectory file as a stream of dicts:
/// <c>{"v": 1, "len": uint32, "crc": uint32, "episode": {...}}</c>, where <c>len</c> is the byte length of the
/// encoded episode and <c>crc</c> its CRC-32 (zlib's). The first 30 bytes of a record have a fixed layout, so a
/// reader finds records, detects a torn tail and resynchronises after damage without decoding.
/// </summary>
internal static class TrajectoryFrame
{
    public const int HeaderSize = 30;
    public const int FrameVersion = 1;

    /// <summary>The largest episode a reader accepts (guards allocation against corrupt lengths).</summary>
    public const int MaxEpisodeBytes = 1 << 30;

    // fixmap(4), "v", 1, "len", uint32 marker: the start of every record.
    public static ReadOnlySpan<byte> Magic => [0x84, 0xa1, (byte)'v', FrameVersion, 0xa3, (byte)'l', (byte)'e', (byte)'n', 0xce];

    public static void WriteHeader(Span<byte> header, int length, uint crc)
    {
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32BigEndian(header[9..], (uint)length);
        ReadOnlySpan<byte> crcKey = [0xa3, (byte)'c', (byte)'r', (byte)'c', 0xce];
        crcKey.CopyTo(header[13..]);
        BinaryPrimitives.WriteUInt32BigEndian(header[18..], crc);
        ReadOnlySpan<byte> episodeKey = [0xa7, (byte)'e', (byte)'p', (byte)'i', (byte)'s', (byte)'o', (byte)'d', (byte)'e'];
        episodeKey.CopyTo(header[22..]);
    }

    /// <summary>Parses a header; false when the bytes are not a record header.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> header, out uint length, out uint crc)
    {
        length = crc = 0;
        if (header.Length < HeaderSize || !header.StartsWith(Magic))
            return false;
        if (header[13] != 0xa3 || header[14] != 'c' || header[15] != 'r' || header[16] != 'c' || header[17] != 0xce || header[22] != 0xa7)
            return false;
        if (!header.Slice(23, 7).SequenceEqual("episode"u8))
            return false;
        length = BinaryPrimitives.ReadUInt32BigEndian(header[9..]);
        crc = BinaryPrimitives.ReadUInt32BigEndian(header[18..]);
        return true;
    }
}
