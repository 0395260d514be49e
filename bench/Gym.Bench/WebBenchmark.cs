using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gym.Core;
using Gym.Envs.Web;
using Gym.Envs.Web.Sites;

namespace Gym.Bench;

/// <summary>
/// Web environments: reset (a fresh context, the task page, the first observation) and step (an action, the settle
/// wait, the page's judgement, the observation) latency through <see cref="WebEnvironment"/>, and episodes per
/// second with 1, 2 and 4 environments in parallel (each its own browser); then the same work by
/// <c>bench/web/web_bench.mjs</c> (playwright-core from node) against the same site and Chromium.
/// </summary>
internal static partial class WebBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        int runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
        int seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        TaskSiteServer sites = await TaskSiteServer.SharedAsync();
        List<double> resets = [], steps = [];
        await using (WebEnvironment env = new())
        {
            for (int i = 0; i < runs + 5; i++)
            {
                Stopwatch t = Stopwatch.StartNew();
                Observation o = await env.ResetAsync(Widget("set-counter", i), new ResetOptions());
                if (i >= 5)
                    resets.Add(t.Elapsed.TotalMilliseconds);
                string more = Gym.Envs.Web.Tasks.ObservationTree.Find(o.Text, "button", "More tickets")!;
                // An agent's think time: what the environment does in the background (the next context) is done.
                await Task.Delay(300);
                t.Restart();
                await env.StepAsync(AgentAction.FromText($"click('{more}')"));
                if (i >= 5)
                    steps.Add(t.Elapsed.TotalMilliseconds);
                await Task.Delay(300);
            }
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"gym: reset median {Median(resets):0.0} ms p90 {P90(resets):0.0}; step median {Median(steps):0.0} ms p90 {P90(steps):0.0}"));
        foreach (int workers in new[] { 1, 2, 4 })
        {
            long episodes = 0;
            DateTime end = DateTime.UtcNow.AddSeconds(seconds);
            await Task.WhenAll(Enumerable.Range(0, workers).Select(async w =>
            {
                await using WebEnvironment env = new();
                for (long seed = w * 100000L; DateTime.UtcNow < end; seed++)
                {
                    Observation o = await env.ResetAsync(Widget("click-button", seed), new ResetOptions());
                    await env.StepAsync(AgentAction.FromText($"click('{FirstButton().Match(o.Text).Groups[1].Value}')"));
                    Interlocked.Increment(ref episodes);
                }
            }));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gym: {workers} parallel: {episodes / (double)seconds:0.00} episodes/s"));
        }

        ProcessStartInfo node = new("node", ["bench/web/web_bench.mjs", sites.BaseUrl.ToString(), runs.ToString(CultureInfo.InvariantCulture), seconds.ToString(CultureInfo.InvariantCulture)])
        {
            WorkingDirectory = Environment.GetEnvironmentVariable("GYM_ROOT") ?? Directory.GetCurrentDirectory(),
        };
        using Process peer = Process.Start(node)!;
        await peer.WaitForExitAsync();
        return peer.ExitCode;
    }

    private static TaskSpec Widget(string widget, long seed) => new()
    {
        Id = $"{widget}-{seed}", EnvId = WebEnvironment.Id, Seed = seed,
        Config = JsonDocument.Parse($$"""{"site": "widgets", "widget": "{{widget}}"}""").RootElement,
    };

    [GeneratedRegex(@"\[(\d+)\] button")]
    private static partial Regex FirstButton();

    private static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);

    private static double P90(List<double> xs) => xs.Order().ElementAt((int)(xs.Count * 0.9));
}
