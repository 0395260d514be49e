namespace Gym.Core.Trajectories;

/// <summary>CRC-32 (IEEE 802.3, the zlib polynomial), slicing-by-8; matches Python's <c>zlib.crc32</c>.</summary>
internal static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    private static uint[] BuildTable()
    {
        uint[] table = new uint[8 * 256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        for (int t = 1; t < 8; t++)
        {
            for (int i = 0; i < 256; i++)
            {
                uint prev = table[(t - 1) * 256 + i];
                table[t * 256 + i] = (prev >> 8) ^ table[prev & 0xff];
            }
        }
        return table;
    }

    /// <summary>The CRC-32 of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint[] t = Table;
        uint crc = 0xFFFFFFFFu;
        while (data.Length >= 8)
        {
            uint one = crc ^ (uint)(data[0] | data[1] << 8 | data[2] << 16 | data[3] << 24);
            uint two = (uint)(data[4] | data[5] << 8 | data[6] << 16 | data[7] << 24);
            crc = t[7 * 256 + (one & 0xff)] ^ t[6 * 256 + ((one >> 8) & 0xff)] ^ t[5 * 256 + ((one >> 16) & 0xff)] ^ t[4 * 256 + (one >> 24)]
                ^ t[3 * 256 + (two & 0xff)] ^ t[2 * 256 + ((two >> 8) & 0xff)] ^ t[256 + ((two >> 16) & 0xff)] ^ t[two >> 24];
            data = data[8..];
        }
        foreach (byte b in data)
            crc = t[(crc ^ b) & 0xff] ^ (crc >> 8);
        return ~crc;
    }
}
