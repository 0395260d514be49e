using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Gym.Core.Evaluation;
using Gym.Core.Tasks;

namespace Gym.Cli.Commands;

/// <summary>
/// <c>gym main</c>: Gym's main job. At this stage it evaluates the oracle (upper baseline) and random (lower
/// baseline) agents on the test split of every text suite and writes a combined report.
/// </summary>
internal static class MainJobCommand
{
    private static readonly string[] Suites = ["text/sokoban", "text/frozenlake", "text/household"];
    private static readonly string[] Agents = ["oracle", "random"];

    public static Command Create()
    {
        Option<string> outOption = new("--out") { Description = "Output directory.", DefaultValueFactory = _ => Path.Combine("runs", "main") };
        Option<int> repeatsOption = new("--repeats") { Description = "Episodes per task.", DefaultValueFactory = _ => 4 };
        Command command = new("main", "The main job: evaluate the baselines on every text suite and write the report.") { outOption, repeatsOption };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string outDir = parse.GetValue(outOption)!;
            int repeats = parse.GetValue(repeatsOption);
            List<EvaluationReport> reports = [];
            foreach (string suite in Suites)
            {
                foreach (string agent in Agents)
                {
                    string dir = Path.Combine(outDir, suite.Replace('/', '_'), agent);
                    EvaluationResult result = await EvalCommand.RunAsync(suite, agent, "test", repeats, dir, Environment.ProcessorCount, 0, cancellationToken).ConfigureAwait(false);
                    reports.Add(result.Report);
                }
            }
            EvalCommand.PrintSummary([.. reports]);
            string summaryPath = Path.Combine(outDir, "report.md");
            File.WriteAllText(summaryPath, Markdown(reports));
            File.WriteAllText(Path.Combine(outDir, "report.json"), JsonSerializer.Serialize(reports, EvaluationReport.JsonOptions));
            Console.WriteLine($"main job report: {Path.GetFullPath(summaryPath)}");
            return 0;
        });
        return command;
    }

    private static string Markdown(IReadOnlyList<EvaluationReport> reports)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        StringBuilder sb = new();
        sb.AppendLine("# Gym main job: baselines on the text suites (test split)").AppendLine();
        sb.AppendLine("| suite | agent | tasks | episodes | success | mean score | pass@k | pass^k | mean steps | invalid actions | aborted |");
        sb.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (EvaluationReport r in reports)
        {
            sb.AppendLine(c, $"| {r.Suite} | {r.Agent} | {r.Tasks} | {r.Episodes} | {r.SuccessRate:P1} | {r.MeanScore:0.000} | {r.PassAtK:0.000} (k={r.Repeats}) | {r.PassHatK:0.000} | {r.MeanSteps:0.0} | {r.InvalidActionRate:P1} | {r.Aborted} |");
        }
        return sb.ToString();
    }
}
