using System.CommandLine;
using System.Globalization;
using Gym.Core;
using Gym.Core.Registry;
using Gym.Core.Tasks;
using Spectre.Console;

namespace Gym.Cli.Commands;

/// <summary><c>gym tasks [SUITE]</c>: lists suites, or the tasks of one suite.</summary>
internal static class TasksCommand
{
    public static Command Create()
    {
        Argument<string?> suiteArgument = new("suite") { Description = "A suite name (text/sokoban) or path; omit to list the suites.", Arity = ArgumentArity.ZeroOrOne };
        Option<string?> splitOption = new("--split") { Description = "Only this split." };
        Option<int> limitOption = new("--limit") { Description = "Show at most this many tasks.", DefaultValueFactory = _ => 50 };
        Command command = new("tasks", "List task suites, or the tasks of a suite.") { suiteArgument, splitOption, limitOption };
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
