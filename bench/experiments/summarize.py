"""Summarises the estimator comparison runs: success on the test split against episodes collected.

Usage: summarize.py OUT_DIR. Reads OUT_DIR/<estimator>-seed<N>/ (gym train run directories: config.json,
eval/iter-*/report.json, eval/final/report.json) and OUT_DIR/start/report.json (the common starting policy), and
writes OUT_DIR/summary.md (a table per seed and the mean per estimator) and OUT_DIR/summary.svg (a chart).
"""
import glob
import json
import os
import re
import statistics
import sys

COLORS = {"gigpo": "#1f77b4", "grpo": "#d62728", "gae": "#2ca02c"}


def curve(run, start):
    config = json.load(open(os.path.join(run, "config.json")))
    per_iteration = config["tasksPerIteration"] * config["groupSize"]
    points = [(0, start)]
    for path in sorted(glob.glob(os.path.join(run, "eval", "iter-*", "report.json"))):
        iteration = int(re.search(r"iter-(\d+)", path).group(1))
        points.append((iteration * per_iteration, json.load(open(path))["success_rate"]))
    metrics = [json.loads(l) for l in open(os.path.join(run, "metrics.jsonl"))]
    final = os.path.join(run, "eval", "final", "report.json")
    if os.path.exists(final):
        points.append((metrics[-1]["iteration"] * per_iteration, json.load(open(final))["success_rate"]))
    seconds = metrics[-1]["elapsed_seconds"]
    sampled = [m["train_success_rate"] for m in metrics]
    return points, seconds, (statistics.mean(sampled[:4]), statistics.mean(sampled[-4:]))


def chart(curves, path):
    width, height, left, bottom, top, right = 640, 360, 50, 40, 20, 110
    max_x = max(x for runs in curves.values() for points in runs for x, _ in points)
    ys = [y for runs in curves.values() for points in runs for _, y in points]
    low, high = max(0.0, min(ys) - 0.05), min(1.0, max(ys) + 0.05)
    sx = lambda x: left + (width - left - right) * x / max_x
    sy = lambda y: height - bottom - (height - bottom - top) * (y - low) / (high - low)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="11">',
           f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="#444"/>',
           f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="#444"/>',
           f'<text x="{(width - right + left) / 2}" y="{height - 8}" text-anchor="middle">episodes collected</text>',
           f'<text x="12" y="{(height - bottom + top) / 2}" transform="rotate(-90 12 {(height - bottom + top) / 2})" text-anchor="middle">test success</text>']
    for k in range(5):
        y = low + (high - low) * k / 4
        out.append(f'<text x="{left - 4}" y="{sy(y) + 4}" text-anchor="end">{y:.0%}</text>')
        out.append(f'<line x1="{left}" y1="{sy(y)}" x2="{width - right}" y2="{sy(y)}" stroke="#eee"/>')
    for k in range(5):
        x = max_x * k / 4
        out.append(f'<text x="{sx(x)}" y="{height - bottom + 14}" text-anchor="middle">{x:.0f}</text>')
    for n, (estimator, runs) in enumerate(sorted(curves.items())):
        color = COLORS.get(estimator, "#555")
        for points in runs:
            out.append(f'<polyline fill="none" stroke="{color}" stroke-opacity="0.3" points="{" ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in points)}"/>')
        xs = sorted({x for points in runs for x, _ in points})
        mean = [(x, statistics.mean(dict(p)[x] for p in runs if x in dict(p))) for x in xs]
        out.append(f'<polyline fill="none" stroke="{color}" stroke-width="2.5" points="{" ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in mean)}"/>')
        out.append(f'<text x="{width - right + 8}" y="{top + 16 * n + 10}" fill="{color}">{estimator} (mean of {len(runs)})</text>')
    out.append("</svg>")
    open(path, "w").write("\n".join(out))


def main(out):
    start = json.load(open(os.path.join(out, "start", "report.json")))["success_rate"]
    curves, rows = {}, []
    for run in sorted(glob.glob(os.path.join(out, "*-seed*"))):
        if not os.path.isdir(run):
            continue
        estimator, seed = re.match(r"(.+)-seed(\d+)$", os.path.basename(run)).groups()
        points, seconds, sampled = curve(run, start)
        curves.setdefault(estimator, []).append(points)
        rows.append((estimator, seed, points, seconds, sampled))
    xs = sorted({x for _, _, points, _, _ in rows for x, _ in points})
    lines = ["Greedy success on the test split after N episodes collected:", "",
             "| estimator | seed | " + " | ".join(f"{x} ep." for x in xs) + " | sampled success, first 4 it. | last 4 it. | seconds |",
             "| --- " * (len(xs) + 5) + "|"]
    for estimator, seed, points, seconds, (first, last) in rows:
        d = dict(points)
        lines.append(f"| {estimator} | {seed} | " + " | ".join(f"{d[x]:.1%}" if x in d else "" for x in xs) + f" | {first:.1%} | {last:.1%} | {seconds:.0f} |")
    lines += ["", "| estimator | final greedy success, mean ± sd over seeds | sampled success (training rollouts), first 4 -> last 4 iterations |", "| --- | --- | --- |"]
    for estimator, runs in sorted(curves.items()):
        finals = [p[-1][1] for p in runs]
        sd = statistics.stdev(finals) if len(finals) > 1 else 0.0
        sampled = [r[4] for r in rows if r[0] == estimator]
        lines.append(f"| {estimator} | {statistics.mean(finals):.1%} ± {sd:.1%} | {statistics.mean(a for a, _ in sampled):.1%} -> {statistics.mean(b for _, b in sampled):.1%} |")
    lines.append(f"\nStarting policy (the fine-tuned one, all runs): {start:.1%}.")
    open(os.path.join(out, "summary.md"), "w").write("\n".join(lines) + "\n")
    chart(curves, os.path.join(out, "summary.svg"))
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1])
