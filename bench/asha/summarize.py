#!/usr/bin/env python3
"""Compares the full grid with the ASHA grid of run-asha-ml100k.sh: compute and the best configuration. Writes the results file."""
import argparse, datetime, os, sqlite3, statistics, subprocess

p = argparse.ArgumentParser()
p.add_argument("--work", required=True)
p.add_argument("--command", required=True)
p.add_argument("--commit", required=True)
p.add_argument("--load-before", required=True)
p.add_argument("--load-after", required=True)
p.add_argument("--metric", default="NDCG@10")
p.add_argument("--epochs", type=int, required=True)
p.add_argument("--eval-every", type=int, required=True)
p.add_argument("--out")
a = p.parse_args()


def when(text):
    return datetime.datetime.fromisoformat(text.replace(" ", "T")[:26]) if text else None


def load(mode):
    db = sqlite3.connect(os.path.join(a.work, mode, "registry.db"))
    runs = {}
    for rid, name, layers, dim, seed, status, done, epochs, started, finished, test in db.execute(
            "SELECT Id, Name, Layers, Dim, Seed, Status, EpochsDone, Epochs, StartedUtc, FinishedUtc, TestNdcg10 FROM Runs"):
        valid = db.execute("SELECT Epoch, Value FROM MetricPoints WHERE RunId=? AND Split='valid' AND Name=? ORDER BY Epoch",
                           (rid, a.metric)).fetchall()
        seconds = db.execute("SELECT COALESCE(SUM(Value),0) FROM MetricPoints WHERE RunId=? AND Name='epoch_seconds'", (rid,)).fetchone()[0]
        runs[rid] = dict(name=name, config=(layers, dim), seed=seed, status=status, done=done, epochs=epochs,
                         run_seconds=(when(finished) - when(started)).total_seconds() if started and finished else 0.0,
                         train_seconds=seconds, final=valid[-1][1] if status == "Completed" and valid else None, test=test,
                         curve=valid)
    stops = [f"{name}: {text}" for name, text in db.execute(
        "SELECT r.Name, e.Text FROM RunEvents e JOIN Runs r ON r.Id = e.RunId WHERE e.Text LIKE 'ASHA %stopped early%' ORDER BY e.Id")]
    start, end = map(float, open(os.path.join(a.work, mode, "wall.txt")).read().split())
    return runs, end - start, stops


full, full_wall, _ = load("full")
asha, asha_wall, stops = load("asha")


def best(runs):
    """(layers, dim) -> mean final validation metric over the seeds that completed."""
    by = {}
    for r in runs.values():
        if r["final"] is not None:
            by.setdefault(r["config"], []).append(r["final"])
    return {c: statistics.mean(v) for c, v in by.items()}, {c: len(v) for c, v in by.items()}


full_means, _ = best(full)
asha_means, asha_counts = best(asha)
full_rank = sorted(full_means, key=lambda c: -full_means[c])
full_best = full_rank[0]
asha_best = max(asha_means, key=lambda c: asha_means[c])
# Runs ASHA let finish reproduce the full grid's runs (same options and seed, one thread each): the largest difference.
same = [abs(r["final"] - f["final"]) for r in asha.values() for f in full.values()
        if r["final"] is not None and f["final"] is not None and r["name"] == f["name"]]


def total(runs, key):
    return sum(r[key] for r in runs.values())


def pct(saved, whole):
    return f"{100.0 * saved / whole:.1f} %" if whole else "–"


lines = []
w = lines.append
stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
w(f"# ASHA on ML-100K: compute saved and the best configuration found\n")
w(f"- date: {stamp}")
w(f"- commit: {a.commit}")
w(f"- command: `{a.command}`")
w(f"- machine: {os.cpu_count()} CPUs; load average before `{a.load_before}`, after `{a.load_after}` (shared with other work)")
w(f"- grid: SASRec, layers × widths × seeds as in the command, {a.epochs} epochs, max length 50, validation every {a.eval_every} epochs "
  f"(sampled-100 protocol); the same grid queued twice, plain and with `--asha`, each trained by `plaw worker --until-empty`, one after the other.")
w(f"- best configuration: highest final validation {a.metric} (epoch {a.epochs}), mean over the seeds that reached the last epoch.\n")
w("| | full grid | ASHA | saved |")
w("|---|---:|---:|---:|")
fe, ae = total(full, "done"), total(asha, "done")
w(f"| runs (completed / stopped early) | {sum(r['status'] == 'Completed' for r in full.values())} / 0 | "
  f"{sum(r['status'] == 'Completed' for r in asha.values())} / {sum(r['status'] == 'StoppedEarly' for r in asha.values())} | |")
w(f"| epochs trained | {fe} | {ae} | {fe - ae} ({pct(fe - ae, fe)}) |")
ft, at = total(full, "train_seconds"), total(asha, "train_seconds")
w(f"| training seconds (sum of epochs) | {ft:.0f} | {at:.0f} | {ft - at:.0f} ({pct(ft - at, ft)}) |")
fr, ar = total(full, "run_seconds"), total(asha, "run_seconds")
w(f"| run seconds (start to finish, with evaluations) | {fr:.0f} | {ar:.0f} | {fr - ar:.0f} ({pct(fr - ar, fr)}) |")
w(f"| wall time of the study (worker) | {full_wall:.0f} s | {asha_wall:.0f} s | {full_wall - asha_wall:.0f} s ({pct(full_wall - asha_wall, full_wall)}) |")
w(f"| best configuration (layers × width) | {full_best[0]} × {full_best[1]} ({full_means[full_best]:.4f}) | "
  f"{asha_best[0]} × {asha_best[1]} ({asha_means[asha_best]:.4f}, {asha_counts[asha_best]} seed(s)) | "
  f"{'same' if asha_best == full_best else 'different: rank ' + str(full_rank.index(asha_best) + 1) + ' in the full grid, ' + f'{full_means[full_best] - full_means[asha_best]:.4f} below its best'} |")
w("")
if same:
    w(f"Runs ASHA let finish end on the same validation {a.metric} as in the full grid to within {max(same):.2g} "
      f"({len(same)} runs compared): stopping the others does not change them.\n")
w(f"## Per configuration\n")
w(f"| layers × width | full grid: final validation {a.metric}, mean (rank) | ASHA: each seed | ASHA: mean of completed |")
w("|---|---:|---|---:|")
for c in full_rank:
    seeds = sorted((r for r in asha.values() if r["config"] == c), key=lambda r: r["seed"])
    cells = ", ".join(f"s{r['seed']} " + (f"completed {r['final']:.4f}" if r["status"] == "Completed" else f"{r['status']} at epoch {r['done']}")
                      for r in seeds)
    w(f"| {c[0]} × {c[1]} | {full_means[c]:.4f} ({full_rank.index(c) + 1}) | {cells} | "
      f"{asha_means[c]:.4f} |" if c in asha_means else f"| {c[0]} × {c[1]} | {full_means[c]:.4f} ({full_rank.index(c) + 1}) | {cells} | – |")
w("\n## Why each run stopped (the run log's ASHA line)\n")
for s in stops:
    w(f"- {s}")
out = a.out or os.path.join("bench", "results", f"asha-ml100k-{datetime.date.today().isoformat()}.md")
open(out, "w").write("\n".join(lines) + "\n")
print(out)
print("\n".join(lines[:20]))
