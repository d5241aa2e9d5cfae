#!/usr/bin/env bash
# Back-tests the learning-curve forecasts (plaw forecast --accuracy) on a real ML-100K grid trained through the product:
# SASRec, layers × widths as below, evaluated every epoch, then each completed run's validation NDCG@10 and training loss are
# forecast from their first 25 % and 50 % and compared with the final values. Writes bench/results/forecast-accuracy-ml100k-<date>.md
# with the commit, command line, date and load average.
# Usage: bench/forecast/run-forecast-accuracy.sh   (env: LAYERS=1,2 DIMS=16,32,48,64 EPOCHS=20 SEED=1)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
LAYERS=${LAYERS:-1,2} DIMS=${DIMS:-16,32,48,64} EPOCHS=${EPOCHS:-20} SEED=${SEED:-1}
command_line="$0 (LAYERS=$LAYERS DIMS=$DIMS EPOCHS=$EPOCHS SEED=$SEED)"
commit=$(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet HEAD -- src || echo "+uncommitted src")
work=$(mktemp -d /tmp/forecast-accuracy.XXXXXX)
cp -r "$repo/src/PLaw.Cli/bin/Release/net10.0" "$work/cli"
plaw() { dotnet "$work/cli/plaw.dll" --data-dir "$work/data" "$@"; }
load_before=$(cat /proc/loadavg); start=$(date -u '+%Y-%m-%d %H:%M UTC')
plaw import "$repo/../shared/data/ml-100k/u.data" --format movielens --name ml-100k >/dev/null 2>&1 \
  || plaw import /work/shared/data/ml-100k/u.data --format movielens --name ml-100k >/dev/null
plaw study --name forecast-grid --dataset ml-100k --models sasrec --layers-grid "$LAYERS" --dims "$DIMS" --max-len 50 \
  --epochs "$EPOCHS" --eval-every 1 --seed "$SEED" --threads 2 >/dev/null
plaw worker --until-empty >/dev/null 2>&1
table=$(plaw forecast --accuracy --study 1 2>/dev/null)
json=$(plaw forecast --accuracy --study 1 --json 2>/dev/null)
load_after=$(cat /proc/loadavg)
out="$repo/bench/results/forecast-accuracy-ml100k-$(date -u +%Y-%m-%d).md"
{
  echo "# Learning-curve forecast accuracy on ML-100K (plaw forecast --accuracy)"
  echo
  echo "- date: $start"
  echo "- commit: $commit"
  echo "- command: \`$command_line\`, then \`plaw forecast --accuracy --study 1\`"
  echo "- load average before: \`$load_before\`; after: \`$load_after\`"
  echo "- grid: SASRec, layers $LAYERS × widths $DIMS, max length 50, $EPOCHS epochs, validation (100 sampled negatives) every epoch, seed $SEED"
  echo
  echo '```'
  echo "$table"
  echo '```'
  echo
  echo '```json'
  echo "$json"
  echo '```'
} > "$out"
echo "wrote $out"
