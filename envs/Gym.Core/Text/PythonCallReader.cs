using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Gym.Core.Text;

/// <summary>A call read from text: <c>name(positional, ..., key=value, ...)</c>, its values as JSON.</summary>
/// <param name="Name">The function's name.</param>
/// <param name="Arguments">The positional arguments, in order.</param>
/// <param name="Keywords">The keyword arguments.</param>
public sealed record PythonCall(string Name, IReadOnlyList<JsonNode?> Arguments, JsonObject Keywords);

/// <summary>
/// A recursive-descent reader of Python-style calls with literal arguments (strings in either quote with escapes,
/// numbers, True/False/None, lists, dicts), as agents write them: a list <c>[f(a=1), g('x')]</c> (tool calls) or
/// a single call <c>click('12')</c> (web actions). Errors are <see cref="FormatException"/>s that say what and where.
/// </summary>
public sealed class PythonCallReader
{
    private readonly string _text;
    private int _at;

    private PythonCallReader(string text, int at)
    {
        _text = text;
        _at = at;
    }

    /// <summary>Reads <paramref name="text"/> as a whole list of calls, <c>[f(...), g(...)]</c>.</summary>
    public static List<PythonCall> ReadList(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        PythonCallReader r = new(text, 0);
        r.Expect('[');
        List<PythonCall> calls = [];
        r.Skip();
        if (r.Peek() == ']')
        {
            r._at++;
            r.ExpectEnd("]");
            return calls;
        }
        while (true)
        {
            calls.Add(r.Call());
            r.Skip();
            if (r.Peek() == ',')
            {
                r._at++;
                continue;
            }
            r.Expect(']');
            r.ExpectEnd("the closing ]");
            return calls;
        }
    }

    /// <summary>Reads <paramref name="text"/> as exactly one call, with nothing around it but white space.</summary>
    public static PythonCall ReadCall(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        PythonCallReader r = new(text, 0);
        PythonCall call = r.Call();
        r.ExpectEnd("the call");
        return call;
    }

    /// <summary>Reads one call starting at <paramref name="start"/>; <paramref name="end"/> is just past it.</summary>
    public static PythonCall ReadCallAt(string text, int start, out int end)
    {
        ArgumentNullException.ThrowIfNull(text);
        PythonCallReader r = new(text, start);
        PythonCall call = r.Call();
        end = r._at;
        return call;
    }

    private PythonCall Call()
    {
        string name = Identifier();
        Expect('(');
        List<JsonNode?> positional = [];
        JsonObject keywords = [];
        Skip();
        if (Peek() == ')')
        {
            _at++;
            return new PythonCall(name, positional, keywords);
        }
        while (true)
        {
            Skip();
            int save = _at;
            string? key = char.IsLetter(Peek()) || Peek() == '_' ? Identifier() : null;
            Skip();
            if (key is not null && Peek() == '=' && PeekAt(1) != '=')
            {
                _at++;
                if (keywords.ContainsKey(key))
                    throw Error($"argument '{key}' given twice");
                keywords[key] = Literal();
            }
            else
            {
                _at = save;
                if (keywords.Count > 0)
                    throw Error($"a positional argument follows keyword arguments at position {_at}");
                positional.Add(Literal());
            }
            Skip();
            if (Peek() == ',')
            {
                _at++;
                Skip();
                if (Peek() == ')')
                {
                    _at++;
                    return new PythonCall(name, positional, keywords);
                }
                continue;
            }
            Expect(')');
            return new PythonCall(name, positional, keywords);
        }
    }

    private JsonNode? Literal()
    {
        Skip();
        char c = Peek();
        if (c is '\'' or '"')
            return JsonValue.Create(StringLiteral());
        if (c == '[' || c == '(')
        {
            char close = c == '[' ? ']' : ')';
            _at++;
            JsonArray array = [];
            Skip();
            while (Peek() != close)
            {
                if (Peek() == '\0')
                    throw Error($"a list is not closed");
                array.Add(Literal());
                Skip();
                if (Peek() == ',')
                    _at++;
                Skip();
            }
            _at++;
            return array;
        }
        if (c == '{')
        {
            _at++;
            JsonObject o = [];
            Skip();
            while (Peek() != '}')
            {
                Skip();
                string key = Peek() is '\'' or '"' ? StringLiteral() : throw Error("dictionary keys must be strings");
                Expect(':');
                o[key] = Literal();
                Skip();
                if (Peek() == ',')
                    _at++;
                Skip();
            }
            _at++;
            return o;
        }
        if (char.IsLetter(c))
        {
            string word = Identifier();
            return word switch
            {
                "True" or "true" => JsonValue.Create(true),
                "False" or "false" => JsonValue.Create(false),
                "None" or "null" => null,
                _ => throw Error($"'{word}' is not a literal"),
            };
        }
        int start = _at;
        while (_at < _text.Length && (char.IsDigit(_text[_at]) || _text[_at] is '-' or '+' or '.' or 'e' or 'E' or '_'))
            _at++;
        string number = _text[start.._at].Replace("_", "", StringComparison.Ordinal);
        if (long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l))
            return JsonValue.Create(l);
        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
            return JsonValue.Create(d);
        throw Error($"expected a value at position {start}");
    }

    private string StringLiteral()
    {
        char quote = _text[_at++];
        StringBuilder sb = new();
        while (_at < _text.Length && _text[_at] != quote)
        {
            char c = _text[_at++];
            if (c == '\\' && _at < _text.Length)
            {
                char e = _text[_at++];
                sb.Append(e switch { 'n' => '\n', 't' => '\t', _ => e });
            }
            else
            {
                sb.Append(c);
            }
        }
        if (_at >= _text.Length)
            throw Error("a string is not closed");
        _at++;
        return sb.ToString();
    }

    private string Identifier()
    {
        Skip();
        int start = _at;
        while (_at < _text.Length && (char.IsLetterOrDigit(_text[_at]) || _text[_at] is '_' or '.'))
            _at++;
        return _at > start ? _text[start.._at] : throw Error($"expected a name at position {start}");
    }

    private void Expect(char c)
    {
        Skip();
        if (Peek() != c)
            throw Error($"expected '{c}' at position {_at}");
        _at++;
    }

    private void ExpectEnd(string after)
    {
        Skip();
        if (_at != _text.Length)
            throw Error($"text after {after}");
    }

    private char Peek() => _at < _text.Length ? _text[_at] : '\0';

    private char PeekAt(int offset) => _at + offset < _text.Length ? _text[_at + offset] : '\0';

    private void Skip()
    {
        while (_at < _text.Length && char.IsWhiteSpace(_text[_at]))
            _at++;
    }

    private static FormatException Error(string message) => new(message);
}
