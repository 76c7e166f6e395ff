"""One-off motif measurements on a 1M-vertex / 5M-edge power-law graph (2 cores).

Generates the graph (Chung-Lu weights (i+1)^-0.5, degree cap), then times in one run:
  - 2-hop chain --count vs sum(indeg*outdeg) and vs DuckDB SQL,
  - a directed triangle count vs DuckDB SQL,
  - the structuring motif stage with all filters (amount < 10000, distinct vertices, time order,
    30-day window) vs the same query as a DuckDB SQL join,
  - the structuring detector end to end.
Usage: .venv/bin/python bench/motif/measure.py BIN OUTDIR
"""
import json
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import numpy as np

BIN, OUT = sys.argv[1], Path(sys.argv[2])
OUT.mkdir(parents=True, exist_ok=True)
N, M, CAP = 1_000_000, 5_000_000, 2_500
edges = OUT / "edges.csv"

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
    con.execute(f"COPY (SELECT * FROM tbl) TO '{edges}' (HEADER)")

con = duckdb.connect()
t = time.perf_counter()
con.execute(f"CREATE TABLE E AS SELECT * FROM read_csv('{edges}', header=true)")
load = time.perf_counter() - t
nE = con.execute("SELECT count(*) FROM E").fetchone()[0]
maxdeg = con.execute("SELECT max(c) FROM (SELECT count(*) c FROM E GROUP BY src UNION ALL SELECT count(*) FROM E GROUP BY dst)").fetchone()[0]
res = {"edges": nE, "max_degree": maxdeg, "duckdb_load_s": load}

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
res["ours_2hop"], res["ours_2hop_match_s"], res["ours_2hop_wall_s"], res["ours_load_build_s"] = int(out), tj["match_s"], wall, tj["load_s"] + tj["build_s"]

res["duckdb_triangles"], res["duckdb_triangles_s"] = timed_sql(
    "SELECT count(*) FROM E a JOIN E b ON a.dst = b.src JOIN E c ON b.dst = c.src AND c.dst = a.src")
out, wall, tj = timed_cli("motif", "(a)-[]->(b); (b)-[]->(c); (c)-[]->(a)", "--edges", edges, "--count")
res["ours_triangles"], res["ours_triangles_match_s"] = int(out), tj["match_s"]

W = 30 * 86400_000000
res["duckdb_structuring_stage"], res["duckdb_structuring_stage_s"] = timed_sql(f"""
SELECT count(*) FROM E e1 JOIN E e2 ON e2.src = e1.dst JOIN E e6 ON e6.src = e2.dst
WHERE e1.amount < 10000 AND e2.amount < 10000 AND e1.ts < e2.ts AND e2.ts < e6.ts AND e6.ts - e1.ts <= {W}
  AND e1.src <> e1.dst AND e1.src <> e2.dst AND e1.src <> e6.dst AND e1.dst <> e2.dst AND e1.dst <> e6.dst AND e2.dst <> e6.dst""")
out, wall, tj = timed_cli("motif", "(a)-[e1]->(b); (b)-[e2]->(c); (c)-[e6]->(g)", "--edges", edges,
                          "--where", "e1.amount < 10000 and e2.amount < 10000", "--distinct-vertices",
                          "--time-col", "ts", "--time-order", "--within", "30d", "--count")
res["ours_structuring_stage"], res["ours_structuring_stage_match_s"] = int(out), tj["match_s"]

res["duckdb_accel5_filtered"], res["duckdb_accel5_filtered_s"] = timed_sql(f"""
SELECT count(*) FROM E e1 JOIN E e2 ON e2.src = e1.dst JOIN E e5 ON e5.dst = e2.dst JOIN E e3 ON e3.dst = e5.src
JOIN E e6 ON e6.src = e2.dst
WHERE e1.amount < 10000 AND e2.amount < 10000 AND e3.amount < 10000 AND e5.amount < 10000
  AND e1.src <> e3.src AND e1.dst <> e5.src
  AND e1.ts < e2.ts AND e2.ts < e6.ts AND e3.ts < e5.ts AND e5.ts < e6.ts
  AND greatest(e1.ts, e2.ts, e3.ts, e5.ts, e6.ts) - least(e1.ts, e2.ts, e3.ts, e5.ts, e6.ts) <= {W}""")
out, wall, tj = timed_cli("motif", "(a)-[e1]->(b); (b)-[e2]->(c); (d)-[e3]->(f); (f)-[e5]->(c); (c)-[e6]->(g)", "--edges", edges,
                          "--where", "e1.amount < 10000 and e2.amount < 10000 and e3.amount < 10000 and e5.amount < 10000 and a.id != d.id and b.id != f.id",
                          "--time-col", "ts", "--time-order", "--within", "30d", "--count")
res["ours_accel5_filtered"], res["ours_accel5_filtered_match_s"] = int(out), tj["match_s"]

out, wall, tj = timed_cli("structuring", "--transactions", edges, "--src-col", "src", "--dst-col", "dst",
                          "--amount-col", "amount", "--time-col", "ts", "--window", "30d", "--out", OUT / "structuring.csv")
res["ours_structuring_detector_algo_s"], res["ours_structuring_detector_rows"] = tj["algo_s"], tj["rows"]
print(json.dumps(res, indent=2))
(OUT / "results.json").write_text(json.dumps(res, indent=2))
