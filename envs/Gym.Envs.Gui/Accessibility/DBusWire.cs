using System.Buffers.Binary;
using System.Text;

namespace Gym.Envs.Gui.Accessibility;

/// <summary>The kinds of D-Bus message.</summary>
public enum DBusMessageType : byte
{
    /// <summary>A call.</summary>
    MethodCall = 1,

    /// <summary>A call's result.</summary>
    MethodReturn = 2,

    /// <summary>A call's failure.</summary>
    Error = 3,

    /// <summary>A broadcast.</summary>
    Signal = 4,
}

/// <summary>
/// D-Bus's wire format (the specification's "Message Protocol"): values marshalled by signature, each aligned to its
/// size from the start of the message. Values read back as .NET values: integers, strings, <c>List&lt;object&gt;</c>
/// for arrays, <c>object[]</c> for structs and dictionary entries; a variant reads as its value.
/// </summary>
public static class DBusWire
{
    /// <summary>The alignment of type code <paramref name="code"/>.</summary>
    public static int Alignment(char code) => code switch
    {
        'y' or 'g' or 'v' => 1,
        'n' or 'q' => 2,
        'b' or 'i' or 'u' or 'h' or 's' or 'o' or 'a' => 4,
        'x' or 't' or 'd' or '(' or '{' => 8,
        _ => throw new FormatException($"D-Bus signature: unknown type code '{code}'."),
    };

    /// <summary>Where the single complete type that starts at <paramref name="start"/> of <paramref name="signature"/> ends (exclusive).</summary>
    public static int TypeEnd(string signature, int start)
    {
        ArgumentNullException.ThrowIfNull(signature);
        if (start >= signature.Length)
            throw new FormatException($"D-Bus signature \"{signature}\" ends inside a type.");
        switch (signature[start])
        {
            case 'a':
                return TypeEnd(signature, start + 1);
            case '(' or '{':
                int i = start + 1;
                while (i < signature.Length && signature[i] is not (')' or '}'))
                    i = TypeEnd(signature, i);
                if (i >= signature.Length)
                    throw new FormatException($"D-Bus signature \"{signature}\": an unclosed '{signature[start]}'.");
                return i + 1;
            default:
                Alignment(signature[start]);
                return start + 1;
        }
    }

    /// <summary>Builds a method call message.</summary>
    public static byte[] MethodCall(uint serial, string destination, string path, string @interface, string member, string signature, IReadOnlyList<object> arguments)
    {
        DBusWriter body = new();
        int argument = 0;
        for (int i = 0; i < signature.Length; i = TypeEnd(signature, i))
        {
            if (argument >= arguments.Count)
                throw new ArgumentException($"{@interface}.{member}: signature \"{signature}\" wants more than {arguments.Count} arguments.", nameof(arguments));
            body.Write(signature[i..TypeEnd(signature, i)], arguments[argument++]);
        }
        DBusWriter message = new();
        message.Write("y", (byte)'l');
        message.Write("y", (byte)DBusMessageType.MethodCall);
        message.Write("y", (byte)0);
        message.Write("y", (byte)1);
        message.Write("u", (uint)body.Length);
        message.Write("u", serial);
        List<object> fields =
        [
            new object[] { (byte)1, new DBusVariant("o", path) },
            new object[] { (byte)2, new DBusVariant("s", @interface) },
            new object[] { (byte)3, new DBusVariant("s", member) },
            new object[] { (byte)6, new DBusVariant("s", destination) },
        ];
        if (signature.Length > 0)
            fields.Add(new object[] { (byte)8, new DBusVariant("g", signature) });
        message.Write("a(yv)", fields);
        message.Align(8);
        return [.. message.ToArray(), .. body.ToArray()];
    }
}

/// <summary>A value with its own signature, as a variant carries it.</summary>
public sealed record DBusVariant(string Signature, object Value);

/// <summary>Marshals values (little-endian).</summary>
public sealed class DBusWriter
{
    private readonly List<byte> _bytes = [];

    /// <summary>Bytes written so far.</summary>
    public int Length => _bytes.Count;

    /// <summary>The bytes.</summary>
    public byte[] ToArray() => [.. _bytes];

    /// <summary>Pads with zeros to a multiple of <paramref name="n"/>.</summary>
    public void Align(int n)
    {
        while (_bytes.Count % n != 0)
            _bytes.Add(0);
    }

    /// <summary>Writes <paramref name="value"/> as the single complete type <paramref name="type"/>.</summary>
    public void Write(string type, object value)
    {
        ArgumentNullException.ThrowIfNull(type);
        Align(DBusWire.Alignment(type[0]));
        switch (type[0])
        {
            case 'y':
                _bytes.Add(Convert.ToByte(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case 'b':
                Put32((uint)((bool)value ? 1 : 0));
                break;
            case 'i':
                Put32(unchecked((uint)Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)));
                break;
            case 'u' or 'h':
                Put32(Convert.ToUInt32(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case 's' or 'o':
                byte[] text = Encoding.UTF8.GetBytes((string)value);
                Put32((uint)text.Length);
                _bytes.AddRange(text);
                _bytes.Add(0);
                break;
            case 'g':
                byte[] sig = Encoding.ASCII.GetBytes((string)value);
                _bytes.Add((byte)sig.Length);
                _bytes.AddRange(sig);
                _bytes.Add(0);
                break;
            case 'v':
                DBusVariant variant = (DBusVariant)value;
                Write("g", variant.Signature);
                Write(variant.Signature, variant.Value);
                break;
            case 'a':
                int lengthAt = _bytes.Count;
                Put32(0);
                string element = type[1..];
                Align(DBusWire.Alignment(element[0]));
                int start = _bytes.Count;
                foreach (object item in (System.Collections.IEnumerable)value)
                    Write(element, item);
                BinaryPrimitives.WriteUInt32LittleEndian(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_bytes)[lengthAt..], (uint)(_bytes.Count - start));
                break;
            case '(' or '{':
                object[] members = (object[])value;
                int m = 0;
                for (int i = 1; i < type.Length - 1; i = DBusWire.TypeEnd(type, i))
                    Write(type[i..DBusWire.TypeEnd(type, i)], members[m++]);
                break;
            default:
                throw new NotSupportedException($"D-Bus: writing type '{type}' is not supported.");
        }
    }

    private void Put32(uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        _bytes.AddRange(b);
    }
}

/// <summary>Unmarshals values of one message (either byte order).</summary>
public sealed class DBusReader
{
    private readonly byte[] _data;
    private readonly bool _little;
    private int _position;

    /// <summary>Reads <paramref name="data"/> (a whole message) from <paramref name="position"/>.</summary>
    public DBusReader(byte[] data, bool littleEndian, int position = 0)
    {
        _data = data;
        _little = littleEndian;
        _position = position;
    }

    /// <summary>The read position.</summary>
    public int Position => _position;

    /// <summary>Skips to a multiple of <paramref name="n"/>.</summary>
    public void Align(int n) => _position = (_position + n - 1) / n * n;

    /// <summary>Reads every value of <paramref name="signature"/> in turn.</summary>
    public object[] ReadAll(string signature)
    {
        List<object> values = [];
        for (int i = 0; i < signature.Length; i = DBusWire.TypeEnd(signature, i))
            values.Add(Read(signature[i..DBusWire.TypeEnd(signature, i)]));
        return [.. values];
    }

    /// <summary>Reads one value of the single complete type <paramref name="type"/>.</summary>
    public object Read(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        Align(DBusWire.Alignment(type[0]));
        switch (type[0])
        {
            case 'y':
                return Take(1)[0];
            case 'b':
                return U32() != 0;
            case 'n':
                return _little ? BinaryPrimitives.ReadInt16LittleEndian(Take(2)) : BinaryPrimitives.ReadInt16BigEndian(Take(2));
            case 'q':
                return _little ? BinaryPrimitives.ReadUInt16LittleEndian(Take(2)) : BinaryPrimitives.ReadUInt16BigEndian(Take(2));
            case 'i':
                return unchecked((int)U32());
            case 'u' or 'h':
                return U32();
            case 'x':
                return unchecked((long)U64());
            case 't':
                return U64();
            case 'd':
                return BitConverter.UInt64BitsToDouble(U64());
            case 's' or 'o':
                int length = checked((int)U32());
                string text = Encoding.UTF8.GetString(Take(length));
                Take(1);
                return text;
            case 'g':
                int sigLength = Take(1)[0];
                string sig = Encoding.ASCII.GetString(Take(sigLength));
                Take(1);
                return sig;
            case 'v':
                string inner = (string)Read("g");
                return Read(inner);
            case 'a':
                int bytes = checked((int)U32());
                string element = type[1..];
                Align(DBusWire.Alignment(element[0]));
                int end = _position + bytes;
                if (end > _data.Length)
                    throw new FormatException($"D-Bus message: an array of {bytes} bytes runs past the message's end.");
                List<object> items = [];
                while (_position < end)
                    items.Add(Read(element));
                return items;
            case '(' or '{':
                List<object> members = [];
                for (int i = 1; i < type.Length - 1; i = DBusWire.TypeEnd(type, i))
                    members.Add(Read(type[i..DBusWire.TypeEnd(type, i)]));
                return members.ToArray();
            default:
                throw new FormatException($"D-Bus message: unknown type '{type}'.");
        }
    }

    private uint U32() => _little ? BinaryPrimitives.ReadUInt32LittleEndian(Take(4)) : BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    private ulong U64() => _little ? BinaryPrimitives.ReadUInt64LittleEndian(Take(8)) : BinaryPrimitives.ReadUInt64BigEndian(Take(8));

    private ReadOnlySpan<byte> Take(int n)
    {
        if (n < 0 || _position + n > _data.Length)
            throw new FormatException($"D-Bus message: {n} bytes wanted at offset {_position} of {_data.Length}.");
        ReadOnlySpan<byte> span = _data.AsSpan(_position, n);
        _position += n;
        return span;
    }
}
