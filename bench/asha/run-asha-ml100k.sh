#!/usr/bin/env bash
# ASHA against the full grid on ML-100K, through the product: the plaw CLI on two temporary registries, the same SASRec
# grid queued once as a plain study and once with --asha, each trained by `plaw worker --until-empty`, one after the
# other. summarize.py then compares compute (epochs, train seconds, wall time) and the best configuration (final validation
# metric, mean over seeds) and writes bench/results/asha-ml100k-<date>.md.
# Usage: bench/asha/run-asha-ml100k.sh            (from the repository root)
# Environment: ML100K (u.data, default /work/shared/data/ml-100k/u.data), LAYERS, DIMS, SEEDS, EPOCHS, RUNGS, ETA, SIGNAL,
# CONCURRENT, EVAL_EVERY, KEEP=1 (keep the temporary registries), FULL_FROM=<a kept folder> (reuse its full grid; the grid
# flags must match it, except EVAL_EVERY, which changes the evaluations but not the training).
set -euo pipefail
cd "$(dirname "$0")/../.."
ML100K=${ML100K:-/work/shared/data/ml-100k/u.data}
LAYERS=${LAYERS:-1,2,3}; DIMS=${DIMS:-16,32,48,64}; SEEDS=${SEEDS:-1,2}; EPOCHS=${EPOCHS:-16}
RUNGS=${RUNGS:-2,4,8}; ETA=${ETA:-3}; SIGNAL=${SIGNAL:-current}; CONCURRENT=${CONCURRENT:-2}; EVAL_EVERY=${EVAL_EVERY:-2}
COMMAND_LINE="$0 $* (FULL_FROM=${FULL_FROM:-} LAYERS=$LAYERS DIMS=$DIMS SEEDS=$SEEDS EPOCHS=$EPOCHS RUNGS=$RUNGS ETA=$ETA SIGNAL=$SIGNAL CONCURRENT=$CONCURRENT EVAL_EVERY=$EVAL_EVERY)"

dotnet build src/PLaw.Cli -c Release --nologo -v q > /dev/null
# The commit the copied build below comes from (later commits to the checkout do not change what trains).
COMMIT="$(git rev-parse HEAD)$(git diff --quiet HEAD -- src || echo ' (with uncommitted changes under src/)')"
WORK=$(mktemp -d /tmp/asha-ml100k.XXXXXX)
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$WORK"' EXIT
# A copy of the build, so rebuilding the checkout while the grid trains cannot change the binary under it.
cp -r src/PLaw.Cli/bin/Release/net10.0 "$WORK/plaw-bin"
PLAW=$WORK/plaw-bin/plaw
LOAD_BEFORE=$(cat /proc/loadavg)
GRID=(--dataset ml100k --models sasrec --layers-grid "$LAYERS" --dims "$DIMS" --seeds "$SEEDS" --max-len 50 --dropout 0.2
      --epochs "$EPOCHS" --eval-every "$EVAL_EVERY" --threads 1)

for mode in full asha; do
  dir=$WORK/$mode
  if [ "$mode" = full ] && [ -n "${FULL_FROM:-}" ]; then
    # Reuse the full grid of an earlier run (KEEP=1 left it in FULL_FROM/full): only the ASHA half trains.
    cp -r "$FULL_FROM/full" "$dir"
    continue
  fi
  "$PLAW" --data-dir "$dir" import "$ML100K" --format movielens --name ml100k --no-entropy > /dev/null
  extra=()
  [ "$mode" = asha ] && extra=(--asha --asha-metric NDCG@10 --asha-rungs "$RUNGS" --asha-eta "$ETA" --asha-signal "$SIGNAL")
  "$PLAW" --data-dir "$dir" study --name "ml100k-$mode" "${GRID[@]}" "${extra[@]}" > "$WORK/$mode-study.txt"
  start=$(date +%s.%N)
  "$PLAW" --data-dir "$dir" worker --until-empty --concurrent "$CONCURRENT" 2> "$WORK/$mode-worker.log"
  end=$(date +%s.%N)
  echo "$start $end" > "$dir/wall.txt"
  echo "$mode: $(echo "$end - $start" | bc) s" >&2
done

LOAD_AFTER=$(cat /proc/loadavg)
python3 bench/asha/summarize.py --work "$WORK" --command "$COMMAND_LINE" --commit "$COMMIT" \
  --load-before "$LOAD_BEFORE" --load-after "$LOAD_AFTER" --metric NDCG@10 --epochs "$EPOCHS" --eval-every "$EVAL_EVERY"
