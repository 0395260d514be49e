using System.Text;

namespace Gym.Docker;

/// <summary>
/// Collects a byte stream without holding more than a bound: the first half of the budget is kept from the head,
/// the second half is a ring of the latest bytes; what falls between is counted and reported by a marker.
/// </summary>
public sealed class CappedOutput(int limit)
{
    private readonly byte[] _head = new byte[Math.Max(0, limit) / 2];
    private readonly byte[] _tail = new byte[Math.Max(0, limit) - Math.Max(0, limit) / 2];
    private int _headCount;
    private long _tailWritten;

    /// <summary>Bytes received in all.</summary>
    public long TotalBytes { get; private set; }

    /// <summary>Whether bytes were dropped.</summary>
    public bool Truncated => TotalBytes > _head.Length + _tail.Length;

    /// <summary>Adds bytes.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        TotalBytes += data.Length;
        int toHead = Math.Min(_head.Length - _headCount, data.Length);
        data[..toHead].CopyTo(_head.AsSpan(_headCount));
        _headCount += toHead;
        data = data[toHead..];
        if (_tail.Length == 0 || data.IsEmpty)
            return;
        if (data.Length > _tail.Length)
            data = data[^_tail.Length..];
        foreach (byte b in data)
            _tail[_tailWritten++ % _tail.Length] = b;
    }

    /// <summary>The kept bytes: head, then (when some were dropped) nothing between, then the tail.</summary>
    public (byte[] Head, byte[] Tail, long Omitted) Parts()
    {
        int kept = (int)Math.Min(_tailWritten, _tail.Length);
        byte[] tail = new byte[kept];
        for (int i = 0; i < kept; i++)
            tail[i] = _tail[(_tailWritten - kept + i) % _tail.Length];
        return (_head[.._headCount], tail, TotalBytes - _headCount - kept);
    }

    /// <summary>The output as UTF-8 text, with a marker where bytes were dropped.</summary>
    public override string ToString()
    {
        (byte[] head, byte[] tail, long omitted) = Parts();
        if (omitted == 0)
            return Encoding.UTF8.GetString([.. head, .. tail]);
        return Encoding.UTF8.GetString(head) + $"\n[... {omitted} bytes of output omitted ...]\n" + Encoding.UTF8.GetString(tail);
    }
}
