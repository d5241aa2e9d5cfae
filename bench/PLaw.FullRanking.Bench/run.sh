#!/usr/bin/env bash
# Full-ranking evaluation of every Games user, this checkout against a previous commit, interleaved in one run (issue #14).
# Usage: bench/PLaw.FullRanking.Bench/run.sh <previous-commit> [rounds] [games-file]
#   defaults: 3 rounds, /work/shared/data/amazon-games/games.txt
# Builds this bench against a temporary worktree of the previous commit and against this checkout, then runs, round by round,
# one process of each build (alternating which goes first); each process trains one epoch and scores both splits twice.
# Writes bench/results/full-ranking-<date>.md (commits, command, date, uptime before and after, every row) and prints it.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
previous=${1:?usage: run.sh <previous-commit> [rounds] [games-file]}; rounds=${2:-3}; games=${3:-/work/shared/data/amazon-games/games.txt}
[ -f "$games" ] || { echo "run.sh: $games: no such file (the third argument is the Games interaction file)" >&2; exit 2; }
work=$(mktemp -d /tmp/full-ranking-bench.XXXXXX)
git -C "$repo" worktree add -q --detach "$work/old" "$previous"
trap 'git -C "$repo" worktree remove --force "$work/old"; rm -rf "$work"' EXIT
mkdir -p "$work/old/bench/PLaw.FullRanking.Bench"
cp "$repo/bench/PLaw.FullRanking.Bench/Program.cs" "$repo/bench/PLaw.FullRanking.Bench/PLaw.FullRanking.Bench.csproj" "$work/old/bench/PLaw.FullRanking.Bench/"
dotnet build "$work/old/bench/PLaw.FullRanking.Bench" -c Release --nologo -v q >/dev/null
dotnet build "$repo/bench/PLaw.FullRanking.Bench" -c Release --nologo -v q >/dev/null
old="$work/old/bench/PLaw.FullRanking.Bench/bin/Release/net10.0/PLaw.FullRanking.Bench.dll"
new="$repo/bench/PLaw.FullRanking.Bench/bin/Release/net10.0/PLaw.FullRanking.Bench.dll"
old_id=$(git -C "$repo" rev-parse --short "$previous"); new_id=$(git -C "$repo" rev-parse --short HEAD)
dirty=$(git -C "$repo" diff --quiet HEAD -- src bench/PLaw.FullRanking.Bench || echo ' (+uncommitted changes)')
uptime_before=$(uptime); when=$(date -u '+%Y-%m-%d %H:%M UTC'); started=$(date +%s)
rows="$work/rows.tsv"
for round in $(seq "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then order="old new"; else order="new old"; fi
  for build in $order; do
    if [ "$build" = old ]; then dll=$old; name="$old_id (previous)"; else dll=$new; name="$new_id (this)"; fi
    dotnet "$dll" "$games" 2 "$name" | tail -n +2 >> "$rows"
  done
done
uptime_after=$(uptime); minutes=$(( ($(date +%s) - started + 59) / 60 ))
out="$repo/bench/results/full-ranking-$(date -u +%Y-%m-%d).md"
python3 - "$rows" > "$out" <<PY
import sys, statistics
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
print("# Full-ranking evaluation of every Games user: $old_id (previous) vs $new_id (this)$dirty\n")
print("- command: \`bench/PLaw.FullRanking.Bench/run.sh $previous $rounds $games\`")
print("- date: $when, $minutes min; $(nproc) cores")
print("- uptime before: \`$uptime_before\`")
print("- uptime after: \`$uptime_after\`")
print("- each process: SASRec \`original\` (width 50, 2 blocks, length 50, batch 128, 2 threads) trained one epoch, then both splits")
print("  scored twice, every scored user against every item with the history masked; processes of the two builds interleaved\n")
print("| build | split | evaluations | median wall (s) | median CPU (s) | users | NDCG@10 | HR@10 |")
print("|---|---|---|---|---|---|---|---|")
for label in dict.fromkeys(r[0] for r in rows):
    for split in ("valid", "test"):
        sel = [r for r in rows if r[0] == label and r[2] == split]
        print(f"| {label} | {split} | {len(sel)} | {statistics.median(float(r[3]) for r in sel):.3f} | {statistics.median(float(r[4]) for r in sel):.3f} | {sel[0][5]} | {sel[0][6]} | {sel[0][7]} |")
print("\n## Every evaluation\n")
print("| build | repeat | split | wall (s) | CPU (s) | users | NDCG@10 | HR@10 | loss |")
print("|---|---|---|---|---|---|---|---|---|")
for r in rows: print("| " + " | ".join(r) + " |")
PY
cat "$out"
