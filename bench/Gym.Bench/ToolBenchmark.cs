using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gym.Core;
using Gym.Core.Registry;
using Gym.Core.Rollouts;
using Gym.Core.Tasks;
using Gym.Core.Trajectories;
using Gym.Envs.Tools;
using Gym.Envs.Tools.Calc;
using Gym.Mcp;

namespace Gym.Bench;

/// <summary>
/// Tool-use domains: reset and step latency (one oracle step: parse, schema check, the tool, the observation) and
/// resets per second of each environment, through the registry's wrappers, on one thread; and the same for the MCP
/// environment with its tools behind Gym's MCP server over stdio (a process per episode) and over HTTP (a session
/// per episode).
/// </summary>
internal static class ToolBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        int episodes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300;
        string root = Environment.GetEnvironmentVariable("GYM_ROOT") ?? Directory.GetCurrentDirectory();
        string tasksRoot = Path.Combine(root, "tasks");
        EnvRegistry registry = new EnvRegistry().AddToolEnvironments().AddMcpEnvironments();
        foreach (string suite in new[] { "tools/calc", "tools/search", "tools/retail" })
        {
            TaskSpec[] tasks = [.. TaskSuiteLoader.Load(suite, tasksRoot, registry.Contains).Tasks];
            await MeasureAsync(registry, suite, [.. Enumerable.Range(0, episodes).Select(i => tasks[i % tasks.Length])]);
        }

        // MCP over HTTP: the calc suite's tasks pointed at Gym's HTTP server, in process.
        TaskSpec[] mcp = [.. TaskSuiteLoader.Load("tools/mcp-calc", tasksRoot, registry.Contains).Tasks];
        await using (McpHttpToolServer server = await McpHttpToolServer.StartAsync(CalcDomain.Instance, 0))
        {
            JsonElement Http(TaskSpec t)
            {
                JsonObject config = JsonNode.Parse(t.Config.GetRawText())!.AsObject();
                config["server"] = new JsonObject { ["url"] = server.Endpoint.ToString() };
                return JsonDocument.Parse(config.ToJsonString()).RootElement;
            }
            await MeasureAsync(registry, "tools/mcp-calc over HTTP", [.. Enumerable.Range(0, episodes).Select(i => mcp[i % mcp.Length] with { Config = Http(mcp[i % mcp.Length]) })]);
        }
        // Over stdio every episode starts `gym mcp serve`: fewer episodes.
        string gym = Path.Combine(root, "trainer", "Gym.Cli", "bin", "Release", "net10.0", "gym.dll");
        if (File.Exists(gym))
        {
            JsonElement Stdio(TaskSpec t)
            {
                JsonObject config = JsonNode.Parse(t.Config.GetRawText())!.AsObject();
                config["server"] = new JsonObject { ["command"] = "dotnet", ["args"] = new JsonArray("exec", gym, "mcp", "serve", "--domain", "calc") };
                return JsonDocument.Parse(config.ToJsonString()).RootElement;
            }
            await MeasureAsync(registry, "tools/mcp-calc over stdio", [.. Enumerable.Range(0, Math.Min(episodes, 20)).Select(i => mcp[i % mcp.Length] with { Config = Stdio(mcp[i % mcp.Length]) })]);
        }
        else
            Console.WriteLine($"tools/mcp-calc over stdio: skipped ({gym} is not built; run ./gym envs first)");
        return 0;
    }

    // The oracle's actions come from a first run through the rollout runner (which also warms up JIT, pools and
    // SQLite); they are then replayed on one environment, one episode after another, timing only its calls.
    private static async Task MeasureAsync(EnvRegistry registry, string name, TaskSpec[] tasks)
    {
        TaskSpec[] distinct = [.. tasks.DistinctBy(t => t.Id)];
        Dictionary<string, AgentAction[]> actions = [];
        await using (IAgent oracle = registry.Get(tasks[0].EnvId).OracleFactory!())
        await using (RolloutRunner runner = new(registry, oracle, new RolloutOptions { MaxConcurrentEpisodes = 1, MaxAttempts = 1 }))
        {
            await foreach (EpisodeGroup group in runner.RunAsync(distinct))
                foreach (Episode e in group.Episodes)
                    actions[e.TaskId] = [.. e.Steps.Select(s => s.Action)];
        }
        await using IEnvironment env = registry.Make(tasks[0].EnvId);
        List<double> resets = [], steps = [];
        int solved = 0;
        foreach (TaskSpec task in tasks)
        {
            Stopwatch t = Stopwatch.StartNew();
            await env.ResetAsync(task, new ResetOptions());
            resets.Add(t.Elapsed.TotalMilliseconds);
            foreach (AgentAction action in actions[task.Id])
            {
                t.Restart();
                StepResult step = await env.StepAsync(action);
                steps.Add(t.Elapsed.TotalMilliseconds);
                solved += step.Info.Success == true ? 1 : 0;
            }
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {tasks.Length} oracle episodes, {solved} solved; reset median {Median(resets):0.000} ms p90 {P90(resets):0.000} ({1000 / resets.Average():0} resets/s); " +
            $"step median {Median(steps):0.000} ms p90 {P90(steps):0.000} ({steps.Count} steps)"));
    }

    private static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);

    private static double P90(List<double> xs) => xs.Order().ElementAt((int)(xs.Count * 0.9));
}
