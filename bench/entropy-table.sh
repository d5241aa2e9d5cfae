#!/usr/bin/env bash
# The Games entropy table end to end (process start to exit, L = 25/50/100/200, m = 2, r = 0): the previous release's `plaw`
# against this checkout's, each built and published ReadyToRun, interleaved in one run, with `plaw --help` as the start-up floor, a check that all print identical
# values, and this checkout's per-phase breakdown (bench/PLaw.Entropy.Bench --phases).
# Usage: bench/entropy-table.sh [previous-commit (default 365aa0c, the last landed release)] [rounds (default 9)]
#   The previous release is built and published once into /tmp/entropy-table-<commit> (git archive, a few minutes), reused after;
#   PLAW_BEFORE_DIR=dir points at another copy. PLAW_SHARED_DATA=dir if the data is not in ../shared/data.
#   Builds and the publish run under `nice -n 19` (the machine may be shared); the timed runs do not.
# Writes bench/results/entropy-table-<date>.md, or entropy-table-<date>-<PLAW_RESULTS_SUFFIX>.md when that is set (commit it).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
previous=${1:-365aa0c}; rounds=${2:-9}
data=$(realpath "${PLAW_SHARED_DATA:-$repo/../shared/data}/amazon-games/games.txt")
previous_sha=$(git -C "$repo" rev-parse --short "$previous")
before=${PLAW_BEFORE_DIR:-/tmp/entropy-table-$previous_sha}
old="$before/src/PLaw.Cli/bin/Release/net10.0/plaw"
if [ ! -x "$old" ]; then
  echo "building $previous_sha into $before (once)" >&2
  mkdir -p "$before"
  git -C "$repo" archive "$previous_sha" | tar -x -C "$before"
  nice -n 19 dotnet build "$before/src/PLaw.Cli" -c Release --nologo -v q >/dev/null
fi
# The previous release published ReadyToRun as well (its own project settings), once.
old_r2r="$before/r2r/plaw"
if [ ! -x "$old_r2r" ]; then
  echo "publishing $previous_sha ReadyToRun into $before/r2r (once)" >&2
  nice -n 19 dotnet publish "$before/src/PLaw.Cli" -c Release -r linux-x64 -o "$before/r2r" --nologo -v q >/dev/null
fi
echo "building this checkout" >&2
nice -n 19 dotnet build "$repo/src/PLaw.Cli" -c Release --nologo -v q >/dev/null
nice -n 19 dotnet build "$repo/bench/PLaw.Entropy.Bench" -c Release --nologo -v q >/dev/null
new="$repo/src/PLaw.Cli/bin/Release/net10.0/plaw"
work=$(mktemp -d /tmp/entropy-table.XXXXXX)
trap 'rm -rf "$work"' EXIT
# The same source published ReadyToRun (PLaw.Cli.csproj turns it on when publishing for a runtime identifier).
echo "publishing this checkout ReadyToRun" >&2
# Its ReadyToRun code is compiled afresh: the SDK reuses obj/…/R2R when only the compiler's arguments changed.
rm -rf "$repo/src/PLaw.Cli/obj/Release/net10.0/linux-x64/R2R"
nice -n 19 dotnet publish "$repo/src/PLaw.Cli" -c Release -r linux-x64 -o "$work/r2r" --nologo -v q >/dev/null
r2r="$work/r2r/plaw"
table=(entropy "$data" --format sasrec --max-len 25,50,100,200 --m 2 --r 0)

# Identical values: the JSON (every field, shortest round-trip doubles) and the printed table of both builds.
"$old" "${table[@]}" --json >"$work/old.json" 2>/dev/null
"$new" "${table[@]}" --json >"$work/new.json" 2>/dev/null
"$old" "${table[@]}" >"$work/old.txt" 2>/dev/null
"$new" "${table[@]}" >"$work/new.txt" 2>/dev/null
"$r2r" "${table[@]}" --json >"$work/r2r.json" 2>/dev/null
"$old_r2r" "${table[@]}" --json >"$work/oldr2r.json" 2>/dev/null
# The printed tables by their cells (the columns' widths may differ between builds), and the lines below them as printed.
cells() { sed -n 's/ *│ */|/g; /^|/p' "$1"; grep -v '^[│╭├╰]' "$1"; }
if diff "$work/old.json" "$work/new.json" >"$work/diff" && diff <(cells "$work/old.txt") <(cells "$work/new.txt") >>"$work/diff" \
   && diff "$work/new.json" "$work/r2r.json" >>"$work/diff" && diff "$work/old.json" "$work/oldr2r.json" >>"$work/diff"; then
  identical="identical: \`diff\` of the two builds' \`--json\` output (every field, round-trip doubles), of their printed tables' cells and notes, and of both ReadyToRun publishes' \`--json\` is empty"
else
  identical="DIFFERENT: see the diff below"
fi

# One timed run: wall in ms (process start to exit) and CPU (user + sys) in ms; output to files, as a script would.
measure() {
  local start end
  start=$(date +%s%N)
  /usr/bin/time -f "%U %S" -o "$work/time" "$@" >"$work/out" 2>"$work/err"
  end=$(date +%s%N)
  awk -v wall=$(( (end - start) / 1000000 )) '{printf "%d %d\n", wall, ($1 + $2) * 1000}' "$work/time"
}
declare -A runs
load_before=$(cut -d' ' -f1-3 /proc/loadavg); when=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
for round in $(seq "$rounds"); do
  order=(old new oldr2r r2r); (( round % 2 == 0 )) && order=(r2r oldr2r new old) # the order flips every round
  for build in "${order[@]}"; do
    case $build in old) binary=$old ;; new) binary=$new ;; oldr2r) binary=$old_r2r ;; *) binary=$r2r ;; esac
    runs[$build]+="$(measure "$binary" "${table[@]}")"$'\n'
    runs[${build}help]+="$(measure "$binary" --help)"$'\n'
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg); ended=$(date -u '+%H:%M:%S UTC')

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
column() { printf '%s' "${runs[$1]}" | awk -v c="$2" 'NF{print $c}'; }
row() {
  echo "| $2 | $(column "$1" 1 | median) | $(column "$1" 1 | sort -n | head -1) | $(column "$1" 2 | median) | $(column "$1" 1 | tr '\n' ' ')|"
}
phases=$(dotnet "$repo/bench/PLaw.Entropy.Bench/bin/Release/net10.0/PLaw.Entropy.Bench.dll" --phases "$data" sasrec)
this=$(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet HEAD -- src || echo ' (+uncommitted src)')
old_median=$(column old 1 | median); new_median=$(column new 1 | median); r2r_median=$(column r2r 1 | median)
oldr2r_median=$(column oldr2r 1 | median)
out="$repo/bench/results/entropy-table-$(date -u +%Y-%m-%d)${PLAW_RESULTS_SUFFIX:+-$PLAW_RESULTS_SUFFIX}.md"
{
  echo "# Entropy table end to end: $previous_sha vs $this"
  echo
  echo "- command: \`bench/entropy-table.sh $previous $rounds\`"
  echo "- timed: \`plaw ${table[*]}\` (stdout and stderr to files), and \`plaw --help\`"
  echo "- commits: previous $previous_sha, this $this"
  echo "- date: $when to $ended; load average (1, 5, 15 min) before $load_before, after $load_after; $(nproc) cores"
  echo "- values: $identical"
  echo "- builds: the previous commit's and this checkout's \`dotnet build -c Release\` output (\`src/PLaw.Cli/bin/Release/net10.0/plaw\`),"
  echo "  and both published ReadyToRun (\`dotnet publish src/PLaw.Cli -c Release -r linux-x64\`, each with its own project settings)"
  echo "- each round runs every build once, the order flipping every round; $rounds rounds; milliseconds"
  echo "- median speed-up end to end: $(awk -v a="$old_median" -v b="$new_median" 'BEGIN{printf "%.2f×", a / b}') built," \
       "$(awk -v a="$oldr2r_median" -v b="$r2r_median" 'BEGIN{printf "%.2f×", a / b}') published ReadyToRun (both);" \
       "the P-Law Python reference's 44.8 s is $(awk -v b="$new_median" 'BEGIN{printf "%.0f×", 44800 / b}') the built median," \
       "$(awk -v b="$r2r_median" 'BEGIN{printf "%.0f×", 44800 / b}') the ReadyToRun median"
  echo
  echo "| what | median wall | min wall | median CPU (user+sys) | every wall |"
  echo "|---|---|---|---|---|"
  row old "\`plaw entropy\` at $previous_sha"
  row new "\`plaw entropy\` now"
  row oldhelp "\`plaw --help\` at $previous_sha"
  row newhelp "\`plaw --help\` now"
  row oldr2r "\`plaw entropy\` at $previous_sha, published ReadyToRun"
  row r2r "\`plaw entropy\` now, published ReadyToRun"
  row oldr2rhelp "\`plaw --help\` at $previous_sha, published ReadyToRun"
  row r2rhelp "\`plaw --help\` now, published ReadyToRun"
  echo
  echo "## Where the time goes (this checkout, in one process: \`dotnet run -c Release --project bench/PLaw.Entropy.Bench -- --phases\`)"
  echo
  echo "Each phase on one thread unless it says cores; the table shares work between rows, so its per-user estimators run on"
  echo "the distinct windows only (one per user for the users shorter than 25)."
  echo
  echo "$phases"
  if [ -s "$work/diff" ]; then echo; echo '```'; head -50 "$work/diff"; echo '```'; fi
  echo
  echo "## The table (this checkout)"
  echo
  echo '```'
  cat "$work/new.txt"
  echo '```'
} >"$out"
cat "$out"
