using System.Globalization;
using System.Text;
using System.Text.Json;
using Gym.Core.Evaluation;
using Gym.Trainer.Training;

namespace Gym.Trainer.Jobs;

/// <summary>The main job's report: <c>report.md</c> for people, <c>report.json</c> for programs.</summary>
public static class MainJobReport
{
    /// <summary>Writes both files into <paramref name="outDir"/>; returns the Markdown file's path.</summary>
    public static string Write(MainJobResult result, TrainConfig config, string configName, string outDir)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(config);
        string path = Path.Combine(outDir, "report.md");
        File.WriteAllText(path, Markdown(result, config, configName));
        File.WriteAllText(Path.Combine(outDir, "report.json"), JsonSerializer.Serialize(new
        {
            suite = config.Suite,
            config = configName,
            seed = config.Seed,
            demonstrations = result.Imitation?.Demonstrations ?? 0,
            baselines = result.Baselines,
            policies = result.Policies.Select(p => new { stage = p.Stage, report = p.Report }),
            best = result.Trained.Best,
            rl_gain_points = result.RlGainPoints,
            minutes = result.Minutes,
        }, EvaluationReport.JsonOptions));
        return path;
    }

    /// <summary>The one line that sums the job up.</summary>
    public static string Summary(MainJobResult result, TrainConfig config)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(config);
        return string.Create(CultureInfo.InvariantCulture,
            $"learning on {config.Suite} ({config.TestSplit} split): {string.Join(" -> ", result.Policies.Select(p => $"{p.Report.SuccessRate:P1} {p.Stage}"))}; the RL stage adds {result.RlGainPoints:+0.0;-0.0} points (best checkpoint), {result.Minutes:0.0} min");
    }

    private static string Markdown(MainJobResult result, TrainConfig config, string configName)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        TrainResult trained = result.Trained;
        StringBuilder sb = new();
        sb.AppendLine("# Gym main job").AppendLine();
        string imitationText = result.Imitation is not { } imitation
            ? "no demonstrations (RL from the untrained policy)"
            : string.Create(c, $"supervised fine-tuning on {imitation.Demonstrations} oracle demonstrations ({imitation.Epochs.Count} epochs, {imitation.Seconds:0} s)");
        sb.AppendLine(c, $"A {config.Model.HiddenSize}-wide, {config.Model.Layers}-layer byte-level policy trained on {config.Suite} (`{configName}`, seed {config.Seed}): {imitationText}, then {trained.Iterations} iterations of PPO with {ConfigNames.Of(config.Estimator)} advantages ({result.RlSeconds:0} s); the best checkpoint by greedy success on the {config.EvalSplit} split is iteration {trained.Best.Iteration} ({trained.Best.SuccessRate:P1}). Whole job: {result.Minutes:0.0} min.").AppendLine();
        sb.AppendLine(c, $"## Learning ({config.TestSplit} split, greedy, `gym eval --agent policy:DIR`)").AppendLine();
        sb.AppendLine("| policy | success | mean score | mean steps | invalid actions |");
        sb.AppendLine("| --- | --- | --- | --- | --- |");
        foreach ((string stage, EvaluationReport r) in result.Policies)
            sb.AppendLine(c, $"| {stage} | {r.SuccessRate:P1} | {r.MeanScore:0.000} | {r.MeanSteps:0.0} | {r.InvalidActionRate:P1} |");
        sb.AppendLine().AppendLine(c, $"The RL stage adds {result.RlGainPoints:+0.0;-0.0} points (best checkpoint) over the policy it started from ({result.RlLastGainPoints:+0.0;-0.0} with the last). Training charts, with the {config.EvalSplit} curve and the best checkpoint marked: `rl/report.html`; TensorBoard: `tensorboard --logdir rl/tb`.").AppendLine();
        sb.AppendLine(c, $"## Baselines ({config.TestSplit} split)").AppendLine();
        sb.AppendLine("| suite | agent | tasks | episodes | success | mean score | pass@k | pass^k | mean steps | invalid actions | aborted |");
        sb.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (EvaluationReport r in result.Baselines)
            sb.AppendLine(c, $"| {r.Suite} | {r.Agent} | {r.Tasks} | {r.Episodes} | {r.SuccessRate:P1} | {r.MeanScore:0.000} | {r.PassAtK:0.000} (k={r.Repeats}) | {r.PassHatK:0.000} | {r.MeanSteps:0.0} | {r.InvalidActionRate:P1} | {r.Aborted} |");
        return sb.ToString();
    }
}
