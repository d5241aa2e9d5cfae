#!/usr/bin/env bash
# Wall and CPU time of one registry command (`plaw datasets` on an empty, migrated registry) and
# of `plaw --help`, for this checkout's build against a previous commit's build, interleaved in one run.
# Usage: bench/cli/registry-command-time.sh <previous-commit> [rounds]   (builds the previous commit's CLI in a temporary worktree)
# Writes bench/results/cli-registry-command-<date>.md with both commits, the command line, date and load average.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
previous=${1:?previous commit}; rounds=${2:-7}
work=$(mktemp -d /tmp/cli-time.XXXXXX)
git -C "$repo" worktree add -q --detach "$work/old" "$previous"
trap 'git -C "$repo" worktree remove --force "$work/old"' EXIT
dotnet build "$work/old/src/PLaw.Cli" -c Release --nologo -v q >/dev/null
dotnet build "$repo/src/PLaw.Cli" -c Release --nologo -v q >/dev/null
old="$work/old/src/PLaw.Cli/bin/Release/net10.0/plaw"; new="$repo/src/PLaw.Cli/bin/Release/net10.0/plaw"
"$old" datasets --data-dir "$work/reg-old" >/dev/null 2>&1; "$new" datasets --data-dir "$work/reg-new" >/dev/null 2>&1
load_before=$(cut -d' ' -f1-3 /proc/loadavg); when=$(date -u '+%Y-%m-%d %H:%M UTC')
measure() { /usr/bin/time -f "%e %U %S" "$@" 2>&1 >/dev/null | tail -1; }
declare -A rows
for _ in $(seq "$rounds"); do
  rows[old]+="$(measure "$old" datasets --data-dir "$work/reg-old")"$'\n'
  rows[new]+="$(measure "$new" datasets --data-dir "$work/reg-new")"$'\n'
  rows[oldhelp]+="$(measure "$old" --help)"$'\n'
  rows[newhelp]+="$(measure "$new" --help)"$'\n'
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
stat() { local wall cpu; wall=$(printf '%s' "${rows[$1]}" | awk 'NF{print $1}' | median); cpu=$(printf '%s' "${rows[$1]}" | awk 'NF{print $2+$3}' | median);
  echo "| $2 | $wall | $cpu | $(printf '%s' "${rows[$1]}" | awk 'NF{printf "%s ", $1}')|"; }
out="$repo/bench/results/cli-registry-command-$(date -u +%Y-%m-%d).md"
{
  echo "# plaw registry command start-up: $previous vs $(git -C "$repo" rev-parse --short HEAD)"
  echo
  echo "- command: \`bench/cli/registry-command-time.sh $previous $rounds\`"
  echo "- commits: previous $(git -C "$repo" rev-parse --short "$previous"), this $(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet HEAD -- src || echo ' (+uncommitted src)')"
  echo "- date: $when; load average before $load_before, after $load_after; $(nproc) cores"
  echo "- each round runs the four commands once, interleaved; medians of $rounds rounds (seconds)"
  echo
  echo "| what | median wall | median CPU (user+sys) | every wall |"
  echo "|---|---|---|---|"
  stat old "\`plaw datasets\` at $previous"
  stat new "\`plaw datasets\` now"
  stat oldhelp "\`plaw --help\` at $previous"
  stat newhelp "\`plaw --help\` now"
} > "$out"
cat "$out"
