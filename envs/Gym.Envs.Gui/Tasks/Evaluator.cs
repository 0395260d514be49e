using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Gym.Envs.Gui.Tasks;

/// <summary>
/// Judges the files an episode left in its home directory: <c>file</c> (a file's text: <c>equals</c>,
/// <c>contains</c>, <c>matches</c> a regular expression; trailing white space ignored), <c>missing</c> (a path
/// that must not exist), <c>listing</c> (a folder's visible names, in any order), <c>cell</c> (a spreadsheet
/// cell read through ssconvert: <c>equals</c> text, or a number within <c>tolerance</c>), <c>infeasible</c>
/// (the right answer is fail()), combined with <c>all</c> and <c>any</c>.
/// </summary>
public abstract record Evaluator
{
    /// <summary>Whether the task's right ending is fail().</summary>
    public virtual bool Infeasible => false;

    /// <summary>Whether the files in <paramref name="home"/> are as the task asks; <paramref name="why"/> says what is not.</summary>
    public abstract bool Judge(string home, out string why);

    /// <summary>Reads an evaluator; errors name <paramref name="where"/>.</summary>
    public static Evaluator Read(JsonNode node, string where)
    {
        if (node is not JsonObject o)
            throw new InvalidDataException($"{where} must be an object.");
        if (o["all"] is JsonArray all)
            return new AllOf([.. all.Select((e, i) => Read(e!, $"{where}.all[{i}]"))]);
        if (o["any"] is JsonArray any)
            return new AnyOf([.. any.Select((e, i) => Read(e!, $"{where}.any[{i}]"))]);
        string type = Text(o, "type", where) ?? throw new InvalidDataException($"{where}.type is missing (file, missing, listing, cell, infeasible; or all/any).");
        string Path(string key = "path") => GuiTask.SafePath(Text(o, key, where) ?? throw new InvalidDataException($"{where}.{key} is missing."), where);
        return type switch
        {
            "file" => ReadFile(o, Path(), where),
            "missing" => new Missing(Path()),
            "listing" => new Listing(Path(), o["equals"] is JsonArray names ? [.. names.Select(n => n!.GetValue<string>())] : throw new InvalidDataException($"{where}.equals must be a list of names.")),
            "cell" => new Cell(Path(), Text(o, "cell", where) ?? throw new InvalidDataException($"{where}.cell (e.g. \"B3\") is missing."),
                Text(o, "equals", where), o["number"]?.GetValue<double>(), o["tolerance"]?.GetValue<double>() ?? 1e-6),
            "infeasible" => new InfeasibleTask(),
            _ => throw new InvalidDataException($"{where}.type '{type}' is not one of file, missing, listing, cell, infeasible."),
        };
    }

    private static FileText ReadFile(JsonObject o, string path, string where)
    {
        Regex? matches = Text(o, "matches", where) is { } m ? new Regex(m, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)) : null;
        FileText e = new(path, Text(o, "equals", where), Text(o, "contains", where), matches);
        return e is { Exact: null, Contains: null, Matches: null } ? throw new InvalidDataException($"{where}: a file evaluator needs equals, contains or matches.") : e;
    }

    private static string? Text(JsonObject o, string key, string where) => o[key] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw new InvalidDataException($"{where}.{key} must be a string."),
    };

    private static string? ReadText(string home, string path) =>
        File.Exists(System.IO.Path.Combine(home, path)) ? File.ReadAllText(System.IO.Path.Combine(home, path)) : null;

    private sealed record FileText(string Path, string? Exact, string? Contains, Regex? Matches) : Evaluator
    {
        public override bool Judge(string home, out string why)
        {
            string? text = ReadText(home, Path)?.TrimEnd();
            why = text is null ? $"{Path} does not exist" : $"{Path} holds {JsonSerializer.Serialize(text.Length > 200 ? text[..200] + "..." : text)}";
            return text is not null && (Exact is null || text == Exact.TrimEnd()) && (Contains is null || text.Contains(Contains, StringComparison.Ordinal))
                && (Matches is null || Matches.IsMatch(text));
        }
    }

    private sealed record Missing(string Path) : Evaluator
    {
        public override bool Judge(string home, out string why)
        {
            string full = System.IO.Path.Combine(home, Path);
            bool gone = !File.Exists(full) && !Directory.Exists(full);
            why = gone ? "" : $"{Path} still exists";
            return gone;
        }
    }

    private sealed record Listing(string Path, IReadOnlyList<string> Names) : Evaluator
    {
        public override bool Judge(string home, out string why)
        {
            string full = System.IO.Path.Combine(home, Path);
            if (!Directory.Exists(full))
            {
                why = $"{Path} is not a folder";
                return false;
            }
            List<string> found = [.. Directory.EnumerateFileSystemEntries(full).Select(e => System.IO.Path.GetFileName(e)).Where(n => !n.StartsWith('.')).Order(StringComparer.Ordinal)];
            why = $"{Path} holds [{string.Join(", ", found)}]";
            return found.SequenceEqual(Names.Order(StringComparer.Ordinal));
        }
    }

    private sealed record Cell(string Path, string Address, string? Exact, double? Number, double Tolerance) : Evaluator
    {
        public override bool Judge(string home, out string why)
        {
            string? value = SpreadsheetCell(System.IO.Path.Combine(home, Path), Address, out why);
            if (value is null)
                return false;
            why = $"{Path}!{Address} is {JsonSerializer.Serialize(value)}";
            if (Exact is not null)
                return value == Exact;
            return Number is { } n && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && Math.Abs(v - n) <= Tolerance;
        }
    }

    private sealed record InfeasibleTask : Evaluator
    {
        public override bool Infeasible => true;

        public override bool Judge(string home, out string why)
        {
            why = "the task cannot be done; the right answer is fail()";
            return false;
        }
    }

    private sealed record AllOf(IReadOnlyList<Evaluator> Parts) : Evaluator
    {
        public override bool Judge(string home, out string why)
        {
            foreach (Evaluator e in Parts)
                if (!e.Judge(home, out why))
                    return false;
            why = "";
            return true;
        }
    }

    private sealed record AnyOf(IReadOnlyList<Evaluator> Parts) : Evaluator
    {
        public override bool Judge(string home, out string why)
        {
            List<string> reasons = [];
            foreach (Evaluator e in Parts)
            {
                if (e.Judge(home, out string w))
                {
                    why = "";
                    return true;
                }
                reasons.Add(w);
            }
            why = string.Join("; ", reasons);
            return false;
        }
    }

    /// <summary>A cell of a spreadsheet file as text, converted to CSV by Gnumeric's ssconvert (null when it cannot be read).</summary>
    public static string? SpreadsheetCell(string file, string address, out string why)
    {
        Match a = Regex.Match(address, "^([A-Z]{1,2})([1-9][0-9]*)$");
        if (!a.Success)
            throw new InvalidDataException($"'{address}' is not a cell address such as B3.");
        if (!File.Exists(file))
        {
            why = $"{System.IO.Path.GetFileName(file)} does not exist";
            return null;
        }
        string csv = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"gym-cell-{Guid.NewGuid():N}.csv");
        try
        {
            ProcessStartInfo info = new("ssconvert") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (string arg in new[] { "--export-type=Gnumeric_stf:stf_csv", file, csv })
                info.ArgumentList.Add(arg);
            using Process p = Process.Start(info)!;
            if (!p.WaitForExit(30_000))
            {
                p.Kill(entireProcessTree: true);
                why = "ssconvert took over 30 s";
                return null;
            }
            if (p.ExitCode != 0 || !File.Exists(csv))
            {
                why = $"ssconvert could not read {System.IO.Path.GetFileName(file)}: {p.StandardError.ReadToEnd().Trim()}";
                return null;
            }
            int column = a.Groups[1].Value.Aggregate(0, (n, c) => n * 26 + c - 'A' + 1) - 1;
            int row = int.Parse(a.Groups[2].Value, CultureInfo.InvariantCulture) - 1;
            string[] lines = File.ReadAllLines(csv);
            string[] cells = row < lines.Length ? SplitCsv(lines[row]) : [];
            why = "";
            return column < cells.Length ? cells[column] : "";
        }
        finally
        {
            File.Delete(csv);
        }
    }

    private static string[] SplitCsv(string line)
    {
        List<string> cells = [];
        System.Text.StringBuilder cell = new();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"')
            {
                cell.Append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }
        cells.Add(cell.ToString());
        return [.. cells];
    }
}
