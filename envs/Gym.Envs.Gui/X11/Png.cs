using System.Buffers.Binary;
using System.IO.Compression;

namespace Gym.Envs.Gui.X11;

/// <summary>Encodes screen images as PNG (8-bit RGB, no filtering, fastest deflate: screenshots are sent, not archived).</summary>
public static class Png
{
    private static readonly uint[] CrcTable = MakeCrcTable();

    /// <summary>PNG of <paramref name="bgrx"/> (X's 32-bit pixels), scaled down by <paramref name="factor"/> (box average) when above 1.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> bgrx, int width, int height, int factor = 1)
    {
        if (factor < 1)
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The scale factor must be at least 1.");
        int w = width / factor, h = height / factor;
        byte[] raw = new byte[h * (w * 3 + 1)];
        int area = factor * factor;
        for (int y = 0; y < h; y++)
        {
            int row = y * (w * 3 + 1) + 1; // filter byte 0 (none) leads each row
            for (int x = 0; x < w; x++)
            {
                int r = 0, g = 0, b = 0;
                for (int dy = 0; dy < factor; dy++)
                    for (int dx = 0; dx < factor; dx++)
                    {
                        int p = ((y * factor + dy) * width + x * factor + dx) * 4;
                        b += bgrx[p];
                        g += bgrx[p + 1];
                        r += bgrx[p + 2];
                    }
                raw[row + x * 3] = (byte)(r / area);
                raw[row + x * 3 + 1] = (byte)(g / area);
                raw[row + x * 3 + 2] = (byte)(b / area);
            }
        }
        using MemoryStream png = new();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a]);
        byte[] header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, w);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), h);
        header[8] = 8; // bit depth
        header[9] = 2; // truecolour
        Chunk(png, "IHDR", header);
        using (MemoryStream compressed = new())
        {
            using (ZLibStream z = new(compressed, CompressionLevel.Fastest, leaveOpen: true))
                z.Write(raw);
            Chunk(png, "IDAT", compressed.ToArray());
        }
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        byte[] name = [(byte)type[0], (byte)type[1], (byte)type[2], (byte)type[3]];
        png.Write(name);
        png.Write(data);
        uint crc = Crc(Crc(0xffffffff, name), data) ^ 0xffffffff;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        png.Write(word);
    }

    private static uint Crc(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
            crc = CrcTable[(crc ^ b) & 0xff] ^ (crc >> 8);
        return crc;
    }

    private static uint[] MakeCrcTable()
    {
        uint[] table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xedb88320 ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
