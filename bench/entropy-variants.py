#!/usr/bin/env python3
"""Several `plaw` builds (or environment settings) on one entropy table, interleaved: an A/B for start-up and compile
changes, where the machine's speed drifts more than the change between runs made minutes apart.

Usage: bench/entropy-variants.py ROUNDS NAME=PATH[@VAR=VALUE,...] ... [--data FILE]
  each round runs every variant once, the order reversed every other round; prints a Markdown table with the median and
  minimum wall time (process start to exit) and CPU (user + sys of the process), the load average and /proc/stat steal.
  The table: `plaw entropy FILE --format sasrec --max-len 25,50,100,200 --m 2 --r 0`, output discarded.
"""
import os, statistics, subprocess, sys, time

args = sys.argv[1:]
data = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'data', 'amazon-games', 'games.txt')
if '--data' in args:
    i = args.index('--data'); data = args[i + 1]; del args[i:i + 2]
rounds = int(args[0])
variants = []
for spec in args[1:]:
    name, rest = spec.split('=', 1)
    path, _, env = rest.partition('@')
    variants.append((name, path, dict(kv.split('=', 1) for kv in env.split(',')) if env else {}))
command = ['entropy', os.path.realpath(data), '--format', 'sasrec', '--max-len', '25,50,100,200', '--m', '2', '--r', '0']

def stat():
    return [int(x) for x in open('/proc/stat').readline().split()[1:]]

wall = {n: [] for n, _, _ in variants}; cpu = {n: [] for n, _, _ in variants}
load_before, started, s0 = open('/proc/loadavg').read().split()[:3], time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime()), stat()
for r in range(rounds):
    for name, path, extra in (variants if r % 2 == 0 else variants[::-1]):
        env = dict(os.environ); env.update(extra)
        t0 = time.perf_counter()
        p = subprocess.Popen([path] + command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(p.pid, 0)
        if status != 0: sys.exit(f'{name}: exit status {status}')
        wall[name].append((time.perf_counter() - t0) * 1000); cpu[name].append((usage.ru_utime + usage.ru_stime) * 1000)
s1 = stat(); d = [b - a for a, b in zip(s0, s1)]
print(f"- command: `bench/entropy-variants.py {' '.join(sys.argv[1:])}`")
print(f"- timed: `plaw {' '.join(command)}`")
print(f"- date: {started} to {time.strftime('%H:%M:%S UTC', time.gmtime())}; load average before {' '.join(load_before)},"
      f" after {' '.join(open('/proc/loadavg').read().split()[:3])}; steal {100 * d[7] / sum(d):.1f} % of CPU time; {os.cpu_count()} cores")
print(f"- {rounds} rounds, every variant once per round, the order reversed every other round; milliseconds")
print()
print("| variant | median wall | min wall | median CPU | min CPU | every wall |")
print("|---|---:|---:|---:|---:|---|")
for name, _, _ in variants:
    print(f"| {name} | {statistics.median(wall[name]):.0f} | {min(wall[name]):.0f} | {statistics.median(cpu[name]):.0f} |"
          f" {min(cpu[name]):.0f} | {' '.join(f'{x:.0f}' for x in wall[name])} |")
