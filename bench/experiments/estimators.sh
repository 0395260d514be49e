#!/usr/bin/env bash
# GiGPO vs GRPO vs turn-level GAE on the main job's suite, same start and budget, three seeds each.
# Every run continues from the same fine-tuned policy (the main job's stage 1: `./gym main` leaves it in
# runs/main/sft/sft) for the same number of iterations, evaluating greedily on the whole test split every few
# iterations; summarize.py turns the runs into a table and an SVG chart of success against episodes collected.
# Usage: bench/experiments/estimators.sh [SFT_CHECKPOINT] [OUT_DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
init="$(realpath "${1:-runs/main/sft/sft}")"
out="${2:-runs/experiments/estimators}"
gym="${GYM:-./gym}"   # or a fixed build of the command line, while the sources change
[ -f "$init/model.safetensors" ] || { echo "no fine-tuned policy at $init: run ./gym main first" >&2; exit 2; }
mkdir -p "$out"
[ -f "$out/start/report.json" ] || "$gym" eval --suite text/frozenlake-4x4 --agent "policy:$init" --split test --out "$out/start" | tail -n 3
for estimator in gigpo grpo gae; do
  for seed in 1 2 3; do
    run="$out/$estimator-seed$seed"
    [ -f "$run/eval/final/report.json" ] && continue
    /usr/bin/python3 - "$root/configs/main.json" "$init" "$estimator" "$seed" > "$out/$estimator-seed$seed.json" <<'PY'
import json, re, sys
text = re.sub(r"^\s*//.*$", "", open(sys.argv[1]).read(), flags=re.M)
config = json.loads(text)
config["model"]["init"] = sys.argv[2]
config["estimator"] = sys.argv[3]
config["seed"] = int(sys.argv[4])
config.pop("minutes", None)
config.update(iterations=24, tasksPerIteration=8, evalInterval=6, evalTasks=200, checkpointInterval=24)
config["ppo"]["minibatchSize"] = 64
print(json.dumps(config, indent=2))
PY
    echo "== $estimator, seed $seed"
    "$gym" train --config "$out/$estimator-seed$seed.json" --out "$run" | tail -n 3
  done
done
/usr/bin/python3 bench/experiments/summarize.py "$out"
