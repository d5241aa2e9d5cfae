#!/usr/bin/env python3
"""Summarises bench/results/*.log into bench/results/SUMMARY.md: per run the last test metrics, epoch-time statistics."""
import glob, os, re, statistics

rows = []
for path in sorted(glob.glob("bench/results/*.log")):
    text = open(path).read()
    epochs = [(int(m.group(1)), float(m.group(2)), float(m.group(3)))
              for m in re.finditer(r"^epoch (\d+) step \d+ loss ([\d.]+) ([\d.]+)s", text, re.M)]
    tests = re.findall(r"^  test epoch (\d+): (.*) \(", text, re.M)
    valids = re.findall(r"^  valid epoch (\d+): (.*) \(", text, re.M)
    if not epochs:
        continue
    secs = [e[2] for e in epochs[1:]] or [epochs[0][2]]
    def metric(s, k):
        m = re.search(k + r" ([\d.]+)", s)
        return m.group(1) if m else "-"
    t = tests[-1] if tests else ("-", "")
    v = valids[-1] if valids else ("-", "")
    best = max(tests, key=lambda x: float(metric(x[1], "NDCG@10"))) if tests else ("-", "")
    rows.append((os.path.basename(path), epochs[-1][0], f"{epochs[0][1]:.4f}", f"{epochs[-1][1]:.4f}", f"{statistics.median(secs):.1f}", f"{min(secs):.1f}",
                 t[0], metric(t[1], "NDCG@10"), metric(t[1], "HR@10"), metric(v[1], "NDCG@10"), best[0], metric(best[1], "NDCG@10"),
                 "final" if "# final" in text else "running"))

with open("bench/results/SUMMARY.md", "w") as f:
    f.write("| log | epochs | loss ep1 | loss last | median s/epoch (wall, shared 2-core box) | min s/epoch | test@epoch | test NDCG@10 | test HR@10 | valid NDCG@10 | best test epoch | best test NDCG@10 | state |\n")
    f.write("|" + "---|" * 13 + "\n")
    for r in rows:
        f.write("| " + " | ".join(str(x) for x in r) + " |\n")
    # Re-scoring on every scored user (eval / select modes): the numbers to quote, not the 10,000-user samples above.
    f.write("\n| all-users log | checkpoint | test NDCG@10 | test HR@10 | valid NDCG@10 |\n|---|---|---|---|---|\n")
    for path in sorted(glob.glob("bench/results/*all-users.log")):
        text = open(path).read()
        name = os.path.basename(path)
        for m in re.finditer(r"^(\S+) epoch (\d+): valid NDCG@10 ([\d.]+) HR@10 [\d.]+ \| test NDCG@10 ([\d.]+) HR@10 ([\d.]+)", text, re.M):
            if m.group(2) == "200":
                f.write(f"| {name} | epoch 200 (final) | {m.group(4)} | {m.group(5)} | {m.group(3)} |\n")
        sel = re.search(r"^selected epoch (\d+) .*test NDCG@10 ([\d.]+) HR@10 ([\d.]+).*valid NDCG@10 ([\d.]+)", text, re.M)
        if sel:
            f.write(f"| {name} | epoch {sel.group(1)} (best valid) | {sel.group(2)} | {sel.group(3)} | {sel.group(4)} |\n")
        t = re.search(r"^Sampled100 test: .*?HR@10 ([\d.]+) .*?NDCG@10 ([\d.]+)", text, re.M)
        v = re.search(r"^Sampled100 valid: .*?NDCG@10 ([\d.]+)", text, re.M)
        e = re.search(r"\(epoch (\d+), step", text)
        if t and v:
            f.write(f"| {name} | epoch {e.group(1) if e else '?'} (final) | {t.group(2)} | {t.group(1)} | {v.group(1)} |\n")
print(open("bench/results/SUMMARY.md").read())
