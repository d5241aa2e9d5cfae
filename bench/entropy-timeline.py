#!/usr/bin/env python3
"""When `plaw entropy`'s progress lines appear, for several builds interleaved: start-up (the first 'reading' line),
reading and importing (to the first 'measuring' line), the table (to 'measuring: 100 %') and the rest (drawing the table,
exit). Standard output goes to /dev/null and standard error is read line by line, as a script would see them.

Usage: bench/entropy-timeline.py ROUNDS NAME=PATH ... [--data FILE]
  prints a Markdown table of medians (ms from process start), the load average and /proc/stat steal.
"""
import os, statistics, subprocess, sys, time

args = sys.argv[1:]
data = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'data', 'amazon-games', 'games.txt')
if '--data' in args:
    i = args.index('--data'); data = args[i + 1]; del args[i:i + 2]
rounds = int(args[0])
builds = [spec.split('=', 1) for spec in args[1:]]
command = ['entropy', os.path.realpath(data), '--format', 'sasrec', '--max-len', '25,50,100,200', '--m', '2', '--r', '0']
marks = ['reading', 'measuring', 'measured', 'exit']

def stat():
    return [int(x) for x in open('/proc/stat').readline().split()[1:]]

times = {name: {m: [] for m in marks} for name, _ in builds}
load_before, started, s0 = open('/proc/loadavg').read().split()[:3], time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime()), stat()
for r in range(rounds):
    for name, path in (builds if r % 2 == 0 else builds[::-1]):
        seen = {}
        t0 = time.perf_counter()
        p = subprocess.Popen([path] + command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for line in p.stderr:
            t, text = (time.perf_counter() - t0) * 1000, line.decode()
            if text.startswith('reading'): seen.setdefault('reading', t)
            if text.startswith('measuring'): seen.setdefault('measuring', t)
            if text.startswith('measuring') and '100 %' in text: seen.setdefault('measured', t)
        if p.wait() != 0: sys.exit(f'{name}: exit status {p.returncode}')
        seen['exit'] = (time.perf_counter() - t0) * 1000
        for m in marks: times[name][m].append(seen[m])
s1 = stat(); d = [b - a for a, b in zip(s0, s1)]
print(f"- command: `bench/entropy-timeline.py {' '.join(sys.argv[1:])}`")
print(f"- timed: `plaw {' '.join(command)}`, standard error read line by line")
print(f"- date: {started} to {time.strftime('%H:%M:%S UTC', time.gmtime())}; load average before {' '.join(load_before)},"
      f" after {' '.join(open('/proc/loadavg').read().split()[:3])}; steal {100 * d[7] / sum(d):.1f} % of CPU time; {os.cpu_count()} cores")
print(f"- {rounds} rounds, every build once per round, the order reversed every other round; medians, ms from process start")
print()
print("| build | first 'reading' line (start-up) | first 'measuring' line | 'measuring: 100 %' | exit | import | table | after the table |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for name, _ in builds:
    med = {m: statistics.median(times[name][m]) for m in marks}
    phase = lambda a, b: statistics.median(y - x for x, y in zip(times[name][a], times[name][b]))
    print(f"| {name} | {med['reading']:.0f} | {med['measuring']:.0f} | {med['measured']:.0f} | {med['exit']:.0f} |"
          f" {phase('reading', 'measuring'):.0f} | {phase('measuring', 'measured'):.0f} | {phase('measured', 'exit'):.0f} |")
