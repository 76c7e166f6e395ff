"""Delta torture and kill tests (issue 17), on the amlgraph binary, checked against a model.

Concurrent: four processes mix append, merge, delete, overwrite, checkpoint and vacuum on one
table for 200+ commits. Each logs what it committed (the version amlgraph reports) or that it
lost to a conflicting commit. The committed operations, replayed in version order on a plain
Python model, must give exactly the rows that amlgraph and delta-rs read at every version:
no lost or duplicated rows, no duplicate merge key, every version readable.

Kill: operations are SIGKILLed at random moments 60 times; after each, the newest version read
is the model's state for a committed version and the next write succeeds. delta-rs then reads
every version and must agree with the model.
"""
import csv
import io
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

PY = sys.executable
KEY_POOL = 400  # merges and overwrites draw ids from here, so concurrent merges collide

DELTARS_ALL_VERSIONS = r'''
import sys, json
import deltalake
path, versions = sys.argv[1], json.loads(sys.argv[2])
dt = deltalake.DeltaTable(path)
out = {}
for v in versions:
    dt.load_as_version(v)
    t = dt.to_pyarrow_table(columns=["id", "val", "tag"])
    out[v] = sorted([r["id"], r["val"], r["tag"]] for r in t.to_pylist())
print(json.dumps(out))
import os
sys.stdout.flush()
os._exit(0)
'''


def rows_csv(path, rows):
    path.write_text("id,val,tag\n" + "".join(f"{i},{v},{t}\n" for i, v, t in rows))


class Op:
    """One operation: what it sends to amlgraph and what it does to the model."""

    def __init__(self, kind, rows=None, lo=None, hi=None, val_below=None):
        self.kind, self.rows, self.lo, self.hi, self.val_below = kind, rows, lo, hi, val_below

    def predicate(self):
        if self.val_below is not None:
            return f"val < {self.val_below}"
        return f"id >= {self.lo} and id < {self.hi}"

    def args(self, bin_, lake, src):
        if self.kind in ("append", "merge", "overwrite"):
            rows_csv(src, self.rows)
            extra = {"append": [], "merge": ["--merge-on", "id", "--retries", "2"], "overwrite": ["--mode", "overwrite"]}[self.kind]
            return [bin_, "delta", "write", str(src), str(lake), *extra]
        if self.kind == "delete":
            return [bin_, "delta", "delete", str(lake), "--where", self.predicate(), "--retries", "2"]
        if self.kind == "checkpoint":
            return [bin_, "delta", "checkpoint", str(lake)]
        return [bin_, "delta", "vacuum", str(lake)]  # default retention: never touches live or in-flight files

    def apply(self, model):
        """The model after this operation committed: dict id -> (val, tag)."""
        m = dict(model)
        if self.kind == "append":
            for i, v, t in self.rows:
                assert i not in m, "appends use fresh ids"
                m[i] = (v, t)
        elif self.kind == "merge":
            for i, v, t in self.rows:
                m[i] = (v, t)
        elif self.kind == "overwrite":
            m = {i: (v, t) for i, v, t in self.rows}
        elif self.kind == "delete":
            if self.val_below is not None:
                m = {i: r for i, r in m.items() if not r[0] < self.val_below}
            else:
                m = {i: r for i, r in m.items() if not (self.lo <= i < self.hi)}
        return m


def random_op(rng, worker, n, fresh):
    k = rng.random()
    tag = f"w{worker}n{n}"
    if k < 0.30:
        ids = [fresh() for _ in range(rng.randint(3, 12))]
        return Op("append", [(i, rng.randint(0, 999), tag) for i in ids])
    if k < 0.62:
        ids = rng.sample(range(KEY_POOL), rng.randint(3, 15))
        return Op("merge", [(i, rng.randint(0, 999), tag) for i in ids])
    if k < 0.80:
        if rng.random() < 0.5:
            return Op("delete", val_below=rng.randint(5, 40))
        lo = rng.randrange(0, KEY_POOL)
        return Op("delete", lo=lo, hi=lo + rng.randint(5, 30))
    if k < 0.85:
        ids = rng.sample(range(KEY_POOL), 40)
        return Op("overwrite", [(i, rng.randint(0, 999), tag) for i in ids])
    return Op("checkpoint" if k < 0.93 else "vacuum")


def committed_version(proc):
    for line in proc.stderr.splitlines():
        if line.startswith("version ") and ":" in line:
            return int(line.split()[1].rstrip(":"))
    return None


def read_amlgraph(bin_, lake, version):
    p = subprocess.run([bin_, "delta", "read", str(lake), "--version", str(version), "--columns", "id,val,tag", "--format", "csv", "--out", "-"],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, f"version {version}: {p.stderr}"
    return sorted([int(r["id"]), int(r["val"]), r["tag"]] for r in csv.DictReader(io.StringIO(p.stdout)))


def read_deltars(lake, versions):
    p = subprocess.run([PY, "-c", DELTARS_ALL_VERSIONS, str(lake), json.dumps(versions)], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    return {int(k): v for k, v in json.loads(p.stdout.strip().splitlines()[-1]).items()}


def as_rows(model):
    return sorted([i, v, t] for i, (v, t) in model.items())


def create_table(bin_, lake, tmp_path):
    init = [(i, (i * 7) % 1000, "init") for i in range(100)]
    rows_csv(tmp_path / "init.csv", init)
    p = subprocess.run([bin_, "delta", "write", str(tmp_path / "init.csv"), str(lake)], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return Op("overwrite", init).apply({})


def test_four_writers_mixing_every_operation_keep_the_table_serial(tmp_path):
    from conftest import amlgraph_bin
    bin_ = amlgraph_bin()
    lake = tmp_path / "lake"
    model0 = create_table(bin_, lake, tmp_path)
    workers, ops_each = 4, 75
    log = []  # (version committed or None, worker, op, "ok" or "lost" to a conflict)
    lock = threading.Lock()
    counter = [1000]

    def fresh():
        with lock:
            counter[0] += 1
            return counter[0]

    def work(w):
        rng = random.Random(1000 + w)
        for n in range(ops_each):
            op = random_op(rng, w, n, fresh)
            p = subprocess.run(op.args(bin_, lake, tmp_path / f"src{w}.csv"), capture_output=True, text=True, timeout=300)
            if p.returncode != 0:
                # The only acceptable failure is losing to a conflicting concurrent commit.
                assert p.returncode == 1 and "concurrent modification" in p.stderr, f"{op.kind}: {p.stderr}"
                with lock: log.append((None, w, op, "lost"))
                continue
            with lock: log.append((committed_version(p), w, op, "ok"))

    threads = [threading.Thread(target=work, args=(w,)) for w in range(workers)]
    for t in threads: t.start()
    for t in threads: t.join()

    commits = sorted((v, op) for v, _, op, _ in log if v is not None)
    versions = [v for v, _ in commits]
    assert len(versions) >= 200, f"only {len(versions)} commits"
    # Every version after the first is exactly one logged operation.
    assert versions == list(range(1, len(versions) + 1))
    newest = max(int(p.name.split(".")[0]) for p in (lake / "_delta_log").glob("*.json"))
    assert newest == versions[-1]
    expected = {0: as_rows(model0)}
    model = model0
    for v, op in commits:
        model = op.apply(model)
        expected[v] = as_rows(model)
    theirs = read_deltars(lake, sorted(expected))
    for v in sorted(expected):
        ids = [r[0] for r in theirs[v]]
        assert len(ids) == len(set(ids)), f"version {v}: duplicate key"
        assert theirs[v] == expected[v], f"delta-rs, version {v}"
        assert read_amlgraph(bin_, lake, v) == expected[v], f"amlgraph, version {v}"
    failed = [op.kind for _, _, op, outcome in log if outcome == "lost"]
    print(f"{len(versions)} commits; lost to a conflict: {len(failed)} ({', '.join(sorted(set(failed)))})")
    kinds = {op.kind for _, op in commits}
    assert {"append", "merge", "delete", "overwrite"} <= kinds
    assert {"checkpoint", "vacuum"} <= {op.kind for _, _, op, outcome in log if outcome == "ok"}
    assert list((lake / "_delta_log").glob("*.checkpoint.parquet"))


def test_sigkill_at_random_points_leaves_a_committed_version_and_writes_go_on(tmp_path):
    from conftest import amlgraph_bin
    bin_ = amlgraph_bin()
    lake = tmp_path / "lake"
    model = create_table(bin_, lake, tmp_path)
    expected = {0: as_rows(model)}
    rng = random.Random(7)
    next_id = [5000]

    def fresh():
        next_id[0] += 1
        return next_id[0]

    def newest():
        return max(int(p.name.split(".")[0]) for p in (lake / "_delta_log").glob("*.json"))

    killed = 0
    durations = {}  # seconds an uninterrupted run of each kind took, measured on its first run
    n = 0
    while killed < 55 and n < 200:
        n += 1
        op = random_op(rng, 0, n, fresh)
        before = newest()
        start = time.monotonic()
        proc = subprocess.Popen(op.args(bin_, lake, tmp_path / "src.csv"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if op.kind in durations:
            # A random point of the operation's run.
            time.sleep(rng.uniform(0.0, 0.95) * durations[op.kind])
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                killed += 1
        proc.wait()
        durations.setdefault(op.kind, time.monotonic() - start)
        after = newest()
        assert after in (before, before + 1)
        if after == before + 1:
            model = op.apply(model)
            expected[after] = as_rows(model)
        # Every read now returns the newest committed version.
        assert read_amlgraph(bin_, lake, after) == expected[after]
        # The next write succeeds.
        follow = Op("append", [(fresh(), rng.randint(0, 999), f"after{n}")])
        p = subprocess.run(follow.args(bin_, lake, tmp_path / "follow.csv"), capture_output=True, text=True)
        assert p.returncode == 0, p.stderr
        assert committed_version(p) == after + 1
        model = follow.apply(model)
        expected[after + 1] = as_rows(model)
    print(f"{killed} of {n} operations killed; {sum(1 for v in expected)} versions checked")
    assert killed >= 50, f"only {killed} operations were still running when the signal came"
    theirs = read_deltars(lake, sorted(expected))
    for v in sorted(expected):
        assert theirs[v] == expected[v], f"delta-rs, version {v}"
