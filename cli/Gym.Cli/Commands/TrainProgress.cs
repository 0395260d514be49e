using System.Globalization;
using Gym.Trainer.Training;
using Spectre.Console;

namespace Gym.Cli.Commands;

/// <summary>What <c>gym train</c> shows as it goes: a live table on a terminal, a plain line per iteration elsewhere.</summary>
internal sealed class TrainProgress(TrainConfig config)
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private readonly List<IterationMetrics> _seen = [];
    private double? _validation;
    private int? _best;

    /// <summary>One line for a log.</summary>
    public string Line(IterationMetrics m)
    {
        Observe(m);
        return string.Create(C,
            $"iteration {m.Iteration}/{config.Iterations}: train success {m.TrainSuccessRate:P1}, return {m.MeanReturn:0.000}, {EpisodesPerSecond(m):0.0} episodes/s, loss {m.Update.PolicyLoss:0.0000}, entropy {m.Update.Entropy:0.000}, kl {m.Update.ApproxKl:0.0000}, clip {m.Update.ClipFraction:0.000}, rollout {m.RolloutSeconds:0.0} s, update {m.IterationUpdateSeconds:0.0} s{(m.EvalSuccessRate is { } e ? $", validation success {e:P1}{(m.Best ? " (best)" : "")}" : "")}, time left {TimeLeft(m)}");
    }

    /// <summary>The live table, before any iteration or after <paramref name="m"/>.</summary>
    public Table Table(IterationMetrics? m = null)
    {
        if (m is not null)
            Observe(m);
        Table table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"gym train: {config.Suite} ({ConfigNames.Of(config.Estimator)})"));
        table.AddColumn("iteration").AddColumn("episodes/s").AddColumn("train success").AddColumn($"{config.EvalSplit} success").AddColumn("KL").AddColumn("entropy").AddColumn("time left");
        if (m is null)
        {
            table.AddRow($"0/{config.Iterations}", "", "", "", "", "", "");
            return table;
        }
        string validation = _validation is { } v ? string.Create(C, $"{v:P1}{(_best is { } b ? $" (best: iteration {b})" : "")}") : "not yet";
        table.AddRow(string.Create(C, $"{m.Iteration}/{config.Iterations}"), string.Create(C, $"{EpisodesPerSecond(m):0.0}"), string.Create(C, $"{m.TrainSuccessRate:P1}"),
            Markup.Escape(validation), string.Create(C, $"{m.Update.ApproxKl:0.0000}"), string.Create(C, $"{m.Update.Entropy:0.000}"), TimeLeft(m));
        return table;
    }

    private void Observe(IterationMetrics m)
    {
        _seen.Add(m);
        if (m.EvalSuccessRate is { } v)
            _validation = v;
        if (m.Best)
            _best = m.Iteration;
    }

    private static double EpisodesPerSecond(IterationMetrics m)
    {
        double seconds = m.RolloutSeconds + m.IterationUpdateSeconds;
        return seconds > 0 ? m.Episodes / seconds : 0;
    }

    // The sooner of the iterations left at this run's pace and the wall-clock budget left.
    private string TimeLeft(IterationMetrics m)
    {
        double perIteration = _seen.Count < 2 ? m.ElapsedSeconds / Math.Max(1, m.Iteration) : (m.ElapsedSeconds - _seen[0].ElapsedSeconds) / (_seen.Count - 1);
        double left = (config.Iterations - m.Iteration) * perIteration;
        if (config.Minutes > 0)
            left = Math.Min(left, Math.Max(0, config.Minutes * 60 - m.ElapsedSeconds));
        return TimeSpan.FromSeconds(Math.Round(left)).ToString(@"h\:mm\:ss", C);
    }
}
