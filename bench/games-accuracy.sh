#!/usr/bin/env bash
# SASRec `original` (Kang's layout) on Amazon Games for 200 epochs through `plaw train`, the path users run, every user scored
# at the end (leave-one-out, 100 sampled negatives, as the SASRec paper). Issue #12 asks for test NDCG@10 >= 0.53 and
# HR@10 >= 0.73 at the resolving commit; the log names the commit, command, date and load average, at start and end.
# Usage: bench/games-accuracy.sh <seed> [threads (default 2)]   PLAW_SHARED_DATA=dir if the data is not in ../shared/data.
# Writes bench/results/sasrec-games-original-s<seed>-<date>-<commit>.log (commit it).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
seed=${1:?usage: bench/games-accuracy.sh <seed> [threads]}; threads=${2:-2}
data=$(realpath "${PLAW_SHARED_DATA:-$repo/../shared/data}/amazon-games/games.txt")
commit=$(git -C "$repo" rev-parse HEAD)
dirty=$(git -C "$repo" status --porcelain -- src | grep -q . && echo " (with uncommitted changes under src/)" || true)
dotnet build "$repo/src/PLaw.Cli" -c Release --nologo -v q >/dev/null
plaw="$repo/src/PLaw.Cli/bin/Release/net10.0/plaw"
args=(train --data "$data" --format sasrec --model sasrec --variant original --layers 2 --dim 50 --heads 1 --max-len 50 --dropout 0.5
      --epochs 200 --eval-every 200 --eval-users 0 --batch 128 --lr 0.001 --seed "$seed" --threads "$threads")
out="$repo/bench/results/sasrec-games-original-s$seed-$(date -u +%F)-$(git -C "$repo" rev-parse --short=7 HEAD).log" # the commit in the name: a later run the same day does not overwrite it
start=$(date +%s)
{
  echo "## commit: $commit$dirty"
  echo "## command: bench/games-accuracy.sh $seed $threads, i.e. plaw ${args[*]}"
  echo "## date: $(date -u +%FT%TZ)"
  echo "## load average at start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
} >"$out"
"$plaw" "${args[@]}" >>"$out" 2>/dev/null
{
  echo "## finished: $(date -u +%FT%TZ), $(( $(date +%s) - start )) s wall; load average $(cut -d' ' -f1-3 /proc/loadavg)"
} >>"$out"
echo "$out"
grep -E "^final test" "$out"
