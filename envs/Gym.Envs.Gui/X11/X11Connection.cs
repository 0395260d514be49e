using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Gym.Envs.Gui.X11;

/// <summary>
/// A client of the X11 wire protocol over the display's Unix socket: the few core requests Gym needs (window tree,
/// properties, geometry, screen images, the keyboard map) and the XTEST extension's fake input. Written against
/// the protocol rather than Xlib so that a dead X server is an exception on this connection, never a process exit.
/// Not thread-safe: one caller at a time.
/// </summary>
public sealed class X11Connection : IDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly Dictionary<string, uint> _atoms = new(StringComparer.Ordinal);
    private readonly Queue<uint[]> _clientMessages = new();
    private ushort _sequence;
    private byte _xtestOpcode;
    private bool _listening;

    private X11Connection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    /// <summary>The root window of screen 0.</summary>
    public uint Root { get; private set; }

    /// <summary>The screen's width in pixels.</summary>
    public int Width { get; private set; }

    /// <summary>The screen's height in pixels.</summary>
    public int Height { get; private set; }

    /// <summary>The root window's depth (24 on Gym's displays).</summary>
    public int Depth { get; private set; }

    /// <summary>The lowest key code.</summary>
    public byte MinKeycode { get; private set; }

    /// <summary>The highest key code.</summary>
    public byte MaxKeycode { get; private set; }

    /// <summary>Connects to display <c>:number</c> through its socket in /tmp/.X11-unix and checks for XTEST.</summary>
    public static X11Connection Open(int display, TimeSpan timeout)
    {
        Socket socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
        {
            ReceiveTimeout = (int)timeout.TotalMilliseconds,
            SendTimeout = (int)timeout.TotalMilliseconds,
        };
        string path = $"/tmp/.X11-unix/X{display}";
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new X11Exception($"Cannot connect to X display :{display} ({path}): {e.Message}");
        }
        X11Connection connection = new(socket);
        try
        {
            connection.Setup(display);
            connection._xtestOpcode = connection.QueryExtension("XTEST")
                ?? throw new X11Exception($"X display :{display} lacks the XTEST extension, which input needs.");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void Setup(int display)
    {
        // Little-endian, protocol 11.0, no authorisation (Gym's Xvfb accepts local connections of its own user).
        byte[] hello = new byte[12];
        hello[0] = (byte)'l';
        BinaryPrimitives.WriteUInt16LittleEndian(hello.AsSpan(2), 11);
        _stream.Write(hello);
        byte[] head = ReadExactly(8);
        int extra = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(6)) * 4;
        byte[] body = ReadExactly(extra);
        if (head[0] != 1)
        {
            string reason = head[0] == 0 ? Encoding.ASCII.GetString(body, 0, Math.Min(head[1], body.Length)) : "the server asks for authentication";
            throw new X11Exception($"X display :{display} refused the connection: {reason}");
        }
        int vendorLength = BinaryPrimitives.ReadUInt16LittleEndian(body.AsSpan(16));
        int formats = body[21];
        MinKeycode = body[26];
        MaxKeycode = body[27];
        int screen = 32 + Pad(vendorLength) + formats * 8;
        Root = BinaryPrimitives.ReadUInt32LittleEndian(body.AsSpan(screen));
        Width = BinaryPrimitives.ReadUInt16LittleEndian(body.AsSpan(screen + 20));
        Height = BinaryPrimitives.ReadUInt16LittleEndian(body.AsSpan(screen + 22));
        Depth = body[screen + 38];
    }

    /// <summary>The atom named <paramref name="name"/>, interned (and cached).</summary>
    public uint Atom(string name)
    {
        if (_atoms.TryGetValue(name, out uint atom))
            return atom;
        byte[] bytes = Encoding.ASCII.GetBytes(name);
        byte[] request = Request(16, 0, 8 + Pad(bytes.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(request.AsSpan(4), (ushort)bytes.Length);
        bytes.CopyTo(request, 8);
        atom = BinaryPrimitives.ReadUInt32LittleEndian(RoundTrip(request).AsSpan(8));
        _atoms[name] = atom;
        return atom;
    }

    /// <summary>A window property's raw value and format (8, 16 or 32), or null when the window lacks it.</summary>
    public (byte[] Value, int Format, uint Type)? Property(uint window, string name, uint maxLongs = 1 << 16)
    {
        byte[] request = Request(20, 0, 24);
        BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(4), window);
        BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(8), Atom(name));
        BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(12), 0); // any type
        BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(16), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(20), maxLongs);
        byte[] reply = RoundTrip(request);
        uint type = BinaryPrimitives.ReadUInt32LittleEndian(reply.AsSpan(8));
        if (type == 0)
            return null;
        int format = reply[1];
        int count = (int)BinaryPrimitives.ReadUInt32LittleEndian(reply.AsSpan(16));
        return (reply.AsSpan(32, count * (format / 8)).ToArray(), format, type);
    }

    /// <summary>A property of 32-bit items (windows, atoms, cardinals); empty when absent.</summary>
    public uint[] Property32(uint window, string name)
    {
        if (Property(window, name) is not { Format: 32 } p)
            return [];
        uint[] items = new uint[p.Value.Length / 4];
        for (int i = 0; i < items.Length; i++)
            items[i] = BinaryPrimitives.ReadUInt32LittleEndian(p.Value.AsSpan(i * 4));
        return items;
    }

    /// <summary>A text property (UTF-8 or Latin-1 strings; several null-separated ones for WM_CLASS).</summary>
    public string? PropertyText(uint window, string name) =>
        Property(window, name) is { Format: 8 } p ? Encoding.UTF8.GetString(p.Value) : null;

    /// <summary>The window's children, bottom to top.</summary>
    public uint[] Children(uint window)
    {
        byte[] request = Request(15, 0, 8);
        BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(4), window);
        byte[] reply = RoundTrip(request);
        int n = BinaryPrimitives.ReadUInt16LittleEndian(reply.AsSpan(16));
        uint[] children = new uint[n];
        for (int i = 0; i < n; i++)
            children[i] = BinaryPrimitives.ReadUInt32LittleEndian(reply.AsSpan(32 + i * 4));
        return children;
    }

    /// <summary>Whether the window is mapped and viewable.</summary>
    public bool IsViewable(uint window)
    {
        byte[] request = Request(3, 0, 8);
        BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(4), window);
        return RoundTrip(request)[26] == 2;
    }

    /// <summary>The window's size and its position on the screen (root coordinates).</summary>
    public (int X, int Y, int Width, int Height) Geometry(uint window)
    {
        byte[] request = Request(14, 0, 8);
        BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(4), window);
        byte[] reply = RoundTrip(request);
        int width = BinaryPrimitives.ReadUInt16LittleEndian(reply.AsSpan(16));
        int height = BinaryPrimitives.ReadUInt16LittleEndian(reply.AsSpan(18));
        request = Request(40, 0, 16);
        BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(4), window);
        BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(8), Root);
        reply = RoundTrip(request);
        return (BinaryPrimitives.ReadInt16LittleEndian(reply.AsSpan(12)), BinaryPrimitives.ReadInt16LittleEndian(reply.AsSpan(14)), width, height);
    }

    /// <summary>The window that has the keyboard focus (0 for none, 1 for pointer-root).</summary>
    public uint InputFocus() => BinaryPrimitives.ReadUInt32LittleEndian(RoundTrip(Request(43, 0, 4)).AsSpan(8));

    /// <summary>A rectangle of the root window as 32-bit pixels (blue, green, red, unused), rows top to bottom.</summary>
    public byte[] Image(int x, int y, int width, int height)
    {
        if (Depth != 24)
            throw new X11Exception($"The screen's depth is {Depth}; Gym reads 24-bit screens.");
        byte[] request = Request(73, 2, 20); // ZPixmap
        BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(4), Root);
        BinaryPrimitives.WriteInt16LittleEndian(request.AsSpan(8), (short)x);
        BinaryPrimitives.WriteInt16LittleEndian(request.AsSpan(10), (short)y);
        BinaryPrimitives.WriteUInt16LittleEndian(request.AsSpan(12), (ushort)width);
        BinaryPrimitives.WriteUInt16LittleEndian(request.AsSpan(14), (ushort)height);
        BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(16), uint.MaxValue);
        byte[] reply = RoundTrip(request);
        return reply.AsSpan(32, width * height * 4).ToArray();
    }

    /// <summary>The keyboard map: for each key code from <see cref="MinKeycode"/>, its keysyms (unshifted, shifted, ...).</summary>
    public uint[][] KeyboardMapping()
    {
        int count = MaxKeycode - MinKeycode + 1;
        byte[] request = Request(101, 0, 8);
        request[4] = MinKeycode;
        request[5] = (byte)count;
        byte[] reply = RoundTrip(request);
        int perKey = reply[1];
        uint[][] map = new uint[count][];
        for (int k = 0; k < count; k++)
        {
            map[k] = new uint[perKey];
            for (int j = 0; j < perKey; j++)
                map[k][j] = BinaryPrimitives.ReadUInt32LittleEndian(reply.AsSpan(32 + (k * perKey + j) * 4));
        }
        return map;
    }

    /// <summary>Binds <paramref name="keycode"/> to <paramref name="keysym"/> (unshifted and shifted).</summary>
    public void SetKeysym(byte keycode, uint keysym)
    {
        byte[] request = Request(100, 1, 16);
        request[4] = keycode;
        request[5] = 2;
        BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(8), keysym);
        BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(12), keysym);
        Send(request);
        Sync();
    }

    /// <summary>Sends a 32-bit client message about <paramref name="window"/> to the root window (how EWMH asks the window manager for things).</summary>
    public void SendClientMessage(uint window, string type, params uint[] data)
    {
        SendEvent(Root, 0x180000, window, Atom(type), data); // to the window manager: substructure redirect and notify
        Sync();
    }

    // A 32-bit ClientMessage event about `window`, sent (SendEvent) to `destination` for the clients of `mask`.
    private void SendEvent(uint destination, uint mask, uint window, uint type, ReadOnlySpan<uint> data)
    {
        byte[] request = Request(25, 0, 44);
        BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(4), destination);
        BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(8), mask);
        request[12] = 33; // ClientMessage
        request[13] = 32;
        BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(16), window);
        BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(20), type);
        for (int i = 0; i < Math.Min(data.Length, 5); i++)
            BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(24 + i * 4), data[i]);
        Send(request);
    }

    /// <summary>
    /// Whether the client of <paramref name="window"/> answers EWMH's ping (<c>_NET_WM_PING</c>) within
    /// <paramref name="timeout"/>; null when the window does not take part in the protocol (xterm, for one) or
    /// went away meanwhile (a dialog the last action dismissed: it answers nothing and is not frozen).
    /// </summary>
    public bool? Ping(uint window, TimeSpan timeout)
    {
        try
        {
            return PingCore(window, timeout);
        }
        catch (X11Exception e) when (e.ErrorCode == 3)
        {
            return null; // BadWindow: it closed while being pinged
        }
    }

    private bool? PingCore(uint window, TimeSpan timeout)
    {
        uint ping = Atom("_NET_WM_PING"), protocols = Atom("WM_PROTOCOLS");
        if (!Property32(window, "WM_PROTOCOLS").Contains(ping))
            return null;
        if (!_listening)
        {
            // The answer is sent to the root window for substructure listeners.
            byte[] select = Request(2, 0, 16);
            BinaryPrimitives.WriteUInt32LittleEndian(select.AsSpan(4), Root);
            BinaryPrimitives.WriteUInt32LittleEndian(select.AsSpan(8), 0x800); // the event mask
            BinaryPrimitives.WriteUInt32LittleEndian(select.AsSpan(12), 0x80000); // substructure notify
            Send(select);
            _listening = true;
        }
        uint stamp = (uint)Environment.TickCount;
        SendEvent(window, 0, window, protocols, [ping, stamp, window]);
        System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            Sync();
            while (_clientMessages.TryDequeue(out uint[]? m))
                if (m[1] == protocols && m[2] == ping && m[3] == stamp)
                    return true;
            if (!IsViewable(window))
                return null;
            if (clock.Elapsed > timeout)
                return false;
            Thread.Sleep(2);
        }
    }

    /// <summary>XTEST: a pointer move to (x, y) on the screen.</summary>
    public void FakeMotion(int x, int y) => FakeInput(6, 0, x, y);

    /// <summary>XTEST: a button pressed or released (1 left, 2 middle, 3 right, 4/5 wheel up/down).</summary>
    public void FakeButton(int button, bool press) => FakeInput((byte)(press ? 4 : 5), (byte)button, 0, 0);

    /// <summary>XTEST: a key pressed or released.</summary>
    public void FakeKey(byte keycode, bool press) => FakeInput((byte)(press ? 2 : 3), keycode, 0, 0);

    private void FakeInput(byte type, byte detail, int x, int y)
    {
        byte[] request = Request(_xtestOpcode, 2, 36);
        request[4] = type;
        request[5] = detail;
        BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(12), type == 6 ? Root : 0);
        BinaryPrimitives.WriteInt16LittleEndian(request.AsSpan(24), (short)x);
        BinaryPrimitives.WriteInt16LittleEndian(request.AsSpan(26), (short)y);
        Send(request);
    }

    /// <summary>Waits until the server has handled every request sent (and reports any error they caused).</summary>
    public void Sync() => RoundTrip(Request(43, 0, 4));

    private byte? QueryExtension(string name)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(name);
        byte[] request = Request(98, 0, 8 + Pad(bytes.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(request.AsSpan(4), (ushort)bytes.Length);
        bytes.CopyTo(request, 8);
        byte[] reply = RoundTrip(request);
        return reply[8] == 1 ? reply[9] : null;
    }

    private static byte[] Request(byte opcode, byte data, int length)
    {
        byte[] request = new byte[length];
        request[0] = opcode;
        request[1] = data;
        BinaryPrimitives.WriteUInt16LittleEndian(request.AsSpan(2), (ushort)(length / 4));
        return request;
    }

    private void Send(byte[] request)
    {
        _sequence++;
        try
        {
            _stream.Write(request);
        }
        catch (IOException e)
        {
            throw new X11Exception($"The X server went away: {e.Message}");
        }
    }

    // Sends a request that has a reply and reads up to it: earlier requests' errors surface here, events are skipped.
    private byte[] RoundTrip(byte[] request)
    {
        Send(request);
        ushort expected = _sequence;
        while (true)
        {
            byte[] head = ReadExactly(32);
            ushort sequence = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(2));
            switch (head[0])
            {
                case 0:
                    throw new X11Exception($"X error {head[1]} on request {head[10]}.{BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(8))} (value 0x{BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(4)):x}).", head[1]);
                case 1:
                    int extra = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(4)) * 4);
                    byte[] reply = extra == 0 ? head : [.. head, .. ReadExactly(extra)];
                    if (sequence == expected)
                        return reply;
                    break;
                case 33 or (33 | 0x80): // a client message (a pong, say): kept for whoever waits for it
                    if (_clientMessages.Count >= 64)
                        _clientMessages.Dequeue();
                    _clientMessages.Enqueue([BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(4)), BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(8)),
                        BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(12)), BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(16)), BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(20))]);
                    break;
                case 35: // a generic event carries a body
                    ReadExactly(checked((int)BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(4)) * 4));
                    break;
            }
        }
    }

    private byte[] ReadExactly(int count)
    {
        byte[] buffer = new byte[count];
        try
        {
            _stream.ReadExactly(buffer);
        }
        catch (Exception e) when (e is IOException or EndOfStreamException)
        {
            throw new X11Exception($"The X server went away or stopped answering: {e.Message}");
        }
        return buffer;
    }

    private static int Pad(int n) => (n + 3) & ~3;

    /// <inheritdoc />
    public void Dispose()
    {
        _stream.Dispose();
        _socket.Dispose();
    }
}
