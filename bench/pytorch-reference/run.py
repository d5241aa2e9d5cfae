#!/usr/bin/env python3
"""Seconds per Games epoch: `plaw train` against the reference PyTorch SASRec (pmixer/SASRec.pytorch), in one run.

Issue #14 asks for SASRec `original` through `plaw train` (the path users run) at <= 0.06 x the reference's seconds per
epoch, measured side by side. HSTU (reference) and LLaMA at the same width are timed too, each with packing off
(PLAW_PACKING=off: the padded batches every layout used before packing) and on, from the same binary.

The reference is not committed here: fetch github:pmixer/SASRec.pytorch and pass its git directory. It runs as its README
says (python/main.py, its WarpSampler with 3 processes) on Debian's python3-torch, with Games copied in as data/Games.txt,
maxlen 50, dropout 0.5, on the CPU; once with torch's default thread count and once with OMP_NUM_THREADS=2. Its epoch time
is the time between the first step line of one epoch and the next (main.py prints a line per step).
Every timing is the median over the epochs after the first (the first includes warm-up).

Usage: bench/pytorch-reference/run.py <pmixer-git-dir> [--ref-epochs 4] [--plaw-epochs 8]
Writes bench/results/pytorch-reference-<date>.md (commit it).
"""
import argparse, datetime, os, re, shutil, statistics, subprocess, sys, tempfile, time

repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ap = argparse.ArgumentParser()
ap.add_argument("pmixer")
ap.add_argument("--ref-epochs", type=int, default=4)
ap.add_argument("--plaw-epochs", type=int, default=8)
ap.add_argument("--data", default=os.path.join(os.environ.get("PLAW_SHARED_DATA", os.path.join(repo, "..", "shared", "data")), "amazon-games", "games.txt"))
a = ap.parse_args()
data = os.path.realpath(a.data)

def sh(*cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw).stdout.strip()

def load():
    return open("/proc/loadavg").read().split()[:3]

commit = sh("git", "-C", repo, "rev-parse", "HEAD")
dirty = " (with uncommitted changes under src/)" if sh("git", "-C", repo, "status", "--porcelain", "--", "src") else ""
ref_commit = sh("git", f"--git-dir={a.pmixer}", "rev-parse", "HEAD")
started = datetime.datetime.now(datetime.timezone.utc)
load_before = load()
print("building plaw (Release)", file=sys.stderr)
sh("dotnet", "build", os.path.join(repo, "src", "PLaw.Cli"), "-c", "Release", "--nologo", "-v", "q")
plaw = os.path.join(repo, "src", "PLaw.Cli", "bin", "Release", "net10.0", "plaw")

work = tempfile.mkdtemp(prefix="pytorch-reference-")
# Only the code: the mirror may lack the repository's large data files.
archive = subprocess.run(["git", f"--git-dir={a.pmixer}", "archive", "HEAD", "python/main.py", "python/model.py", "python/utils.py"],
                         check=True, capture_output=True).stdout
subprocess.run(["tar", "-x", "-C", work], input=archive, check=True)
ref_dir = os.path.join(work, "python")
os.makedirs(os.path.join(ref_dir, "data"), exist_ok=True)
shutil.copy(data, os.path.join(ref_dir, "data", "Games.txt"))

def reference(threads):
    env = dict(os.environ)
    if threads: env["OMP_NUM_THREADS"] = str(threads)
    cmd = ["/usr/bin/python3", "-u", "main.py", "--dataset=Games", "--train_dir=bench", "--maxlen=50", "--dropout_rate=0.5",
           "--device=cpu", f"--num_epochs={a.ref_epochs}"]
    p = subprocess.Popen(cmd, cwd=ref_dir, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    first = {}
    for line in p.stdout:
        m = re.match(r"loss in epoch (\d+) iteration (\d+):", line)
        if m and int(m.group(1)) not in first: first[int(m.group(1))] = time.perf_counter()
    end = time.perf_counter()
    p.wait()
    if p.returncode != 0: raise SystemExit(f"reference exited {p.returncode}: {' '.join(cmd)}")
    marks = [first[e] for e in sorted(first)] + [end]
    epochs = [marks[i + 1] - marks[i] for i in range(len(marks) - 1)]
    return " ".join(cmd), epochs

def plaw_train(model, variant, packing):
    env = dict(os.environ, PLAW_PACKING="on" if packing else "off")
    cmd = [plaw, "train", "--data", data, "--format", "sasrec", "--model", model] + (["--variant", variant] if variant else []) + [
           "--layers", "2", "--dim", "50", "--heads", "1", "--max-len", "50", "--dropout", "0.5", "--epochs", str(a.plaw_epochs),
           "--eval-every", str(a.plaw_epochs), "--eval-users", "1000", "--seed", "42", "--threads", "2"]
    out = subprocess.run(cmd, env=env, check=True, text=True, capture_output=True).stdout
    epochs = [float(m.group(1)) for m in re.finditer(r"^epoch\s+\d+\s+loss\s+\S+\s+([\d.]+) s$", out, re.M)]
    losses = [m.group(1) for m in re.finditer(r"^epoch\s+\d+\s+loss\s+(\S+)", out, re.M)]
    return "PLAW_PACKING=" + env["PLAW_PACKING"] + " plaw " + " ".join(cmd[1:]).replace(data, "games.txt"), epochs, losses

def med(xs): return statistics.median(xs[1:]) if len(xs) > 1 else float("nan")

rows = []
print("plaw: SASRec original, packed", file=sys.stderr); sas1 = plaw_train("sasrec", "original", True)
print("reference PyTorch SASRec, default threads", file=sys.stderr); ref1 = reference(None)
print("reference PyTorch SASRec, OMP_NUM_THREADS=2", file=sys.stderr); ref2 = reference(2)
print("plaw: SASRec original, packed (again)", file=sys.stderr); sas2 = plaw_train("sasrec", "original", True)
print("plaw: SASRec original, padded", file=sys.stderr); sas0 = plaw_train("sasrec", "original", False)
fam = []
for model, variant in [("hstu", None), ("llama", None)]:
    for packing in (False, True):
        print(f"plaw: {model}, packing {packing}", file=sys.stderr)
        fam.append((model, packing, plaw_train(model, variant, packing)))
finished = datetime.datetime.now(datetime.timezone.utc)
load_after = load()
shutil.rmtree(work, ignore_errors=True)

ref_best = min(med(ref1[1]), med(ref2[1]))
sas = [sas1, sas2]
out = os.path.join(repo, "bench", "results", f"pytorch-reference-{started:%Y-%m-%d}.md")
with open(out, "w") as f:
    w = lambda s="": f.write(s + "\n")
    w(f"# Seconds per Games epoch: plaw train against the reference PyTorch SASRec, {started:%Y-%m-%d %H:%M} UTC")
    w()
    w(f"- commit: `{commit}`{dirty}; reference: pmixer/SASRec.pytorch `{ref_commit}` on Debian python3-torch")
    w(f"- command: `bench/pytorch-reference/run.py <pmixer-git-dir> --ref-epochs {a.ref_epochs} --plaw-epochs {a.plaw_epochs}`")
    w(f"- date: {started:%Y-%m-%dT%H:%M:%SZ} to {finished:%H:%M:%SZ}; load average (1, 5, 15 min) before {' '.join(load_before)}, after {' '.join(load_after)}; {os.cpu_count()} cores")
    w(f"- each figure: median seconds per epoch over the epochs after the first; Games, 2 blocks, width 50, 1 head, length 50, batch 128, dropout 0.5")
    w()
    w("| what | command | seconds per epoch (every epoch) | median after the first |")
    w("|---|---|---|---|")
    for label, (cmd, ep) in [("reference PyTorch SASRec, torch's default threads", ref1), ("reference PyTorch SASRec, OMP_NUM_THREADS=2", ref2)]:
        w(f"| {label} | `{cmd}` | {' '.join(f'{e:.2f}' for e in ep)} | {med(ep):.2f} |")
    for i, (cmd, ep, _) in enumerate(sas):
        w(f"| plaw SASRec original, packed (run {i + 1}) | `{cmd}` | {' '.join(f'{e:.1f}' for e in ep)} | {med(ep):.2f} |")
    w(f"| plaw SASRec original, padded (packing off) | `{sas0[0]}` | {' '.join(f'{e:.1f}' for e in sas0[1])} | {med(sas0[1]):.2f} |")
    w()
    ratio = max(med(sas1[1]), med(sas2[1])) / ref_best
    w(f"**Ratio:** plaw SASRec original (the slower of its two runs, {max(med(sas1[1]), med(sas2[1])):.2f} s) / the faster reference ({ref_best:.2f} s) = **{ratio:.3f}** (issue #14: ≤ 0.06).")
    w()
    w("HSTU (reference variant) and LLaMA at the same width, through `plaw train`: padded batches (before packing) and packed, one binary.")
    w()
    w("| model | padded s/epoch | packed s/epoch | speed-up | padded losses | packed losses |")
    w("|---|---:|---:|---:|---|---|")
    sas_row = [("sasrec original", False, sas0), ("sasrec original", True, sas1)]
    for model, rows_ in [("SASRec original", sas_row), ("HSTU reference", [r for r in fam if r[0] == "hstu"]), ("LLaMA", [r for r in fam if r[0] == "llama"])]:
        pad = next(r[2] for r in rows_ if not r[1]); pk = next(r[2] for r in rows_ if r[1])
        w(f"| {model} | {med(pad[1]):.2f} | {med(pk[1]):.2f} | {med(pad[1]) / med(pk[1]):.1f}× | {', '.join(pad[2][:3])} | {', '.join(pk[2][:3])} |")
    w()
    w("Commands of the family rows:")
    for model, packing, (cmd, _, _) in fam:
        w(f"- `{cmd}`")
print(out)
