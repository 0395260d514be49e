#!/usr/bin/env bash
# GiGPO vs GRPO vs turn-level GAE vs OPRL where step credit matters: a longer-horizon suite, the same small
# fine-tuned start, the same budget of iterations (not minutes: a run measures the estimator, not the machine's
# load), three seeds each. Every run evaluates greedily on the validation split every few iterations and keeps its
# best checkpoint; that checkpoint's test success is the run's final result. summarize.py turns the runs into a
# table and an SVG chart of validation success against episodes collected.
# Usage: bench/experiments/estimators.sh [SUITE] [OUT_DIR]   (default text/household; CONFIG names the base config,
# default configs/estimators.json; DEMOS, ITERATIONS, HORIZON (the curriculum's JSON) and METHOD_SEEDS override)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
suite="${1:-text/household}"
out="${2:-runs/experiments/estimators-${suite//\//_}}"
gym="${GYM:-./gym}"   # or a fixed build of the command line, while the sources change
demos="${DEMOS:-200}" iterations="${ITERATIONS:-20}" base="${CONFIG:-$root/configs/estimators.json}"
default_horizon='{"start":10,"end":40,"iterations":15}'
horizon="${HORIZON:-$default_horizon}" method_seeds="${METHOD_SEEDS:-1 2 3}"
mkdir -p "$out"
config() {   # config NAME KEY=VALUE...: the experiment's config, from configs/estimators.json with overrides
  /usr/bin/python3 - "$base" "$suite" "$@" <<'PY'
import json, re, sys
config = json.loads(re.sub(r"^\s*//.*$", "", open(sys.argv[1]).read(), flags=re.M))
config["suite"] = sys.argv[2]
for pair in sys.argv[3:]:
    key, value = pair.split("=", 1)
    node = config
    *path, last = key.split(".")
    for k in path:
        node = node.setdefault(k, {})
    node[last] = json.loads(value)
print(json.dumps(config, indent=2))
PY
}
# The common start: a small SFT on the oracle's first few training tasks.
if [ ! -f "$out/start/sft/model.safetensors" ]; then
  "$gym" eval --suite "$suite" --agent oracle --split train --limit "$demos" --out "$out/demos" | tail -n 1
  config > "$out/start.json"
  "$gym" sft --trajectories "$out/demos/trajectories.msgpack" --config "$out/start.json" --out "$out/start" | tail -n 1
fi
[ -f "$out/start/validation/report.json" ] || "$gym" eval --suite "$suite" --agent "policy:$out/start/sft" --split validation --out "$out/start/validation" | tail -n 1
[ -f "$out/start/test/report.json" ] || "$gym" eval --suite "$suite" --agent "policy:$out/start/sft" --split test --out "$out/start/test" | tail -n 1
for estimator in gigpo grpo gae oprl; do
  for seed in 1 2 3; do
    run="$out/$estimator-seed$seed"
    [ -f "$run/test/report.json" ] && continue
    config "model.init=\"$(realpath "$out/start/sft")\"" "estimator=\"$estimator\"" "seed=$seed" "iterations=$iterations" > "$out/$estimator-seed$seed.json"
    echo "== $estimator, seed $seed"
    "$gym" train --config "$out/$estimator-seed$seed.json" --out "$run" | tail -n 1
    "$gym" eval --suite "$suite" --agent "policy:$run/checkpoints/best" --split test --out "$run/test" | tail -n 1
  done
done
# The methods of the learning issue on the same start, each beside plain GiGPO above: Reinforce-Ada adaptive
# sampling, TOPR's tapered off-policy objective, a TTI-style horizon curriculum (by default step limit 10 -> 40
# over 15 iterations, for a suite whose own limit is 40).
declare -A methods=(
  [gigpo+ada]='sampling={"adaptive":true,"maxEpisodesPerTask":24}'
  [gigpo+topr]='ppo.objective="topr"'
  [gigpo+horizon]="horizon=$horizon"
)
for method in gigpo+ada gigpo+topr gigpo+horizon; do
  for seed in $method_seeds; do
    run="$out/$method-seed$seed"
    [ -f "$run/test/report.json" ] && continue
    config "model.init=\"$(realpath "$out/start/sft")\"" "estimator=\"gigpo\"" "seed=$seed" "iterations=$iterations" "${methods[$method]}" > "$out/$method-seed$seed.json"
    echo "== $method, seed $seed"
    "$gym" train --config "$out/$method-seed$seed.json" --out "$run" | tail -n 1
    "$gym" eval --suite "$suite" --agent "policy:$run/checkpoints/best" --split test --out "$run/test" | tail -n 1
  done
done
/usr/bin/python3 bench/experiments/summarize.py "$out"
