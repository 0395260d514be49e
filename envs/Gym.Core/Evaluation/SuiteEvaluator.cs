using System.Diagnostics;
using Gym.Core.Registry;
using Gym.Core.Rollouts;
using Gym.Core.Tasks;
using Gym.Core.Trajectories;
using Microsoft.Extensions.Logging;

namespace Gym.Core.Evaluation;

/// <summary>What an evaluation wrote.</summary>
/// <param name="Report">The summary.</param>
/// <param name="ReportPath">Where <c>report.json</c> is.</param>
/// <param name="TrajectoriesPath">Where <c>trajectories.msgpack</c> is.</param>
public sealed record EvaluationResult(EvaluationReport Report, string ReportPath, string TrajectoriesPath);

/// <summary>
/// Runs an agent on a suite split, <c>repeats</c> episodes per task, streaming every completed group into
/// <c>DIR/trajectories.msgpack</c> and writing <c>DIR/report.json</c>. Used by <c>gym eval</c> and by training's
/// periodic evaluation.
/// </summary>
public static class SuiteEvaluator
{
    /// <summary>Evaluates <paramref name="agent"/>; <paramref name="progress"/> receives the number of finished tasks.</summary>
    public static async Task<EvaluationResult> EvaluateAsync(EnvRegistry registry, IAgent agent, TaskSuite suite, string? split, int repeats,
        string outputDirectory, RolloutOptions? options = null, Action<int>? progress = null, ILoggerFactory? loggers = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        IReadOnlyList<TaskSpec> tasks = suite.Split(split);
        Directory.CreateDirectory(outputDirectory);
        string trajectoriesPath = Path.Combine(outputDirectory, "trajectories.msgpack");
        string reportPath = Path.Combine(outputDirectory, "report.json");
        File.Delete(trajectoriesPath);
        RolloutOptions rolloutOptions = (options ?? new RolloutOptions()) with { GroupSize = repeats };
        Stopwatch clock = Stopwatch.StartNew();
        List<EpisodeGroup> groups = [];
        await using RolloutRunner runner = new(registry, agent, rolloutOptions, loggers?.CreateLogger<RolloutRunner>());
        await using (TrajectoryWriter writer = TrajectoryWriter.Open(trajectoriesPath))
        {
            await foreach (EpisodeGroup group in runner.RunAsync(tasks, cancellationToken).ConfigureAwait(false))
            {
                groups.Add(group);
                foreach (Episode episode in group.Episodes)
                    await writer.AppendAsync(episode, cancellationToken).ConfigureAwait(false);
                progress?.Invoke(groups.Count);
            }
        }
        EvaluationReport report = EvaluationReport.From(suite.Name, split ?? "all", agent.Name, repeats, tasks, groups, runner.Statistics, clock.Elapsed);
        report.Save(reportPath);
        return new EvaluationResult(report, reportPath, trajectoriesPath);
    }
}
