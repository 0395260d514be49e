using System.CommandLine;
using System.Globalization;
using Gym.Core;
using Gym.Core.Registry;
using Gym.Core.Tasks;
using Gym.Envs.Code.Importers;
using Spectre.Console;

namespace Gym.Cli.Commands;

/// <summary><c>gym tasks [SUITE]</c>: lists suites, or the tasks of one suite; <c>gym tasks import</c> writes a suite from a benchmark's files.</summary>
internal static class TasksCommand
{
    // The formats `gym tasks import` reads: what its SOURCE is, and the importer (source file, suite name).
    private static readonly (string Format, string Source, Func<string, string, CodeSuite> Import)[] Formats =
    [
        ("humaneval", "HumanEval's JSONL (HumanEval.jsonl or .jsonl.gz: task_id, prompt, canonical_solution, test, entry_point)", HumanEvalImporter.Import),
        ("mbpp", "MBPP's JSONL (task_id, text, code, test_list, test_setup_code, challenge_test_list)", MbppImporter.Import),
    ];

    private static Command ImportCommand()
    {
        Argument<string> formatArgument = new("format") { Description = "The benchmark's format: " + string.Join("; ", Formats.Select(f => $"{f.Format}: {f.Source}")) + "." };
        Argument<string[]> sourceArgument = new("source") { Description = "The benchmark's file.", Arity = ArgumentArity.OneOrMore };
        Option<string?> outOption = new("--out") { Description = "The new suite's folder (default tasks/imported/<format>); usable at once as --suite DIR." };
        Command command = new("import", "Write a task suite from a benchmark's own files; a malformed line is refused with its file and line, and nothing is written.")
        {
            formatArgument, sourceArgument, outOption,
        };
        command.SetAction(parse =>
        {
            string format = parse.GetValue(formatArgument)!.ToLowerInvariant();
            string[] sources = parse.GetValue(sourceArgument)!;
            Func<string, string, CodeSuite> import = Formats.FirstOrDefault(f => f.Format == format).Import
                ?? throw new ArgumentException($"Unknown format '{format}': use one of {string.Join(", ", Formats.Select(f => f.Format))}.");
            if (sources.Length != 1)
                throw new ArgumentException($"The {format} importer reads one file (got {sources.Length}).");
            string outDir = Path.GetFullPath(parse.GetValue(outOption) ?? Path.Combine(GymHome.TasksRoot, "imported", format));
            string name = "imported/" + Path.GetFileName(outDir.TrimEnd(Path.DirectorySeparatorChar));
            CodeSuite suite = import(sources[0], name);
            string path = suite.Write(outDir);
            string splits = string.Join(", ", suite.Tasks.GroupBy(t => (string)t["split"]!).Select(g => $"{g.Key} {g.Count()}"));
            Console.WriteLine($"wrote {suite.Tasks.Count} tasks ({splits}) to {path}; evaluate with: ./gym eval --suite {outDir} --agent oracle");
            return 0;
        });
        return command;
    }

    public static Command Create()
    {
        Argument<string?> suiteArgument = new("suite") { Description = "A suite name (text/sokoban) or path; omit to list the suites.", Arity = ArgumentArity.ZeroOrOne };
        Option<string?> splitOption = new("--split") { Description = "Only this split." };
        Option<int> limitOption = new("--limit") { Description = "Show at most this many tasks.", DefaultValueFactory = _ => 50 };
        Command command = new("tasks", "List task suites, or the tasks of a suite.") { suiteArgument, splitOption, limitOption, ImportCommand() };
        command.SetAction(parse =>
        {
            EnvRegistry registry = GymHome.CreateRegistry();
            string? name = parse.GetValue(suiteArgument);
            if (name is null)
            {
                Table suites = new Table().AddColumns("suite", "tasks", "splits", "description");
                foreach (string suiteName in TaskSuiteLoader.Discover(GymHome.TasksRoot))
                {
                    TaskSuite s = TaskSuiteLoader.Load(suiteName, GymHome.TasksRoot, registry.Contains);
                    string splits = string.Join(", ", s.Splits.Select(x => $"{x} {s.Tasks.Count(t => t.Split == x)}"));
                    suites.AddRow(Markup.Escape(s.Name), s.Tasks.Count.ToString(CultureInfo.InvariantCulture), splits, Markup.Escape(s.Description));
                }
                AnsiConsole.Write(suites);
                return 0;
            }
            TaskSuite suite = TaskSuiteLoader.Load(name, GymHome.TasksRoot, registry.Contains);
            IReadOnlyList<TaskSpec> tasks = suite.Split(parse.GetValue(splitOption));
            Table table = new Table().AddColumns("id", "split", "env", "seed", "max steps", "instruction");
            foreach (TaskSpec t in tasks.Take(parse.GetValue(limitOption)))
            {
                table.AddRow(Markup.Escape(t.Id), t.Split, Markup.Escape(t.EnvId), t.Seed.ToString(CultureInfo.InvariantCulture),
                    (t.Limits.MaxSteps ?? registry.Get(t.EnvId).Spec.MaxSteps).ToString(CultureInfo.InvariantCulture), Markup.Escape(t.Instruction));
            }
            AnsiConsole.Write(table);
            AnsiConsole.WriteLine($"{suite.Name}: {Math.Min(tasks.Count, parse.GetValue(limitOption))} of {tasks.Count} tasks shown ({suite.Tasks.Count} in the suite: {string.Join(", ", suite.Splits)}).");
            return 0;
        });
        return command;
    }
}
