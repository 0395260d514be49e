namespace Gym.Envs.Gui.X11;

/// <summary>
/// Typing through XTEST: characters and key names become keysyms, keysyms become key codes of the display's map
/// (with Shift where the keysym is the key's second one), and a character the map lacks is bound to a spare key
/// code first, as xdotool does.
/// </summary>
public sealed class Keyboard(X11Connection x)
{
    private const uint ShiftL = 0xffe1;

    private static readonly Dictionary<string, uint> Named = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ctrl"] = 0xffe3, ["control"] = 0xffe3, ["shift"] = ShiftL, ["alt"] = 0xffe9, ["super"] = 0xffeb, ["meta"] = 0xffe7,
        ["enter"] = 0xff0d, ["return"] = 0xff0d, ["tab"] = 0xff09, ["escape"] = 0xff1b, ["esc"] = 0xff1b,
        ["backspace"] = 0xff08, ["delete"] = 0xffff, ["del"] = 0xffff, ["insert"] = 0xff63, ["space"] = 0x20,
        ["home"] = 0xff50, ["end"] = 0xff57, ["left"] = 0xff51, ["up"] = 0xff52, ["right"] = 0xff53, ["down"] = 0xff54,
        ["pageup"] = 0xff55, ["pagedown"] = 0xff56, ["menu"] = 0xff67,
    };

    private uint[][]? _map;
    private Queue<byte>? _free;

    /// <summary>The keysym of a key name (<c>ctrl</c>, <c>enter</c>, <c>f5</c>, <c>a</c>, <c>/</c>), or null.</summary>
    public static uint? KeysymOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Named.TryGetValue(name, out uint named))
            return named;
        if (name.Length is 2 or 3 && (name[0] is 'f' or 'F') && int.TryParse(name.AsSpan(1), out int f) && f is >= 1 and <= 12)
            return (uint)(0xffbe + f - 1);
        return name.Length == 1 || (name.Length == 2 && char.IsSurrogatePair(name, 0)) ? KeysymOf(char.ConvertToUtf32(name, 0)) : null;
    }

    private static uint KeysymOf(int codePoint) => codePoint switch
    {
        '\n' => 0xff0d,
        '\t' => 0xff09,
        >= 0x20 and <= 0x7e or >= 0xa0 and <= 0xff => (uint)codePoint,
        _ => 0x01000000u | (uint)codePoint,
    };

    /// <summary>Types <paramref name="text"/> key by key.</summary>
    public void Type(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (int i = 0; i < text.Length; i += char.IsSurrogatePair(text, i) ? 2 : 1)
        {
            (byte code, bool shift) = Find(KeysymOf(char.ConvertToUtf32(text, i)));
            if (shift)
                x.FakeKey(Find(ShiftL).Code, true);
            x.FakeKey(code, true);
            x.FakeKey(code, false);
            if (shift)
                x.FakeKey(Find(ShiftL).Code, false);
        }
        x.Sync();
    }

    /// <summary>Presses a chord such as <c>ctrl+s</c> or <c>shift+Tab</c>: every key down in order, then up in reverse.</summary>
    public void Chord(IReadOnlyList<uint> keysyms)
    {
        ArgumentNullException.ThrowIfNull(keysyms);
        List<byte> down = [];
        bool shiftNeeded = false;
        foreach (uint keysym in keysyms)
        {
            (byte code, bool shift) = Find(keysym);
            shiftNeeded |= shift && keysyms.Count == 1;
            down.Add(code);
        }
        if (shiftNeeded)
            down.Insert(0, Find(ShiftL).Code);
        foreach (byte code in down)
            x.FakeKey(code, true);
        for (int i = down.Count - 1; i >= 0; i--)
            x.FakeKey(down[i], false);
        x.Sync();
    }

    private (byte Code, bool Shift) Find(uint keysym)
    {
        _map ??= x.KeyboardMapping();
        // A letter's keysym is its lower case on the key (Shift gives the upper case).
        uint lower = keysym is >= 'A' and <= 'Z' ? keysym + 32 : keysym;
        for (int k = 0; k < _map.Length; k++)
        {
            uint[] syms = _map[k];
            if (syms.Length > 0 && syms[0] == keysym)
                return ((byte)(x.MinKeycode + k), false);
            if (syms.Length > 1 && syms[1] == keysym)
                return ((byte)(x.MinKeycode + k), true);
            if (keysym != lower && syms.Length > 0 && syms[0] == lower)
                return ((byte)(x.MinKeycode + k), true);
        }
        return (Bind(keysym), false);
    }

    // Binds an unmapped keysym to a key code with nothing on it; the free codes are reused round robin.
    private byte Bind(uint keysym)
    {
        _map ??= x.KeyboardMapping();
        _free ??= new Queue<byte>(Enumerable.Range(0, _map.Length).Where(k => _map[k].All(s => s == 0)).Select(k => (byte)(x.MinKeycode + k)).Reverse());
        if (!_free.TryDequeue(out byte code))
            throw new X11Exception($"No free key code to type keysym 0x{keysym:x}.");
        _free.Enqueue(code);
        x.SetKeysym(code, keysym);
        _map[code - x.MinKeycode] = [keysym, keysym, .. _map[code - x.MinKeycode].Skip(2)];
        return code;
    }
}
