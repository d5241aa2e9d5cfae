"""Summarises PLaw.Logging.Bench rows (run.sh): per build and dataset, the overhead of the metric sink in wall time."""
import argparse
import csv
import statistics
from collections import defaultdict

parser = argparse.ArgumentParser()
parser.add_argument("rows")
parser.add_argument("--title", required=True)
parser.add_argument("--command", required=True)
parser.add_argument("--when", required=True)
parser.add_argument("--before", required=True)
parser.add_argument("--after", required=True)
a = parser.parse_args()
names = ["label", "data", "pair", "mode", "wall_s", "steps", "cpu_ms", "points", "flushes", "held_ms", "writer_cpu_ms", "interval_ms", "load1"]
rows = [dict(zip(names, r)) for r in csv.reader(open(a.rows), delimiter="\t") if r]

# Pairs: the run with no sink and the run with the sink next to it in the same process (consecutive rows, same pair number).
groups = defaultdict(list)
pending = {}
for r in rows:
    key = (r["data"], r["label"])
    other = pending.pop(key, None)
    if other is None or other["pair"] != r["pair"]:
        pending[key] = r
        continue
    none, sink = (other, r) if other["mode"] == "none" else (r, other)
    groups[key].append((none, sink))


def med(values):
    return statistics.median(values) if values else float("nan")


print(f"# {a.title}\n")
print(f"- command: `{a.command}`")
print(f"- date: {a.when}")
print(f"- uptime before: `{a.before.strip()}`")
print(f"- uptime after: `{a.after.strip()}`")
print("- overhead = wall time with the sink (including its last flush) ÷ wall time of the same run with no sink − 1, per adjacent pair"
      " in one process (order alternating), median over pairs; builds interleaved round by round\n")
print("| data | build | pairs | steps | median wall, no sink (s) | median wall, sink (s) | overhead (median of pairs) | overhead (of medians) |"
      " extra process CPU per step (µs) | writer CPU per step (µs) | flushes | interval (ms) | trainer held (ms) |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for (data, label), pairs in sorted(groups.items()):
    steps = int(pairs[0][0]["steps"])
    none = [float(n["wall_s"]) for n, _ in pairs]
    sink = [float(s["wall_s"]) for _, s in pairs]
    ratio = [s / n - 1 for n, s in zip(none, sink)]
    cpu = [(float(s["cpu_ms"]) - float(n["cpu_ms"])) * 1000 / steps for n, s in pairs]
    writer = [float(s["writer_cpu_ms"]) * 1000 / steps for _, s in pairs if s["writer_cpu_ms"]]
    flushes = [int(s["flushes"]) for _, s in pairs if s["flushes"]]
    interval = [s["interval_ms"] for _, s in pairs if s["interval_ms"]]
    held = [float(s["held_ms"]) for _, s in pairs]
    print(f"| {data} | {label} | {len(pairs)} | {steps} | {med(none):.3f} | {med(sink):.3f} | {100 * med(ratio):+.1f} % |"
          f" {100 * (med(sink) / med(none) - 1):+.1f} % | {med(cpu):.0f} | {f'{med(writer):.1f}' if writer else 'not measured'} |"
          f" {f'{med(flushes):.0f}' if flushes else '–'} | {'/'.join(sorted(set(interval), key=float)) if interval else '250 (fixed)'} |"
          f" {med(held):.0f} |")

print("\n## Every run\n")
print("| " + " | ".join(names) + " |")
print("|" + "---|" * len(names))
for r in rows:
    print("| " + " | ".join(r[n] for n in names) + " |")
