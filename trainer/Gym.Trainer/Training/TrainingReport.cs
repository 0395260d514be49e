using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Gym.Trainer.Training;

/// <summary>
/// Writes <c>report.html</c> for a run from its <c>metrics.jsonl</c>: one SVG line chart per metric (success on the
/// training rollouts and on the validation split, with the best checkpoint marked, return, KL, entropy, clip
/// fraction, throughput), with no script and no external files, so it opens anywhere.
/// </summary>
public static class TrainingReport
{
    private static readonly (string Title, string[] Path)[] Charts =
    [
        ("Success rate (train rollouts)", ["train_success_rate"]),
        ("Success rate (validation, greedy)", ["eval_success_rate"]),
        ("Mean return", ["mean_return"]),
        ("Approximate KL", ["update", "approx_kl"]),
        ("Entropy", ["update", "entropy"]),
        ("Clip fraction", ["update", "clip_fraction"]),
        ("Policy loss", ["update", "policy_loss"]),
        ("Update tokens/s", ["update_tokens_per_second"]),
        ("Rollout seconds", ["rollout_seconds"]),
    ];

    /// <summary>Writes <c>DIR/report.html</c> and returns its path.</summary>
    public static string Write(string runDirectory, string title)
    {
        string metricsPath = Path.Combine(runDirectory, "metrics.jsonl");
        List<JsonElement> lines = File.Exists(metricsPath)
            ? [.. File.ReadAllLines(metricsPath).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement)]
            : [];
        StringBuilder html = new();
        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").Append(WebUtility.HtmlEncode(title)).Append("</title>")
            .Append("<style>body{font-family:sans-serif;margin:2em}figure{display:inline-block;margin:0 1.5em 1.5em 0}figcaption{font-weight:bold}</style></head><body>")
            .Append("<h1>").Append(WebUtility.HtmlEncode(title)).Append("</h1><p>").Append(lines.Count.ToString(CultureInfo.InvariantCulture)).Append(" iterations.");
        // The best checkpoint is the last iteration flagged best (a later flag means a better score).
        JsonElement? best = lines.LastOrDefault(l => l.TryGetProperty("best", out JsonElement flag) && flag.ValueKind == JsonValueKind.True) is { ValueKind: JsonValueKind.Object } bestLine ? bestLine : null;
        if (best is { } b)
        {
            html.Append(CultureInfo.InvariantCulture, $" The best checkpoint: iteration {b.GetProperty("iteration").GetInt32()}, {b.GetProperty("eval_success_rate").GetDouble():P1} on the validation split (<code>checkpoints/best/</code>).")
                .Append(CultureInfo.InvariantCulture, $"<!-- best checkpoint: iteration {b.GetProperty("iteration").GetInt32()} -->");
        }
        html.Append("</p>");
        foreach ((string chartTitle, string[] keys) in Charts)
        {
            List<(double X, double Y)> points = [];
            foreach (JsonElement line in lines)
            {
                JsonElement value = line;
                bool found = true;
                foreach (string key in keys)
                    found = found && value.ValueKind == JsonValueKind.Object && value.TryGetProperty(key, out value);
                if (found && value.ValueKind == JsonValueKind.Number)
                    points.Add((line.GetProperty("iteration").GetDouble(), value.GetDouble()));
            }
            (double, double)? marked = keys[0] == "eval_success_rate" && best is { } mark
                ? (mark.GetProperty("iteration").GetDouble(), mark.GetProperty("eval_success_rate").GetDouble())
                : null;
            html.Append("<figure><figcaption>").Append(WebUtility.HtmlEncode(chartTitle)).Append("</figcaption>").Append(Svg(points, marked)).Append("</figure>");
        }
        html.Append("</body></html>");
        string path = Path.Combine(runDirectory, "report.html");
        File.WriteAllText(path, html.ToString());
        return path;
    }

    /// <summary>
    /// A line chart of the points (x: iteration), 360 x 200 pixels, with its y range labelled, and
    /// <paramref name="marked"/> (the best checkpoint) drawn as a red ring.
    /// </summary>
    public static string Svg(IReadOnlyList<(double X, double Y)> points, (double X, double Y)? marked = null)
    {
        ArgumentNullException.ThrowIfNull(points);
        CultureInfo c = CultureInfo.InvariantCulture;
        const double width = 360, height = 200, margin = 40;
        StringBuilder svg = new();
        svg.Append(c, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">");
        svg.Append(c, $"<rect x=\"{margin}\" y=\"10\" width=\"{width - margin - 10}\" height=\"{height - margin - 10}\" fill=\"none\" stroke=\"#999\"/>");
        if (points.Count == 0)
        {
            svg.Append(c, $"<text x=\"{width / 2}\" y=\"{height / 2}\" text-anchor=\"middle\" font-size=\"12\">no data</text></svg>");
            return svg.ToString();
        }
        double minX = points.Min(p => p.X), maxX = points.Max(p => p.X), minY = points.Min(p => p.Y), maxY = points.Max(p => p.Y);
        if (maxX == minX)
            maxX = minX + 1;
        if (maxY == minY)
        {
            minY -= 0.5;
            maxY += 0.5;
        }
        double X(double x) => margin + (x - minX) / (maxX - minX) * (width - margin - 10);
        double Y(double y) => 10 + (1 - (y - minY) / (maxY - minY)) * (height - margin - 10);
        svg.Append("<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"")
            .AppendJoin(' ', points.Select(p => string.Create(c, $"{X(p.X):0.#},{Y(p.Y):0.#}"))).Append("\"/>");
        foreach ((double x, double y) in points.Count <= 60 ? points : [])
            svg.Append(c, $"<circle cx=\"{X(x):0.#}\" cy=\"{Y(y):0.#}\" r=\"2.5\" fill=\"#1f77b4\"/>");
        if (marked is { } m)
            svg.Append(c, $"<circle cx=\"{X(m.X):0.#}\" cy=\"{Y(m.Y):0.#}\" r=\"6\" fill=\"none\" stroke=\"#d62728\" stroke-width=\"2\"><title>best checkpoint: iteration {m.X:G}</title></circle>");
        svg.Append(c, $"<text x=\"{margin - 4}\" y=\"16\" text-anchor=\"end\" font-size=\"10\">{maxY:G4}</text>");
        svg.Append(c, $"<text x=\"{margin - 4}\" y=\"{height - margin}\" text-anchor=\"end\" font-size=\"10\">{minY:G4}</text>");
        svg.Append(c, $"<text x=\"{margin}\" y=\"{height - margin + 14}\" font-size=\"10\">{minX:G4}</text>");
        svg.Append(c, $"<text x=\"{width - 10}\" y=\"{height - margin + 14}\" text-anchor=\"end\" font-size=\"10\">iteration {maxX:G4}</text>");
        svg.Append("</svg>");
        return svg.ToString();
    }
}
