#!/usr/bin/env bash
# Runs bench/side-by-side.sh alternately from another checkout (built: node-image/target/vshard-node.jar) and from
# this one, RUNS times each, so two builds are compared in one sitting; keeps each run's node logs under
# $LOGS/<base|this>-<run>/ and, for the learner part, prints where the join's time went (bench/learner_timeline.py).
# Settings are side-by-side.sh's (PARTS, VSHARD_V, WARMUP, ...), passed through.
# Usage: PARTS=learner bench/alternate.sh /path/to/other/checkout [RUNS]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OTHER=$(cd "${1:?usage: bench/alternate.sh OTHER_CHECKOUT [RUNS]}" && pwd)
RUNS=${2:-3}
LOGS=${LOGS:-$(mktemp -d /tmp/vshard-alternate.XXXXXX)}
for run in $(seq 1 "$RUNS"); do
  for side in base this; do
    dir=$OTHER; [ "$side" = this ] && dir=$ROOT
    echo "=== run $run: $side ($dir)"
    before=$(ls -d /tmp/vshard-bench.* 2>/dev/null || true)
    bash "$dir/bench/side-by-side.sh" 2>&1 | grep -E 'timeline|from the node logs|puts/s|^V |^etcd|^vshard|promotion:' || true
    bench_dir=$(comm -13 <(tr ' ' '\n' <<<"$before" | sort) <(ls -d /tmp/vshard-bench.* | sort) | tail -1)
    mkdir -p "$LOGS/$side-$run"
    cp "$bench_dir"/vshard-*.log "$LOGS/$side-$run/" 2>/dev/null || true
    rm -rf "$bench_dir"
  done
done
if [[ ${PARTS:-} == *learner* ]]; then
  python3 "$ROOT/bench/learner_timeline.py" "$LOGS"/*
fi
echo "node logs: $LOGS"
