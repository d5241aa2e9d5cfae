#!/usr/bin/env bash
# Where the logging bench's CPU goes, thread by thread: one process per arm (no sink, sink) under `perf record`, each
# running <runs> timed runs of the demo after the warm-up, then the share of samples per thread name and, per second, the
# samples of the JIT's tiered-compilation thread. Needs perf (Debian linux-perf).
# Usage: bench/PLaw.Logging.Bench/perf.sh [runs (default 6)] > bench/results/logging-perf-<date>.md
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-6}
dotnet build "$repo/bench/PLaw.Logging.Bench" -c Release --nologo -v q >/dev/null
dll="$repo/bench/PLaw.Logging.Bench/bin/Release/net10.0/PLaw.Logging.Bench.dll"
work=$(mktemp -d /tmp/logging-perf.XXXXXX); trap 'rm -rf "$work"' EXIT
dirty=$(git -C "$repo" diff --quiet HEAD -- src bench/PLaw.Logging.Bench || echo ' (+uncommitted changes)')
echo "# Logging bench under perf: CPU by thread, no sink vs sink"
echo
echo "- commit: $(git -C "$repo" rev-parse --short HEAD)$dirty"
echo "- command: bench/PLaw.Logging.Bench/perf.sh $runs (perf record -F 1999 -g per arm; DOTNET_PerfMapEnabled=1)"
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); load before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
for arm in none sink; do
  DOTNET_PerfMapEnabled=1 perf record -q -F 1999 -g -o "$work/$arm.data" dotnet "$dll" demo "$runs" perf "$arm" > "$work/$arm.tsv" 2>/dev/null
done
echo "- load after: $(cut -d' ' -f1-3 /proc/loadavg)"
for arm in none sink; do
  echo; echo "## arm: $arm"; echo
  echo "timed runs (wall s): $(tail -n +2 "$work/$arm.tsv" | cut -f5 | tr '\n' ' ')"; echo
  echo '| thread | share of samples |'; echo '|---|---:|'
  perf report -i "$work/$arm.data" --no-children --sort comm --stdio -g none 2>/dev/null |
    awk '/^ +[0-9.]+%/ { share=$1; $1=""; sub(/^ +/, ""); if (share+0 >= 0.1) printf "| %s | %s |\n", $0, share }'
  echo; echo "samples of the tiered-compilation thread per second of the process (whole process: all arms' runs):"; echo
  perf script -i "$work/$arm.data" -F comm,time 2>/dev/null | awk '
    { t=$NF; sub(":", "", t); if (start == "") start=t; s=int(t-start); if (s > last) last=s; if ($0 ~ /Tiered Com/) n[s]++ }
    END { line=""; for (s=0; s<=last; s++) line=line (n[s]+0) " "; print line }'
done
