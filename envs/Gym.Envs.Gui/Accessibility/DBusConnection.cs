using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;

namespace Gym.Envs.Gui.Accessibility;

/// <summary>A method call to make.</summary>
/// <param name="Destination">The bus name that answers it.</param>
/// <param name="Path">The object.</param>
/// <param name="Interface">The interface.</param>
/// <param name="Member">The method.</param>
/// <param name="Signature">The arguments' signature.</param>
/// <param name="Arguments">The arguments.</param>
public sealed record DBusCall(string Destination, string Path, string Interface, string Member, string Signature = "", params object[] Arguments);

/// <summary>A call's answer: its values, or the error's name and message; null when none came in time.</summary>
/// <param name="Body">The returned values (empty for an error).</param>
/// <param name="Error">The error's name, or null.</param>
public sealed record DBusReply(object[] Body, string? Error)
{
    /// <summary>Whether the call succeeded.</summary>
    public bool Ok => Error is null;
}

/// <summary>
/// A client connection to a D-Bus bus over a Unix socket (EXTERNAL authentication, no file descriptors). Calls are
/// sent in batches and their replies matched by serial, so a tree of objects costs one round trip per level rather
/// than one per call. A timeout leaves the stream mid-message: the connection is then closed (<see cref="IsOpen"/>).
/// </summary>
public sealed class DBusConnection : IDisposable
{
    private readonly Socket _socket;
    private uint _serial;

    private readonly ILogger _logger;

    private DBusConnection(Socket socket, ILogger logger)
    {
        _socket = socket;
        _logger = logger;
    }

    /// <summary>This connection's unique name on the bus.</summary>
    public string UniqueName { get; private set; } = "";

    /// <summary>Whether the connection can still be used.</summary>
    public bool IsOpen { get; private set; } = true;

    /// <summary>Connects to <paramref name="address"/> (<c>unix:path=...</c> or <c>unix:abstract=...</c>), authenticates and says Hello.</summary>
    public static DBusConnection Open(string address, TimeSpan timeout, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        Socket socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(Endpoint(address));
            socket.ReceiveTimeout = (int)timeout.TotalMilliseconds;
            string uid = File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
            socket.Send(Encoding.ASCII.GetBytes($"\0AUTH EXTERNAL {Convert.ToHexStringLower(Encoding.ASCII.GetBytes(uid))}\r\n"));
            string answer = ReadLine(socket);
            if (!answer.StartsWith("OK ", StringComparison.Ordinal))
                throw new IOException($"D-Bus at {address} refused authentication: {answer}");
            socket.Send("BEGIN\r\n"u8.ToArray());
            DBusConnection connection = new(socket, logger ?? NullLogger.Instance);
            DBusReply hello = connection.Call(new DBusCall("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "Hello"), timeout)
                ?? throw new TimeoutException($"D-Bus at {address} did not answer Hello within {timeout.TotalMilliseconds:0} ms.");
            connection.UniqueName = hello.Ok ? (string)hello.Body[0] : throw new IOException($"D-Bus at {address}: Hello failed ({hello.Error}).");
            return connection;
        }
        catch (Exception e) when (e is SocketException or IOException or InvalidOperationException or TimeoutException)
        {
            socket.Dispose();
            throw new IOException($"Could not connect to D-Bus at {address}: {e.Message}", e);
        }
    }

    private static UnixDomainSocketEndPoint Endpoint(string address)
    {
        foreach (string part in address.Split(';')[0].Replace("unix:", "", StringComparison.Ordinal).Split(','))
        {
            if (part.StartsWith("path=", StringComparison.Ordinal))
                return new UnixDomainSocketEndPoint(Uri.UnescapeDataString(part[5..]));
            if (part.StartsWith("abstract=", StringComparison.Ordinal))
                return new UnixDomainSocketEndPoint("\0" + Uri.UnescapeDataString(part[9..]));
        }
        throw new ArgumentException($"D-Bus address \"{address}\" is not a unix:path= or unix:abstract= address.", nameof(address));
    }

    private static string ReadLine(Socket socket)
    {
        StringBuilder line = new();
        byte[] one = new byte[1];
        while (socket.Receive(one) == 1 && one[0] != '\n')
            line.Append((char)one[0]);
        return line.ToString().TrimEnd('\r');
    }

    /// <summary>Makes one call; null when no reply came within <paramref name="timeout"/>.</summary>
    public DBusReply? Call(DBusCall call, TimeSpan timeout) => CallAll([call], timeout)[0];

    /// <summary>Sends every call at once and collects the replies, in order; a reply that did not come in time is null.</summary>
    public DBusReply?[] CallAll(IReadOnlyList<DBusCall> calls, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(calls);
        ObjectDisposedException.ThrowIf(!IsOpen, this);
        DBusReply?[] replies = new DBusReply?[calls.Count];
        if (calls.Count == 0)
            return replies;
        uint first = _serial + 1;
        List<byte> batch = [];
        foreach (DBusCall c in calls)
            batch.AddRange(DBusWire.MethodCall(++_serial, c.Destination, c.Path, c.Interface, c.Member, c.Signature, c.Arguments));
        Stopwatch clock = Stopwatch.StartNew();
        try
        {
            _socket.Send(batch.ToArray());
            int missing = calls.Count;
            while (missing > 0)
            {
                TimeSpan left = timeout - clock.Elapsed;
                if (left <= TimeSpan.Zero)
                    throw new TimeoutException();
                _socket.ReceiveTimeout = Math.Max(1, (int)left.TotalMilliseconds);
                (DBusMessageType type, uint replyTo, string? error, object[] body) = Receive();
                if (type is not (DBusMessageType.MethodReturn or DBusMessageType.Error) || replyTo < first || replyTo > _serial)
                    continue; // a signal, or the late answer to an earlier batch
                int index = (int)(replyTo - first);
                if (replies[index] is null)
                    missing--;
                replies[index] = new DBusReply(type == DBusMessageType.Error ? [] : body, type == DBusMessageType.Error ? error ?? "error" : null);
            }
        }
        catch (Exception e) when (e is TimeoutException or SocketException or IOException)
        {
            _logger.AccessibilityBusLost(e);
            Dispose();
        }
        return replies;
    }

    private (DBusMessageType Type, uint ReplyTo, string? Error, object[] Body) Receive()
    {
        byte[] fixedPart = ReceiveExactly(16);
        bool little = fixedPart[0] == 'l';
        uint U32(int at) => little ? BinaryPrimitives.ReadUInt32LittleEndian(fixedPart.AsSpan(at)) : BinaryPrimitives.ReadUInt32BigEndian(fixedPart.AsSpan(at));
        int bodyLength = checked((int)U32(4)), fieldsLength = checked((int)U32(12));
        int headerEnd = (16 + fieldsLength + 7) / 8 * 8;
        byte[] message = [.. fixedPart, .. ReceiveExactly(headerEnd - 16 + bodyLength)];
        DBusReader reader = new(message, little, 12);
        uint replyTo = 0;
        string? error = null, signature = "";
        foreach (object[] field in ((List<object>)reader.Read("a(yv)")).Cast<object[]>())
        {
            switch ((byte)field[0])
            {
                case 4: error = (string)field[1]; break;
                case 5: replyTo = (uint)field[1]; break;
                case 8: signature = (string)field[1]; break;
            }
        }
        reader.Align(8);
        object[] body = reader.ReadAll(signature);
        if (error is not null && body is [string text, ..])
            error += ": " + text;
        return ((DBusMessageType)fixedPart[1], replyTo, error, body);
    }

    private byte[] ReceiveExactly(int n)
    {
        byte[] buffer = new byte[n];
        for (int read = 0; read < n;)
        {
            int got;
            try
            {
                got = _socket.Receive(buffer, read, n - read, SocketFlags.None);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut || e.SocketErrorCode == SocketError.WouldBlock)
            {
                throw new TimeoutException("D-Bus: no reply in time.", e);
            }
            if (got == 0)
                throw new IOException("D-Bus: the bus closed the connection.");
            read += got;
        }
        return buffer;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        IsOpen = false;
        _socket.Dispose();
    }
}
