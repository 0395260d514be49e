using System.Globalization;
using System.Text.Json.Nodes;
using Gym.Core;

namespace Gym.Envs.Tools.Calc;

/// <summary>A word problem: the question, the gold tool calls that solve it, and the expected answer.</summary>
/// <param name="Question">What the agent is asked.</param>
/// <param name="GoldCalls">The calls that solve it, in order.</param>
/// <param name="Answer">The expected answer (a number rounded to 2 decimals, or an ISO date).</param>
public sealed record CalcProblem(string Question, IReadOnlyList<ParsedToolCall> GoldCalls, string Answer)
{
    /// <summary>Whether <paramref name="given"/> states the expected answer (numbers within 0.01 or 0.1%).</summary>
    public bool IsCorrect(string given)
    {
        ArgumentNullException.ThrowIfNull(given);
        if (DateOnly.TryParseExact(Answer, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            return given.Contains(Answer, StringComparison.Ordinal);
        double expected = double.Parse(Answer, CultureInfo.InvariantCulture);
        System.Text.RegularExpressions.Match m = System.Text.RegularExpressions.Regex.Match(given.Replace(",", "", StringComparison.Ordinal), @"-?\d+(\.\d+)?");
        return m.Success && double.TryParse(m.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double x)
            && Math.Abs(x - expected) <= Math.Max(0.01, Math.Abs(expected) * 1e-3);
    }

    /// <summary>The problem of a seed: one of eight templates, with seeded numbers.</summary>
    public static CalcProblem Generate(long seed)
    {
        SeededRandom r = new(seed, stream: 0xCA1C);
        CultureInfo c = CultureInfo.InvariantCulture;
        static ParsedToolCall Call(string name, params (string Key, JsonNode? Value)[] args) => new(name, new JsonObject(args.Select(a => KeyValuePair.Create(a.Key, a.Value))));
        string N(double x) => x.ToString("0.##", c);
        string Two(double x) => Math.Round(x, 2).ToString("0.00", c);
        DateOnly RandomDate() => new DateOnly(2020, 1, 1).AddDays(r.Next(2500));
        switch (r.Next(8))
        {
            case 0:
            {
                int km = 40 + r.Next(400), tenths = 5 + r.Next(60);
                double hours = tenths / 10.0, speed = Math.Round(km / hours, 6);
                return new($"A train covers {km} km in {N(hours)} hours. What is its average speed in miles per hour? Round to 2 decimals.",
                    [Call("calculate", ("expression", $"{km} / {N(hours)}")), Call("convert_units", ("value", speed), ("from_unit", "km"), ("to_unit", "mi"))],
                    Two(CalcTools.Convert(speed, "km", "mi")));
            }
            case 1:
            {
                int f = 150 + r.Next(350);
                return new($"An oven is set to {f} degrees Fahrenheit. What is that in degrees Celsius? Round to 2 decimals.",
                    [Call("convert_units", ("value", f), ("from_unit", "F"), ("to_unit", "C"))], Two(CalcTools.Convert(f, "F", "C")));
            }
            case 2:
            {
                DateOnly start = RandomDate();
                int days = 10 + r.Next(400);
                string iso = start.ToString("yyyy-MM-dd", c);
                return new($"A project starts on {iso} and takes {days} days. On which date (YYYY-MM-DD) does it end?",
                    [Call("add_days", ("date", iso), ("days", days))], start.AddDays(days).ToString("yyyy-MM-dd", c));
            }
            case 3:
            {
                DateOnly a = RandomDate(), b = a.AddDays(1 + r.Next(900));
                string x = a.ToString("yyyy-MM-dd", c), y = b.ToString("yyyy-MM-dd", c);
                return new($"How many days are there from {x} to {y}?", [Call("days_between", ("start", x), ("end", y))], (b.DayNumber - a.DayNumber).ToString(c));
            }
            case 4:
            {
                int items = 2 + r.Next(9), cents = 99 + r.Next(1900), bill = (int)Math.Ceiling(items * cents / 100.0 / 50.0) * 50 + 50;
                double price = cents / 100.0;
                return new($"You buy {items} items at {Two(price)} dollars each and pay with {bill} dollars. How much change do you get, in dollars?",
                    [Call("calculate", ("expression", $"{bill} - {items} * {Two(price)}"))], Two(bill - items * price));
            }
            case 5:
            {
                double lb = Math.Round(1 + r.NextDouble() * 80, 1);
                return new($"A parcel weighs {N(lb)} pounds. How many kilograms is that? Round to 2 decimals.",
                    [Call("convert_units", ("value", lb), ("from_unit", "lb"), ("to_unit", "kg"))], Two(CalcTools.Convert(lb, "lb", "kg")));
            }
            case 6:
            {
                int w = 5 + r.Next(60), h = 5 + r.Next(60);
                double wm = Math.Round(CalcTools.Convert(w, "ft", "m"), 6), hm = Math.Round(CalcTools.Convert(h, "ft", "m"), 6);
                return new($"A room is {w} ft by {h} ft. What is its floor area in square meters? Round to 2 decimals.",
                    [Call("convert_units", ("value", w), ("from_unit", "ft"), ("to_unit", "m")), Call("convert_units", ("value", h), ("from_unit", "ft"), ("to_unit", "m")),
                     Call("calculate", ("expression", $"{wm.ToString("R", c)} * {hm.ToString("R", c)}"))],
                    Two(wm * hm));
            }
            default:
            {
                int price = 20 + r.Next(980), rate = 1 + r.Next(40);
                return new($"A price of {price} dollars rises by {rate} percent. What is the new price in dollars? Round to 2 decimals.",
                    [Call("calculate", ("expression", $"{price} * (1 + {rate} / 100)"))], Two(price * (1 + rate / 100.0)));
            }
        }
    }
}
