using Gym.Core;
using Gym.Core.Registry;
using Gym.Core.Rollouts;
using Gym.Core.Trajectories;

namespace Gym.Testing;

/// <summary>An environment's oracle run over tasks (two episodes at a time, one attempt each), with what went wrong described.</summary>
/// <param name="Episodes">The completed episodes.</param>
/// <param name="Aborts">The runner's recent abort reasons, one per line.</param>
/// <param name="Failures">Each unsuccessful episode: its ending, its actions with their errors, its last observation; empty when all succeeded.</param>
public sealed record OracleRun(IReadOnlyList<Episode> Episodes, string Aborts, string Failures)
{
    /// <summary>Runs the oracle of <paramref name="envId"/> over <paramref name="tasks"/>.</summary>
    public static async Task<OracleRun> RunAsync(EnvRegistry registry, string envId, IReadOnlyList<TaskSpec> tasks)
    {
        await using IAgent oracle = registry.Get(envId).OracleFactory!();
        List<Episode> episodes = [];
        string aborts;
        await using (RolloutRunner runner = new(registry, oracle, new RolloutOptions { MaxConcurrentEpisodes = 2, MaxAttempts = 1 }))
        {
            await foreach (EpisodeGroup g in runner.RunAsync(tasks))
                episodes.AddRange(g.Episodes);
            aborts = string.Join("\n", runner.Statistics.RecentAbortReasons);
        }
        string failures = string.Join("\n\n", episodes.Where(e => !e.Outcome.Success).Select(e =>
            $"{e.TaskId}: {e.Outcome.Termination}\n" + string.Join("\n", e.Steps.Select(s => $"  {s.Action.Text} -> {s.Info.Error}")) + "\n"
            + (e.FinalObservation?.Text ?? e.Steps.LastOrDefault()?.Observation.Text)));
        return new OracleRun(episodes, aborts, failures);
    }
}
