using System.Diagnostics;
using Gym.Core;
using Gym.Core.Registry;
using Gym.Core.Rollouts;

namespace Gym.Bench;

/// <summary>
/// Runner overhead: env steps per second through the whole runner (registry, wrappers, episode recording)
/// with a trivial environment and a trivial agent, on one thread. The peer is bench/runner_loop.py, a plain
/// Python loop doing the same work (env step, agent act, one record per step).
/// </summary>
internal static class RunnerBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        int episodes = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 20_000;
        int steps = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100;
        EnvRegistry registry = new();
        registry.Register(new EnvRegistration(CounterEnvironment.EnvSpec, () => new CounterEnvironment()));
        TaskSpec[] tasks = [.. Enumerable.Range(0, episodes).Select(i => new TaskSpec { Id = $"t{i}", EnvId = CounterEnvironment.EnvSpec.Id, Seed = i, Limits = new TaskLimits(MaxSteps: steps + 1) })];
        TaskSpec[] warmup = tasks[..Math.Min(2000, episodes)];
        // The standard wrappers (time limit, invalid-action penalty) stay on: this is the runner as users run it.
        RolloutOptions options = new() { MaxConcurrentEpisodes = 1 };

        // Warm up long enough for tiered compilation to reach optimised code: steady state is what long runs see.
        Stopwatch warm = Stopwatch.StartNew();
        while (warm.Elapsed < TimeSpan.FromSeconds(3))
            await Run(registry, warmup, options, steps);
        GC.Collect();
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        Stopwatch clock = Stopwatch.StartNew();
        long total = await Run(registry, tasks, options, steps);
        clock.Stop();
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        double perStep = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (double)total;
        // Per core = per CPU-second the whole process used (every thread: runner, GC, JIT).
        Console.WriteLine($"gym runner: {total} steps in {clock.Elapsed.TotalSeconds:0.000} s wall, {cpu:0.000} s CPU = {total / cpu:0} steps/s per core ({total / clock.Elapsed.TotalSeconds:0} steps/s wall, {perStep:0} bytes allocated per step)");
        return 0;
    }

    private static async Task<long> Run(EnvRegistry registry, TaskSpec[] tasks, RolloutOptions options, int steps)
    {
        await using RolloutRunner runner = new(registry, new ConstantAgent(), options);
        long total = 0;
        await foreach (EpisodeGroup group in runner.RunAsync(tasks))
            total += group.Episodes[0].Steps.Count;
        if (total != (long)tasks.Length * steps)
            throw new InvalidOperationException($"expected {tasks.Length * steps} steps, ran {total}");
        return total;
    }

    /// <summary>Counts to its episode length; the observation and step results are preallocated.</summary>
    private sealed class CounterEnvironment : IEnvironment
    {
        public static readonly EnvSpec EnvSpec = new() { Id = "bench/counter-v1", Family = "bench", MaxSteps = 1000 };
        private static readonly Observation Obs = new() { Text = "tick", StateKey = "s" };
        private static readonly StepResult Running = new(Obs, 0.0, false, false, StepInfo.Valid);
        private static readonly StepResult Finished = new(Obs, 1.0, true, false, new StepInfo { Success = true });
        private int _count;
        private int _length;

        public EnvSpec Spec => EnvSpec;

        public ValueTask<Observation> ResetAsync(TaskSpec task, ResetOptions options, CancellationToken cancellationToken = default)
        {
            _count = 0;
            _length = (task.Limits.MaxSteps ?? 101) - 1;
            return new(Obs);
        }

        public ValueTask<StepResult> StepAsync(AgentAction action, CancellationToken cancellationToken = default) =>
            new(++_count >= _length ? Finished : Running);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class ConstantAgent : IAgent
    {
        private static readonly AgentTurn Turn = AgentTurn.FromText("go");

        public string Name => "constant";

        public ValueTask<AgentTurn> ActAsync(AgentContext context, CancellationToken cancellationToken = default) => new(Turn);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
