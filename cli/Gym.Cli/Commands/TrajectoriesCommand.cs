using System.CommandLine;
using System.Globalization;
using Gym.Core.Trajectories;
using Spectre.Console;

namespace Gym.Cli.Commands;

/// <summary><c>gym trajectories show|export</c>: inspects and converts trajectory files.</summary>
internal static class TrajectoriesCommand
{
    public static Command Create()
    {
        Command command = new("trajectories", "Inspect or export a trajectory file (.msgpack).");
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Export());
        return command;
    }

    private static Command Show()
    {
        Argument<string> fileArgument = new("file") { Description = "The trajectory file." };
        Option<int?> episodeOption = new("--episode") { Description = "Show every step of the episode with this index (0-based)." };
        Option<int> limitOption = new("--limit") { Description = "List at most this many episodes.", DefaultValueFactory = _ => 50 };
        Option<string?> imagesOption = new("--images") { Description = "With --episode: write the observations' images (screenshots) to this folder, one file per image, to open in any viewer." };
        Command show = new("show", "List the episodes of a file, or the steps of one.") { fileArgument, episodeOption, limitOption, imagesOption };
        show.SetAction(parse =>
        {
            TrajectoryReadResult read = Read(parse.GetValue(fileArgument)!);
            CultureInfo c = CultureInfo.InvariantCulture;
            if (parse.GetValue(episodeOption) is { } index)
            {
                if (index < 0 || index >= read.Episodes.Count)
                    throw new ArgumentException($"--episode {index} is out of range: the file holds {read.Episodes.Count} readable episodes.");
                Episode e = read.Episodes[index];
                string? images = parse.GetValue(imagesOption);
                if (images is not null)
                    Directory.CreateDirectory(images);
                AnsiConsole.WriteLine($"{e.Id}  task {e.TaskId} ({e.EnvId}, seed {e.Seed})  agent {e.Agent}  outcome: {(e.Outcome.Success ? "success" : "failure")} score {e.Outcome.Score.ToString("0.###", c)} {e.Outcome.Termination.ToString().ToLowerInvariant()}{(e.Outcome.Reason is null ? "" : " (" + e.Outcome.Reason + ")")}");
                if (e.Instruction.Length > 0)
                    AnsiConsole.WriteLine($"instruction: {e.Instruction}");
                foreach (EpisodeStep s in e.Steps)
                {
                    AnsiConsole.WriteLine($"--- step {s.Index} ---");
                    AnsiConsole.WriteLine(s.Observation.Text);
                    foreach (var image in s.Observation.Images)
                    {
                        string? path = images is null ? null : Path.Combine(images, $"episode-{index}-step-{s.Index}-{Safe(image.Name)}{Extension(image.MediaType)}");
                        if (path is not null)
                            File.WriteAllBytes(path, image.Data.ToArray());
                        AnsiConsole.WriteLine($"[image {image.Name}: {image.MediaType}, {image.Data.Length} bytes{(path is null ? "" : " -> " + path)}]");
                    }
                    AnsiConsole.WriteLine($"> {s.Action.Text}{(s.Info.ActionValid ? "" : "   (invalid: " + s.Info.Error + ")")}");
                    AnsiConsole.WriteLine($"reward {s.Reward.ToString("0.###", c)}{(s.Terminated ? ", terminated" : "")}{(s.Truncated ? ", truncated" : "")}");
                }
                if (e.FinalObservation is { } final)
                {
                    AnsiConsole.WriteLine("--- final observation ---");
                    AnsiConsole.WriteLine(final.Text);
                }
                return 0;
            }
            Table table = new Table().AddColumns("#", "episode", "task", "agent", "steps", "return", "success", "end");
            int i = 0;
            foreach (Episode e in read.Episodes.Take(parse.GetValue(limitOption)))
            {
                table.AddRow((i++).ToString(c), Markup.Escape(e.Id), Markup.Escape(e.TaskId), Markup.Escape(e.Agent), e.Steps.Count.ToString(c),
                    e.Return.ToString("0.###", c), e.Outcome.Success ? "yes" : "no", e.Outcome.Termination.ToString().ToLowerInvariant());
            }
            AnsiConsole.Write(table);
            AnsiConsole.WriteLine($"{read.Episodes.Count} episodes, {read.Episodes.Count(e => e.Outcome.Success)} successful.");
            return 0;
        });
        return show;
    }

    private static string Safe(string name) => string.Concat(name.Select(ch => char.IsLetterOrDigit(ch) || ch is '-' or '_' ? ch : '_'));

    private static string Extension(string mediaType) => mediaType switch
    {
        "image/png" => ".png",
        "image/jpeg" => ".jpg",
        _ => ".bin",
    };

    private static Command Export()
    {
        Argument<string> fileArgument = new("file") { Description = "The trajectory file." };
        Option<string> formatOption = new("--format") { Description = "The export format.", DefaultValueFactory = _ => "jsonl" };
        formatOption.AcceptOnlyFromAmong("jsonl");
        Option<string?> outOption = new("--out") { Description = "Output file (default: standard output)." };
        Option<bool> successOption = new("--successful-only") { Description = "Only successful episodes." };
        Command export = new("export", "Export episodes as JSON Lines in the OpenAI messages shape.") { fileArgument, formatOption, outOption, successOption };
        export.SetAction(parse =>
        {
            TrajectoryReadResult read = Read(parse.GetValue(fileArgument)!);
            IEnumerable<Episode> episodes = parse.GetValue(successOption) ? read.Episodes.Where(e => e.Outcome.Success) : read.Episodes;
            string? outPath = parse.GetValue(outOption);
            using Stream output = outPath is null ? Console.OpenStandardOutput() : File.Create(outPath);
            JsonlExporter.Write(episodes, output);
            return 0;
        });
        return export;
    }

    private static TrajectoryReadResult Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"No trajectory file at {path}.", path);
        TrajectoryReadResult read = TrajectoryReader.ReadFile(path);
        foreach (TrajectoryIssue issue in read.Issues)
            Console.Error.WriteLine($"warning: {path}: {issue.Message}");
        return read;
    }
}
