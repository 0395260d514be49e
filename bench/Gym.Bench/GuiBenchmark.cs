using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Gym.Core;
using Gym.Envs.Gui;
using Gym.Envs.Gui.Desktop;
using Gym.Envs.Gui.Tasks;
using Gym.Envs.Gui.X11;

namespace Gym.Bench;

/// <summary>
/// GUI environments: reset (a fresh home, the application launched, its window focused, the first screenshot) per
/// application, the accessibility tree's read per application, step (an action, the ping and settle wait, the
/// screenshot, the tree) latency with and without the tree, the screenshot alone, and oracle episodes per second
/// with 1 and 2 displays in parallel. There is no peer running beside it: the budget
/// is OSWorld's way (a VM snapshot revert per reset, a 2 s pause per step).
/// </summary>
internal static class GuiBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        int runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 30;
        int seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
        await using (GuiEnvironment env = new())
        {
            foreach ((string kind, string app) in new[] { ("terminal-write", "xterm"), ("editor-append", "Mousepad"), ("sheet-sum", "Gnumeric"), ("files-rename", "PCManFM") })
            {
                List<double> resets = [];
                for (int i = 0; i < runs + 2; i++)
                {
                    Stopwatch t = Stopwatch.StartNew();
                    await env.ResetAsync(Kind(kind, i), new ResetOptions());
                    if (i >= 2)
                        resets.Add(t.Elapsed.TotalMilliseconds);
                }
                List<double> reads = [];
                int elements = 0;
                for (int i = 0; i < runs; i++)
                {
                    Stopwatch t = Stopwatch.StartNew();
                    elements = env.Display!.Accessibility!.Read().Elements.Count;
                    reads.Add(t.Elapsed.TotalMilliseconds);
                }
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gym gui: reset {app,-9} median {Median(resets):0} ms p90 {P90(resets):0}; accessibility tree ({elements} elements) median {Median(reads):0.0} ms p90 {P90(reads):0.0}"));
            }
        }
        foreach (bool tree in new[] { true, false })
        {
            // Steps in the editor: typing one character (the window redraws) and a click in its text.
            await using GuiEnvironment env = new(new GuiOptions { AccessibilityTree = tree });
            await env.ResetAsync(Kind("editor-append", 0), new ResetOptions());
            List<double> typing = [], clicks = [], shots = [];
            for (int i = 0; i < runs * 3; i++)
            {
                Stopwatch t = Stopwatch.StartNew();
                await env.StepAsync(AgentAction.FromText("type('a')"));
                typing.Add(t.Elapsed.TotalMilliseconds);
                t.Restart();
                await env.StepAsync(AgentAction.FromText("click(640, 300)"));
                clicks.Add(t.Elapsed.TotalMilliseconds);
                X11Connection x = env.Display!.X;
                t.Restart();
                Png.Encode(ScreenCapture.Grab(x), x.Width, x.Height);
                shots.Add(t.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"gym gui: {(tree ? "with" : "without")} the tree: step type('a') median {Median(typing):0.0} ms p90 {P90(typing):0.0}; step click median {Median(clicks):0.0} ms p90 {P90(clicks):0.0}; screenshot (grab + PNG) median {Median(shots):0.0} ms"));
        }
        foreach (int displays in new[] { 1, 2 })
        {
            long episodes = 0;
            DateTime end = DateTime.UtcNow.AddSeconds(seconds);
            await Task.WhenAll(Enumerable.Range(0, displays).Select(async w =>
            {
                await using GuiEnvironment env = new();
                for (long seed = w * 100000L; DateTime.UtcNow < end; seed++)
                {
                    TaskSpec task = Kind("terminal-write", seed);
                    Observation o = await env.ResetAsync(task, new ResetOptions());
                    AgentContext context = new(task, env.Spec, o, seed, 0);
                    GuiTask guiTask = GuiTask.Resolve(task, seed);
                    bool done = false;
                    for (int step = 0; step < 10 && !done; step++)
                        done = (await env.StepAsync(AgentAction.FromText(GuiOracle.NextAction(context, guiTask)))).Terminated;
                    if (!done)
                        throw new InvalidOperationException("The oracle did not finish a terminal-write episode.");
                    Interlocked.Increment(ref episodes);
                }
            }));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gym gui: {displays} display(s) in parallel: {episodes / (double)seconds:0.00} episodes/s (terminal-write, the oracle)"));
        }
        return 0;
    }

    private static TaskSpec Kind(string kind, long seed) => new()
    {
        Id = $"{kind}-{seed}", EnvId = GuiEnvironment.Id, Seed = seed,
        Config = JsonDocument.Parse($$"""{"kind": "{{kind}}"}""").RootElement,
    };

    private static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);

    private static double P90(List<double> xs) => xs.Order().ElementAt((int)(xs.Count * 0.9));
}
