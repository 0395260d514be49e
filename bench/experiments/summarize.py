"""Summarises the estimator comparison: validation success against episodes collected, and the test success of each
run's best checkpoint.

Usage: summarize.py OUT_DIR. Reads OUT_DIR/<estimator>-seed<N>/ (gym train run directories: metrics.jsonl,
eval/iter-*/report.json on the validation split, test/report.json for the best checkpoint on the test split) and
OUT_DIR/start/{validation,test}/report.json (the common starting policy), and writes OUT_DIR/summary.md and
OUT_DIR/summary.svg.
"""
import glob
import json
import os
import re
import statistics
import sys

COLORS = {"gigpo": "#1f77b4", "grpo": "#d62728", "gae": "#2ca02c", "oprl": "#9467bd", "gigpo+ada": "#ff7f0e", "gigpo+topr": "#8c564b", "gigpo+horizon": "#17becf"}


def load(run, start):
    metrics = [json.loads(l) for l in open(os.path.join(run, "metrics.jsonl"))]
    collected, by_iteration = 0, {}
    for m in metrics:
        collected += m["episodes"]
        by_iteration[m["iteration"]] = collected
    points = [(0, start)]
    for path in sorted(glob.glob(os.path.join(run, "eval", "iter-*", "report.json"))):
        iteration = int(re.search(r"iter-(\d+)", path).group(1))
        points.append((by_iteration[iteration], json.load(open(path))["success_rate"]))
    best = json.load(open(os.path.join(run, "checkpoints", "best", "best.json")))
    test = json.load(open(os.path.join(run, "test", "report.json")))["success_rate"]
    singletons = statistics.mean(m.get("anchor_singleton_fraction", 0) for m in metrics)
    silent = statistics.mean(m["zero_advantage_group_fraction"] for m in metrics)
    return {"points": points, "best": best, "test": test, "singletons": singletons, "silent": silent,
            "seconds": metrics[-1]["elapsed_seconds"], "episodes": collected}


def chart(curves, path, low_high):
    width, height, left, bottom, top, right = 640, 360, 50, 40, 20, 120
    max_x = max(x for runs in curves.values() for r in runs for x, _ in r["points"])
    low, high = low_high
    sx = lambda x: left + (width - left - right) * x / max_x
    sy = lambda y: height - bottom - (height - bottom - top) * (y - low) / (high - low)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="11">',
           f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="#444"/>',
           f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="#444"/>',
           f'<text x="{(width - right + left) / 2}" y="{height - 8}" text-anchor="middle">episodes collected</text>',
           f'<text x="12" y="{(height - bottom + top) / 2}" transform="rotate(-90 12 {(height - bottom + top) / 2})" text-anchor="middle">validation success (greedy)</text>']
    for k in range(5):
        y = low + (high - low) * k / 4
        out.append(f'<text x="{left - 4}" y="{sy(y) + 4}" text-anchor="end">{y:.0%}</text>')
        out.append(f'<line x1="{left}" y1="{sy(y)}" x2="{width - right}" y2="{sy(y)}" stroke="#eee"/>')
    for k in range(5):
        x = max_x * k / 4
        out.append(f'<text x="{sx(x)}" y="{height - bottom + 14}" text-anchor="middle">{x:.0f}</text>')
    for n, (estimator, runs) in enumerate(sorted(curves.items())):
        color = COLORS.get(estimator, "#555")
        for r in runs:
            out.append(f'<polyline fill="none" stroke="{color}" stroke-width="1.5" stroke-opacity="0.6" points="{" ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in r["points"])}"/>')
        out.append(f'<text x="{width - right + 8}" y="{top + 16 * n + 10}" fill="{color}">{estimator} ({len(runs)} seeds)</text>')
    out.append("</svg>")
    open(path, "w").write("\n".join(out))


def main(out):
    start = json.load(open(os.path.join(out, "start", "validation", "report.json")))["success_rate"]
    start_test = json.load(open(os.path.join(out, "start", "test", "report.json")))["success_rate"]
    curves = {}
    for run in sorted(glob.glob(os.path.join(out, "*-seed*"))):
        if not os.path.isdir(run) or not os.path.exists(os.path.join(run, "test", "report.json")):
            continue
        estimator, seed = re.match(r"(.+)-seed(\d+)$", os.path.basename(run)).groups()
        curves.setdefault(estimator, []).append(dict(load(run, start), seed=seed))
    lines = [f"Start (the same small fine-tuned policy for every run): {start:.1%} validation, {start_test:.1%} test.", "",
             "| estimator | seed | validation success at each evaluation (episodes collected) | best (iteration) | test success of the best | rows with a singleton anchor | groups without signal | minutes |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for estimator, runs in sorted(curves.items()):
        for r in runs:
            curve = ", ".join(f"{y:.0%} ({x})" for x, y in r["points"][1:])
            lines.append(f"| {estimator} | {r['seed']} | {curve} | {r['best']['SuccessRate']:.1%} ({r['best']['Iteration']}) | {r['test']:.1%} | {r['singletons']:.0%} | {r['silent']:.0%} | {r['seconds'] / 60:.1f} |")
    lines += ["", "| estimator | test success of the best checkpoint, mean ± sd over seeds | gain over the start |", "| --- | --- | --- |"]
    for estimator, runs in sorted(curves.items()):
        tests = [r["test"] for r in runs]
        sd = statistics.stdev(tests) if len(tests) > 1 else 0.0
        lines.append(f"| {estimator} | {statistics.mean(tests):.1%} ± {sd:.1%} | {(statistics.mean(tests) - start_test) * 100:+.1f} points |")
    open(os.path.join(out, "summary.md"), "w").write("\n".join(lines) + "\n")
    ys = [y for runs in curves.values() for r in runs for _, y in r["points"]]
    chart(curves, os.path.join(out, "summary.svg"), (max(0.0, min(ys) - 0.05), min(1.0, max(ys) + 0.05)))
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1])
