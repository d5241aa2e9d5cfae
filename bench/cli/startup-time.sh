#!/usr/bin/env bash
# Start-up time of `plaw --help` and `plaw train --help`: this checkout's CLI against a previous commit's, interleaved in one run.
# Usage: bench/cli/startup-time.sh [previous-commit] [rounds]   (default 1067b7b, 30 rounds; builds the previous commit's CLI in
# a temporary worktree). Wall time from `date +%s%N` around each run (milliseconds), CPU (user+sys) from /usr/bin/time.
# Writes bench/results/cli-startup-<date>.md with both commits, the command line, date and load average before and after.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
previous=${1:-1067b7b}; rounds=${2:-30}
work=$(mktemp -d /tmp/cli-startup.XXXXXX)
git -C "$repo" worktree add -q --detach "$work/old" "$previous"
trap 'git -C "$repo" worktree remove --force "$work/old"; rm -rf "$work"' EXIT
dotnet build "$work/old/src/PLaw.Cli" -c Release --nologo -v q >/dev/null
dotnet build "$repo/src/PLaw.Cli" -c Release --nologo -v q >/dev/null
old="$work/old/src/PLaw.Cli/bin/Release/net10.0/plaw"; new="$repo/src/PLaw.Cli/bin/Release/net10.0/plaw"
# The help text is the same (lazy flags change when they are built, not what they say).
for c in "--help" "train --help" "queue --help" "study --help"; do
  diff <($old $c) <($new $c) >/dev/null || { echo "plaw $c differs between $previous and this checkout" >&2; exit 1; }
done
for p in "$old" "$new"; do "$p" --help >/dev/null; "$p" train --help >/dev/null; done   # warm the file cache
load_before=$(cut -d' ' -f1-3 /proc/loadavg); when=$(date -u '+%Y-%m-%d %H:%M UTC')
measure() {   # prints "wall_ms cpu_s"
  local start end cpu
  start=$(date +%s%N)
  cpu=$(/usr/bin/time -f "%U %S" "$@" 2>&1 >/dev/null | tail -1 | awk '{print $1+$2}')
  end=$(date +%s%N)
  echo "$(( (end - start) / 1000000 )) $cpu"
}
declare -A rows
for _ in $(seq "$rounds"); do
  rows[oldhelp]+="$(measure "$old" --help)"$'\n'
  rows[newhelp]+="$(measure "$new" --help)"$'\n'
  rows[oldtrain]+="$(measure "$old" train --help)"$'\n'
  rows[newtrain]+="$(measure "$new" train --help)"$'\n'
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
stat() {
  local wall cpu min
  wall=$(printf '%s' "${rows[$1]}" | awk 'NF{print $1}' | median)
  min=$(printf '%s' "${rows[$1]}" | awk 'NF{print $1}' | sort -n | head -1)
  cpu=$(printf '%s' "${rows[$1]}" | awk 'NF{print $2*1000}' | median)
  echo "| $2 | $wall | $min | $cpu |"
}
out="$repo/bench/results/cli-startup-$(date -u +%Y-%m-%d).md"
{
  echo "# plaw start-up: $previous vs $(git -C "$repo" rev-parse --short HEAD)"
  echo
  echo "- command: \`bench/cli/startup-time.sh $previous $rounds\`"
  echo "- commits: previous $(git -C "$repo" rev-parse --short "$previous"), this $(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet HEAD -- src || echo ' (+uncommitted src)')"
  echo "- date: $when; load average before $load_before, after $load_after; $(nproc) cores"
  echo "- each round runs the four commands once, interleaved; $rounds rounds; help texts checked identical first"
  echo
  echo "| what | median wall (ms) | fastest wall (ms) | median CPU user+sys (ms) |"
  echo "|---|---|---|---|"
  stat oldhelp "\`plaw --help\` at $previous"
  stat newhelp "\`plaw --help\` now"
  stat oldtrain "\`plaw train --help\` at $previous"
  stat newtrain "\`plaw train --help\` now"
} > "$out"
cat "$out"
