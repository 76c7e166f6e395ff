"""Motif finding cross-checked against the same motifs written as SQL joins in DuckDB.

Random small multigraphs (parallel edges, self-loops, string ids), a battery of patterns
(chains, triangles, stars, negations, undirected, bidirectional, fixed and variable length,
chained variable length, filters, distinct modes, time order and window), several seeds.
Rows are compared as multisets of (vertex ids, edge ids, _direction, _hop).
"""
import csv
import random
from collections import Counter

import duckdb
import pytest

SEEDS = [1, 2, 3, 4, 5]

V = "(SELECT src AS id FROM E UNION SELECT dst FROM E)"

# (pattern, extra CLI args, SQL, output columns to compare)
CASES = [
    ("(a)-[e]->(b); (b)-[f]->(c)", [],
     "SELECT e.src, e.eid, e.dst, f.eid, f.dst FROM E e JOIN E f ON e.dst = f.src",
     ["a.id", "e.eid", "b.id", "f.eid", "c.id"]),
    ("(a)-[e]->(b); (b)-[f]->(c); (c)-[g]->(a)", [],
     "SELECT e.src, e.eid, e.dst, f.eid, f.dst, g.eid FROM E e JOIN E f ON e.dst = f.src JOIN E g ON f.dst = g.src AND g.dst = e.src",
     ["a.id", "e.eid", "b.id", "f.eid", "c.id", "g.eid"]),
    ("(a)-[e]->(b); (a)-[f]->(c); (a)-[g]->(d)", [],
     "SELECT e.src, e.eid, e.dst, f.eid, f.dst, g.eid, g.dst FROM E e JOIN E f ON f.src = e.src JOIN E g ON g.src = e.src",
     ["a.id", "e.eid", "b.id", "f.eid", "c.id", "g.eid", "d.id"]),
    ("(a)-[]->(c); (b)-[f]->(c)", [],
     "SELECT x.src, x.dst, f.src, f.eid FROM E x JOIN E f ON f.dst = x.dst",
     ["a.id", "c.id", "b.id", "f.eid"]),
    ("(a)-[e]->(b); !(b)-[]->(a)", [],
     "SELECT DISTINCT e.src, e.eid, e.dst FROM E e WHERE NOT EXISTS (SELECT 1 FROM E r WHERE r.src = e.dst AND r.dst = e.src)",
     ["a.id", "e.eid", "b.id"]),
    ("(a)-[]->(b); !(b)-[]->(a)", [],
     "SELECT DISTINCT e.src, e.dst FROM E e WHERE NOT EXISTS (SELECT 1 FROM E r WHERE r.src = e.dst AND r.dst = e.src)",
     ["a.id", "b.id"]),
    ("(a)-[e]->(b); !(b)-[]->()", [],
     "SELECT DISTINCT e.src, e.eid, e.dst FROM E e WHERE NOT EXISTS (SELECT 1 FROM E r WHERE r.src = e.dst)",
     ["a.id", "e.eid", "b.id"]),
    ("(a)-[e]->(b); !(a)-[]->(c)", [],
     f"SELECT DISTINCT e.src, e.eid, e.dst, v.id FROM E e, {V} v WHERE NOT EXISTS (SELECT 1 FROM E r WHERE r.src = e.src AND r.dst = v.id)",
     ["a.id", "e.eid", "b.id", "c.id"]),
    ("(a)-[e]-(b)", [],
     "SELECT src, eid, dst, 'out' FROM E UNION ALL SELECT dst, eid, src, 'in' FROM E",
     ["a.id", "e.eid", "b.id", "_direction"]),
    ("(a)-[e]-(b); (b)-[f]->(c)", [],
     "SELECT u.a, u.eid, u.b, u.d, f.eid, f.dst FROM (SELECT src a, eid, dst b, 'out' d FROM E UNION ALL SELECT dst, eid, src, 'in' FROM E) u JOIN E f ON f.src = u.b",
     ["a.id", "e.eid", "b.id", "_direction", "f.eid", "c.id"]),
    ("(a)-[e]->(a)", [],
     "SELECT src, eid FROM E WHERE src = dst",
     ["a.id", "e.eid"]),
    ("(a)<-[e]->(b)", [],
     "SELECT x.src, x.eid, x.dst, y.eid FROM E x JOIN E y ON y.src = x.dst AND y.dst = x.src",
     ["a.id", "e1.eid", "b.id", "e2.eid"]),
    ("(a)<-[e]-(b); (b)-[f]->(c)", [],
     "SELECT e.dst, e.eid, e.src, f.eid, f.dst FROM E e JOIN E f ON f.src = e.src",
     ["a.id", "e.eid", "b.id", "f.eid", "c.id"]),
    ("(a)-[e*2]->(b)", [],
     "SELECT x.src, x.eid, x.dst, y.eid, y.dst FROM E x JOIN E y ON y.src = x.dst",
     ["a.id", "_e1.eid", "_ab1.id", "_e2.eid", "b.id"]),
    ("(a)-[e*1..3]->(b)", [],
     """SELECT x.src, x.eid, NULL, NULL, NULL, NULL, x.dst, 1 FROM E x
        UNION ALL SELECT x.src, x.eid, x.dst, y.eid, NULL, NULL, y.dst, 2 FROM E x JOIN E y ON y.src = x.dst
        UNION ALL SELECT x.src, x.eid, x.dst, y.eid, y.dst, z.eid, z.dst, 3 FROM E x JOIN E y ON y.src = x.dst JOIN E z ON z.src = y.dst""",
     ["a.id", "_e1.eid", "_ab1.id", "_e2.eid", "_ab2.id", "_e3.eid", "b.id", "_hop"]),
    ("(a)-[e*1..2]->(b); (b)-[f]->(c)", [],
     """SELECT x.src, x.eid, NULL, NULL, x.dst, f.eid, f.dst, 1 FROM E x JOIN E f ON f.src = x.dst
        UNION ALL SELECT x.src, x.eid, x.dst, y.eid, y.dst, f.eid, f.dst, 2 FROM E x JOIN E y ON y.src = x.dst JOIN E f ON f.src = y.dst""",
     ["a.id", "_e1.eid", "_ab1.id", "_e2.eid", "b.id", "f.eid", "c.id", "_hop"]),
    ("(a)-[e]->(b); (b)-[f]->(c)", ["--distinct-vertices"],
     "SELECT e.src, e.eid, e.dst, f.eid, f.dst FROM E e JOIN E f ON e.dst = f.src WHERE e.src <> e.dst AND f.src <> f.dst AND e.src <> f.dst",
     ["a.id", "e.eid", "b.id", "f.eid", "c.id"]),
    ("(a)-[e]->(b); (a)-[f]->(b)", ["--distinct-edges"],
     "SELECT e.src, e.eid, e.dst, f.eid FROM E e JOIN E f ON f.src = e.src AND f.dst = e.dst WHERE e.eid <> f.eid",
     ["a.id", "e.eid", "b.id", "f.eid"]),
    ("(a)-[e]->(b); (b)-[f]->(c)", ["--where", "e.w < f.w and a.id != c.id"],
     "SELECT e.src, e.eid, e.dst, f.eid, f.dst FROM E e JOIN E f ON e.dst = f.src WHERE e.w < f.w AND e.src <> f.dst",
     ["a.id", "e.eid", "b.id", "f.eid", "c.id"]),
    ("(a)-[e]->(b); (b)-[f]->(c); (c)-[g]->(d)", ["--time-col", "t", "--time-order", "--within", "6"],
     """SELECT e.src, e.eid, e.dst, f.eid, f.dst, g.eid, g.dst FROM E e JOIN E f ON e.dst = f.src JOIN E g ON f.dst = g.src
        WHERE e.t < f.t AND f.t < g.t AND greatest(e.t, f.t, g.t) - least(e.t, f.t, g.t) <= 6""",
     ["a.id", "e.eid", "b.id", "f.eid", "c.id", "g.eid", "d.id"]),
]


def random_multigraph(seed, n=8, m=30):
    rng = random.Random(seed)
    # Ids whose byte order differs from their numeric order, to exercise string ids.
    names = [f"v{rng.randint(0, 99)}x{i}" for i in range(n)]
    rows = []
    for eid in range(m):
        s = rng.choice(names)
        d = s if rng.random() < 0.1 else rng.choice(names)
        rows.append((s, d, eid, rng.randint(0, 9), rng.randint(0, 20)))
    # Force some parallel edges.
    for k in range(4):
        s, d = rows[k][0], rows[k][1]
        rows.append((s, d, m + k, rng.randint(0, 9), rng.randint(0, 20)))
    return rows


def write_edges(path, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["src", "dst", "eid", "w", "t"])
        w.writerows(rows)


def read_rows(path, columns):
    with open(path, newline="") as f:
        r = csv.DictReader(f)
        out = []
        for row in r:
            out.append(tuple(norm(row[c]) for c in columns))
        return out


def norm(v):
    if v is None or v == "":
        return None
    return str(v)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("case", range(len(CASES)))
def test_motif_matches_duckdb(amlgraph, tmp_path, seed, case):
    pattern, args, sql, columns = CASES[case]
    rows = random_multigraph(seed)
    edges = tmp_path / "edges.csv"
    write_edges(edges, rows)
    out = tmp_path / "out.csv"
    amlgraph("motif", pattern, "--edges", edges, "--out", out, "--quiet", *args)
    ours = Counter(read_rows(out, columns))

    con = duckdb.connect()
    con.execute("CREATE TABLE E (src VARCHAR, dst VARCHAR, eid BIGINT, w BIGINT, t BIGINT)")
    con.executemany("INSERT INTO E VALUES (?, ?, ?, ?, ?)", rows)
    ref = Counter(tuple(norm(v) for v in r) for r in con.execute(sql).fetchall())
    assert ours == ref, f"{pattern} {args}: ours {sum(ours.values())} rows, duckdb {sum(ref.values())}; " \
                        f"only ours {list((ours - ref).items())[:3]}, only duckdb {list((ref - ours).items())[:3]}"

    # --count agrees with the rows, and sorted output is sorted by the ids in column order.
    count = amlgraph("motif", pattern, "--edges", edges, "--count", "--quiet", *args).stdout.strip()
    assert int(count) == sum(ours.values())


def test_unordered_and_limit_agree_with_sorted(amlgraph, tmp_path):
    rows = random_multigraph(7, n=12, m=60)
    edges = tmp_path / "edges.csv"
    write_edges(edges, rows)
    cols = ["a.id", "e.eid", "b.id", "f.eid", "c.id"]
    pat = "(a)-[e]->(b); (b)-[f]->(c)"
    amlgraph("motif", pat, "--edges", edges, "--out", tmp_path / "s.csv", "--quiet")
    amlgraph("motif", pat, "--edges", edges, "--out", tmp_path / "u.csv", "--quiet", "--unordered")
    amlgraph("motif", pat, "--edges", edges, "--out", tmp_path / "l.csv", "--quiet", "--limit", "7")
    s = read_rows(tmp_path / "s.csv", cols)
    u = read_rows(tmp_path / "u.csv", cols)
    lim = read_rows(tmp_path / "l.csv", cols)
    assert Counter(s) == Counter(u)
    assert lim == s[:7]
