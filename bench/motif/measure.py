"""Motif measurements on a 1M-vertex / 5M-edge power-law graph (2 cores) by default.

Generates the graph (Chung-Lu weights (i+1)^-0.5, degree cap), then times in one run:
  - 2-hop chain --count vs sum(indeg*outdeg) and vs DuckDB SQL,
  - a directed triangle count vs DuckDB SQL,
  - the structuring motif stage with all filters (amount < 10000, distinct vertices, time order,
    30-day window) vs the same query as a DuckDB SQL join,
  - the accelerator 5-edge structuring motif vs DuckDB SQL (DuckDB took 226 s at 1M/5M:
    --accel5-cap SECONDS interrupts DuckDB's query after that long and records the cap instead
    of its time and count; --skip-accel5 runs neither side),
  - the structuring detector end to end.
Each amlgraph count sits beside DuckDB's (and the 2-hop count beside sum(indeg*outdeg)): the
agreement check is that they are equal.
Usage: .venv/bin/python bench/motif/measure.py BIN OUTDIR [--vertices N] [--edges M] [--cap C]
                                               [--accel5-cap SECONDS | --skip-accel5]
The graph is cached in OUTDIR per (N, M, C).
"""
import argparse
import json
import subprocess
import threading
import time
from pathlib import Path

import duckdb
import numpy as np

ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument("bin")
ap.add_argument("outdir", type=Path)
ap.add_argument("--vertices", type=int, default=1_000_000)
ap.add_argument("--edges", type=int, default=5_000_000)
ap.add_argument("--cap", type=int, default=2_500, help="degree cap (edges dropped once an endpoint reaches it)")
ap.add_argument("--accel5-cap", type=float, default=None,
                help="interrupt DuckDB's 5-edge accelerator query after this many seconds (default: no cap)")
ap.add_argument("--skip-accel5", action="store_true", help="run the 5-edge accelerator motif on neither side")
args = ap.parse_args()
BIN, OUT = args.bin, args.outdir
OUT.mkdir(parents=True, exist_ok=True)
N, M, CAP = args.vertices, args.edges, args.cap
edges = OUT / f"edges_{N}_{M}_cap{CAP}.csv"

rng = np.random.default_rng(7)
if not edges.exists():
    w = (np.arange(N) + 1.0) ** -0.5
    p = w / w.sum()
    src = rng.choice(N, size=int(M * 1.02), p=p)
    dst = rng.permutation(N)[rng.choice(N, size=src.size, p=p)]
    # Degree cap: drop edges once an endpoint reaches CAP (in order).
    keep = np.ones(src.size, bool)
    outc = np.zeros(N, np.int64); inc = np.zeros(N, np.int64)
    for i in range(src.size):
        s, d = src[i], dst[i]
        if outc[s] >= CAP or inc[d] >= CAP:
            keep[i] = False
            continue
        outc[s] += 1; inc[d] += 1
    src, dst = src[keep][:M], dst[keep][:M]
    amount = np.round(rng.lognormal(8.0, 1.0, src.size), 2)
    ts = 1735689600_000000 + rng.integers(0, 365 * 86400_000000, src.size)
    import pyarrow as pa
    tbl = pa.table({"src": src, "dst": dst, "amount": amount, "ts": ts})
    con = duckdb.connect()
    con.register("tbl", tbl)
    partial = edges.with_name(edges.name + ".partial.csv")
    con.execute(f"COPY (SELECT * FROM tbl) TO '{partial}' (HEADER)")
    partial.rename(edges)

con = duckdb.connect()
t = time.perf_counter()
con.execute(f"CREATE TABLE E AS SELECT * FROM read_csv('{edges}', header=true)")
load = time.perf_counter() - t
nE = con.execute("SELECT count(*) FROM E").fetchone()[0]
maxdeg = con.execute("SELECT max(c) FROM (SELECT count(*) c FROM E GROUP BY src UNION ALL SELECT count(*) FROM E GROUP BY dst)").fetchone()[0]
res = {"vertices": N, "edges": nE, "degree_cap": CAP, "max_degree": maxdeg, "duckdb_load_s": load, "load_average_start": open("/proc/loadavg").read().split()[0]}

def timed_sql(q):
    t = time.perf_counter(); v = con.execute(q).fetchone()[0]; return v, time.perf_counter() - t

def timed_cli(*args):
    tj = OUT / "t.json"
    t = time.perf_counter()
    p = subprocess.run([BIN, *map(str, args), "--quiet", "--timings-json", str(tj)], capture_output=True, text=True)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        raise SystemExit(p.stderr)
    return p.stdout.strip(), wall, json.loads(tj.read_text())

sigma = con.execute("SELECT sum(i.c * o.c) FROM (SELECT dst v, count(*) c FROM E GROUP BY dst) i JOIN (SELECT src v, count(*) c FROM E GROUP BY src) o USING (v)").fetchone()[0]
res["sum_indeg_outdeg"] = int(sigma)
res["duckdb_2hop"], res["duckdb_2hop_s"] = timed_sql("SELECT count(*) FROM E a JOIN E b ON a.dst = b.src")
out, wall, tj = timed_cli("motif", "(a)-[]->(b); (b)-[]->(c)", "--edges", edges, "--count")
res["ours_2hop"], res["ours_2hop_search_s"], res["ours_2hop_wall_s"], res["ours_load_build_s"] = int(out), tj["plan_s"] + tj["match_s"], wall, tj["load_s"] + tj["build_s"]

res["duckdb_triangles"], res["duckdb_triangles_s"] = timed_sql(
    "SELECT count(*) FROM E a JOIN E b ON a.dst = b.src JOIN E c ON b.dst = c.src AND c.dst = a.src")
out, wall, tj = timed_cli("motif", "(a)-[]->(b); (b)-[]->(c); (c)-[]->(a)", "--edges", edges, "--count")
res["ours_triangles"], res["ours_triangles_search_s"] = int(out), tj["plan_s"] + tj["match_s"]

W = 30 * 86400_000000
res["duckdb_structuring_stage"], res["duckdb_structuring_stage_s"] = timed_sql(f"""
SELECT count(*) FROM E e1 JOIN E e2 ON e2.src = e1.dst JOIN E e6 ON e6.src = e2.dst
WHERE e1.amount < 10000 AND e2.amount < 10000 AND e1.ts < e2.ts AND e2.ts < e6.ts AND e6.ts - e1.ts <= {W}
  AND e1.src <> e1.dst AND e1.src <> e2.dst AND e1.src <> e6.dst AND e1.dst <> e2.dst AND e1.dst <> e6.dst AND e2.dst <> e6.dst""")
out, wall, tj = timed_cli("motif", "(a)-[e1]->(b); (b)-[e2]->(c); (c)-[e6]->(g)", "--edges", edges,
                          "--where", "e1.amount < 10000 and e2.amount < 10000", "--distinct-vertices",
                          "--time-col", "ts", "--time-order", "--within", "30d", "--count")
res["ours_structuring_stage"], res["ours_structuring_stage_search_s"] = int(out), tj["plan_s"] + tj["match_s"]

ACCEL5_SQL = f"""
SELECT count(*) FROM E e1 JOIN E e2 ON e2.src = e1.dst JOIN E e5 ON e5.dst = e2.dst JOIN E e3 ON e3.dst = e5.src
JOIN E e6 ON e6.src = e2.dst
WHERE e1.amount < 10000 AND e2.amount < 10000 AND e3.amount < 10000 AND e5.amount < 10000
  AND e1.src <> e3.src AND e1.dst <> e5.src
  AND e1.ts < e2.ts AND e2.ts < e6.ts AND e3.ts < e5.ts AND e5.ts < e6.ts
  AND greatest(e1.ts, e2.ts, e3.ts, e5.ts, e6.ts) - least(e1.ts, e2.ts, e3.ts, e5.ts, e6.ts) <= {W}"""


def capped_sql(q, cap):
    """(count, seconds), or (None, None) when DuckDB is still running after `cap` seconds
    (the query is interrupted then)."""
    timer = threading.Timer(cap, con.interrupt) if cap is not None else None
    if timer:
        timer.start()
    try:
        return timed_sql(q)
    except duckdb.InterruptException:
        return None, None
    finally:
        if timer:
            timer.cancel()


res["accel5_skipped"] = args.skip_accel5
res["duckdb_accel5_cap_s"] = args.accel5_cap
if not args.skip_accel5:
    res["duckdb_accel5_filtered"], res["duckdb_accel5_filtered_s"] = capped_sql(ACCEL5_SQL, args.accel5_cap)
    res["duckdb_accel5_capped"] = res["duckdb_accel5_filtered_s"] is None
    out, wall, tj = timed_cli("motif", "(a)-[e1]->(b); (b)-[e2]->(c); (d)-[e3]->(f); (f)-[e5]->(c); (c)-[e6]->(g)", "--edges", edges,
                              "--where", "e1.amount < 10000 and e2.amount < 10000 and e3.amount < 10000 and e5.amount < 10000 and a.id != d.id and b.id != f.id",
                              "--time-col", "ts", "--time-order", "--within", "30d", "--count")
    res["ours_accel5_filtered"], res["ours_accel5_filtered_search_s"] = int(out), tj["plan_s"] + tj["match_s"]

res["duckdb_structuring_detector_rows"], res["duckdb_structuring_detector_s"] = timed_sql(f"""
WITH chains AS (
  SELECT e1.src a, e1.dst b, e2.dst c, e6.dst g, e2.rowid e2id, e2.amount a2, e6.rowid e6id, e6.amount a6
  FROM E e1 JOIN E e2 ON e2.src = e1.dst JOIN E e6 ON e6.src = e2.dst
  WHERE e1.amount < 10000 AND e2.amount < 10000 AND e1.ts < e2.ts AND e2.ts < e6.ts AND e6.ts - e1.ts <= {W}
    AND e1.src <> e1.dst AND e1.src <> e2.dst AND e1.src <> e6.dst AND e1.dst <> e2.dst AND e1.dst <> e6.dst AND e2.dst <> e6.dst),
per_e6 AS (SELECT c, g, e6id, any_value(a6) a6, count(DISTINCT a) na, count(DISTINCT b) nb FROM chains GROUP BY ALL),
tot AS (SELECT c, g, e6id, sum(a2) total FROM (SELECT DISTINCT c, g, e6id, e2id, a2 FROM chains) GROUP BY ALL)
SELECT count(*) FROM (SELECT DISTINCT c, g FROM per_e6 JOIN tot USING (c, g, e6id) WHERE na >= 2 AND nb >= 2 AND total > 10000 AND a6 >= 0.8 * total)""")
out, wall, tj = timed_cli("structuring", "--transactions", edges, "--src-col", "src", "--dst-col", "dst",
                          "--amount-col", "amount", "--time-col", "ts", "--window", "30d", "--out", OUT / "structuring.csv")
res["ours_structuring_detector_algo_s"], res["ours_structuring_detector_rows"] = tj["algo_s"], tj["rows"]
res["load_average_end"] = open("/proc/loadavg").read().split()[0]
print(json.dumps(res, indent=2))
(OUT / "results.json").write_text(json.dumps(res, indent=2))
