#!/usr/bin/env bash
# Metric logging overhead, this checkout against a previous commit, interleaved in one run (issue #14).
# Usage: bench/PLaw.Logging.Bench/run.sh [previous-commit] [rounds] [games-file]
#   defaults: 1067b7b (the release before light logging), 5 rounds, /work/shared/data/amazon-games/games.txt
# Builds this bench against a temporary worktree of the previous commit and against this checkout, then runs, round by round,
# one process of each build (alternating which goes first) on the demo (3 pairs of runs per process) and on Games (1 pair).
# Each pair is the same training run with no sink and with the real metric sink on a real SQLite registry (Program.cs).
# Writes bench/results/logging-overhead-<date>.md (commits, command, date, uptime before and after, every row) and prints it.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
previous=${1:-1067b7b}; rounds=${2:-5}; games=${3:-/work/shared/data/amazon-games/games.txt}
[ -f "$games" ] || { echo "run.sh: $games: no such file (the third argument is the Games interaction file)" >&2; exit 2; }
work=$(mktemp -d /tmp/logging-bench.XXXXXX)
git -C "$repo" worktree add -q --detach "$work/old" "$previous"
trap 'git -C "$repo" worktree remove --force "$work/old"; rm -rf "$work"' EXIT
mkdir -p "$work/old/bench/PLaw.Logging.Bench"
cp "$repo/bench/PLaw.Logging.Bench/Program.cs" "$repo/bench/PLaw.Logging.Bench/PLaw.Logging.Bench.csproj" "$work/old/bench/PLaw.Logging.Bench/"
dotnet build "$work/old/bench/PLaw.Logging.Bench" -c Release --nologo -v q >/dev/null
dotnet build "$repo/bench/PLaw.Logging.Bench" -c Release --nologo -v q >/dev/null
old="$work/old/bench/PLaw.Logging.Bench/bin/Release/net10.0/PLaw.Logging.Bench.dll"
new="$repo/bench/PLaw.Logging.Bench/bin/Release/net10.0/PLaw.Logging.Bench.dll"
old_id=$(git -C "$repo" rev-parse --short "$previous"); new_id=$(git -C "$repo" rev-parse --short HEAD)
dirty=$(git -C "$repo" diff --quiet HEAD -- src bench/PLaw.Logging.Bench || echo ' (+uncommitted changes)')
uptime_before=$(uptime); when=$(date -u '+%Y-%m-%d %H:%M UTC'); started=$(date +%s)
rows="$work/rows.tsv"
for data in demo "$games"; do
  pairs=$([ "$data" = demo ] && echo 3 || echo 1)
  for round in $(seq "$rounds"); do
    if [ $((round % 2)) -eq 1 ]; then order="old new"; else order="new old"; fi
    for build in $order; do
      if [ "$build" = old ]; then dll=$old; name="$old_id (previous)"; else dll=$new; name="$new_id (this)"; fi
      dotnet "$dll" "$data" "$pairs" "$name" | tail -n +2 >> "$rows"
    done
  done
done
uptime_after=$(uptime); minutes=$(( ($(date +%s) - started + 59) / 60 ))
out="$repo/bench/results/logging-overhead-$(date -u +%Y-%m-%d).md"
python3 "$repo/bench/PLaw.Logging.Bench/summarize.py" "$rows" \
  --title "Metric logging overhead: $old_id (previous) vs $new_id (this)$dirty" \
  --command "bench/PLaw.Logging.Bench/run.sh $previous $rounds $games" \
  --when "$when, $minutes min; $(nproc) cores" --before "$uptime_before" --after "$uptime_after" > "$out"
cat "$out"
