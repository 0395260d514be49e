using System.Globalization;
using System.Text.Json.Nodes;
using Gym.Core;

namespace Gym.Envs.Gui.Tasks;

/// <summary>
/// Task kinds that generate a task's config (goal, set-up, evaluator, solution) from a seed, on four applications
/// from Debian: a terminal (xterm), a text editor (Mousepad), a spreadsheet (Gnumeric, judged through ssconvert)
/// and a file manager (PCManFM), plus requests that cannot be done. The solutions use the keyboard, the window
/// geometry and the accessibility tree the observation lists, as an agent could.
/// </summary>
public static class GuiTaskKinds
{
    private static readonly string[] Words = ["amber", "birch", "cobalt", "dune", "ember", "fjord", "garnet", "harbor", "indigo", "juniper", "kelp", "lagoon", "maple", "nectar", "onyx", "pebble", "quartz", "river", "saffron", "tundra"];
    private static readonly string[] People = ["Alice", "Bruno", "Chen", "Dara", "Elif", "Farah", "Goran", "Hana", "Ivo", "Jonas", "Kemal", "Lena", "Mira", "Nils", "Oren", "Priya"];

    private static readonly Dictionary<string, Func<SeededRandom, JsonObject>> Kinds = new(StringComparer.Ordinal)
    {
        ["terminal-write"] = TerminalWrite,
        ["terminal-rename"] = TerminalRename,
        ["terminal-move"] = TerminalMove,
        ["terminal-count"] = TerminalCount,
        ["terminal-sort"] = TerminalSort,
        ["editor-append"] = EditorAppend,
        ["editor-prepend"] = EditorPrepend,
        ["editor-delete-line"] = EditorDeleteLine,
        ["editor-replace"] = EditorReplace,
        ["sheet-sum"] = SheetSum,
        ["sheet-product"] = SheetProduct,
        ["sheet-label"] = SheetLabel,
        ["files-mkdir"] = FilesMkdir,
        ["files-rename"] = FilesRename,
        ["files-delete"] = FilesDelete,
        ["files-move"] = FilesMove,
        ["files-infeasible"] = FilesInfeasible,
    };

    /// <summary>The kinds, by name.</summary>
    public static IReadOnlyCollection<string> Names => Kinds.Keys;

    /// <summary>The config of kind <paramref name="kind"/> for <paramref name="seed"/>.</summary>
    public static JsonObject Generate(string kind, long seed, string where)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return Kinds.TryGetValue(kind, out Func<SeededRandom, JsonObject>? make)
            ? make(new SeededRandom(seed, 8))
            : throw new InvalidDataException($"{where}: config.kind '{kind}' is not a GUI task kind ({string.Join(", ", Kinds.Keys)}).");
    }

    // --- the terminal: commands typed into xterm

    // sh rather than the user's shell: it starts at once and reads no start-up files, so the prompt is the same everywhere.
    private static JsonArray Terminal(params JsonNode[] files) => [.. files, Launch("XTerm", "xterm", "-geometry", "100x30+40+40", "-e", "sh")];

    private static JsonObject TerminalWrite(SeededRandom r)
    {
        string name = r.Pick(Words), text = $"{r.Pick(Words)} {r.Pick(Words)} {r.Next(10, 100)}";
        return Task($"In the terminal, create a file {name}.txt in the home folder whose only line is: {text}",
            Terminal(), FileEquals($"{name}.txt", text), [Click("XTerm"), Type($"echo '{text}' > {name}.txt\n")]);
    }

    private static JsonObject TerminalRename(SeededRandom r)
    {
        (string a, string b) = TwoWords(r);
        string text = $"{r.Pick(People)} {r.Next(100, 1000)}\n";
        return Task($"Using the terminal, rename the file {a}.txt to {b}.txt.", Terminal(File($"{a}.txt", text)),
            All(FileEquals($"{b}.txt", text), Missing($"{a}.txt")), [Click("XTerm"), Type($"mv {a}.txt {b}.txt\n")]);
    }

    private static JsonObject TerminalMove(SeededRandom r)
    {
        (string dir, string other) = TwoWords(r);
        int logs = r.Next(2, 5);
        JsonNode[] files = [.. Enumerable.Range(1, logs).Select(i => File($"run{i}.log", $"step {i}\n")), File($"{other}.txt", "keep me\n")];
        return Task($"Using the terminal, make a folder named {dir} and move every .log file of the home folder into it.", Terminal(files),
            All(Listing(dir, [.. Enumerable.Range(1, logs).Select(i => $"run{i}.log")]), Listing(".", [dir, $"{other}.txt"])),
            [Click("XTerm"), Type($"mkdir {dir} && mv *.log {dir}/\n")]);
    }

    private static JsonObject TerminalCount(SeededRandom r)
    {
        int n = r.Next(5, 40);
        string lines = string.Concat(Enumerable.Range(0, n).Select(_ => $"{r.Pick(Words)},{r.Next(1, 1000)}\n"));
        return Task("Using the terminal, count the lines of data.csv and write just that number to count.txt.", Terminal(File("data.csv", lines)),
            FileEquals("count.txt", n.ToString(CultureInfo.InvariantCulture)), [Click("XTerm"), Type("wc -l < data.csv > count.txt\n")]);
    }

    private static JsonObject TerminalSort(SeededRandom r)
    {
        List<string> names = [.. People];
        r.Shuffle(names);
        names = names[..r.Next(4, 9)];
        return Task("Using the terminal, write the lines of names.txt sorted alphabetically to sorted.txt.", Terminal(File("names.txt", string.Join("\n", names) + "\n")),
            FileEquals("sorted.txt", string.Join("\n", names.Order(StringComparer.Ordinal))), [Click("XTerm"), Type("sort names.txt > sorted.txt\n")]);
    }

    // --- the text editor: Mousepad on notes.txt

    private static (JsonArray Setup, List<string> Lines) Notes(SeededRandom r)
    {
        List<string> lines = [.. Enumerable.Range(0, r.Next(3, 7)).Select(_ => $"{r.Pick(People)} likes {r.Pick(Words)}")];
        return ([File("notes.txt", string.Join("\n", lines) + "\n"), Launch("Mousepad", "mousepad", "notes.txt")], lines);
    }

    private static JsonObject EditorAppend(SeededRandom r)
    {
        (JsonArray setup, List<string> lines) = Notes(r);
        string line = $"{r.Pick(People)} visits {r.Pick(Words)}";
        return Task($"In the text editor, add the line \"{line}\" at the end of notes.txt and save the file.", setup,
            FileEquals("notes.txt", string.Join("\n", [.. lines, line])), [Click("Mousepad"), Key("ctrl+end"), Type(line), Key("ctrl+s")]);
    }

    private static JsonObject EditorPrepend(SeededRandom r)
    {
        (JsonArray setup, List<string> lines) = Notes(r);
        string line = $"Title: {r.Pick(Words)} {r.Pick(Words)}";
        return Task($"In the text editor, insert the line \"{line}\" as the first line of notes.txt and save the file.", setup,
            FileEquals("notes.txt", string.Join("\n", [line, .. lines])), [Click("Mousepad"), Key("ctrl+home"), Type(line + "\n"), Key("ctrl+s")]);
    }

    private static JsonObject EditorDeleteLine(SeededRandom r)
    {
        (JsonArray setup, List<string> lines) = Notes(r);
        int k = r.Next(0, lines.Count - 1);
        // Distinct lines, so that "the line" names one.
        if (lines.Count(l => l == lines[k]) > 1)
            lines[k] += " a lot";
        setup[0] = File("notes.txt", string.Join("\n", lines) + "\n");
        string gone = lines[k];
        return Task($"In the text editor, delete the line \"{gone}\" from notes.txt (leaving no empty line) and save the file.", setup,
            FileEquals("notes.txt", string.Join("\n", lines.Where((_, i) => i != k))),
            [Click("Mousepad"), Key("ctrl+home" + string.Concat(Enumerable.Repeat(" down", k))), Key("home shift+end delete delete"), Key("ctrl+s")]);
    }

    private static JsonObject EditorReplace(SeededRandom r)
    {
        (JsonArray setup, _) = Notes(r);
        string text = $"{r.Pick(Words)} {r.Pick(Words)} {r.Pick(Words)}";
        return Task($"In the text editor, replace the whole content of notes.txt by the single line \"{text}\" and save the file.", setup,
            FileEquals("notes.txt", text), [Click("Mousepad"), Key("ctrl+a"), Type(text), Key("ctrl+s")]);
    }

    // --- the spreadsheet: Gnumeric on book.gnumeric, made from a CSV by ssconvert

    private static JsonArray Sheet(string csv) => [File("data.csv", csv), new JsonObject { ["run"] = new JsonArray("ssconvert", "data.csv", "book.gnumeric") }, Launch("Gnumeric", "gnumeric", "book.gnumeric")];

    private static string Goto(int column, int row) => "ctrl+home" + string.Concat(Enumerable.Repeat(" right", column)) + string.Concat(Enumerable.Repeat(" down", row));

    private static JsonObject SheetSum(SeededRandom r)
    {
        int[] values = [.. Enumerable.Range(0, r.Next(3, 8)).Select(_ => r.Next(1, 500))];
        string cell = $"A{values.Length + 1}";
        return Task($"In the spreadsheet book.gnumeric, put the sum of the numbers of column A into cell {cell} (just below them) and save the file.",
            Sheet(string.Join("\n", values) + "\n"), CellNumber("book.gnumeric", cell, values.Sum()),
            [Click("Gnumeric", 0.5, 0.5), Key(Goto(0, values.Length)), Type($"=SUM(A1:A{values.Length})\n"), Key("ctrl+s")]);
    }

    private static JsonObject SheetProduct(SeededRandom r)
    {
        int rows = r.Next(2, 6), row = r.Next(2, rows + 2);
        List<(int Price, int Quantity)> items = [.. Enumerable.Range(0, rows).Select(_ => (r.Next(1, 100), r.Next(1, 20)))];
        string csv = "Price,Quantity,Total\n" + string.Concat(items.Select(i => $"{i.Price},{i.Quantity},\n"));
        (int price, int quantity) = items[row - 2];
        return Task($"In the spreadsheet book.gnumeric, fill cell C{row} with the price times the quantity of its row (a number or a formula) and save the file.",
            Sheet(csv), CellNumber("book.gnumeric", $"C{row}", price * quantity),
            [Click("Gnumeric", 0.5, 0.5), Key(Goto(2, row - 1)), Type($"=A{row}*B{row}\n"), Key("ctrl+s")]);
    }

    private static JsonObject SheetLabel(SeededRandom r)
    {
        int column = r.Next(0, 4), row = r.Next(2, 9);
        string word = r.Pick(Words), cell = $"{(char)('A' + column)}{row}";
        return Task($"In the spreadsheet book.gnumeric, type the word {word} into cell {cell} and save the file.",
            Sheet("1,2,3,4\n"), CellText("book.gnumeric", cell, word),
            [Click("Gnumeric", 0.5, 0.5), Key(Goto(column, row - 1)), Type(word + "\n"), Key("ctrl+s")]);
    }

    // --- the file manager: PCManFM on the home folder, in its list view, rows found in the accessibility tree

    private static JsonArray Files(params JsonNode[] entries) => [.. entries, Launch("Pcmanfm", "pcmanfm", ".")];

    private static (string A, string B) TwoWords(SeededRandom r)
    {
        string a = r.Pick(Words), b;
        do
            b = r.Pick(Words);
        while (b[0] == a[0]);
        return (a, b);
    }

    private static JsonObject FilesMkdir(SeededRandom r)
    {
        (string dir, string other) = TwoWords(r);
        return Task($"In the file manager, create a new folder named {dir} in the home folder.", Files(File($"{other}.txt", "x\n")),
            Listing(".", [dir, $"{other}.txt"]), [Click("Pcmanfm", 0.7, 0.8), Key("shift"), Key("ctrl+4"), Key("ctrl+shift+n"), When(Key("ctrl+a"), "New Folder"), Type(dir + "\n")]);
    }

    private static JsonObject FilesRename(SeededRandom r)
    {
        (string a, string b) = TwoWords(r);
        return Task($"In the file manager, rename {a}.txt to {b}.txt.", Files(File($"{a}.txt", "report\n")),
            All(FileEquals($"{b}.txt", "report"), Missing($"{a}.txt")),
            [Click("Pcmanfm", 0.7, 0.8), Key("shift"), Key("ctrl+4"), Cell($"{a}.txt"), Key("shift"), Key("F2"), When(Key("ctrl+a"), "Rename"), Type($"{b}.txt\n")]);
    }

    private static JsonObject FilesDelete(SeededRandom r)
    {
        (string a, string b) = TwoWords(r);
        return Task($"In the file manager, delete the file {a}.txt (to the trash is fine) and keep {b}.txt.", Files(File($"{a}.txt", "old\n"), File($"{b}.txt", "new\n")),
            Listing(".", [$"{b}.txt"]), [Click("Pcmanfm", 0.7, 0.8), Key("shift"), Key("ctrl+4"), Cell($"{a}.txt"), Key("shift"), Key("delete"), When(Key("enter"), "Confirm")]);
    }

    private static JsonObject FilesMove(SeededRandom r)
    {
        (string dir, string file) = TwoWords(r);
        return Task($"In the file manager, move {file}.txt into the folder {dir}.", Files(new JsonObject { ["dir"] = dir }, File($"{file}.txt", "move me\n")),
            All(Listing(dir, [$"{file}.txt"]), Missing($"{file}.txt")),
            [Click("Pcmanfm", 0.7, 0.8), Key("shift"), Key("ctrl+4"), Cell($"{file}.txt"), Key("shift"), Key("ctrl+x"), Cell(dir, "double_click"), When(Key("ctrl+v"), dir)]);
    }

    private static JsonObject FilesInfeasible(SeededRandom r)
    {
        (string missing, string present) = TwoWords(r);
        return Task($"In the file manager, open the folder {missing} and delete everything in it.", Files(File($"{present}.txt", "x\n")),
            new JsonObject { ["type"] = "infeasible" }, ["fail()"]);
    }

    // --- building blocks

    private static JsonObject Task(string goal, JsonArray setup, JsonObject evaluator, JsonArray solution) =>
        new() { ["goal"] = goal, ["setup"] = setup, ["evaluator"] = evaluator, ["solution"] = solution };

    private static JsonObject File(string path, string text) => new() { ["file"] = path, ["text"] = text };

    private static JsonObject Launch(string window, params string[] command) => new() { ["launch"] = new JsonArray([.. command.Select(c => (JsonNode)c)]), ["window"] = window };

    private static JsonObject Click(string window, double x = 0.5, double y = 0.5) => new() { ["do"] = "click", ["at"] = window, ["point"] = new JsonArray(x, y) };

    // A file's name in PCManFM's list view, found in the accessibility tree. PCManFM drops the first key pressed
    // after a click on a row, so the solutions press Shift alone first.
    private static JsonObject Cell(string name, string click = "click") => new() { ["do"] = click, ["element"] = "table cell", ["name"] = name };

    private static JsonObject When(JsonNode step, string window) => new() { ["do"] = step.GetValue<string>(), ["when"] = window };

    private static JsonNode Type(string text) => $"type({Py(text)})";

    private static JsonNode Key(string keys) => $"key({Py(keys)})";

    private static string Py(string s) => "'" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "'";

    private static JsonObject FileEquals(string path, string text) => new() { ["type"] = "file", ["path"] = path, ["equals"] = text };

    private static JsonObject Missing(string path) => new() { ["type"] = "missing", ["path"] = path };

    private static JsonObject Listing(string path, string[] names) => new() { ["type"] = "listing", ["path"] = path, ["equals"] = new JsonArray([.. names.Select(n => (JsonNode)n)]) };

    private static JsonObject CellNumber(string path, string cell, double number) => new() { ["type"] = "cell", ["path"] = path, ["cell"] = cell, ["number"] = number };

    private static JsonObject CellText(string path, string cell, string text) => new() { ["type"] = "cell", ["path"] = path, ["cell"] = cell, ["equals"] = text };

    private static JsonObject All(params JsonObject[] parts) => new() { ["all"] = new JsonArray([.. parts]) };
}
