using System.CommandLine;
using System.Globalization;
using Gym.Agents;
using Gym.Agents.OpenAi;
using Gym.Core;
using Gym.Core.Evaluation;
using Gym.Core.Registry;
using Gym.Core.Rollouts;
using Gym.Core.Tasks;
using Spectre.Console;

namespace Gym.Cli.Commands;

/// <summary><c>gym eval</c>: runs an agent on a suite and writes a report and the trajectories.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        Option<string> suiteOption = new("--suite") { Description = "The suite (text/sokoban) or a path to one.", Required = true };
        Option<string> agentOption = new("--agent") { Description = $"The agent: {string.Join(", ", AgentFactory.Known)}.", Required = true };
        Option<string?> splitOption = new("--split") { Description = "The split to run (default: test when the suite has one, else all)." };
        Option<int> repeatsOption = new("--repeats") { Description = "Episodes per task (k of pass@k).", DefaultValueFactory = _ => 1 };
        Option<string?> outOption = new("--out") { Description = "Output directory (default runs/eval/<suite>/<agent>)." };
        Option<int> concurrencyOption = new("--concurrency") { Description = "Episodes run at once.", DefaultValueFactory = _ => Environment.ProcessorCount };
        Option<long> seedOption = new("--seed") { Description = "Base of the agents' sampling seeds.", DefaultValueFactory = _ => 0 };
        Option<int?> limitOption = new("--limit") { Description = "Only the first N tasks of the split." };
        Option<string?> baseUrlOption = new("--base-url") { Description = "openai agents: the server's API base URL (default OPENAI_BASE_URL, else OpenAI's); the key comes from OPENAI_API_KEY." };
        Option<string?> cacheOption = new("--agent-cache") { Description = "openai agents: a directory of recorded responses; repeated requests are answered from it (exact replay)." };
        Option<int> requestsOption = new("--max-requests") { Description = "openai agents: requests in flight at once.", DefaultValueFactory = _ => 8 };
        Option<double> temperatureOption = new("--temperature") { Description = "openai agents: sampling temperature.", DefaultValueFactory = _ => 0 };
        Option<int> maxTokensOption = new("--max-tokens") { Description = "openai agents: most tokens per reply.", DefaultValueFactory = _ => 512 };
        Option<int> historyOption = new("--history") { Description = "openai agents: past turns sent with each request.", DefaultValueFactory = _ => 64 };
        Option<bool> guidedOption = new("--guided-choice") { Description = "openai agents: ask the server for exactly one admissible action (vLLM's and gym serve's guided_choice)." };
        Option<string?> deviceOption = DeviceOption.Create();
        Option<string?> promptFromOption = new("--prompt-from") { Description = "openai agents: prompt and decode as this Gym checkpoint was trained to (its gym_agent.json); overrides the options above." };
        Command command = new("eval", "Evaluate an agent on a task suite.")
        {
            suiteOption, agentOption, splitOption, repeatsOption, outOption, concurrencyOption, seedOption, limitOption,
            baseUrlOption, cacheOption, requestsOption, temperatureOption, maxTokensOption, historyOption, guidedOption, promptFromOption, deviceOption,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string agentName = parse.GetValue(agentOption)!;
            string suiteName = parse.GetValue(suiteOption)!;
            int repeats = parse.GetValue(repeatsOption);
            if (repeats < 1)
                throw new ArgumentException($"--repeats must be at least 1 (got {repeats}).");
            string outDir = parse.GetValue(outOption) ?? Path.Combine("runs", "eval", suiteName.Replace('/', '_'), agentName.Replace(':', '_').Replace('/', '_'));
            OpenAiAgentOptions openAi = new()
            {
                Model = "",
                CacheDirectory = parse.GetValue(cacheOption),
                MaxConcurrentRequests = parse.GetValue(requestsOption),
                Temperature = parse.GetValue(temperatureOption),
                MaxTokens = parse.GetValue(maxTokensOption),
                HistoryTurns = parse.GetValue(historyOption),
                GuidedChoice = parse.GetValue(guidedOption),
            };
            if (parse.GetValue(promptFromOption) is { } checkpoint)
                openAi = openAi.LikeCheckpoint(checkpoint);
            if (parse.GetValue(baseUrlOption) is { } baseUrl)
            {
                openAi = Uri.TryCreate(baseUrl, UriKind.Absolute, out Uri? url) && url.Scheme is "http" or "https"
                    ? openAi with { BaseUrl = url }
                    : throw new ArgumentException($"--base-url '{baseUrl}' is not an http(s) URL.");
            }
            EvaluationResult result = await RunAsync(suiteName, agentName, parse.GetValue(splitOption), repeats, outDir,
                parse.GetValue(concurrencyOption), parse.GetValue(seedOption), cancellationToken, parse.GetValue(limitOption), openAi, parse.GetValue(deviceOption) ?? "cpu").ConfigureAwait(false);
            PrintSummary(result.Report);
            AnsiConsole.WriteLine($"report: {result.ReportPath}");
            AnsiConsole.WriteLine($"trajectories: {result.TrajectoriesPath}");
            return 0;
        });
        return command;
    }

    /// <summary>Loads the suite, makes the agent and runs the evaluation with a progress display.</summary>
    public static async Task<EvaluationResult> RunAsync(string suiteName, string agentName, string? split, int repeats, string outDir, int concurrency, long seed,
        CancellationToken cancellationToken, int? limit = null, OpenAiAgentOptions? openAi = null, string device = "cpu")
    {
        EnvRegistry registry = GymHome.CreateRegistry();
        TaskSuite suite = TaskSuiteLoader.Load(suiteName, GymHome.TasksRoot, registry.Contains);
        if (limit is { } n)
        {
            if (n < 1)
                throw new ArgumentException($"--limit must be at least 1 (got {n}).");
            suite = suite.Take(split ?? (suite.Splits.Contains("test") ? "test" : null), n);
        }
        split ??= suite.Splits.Contains("test") ? "test" : null;
        IReadOnlyList<TaskSpec> tasks = suite.Split(split);
        await using IAgent agent = AgentFactory.Create(agentName, registry, openAi, device);
        RolloutOptions options = new() { MaxConcurrentEpisodes = Math.Max(1, concurrency), SamplingSeed = seed, RunId = $"eval-{agent.Name}" };
        EvaluationResult result = await ConsoleUi.WithProgressAsync($"eval {suite.Name} ({split ?? "all"}) with {agent.Name}", tasks.Count,
            progress => SuiteEvaluator.EvaluateAsync(registry, agent, suite, split, repeats, outDir, options, progress, GymHome.Loggers, cancellationToken)).ConfigureAwait(false);
        // Code ran in sandboxes: the report says which kind (the process fallback is weaker and must be visible).
        if (GymHome.Sandboxes.Description is { } sandbox)
        {
            EvaluationReport report = result.Report with { Notes = [.. result.Report.Notes, $"sandbox: {sandbox}"] };
            report.Save(result.ReportPath);
            AnsiConsole.WriteLine($"sandbox: {sandbox}");
            result = result with { Report = report };
        }
        return result;
    }

    /// <summary>Prints one table row per report.</summary>
    public static void PrintSummary(params EvaluationReport[] reports)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        Table table = new Table().AddColumns("suite", "split", "agent", "tasks", "episodes", "success", "mean score", "pass@k", "pass^k", "mean steps", "invalid", "aborted", "steps/s");
        foreach (EvaluationReport r in reports)
        {
            table.AddRow(Markup.Escape(r.Suite), r.Split, Markup.Escape(r.Agent), r.Tasks.ToString(c), r.Episodes.ToString(c), r.SuccessRate.ToString("P1", c),
                r.MeanScore.ToString("0.000", c), $"{r.PassAtK.ToString("0.000", c)} (k={r.Repeats})", r.PassHatK.ToString("0.000", c), r.MeanSteps.ToString("0.0", c),
                r.InvalidActionRate.ToString("P1", c), r.Aborted.ToString(c), r.StepsPerSecond.ToString("0", c));
        }
        AnsiConsole.Write(table);
    }
}
