using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gym.Core;

namespace Gym.Envs.Tools.Calc;

/// <summary>
/// The calculation and conversion tools: <c>calculate</c> (arithmetic with + - * / ^ and parentheses),
/// <c>convert_units</c> (length, mass, time, temperature), <c>days_between</c> and <c>add_days</c> (ISO dates).
/// Each returns a JSON result or raises <see cref="ToolException"/> with a message for the agent.
/// </summary>
public static class CalcTools
{
    private static readonly Dictionary<string, (string Kind, double Factor)> Units = new(StringComparer.Ordinal)
    {
        ["m"] = ("length", 1), ["km"] = ("length", 1000), ["cm"] = ("length", 0.01), ["mm"] = ("length", 0.001),
        ["mi"] = ("length", 1609.344), ["ft"] = ("length", 0.3048), ["in"] = ("length", 0.0254),
        ["kg"] = ("mass", 1), ["g"] = ("mass", 0.001), ["lb"] = ("mass", 0.45359237), ["oz"] = ("mass", 0.028349523125),
        ["s"] = ("time", 1), ["min"] = ("time", 60), ["h"] = ("time", 3600), ["day"] = ("time", 86400),
        ["C"] = ("temperature", 1), ["F"] = ("temperature", 1), ["K"] = ("temperature", 1),
    };

    /// <summary>The tools, as offered to agents.</summary>
    public static readonly IReadOnlyList<ToolSpec> Specs =
    [
        new("calculate", "Evaluate an arithmetic expression with + - * / ^ and parentheses; returns {\"result\": number}.",
            """{"type": "object", "properties": {"expression": {"type": "string", "minLength": 1}}, "required": ["expression"], "additionalProperties": false}"""),
        new("convert_units", "Convert a value between units of length (m, km, cm, mm, mi, ft, in), mass (kg, g, lb, oz), time (s, min, h, day) or temperature (C, F, K).",
            """{"type": "object", "properties": {"value": {"type": "number"}, "from_unit": {"type": "string", "enum": UNITS}, "to_unit": {"type": "string", "enum": UNITS}}, "required": ["value", "from_unit", "to_unit"], "additionalProperties": false}"""
                .Replace("UNITS", "[" + string.Join(", ", Units.Keys.Select(k => $"\"{k}\"")) + "]", StringComparison.Ordinal)),
        new("days_between", "Days from start to end (ISO dates, YYYY-MM-DD); negative when end is earlier.",
            """{"type": "object", "properties": {"start": {"type": "string"}, "end": {"type": "string"}}, "required": ["start", "end"], "additionalProperties": false}"""),
        new("add_days", "The ISO date that is a number of days after (or, negative, before) a date.",
            """{"type": "object", "properties": {"date": {"type": "string"}, "days": {"type": "integer"}}, "required": ["date", "days"], "additionalProperties": false}"""),
    ];

    /// <summary>Runs a tool on arguments that passed its schema.</summary>
    public static JsonObject Invoke(string name, JsonObject arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return name switch
        {
            "calculate" => new JsonObject { ["result"] = Round(Arithmetic.Evaluate(arguments["expression"]!.GetValue<string>())) },
            "convert_units" => new JsonObject { ["result"] = Round(Convert(ToolJson.Number(arguments["value"]!), arguments["from_unit"]!.GetValue<string>(), arguments["to_unit"]!.GetValue<string>())) },
            "days_between" => new JsonObject { ["days"] = Date(arguments["end"]!).DayNumber - Date(arguments["start"]!).DayNumber },
            "add_days" => new JsonObject { ["date"] = Date(arguments["date"]!).AddDays((int)ToolJson.Number(arguments["days"]!)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) },
            _ => throw new ToolException($"There is no tool '{name}'. Tools: {string.Join(", ", Specs.Select(s => s.Name))}."),
        };
    }

    /// <summary>Converts between two units of the same kind.</summary>
    public static double Convert(double value, string from, string to)
    {
        (string kindFrom, double f) = Units[from];
        (string kindTo, double t) = Units[to];
        if (kindFrom != kindTo)
            throw new ToolException($"Cannot convert {kindFrom} ({from}) to {kindTo} ({to}).");
        if (kindFrom != "temperature")
            return value * f / t;
        double kelvin = from switch { "C" => value + 273.15, "F" => (value - 32) * 5 / 9 + 273.15, _ => value };
        return to switch { "C" => kelvin - 273.15, "F" => (kelvin - 273.15) * 9 / 5 + 32, _ => kelvin };
    }

    private static DateOnly Date(JsonNode node) =>
        DateOnly.TryParseExact(node.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly d)
            ? d : throw new ToolException($"'{node.GetValue<string>()}' is not an ISO date (YYYY-MM-DD).");

    private static double Round(double x) => Math.Round(x, 6);
}

/// <summary>A small arithmetic evaluator (numbers, + - * / ^, unary minus, parentheses): no code execution.</summary>
public static class Arithmetic
{
    /// <summary>The value of <paramref name="expression"/>.</summary>
    public static double Evaluate(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        int at = 0;
        double value = Sum(expression, ref at);
        Skip(expression, ref at);
        if (at != expression.Length)
            throw new ToolException($"Unexpected '{expression[at]}' at position {at} of the expression.");
        if (!double.IsFinite(value))
            throw new ToolException("The expression has no finite value (division by zero?).");
        return value;
    }

    private static double Sum(string s, ref int at)
    {
        double v = Product(s, ref at);
        while (true)
        {
            Skip(s, ref at);
            if (at < s.Length && s[at] is '+' or '-')
            {
                char op = s[at++];
                double r = Product(s, ref at);
                v = op == '+' ? v + r : v - r;
            }
            else
            {
                return v;
            }
        }
    }

    private static double Product(string s, ref int at)
    {
        double v = Power(s, ref at);
        while (true)
        {
            Skip(s, ref at);
            if (at < s.Length && s[at] is '*' or '/')
            {
                char op = s[at++];
                double r = Power(s, ref at);
                v = op == '*' ? v * r : v / r;
            }
            else
            {
                return v;
            }
        }
    }

    private static double Power(string s, ref int at)
    {
        double b = Unary(s, ref at);
        Skip(s, ref at);
        if (at < s.Length && s[at] == '^')
        {
            at++;
            return Math.Pow(b, Power(s, ref at));
        }
        return b;
    }

    private static double Unary(string s, ref int at)
    {
        Skip(s, ref at);
        if (at < s.Length && s[at] == '-')
        {
            at++;
            return -Unary(s, ref at);
        }
        if (at < s.Length && s[at] == '(')
        {
            at++;
            double v = Sum(s, ref at);
            Skip(s, ref at);
            if (at >= s.Length || s[at] != ')')
                throw new ToolException("A parenthesis is not closed.");
            at++;
            return v;
        }
        int start = at;
        while (at < s.Length && (char.IsDigit(s[at]) || s[at] == '.'))
            at++;
        return at > start && double.TryParse(s[start..at], NumberStyles.Float, CultureInfo.InvariantCulture, out double x)
            ? x : throw new ToolException($"Expected a number at position {start} of the expression.");
    }

    private static void Skip(string s, ref int at)
    {
        while (at < s.Length && char.IsWhiteSpace(s[at]))
            at++;
    }
}
