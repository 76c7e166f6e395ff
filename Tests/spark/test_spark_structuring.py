"""structuring with --engine spark: the local engine's tables row for row, and the alerts a
plain-Python implementation of the definition finds (sub-threshold chains a->b->c, forwarding
payment c->g, distinct parties, time order inside the window, greedy disjoint chains per
forwarding payment, total over the threshold, forward share, merged per (collector,
beneficiary))."""
import csv
import datetime as dt
from collections import defaultdict

import pytest


def read(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def micros(ts):
    return int(round(dt.datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp() * 1_000_000))


def python_alerts(tx_path, threshold, window_us, share):
    edges = [(r["originator_id"], r["beneficiary_id"], float(r["txn_amount"]), micros(r["txn_ts"]), r["txn_id"], i)
             for i, r in enumerate(read(tx_path))]
    into = defaultdict(list)
    for e in edges:
        into[e[1]].append(e)
    events = []
    for e6 in edges:
        c, g = e6[0], e6[1]
        rows = []
        for e2 in into[c]:
            b = e2[0]
            if not (e2[2] < threshold and e2[3] < e6[3]):
                continue
            for e1 in into[b]:
                a = e1[0]
                if e1[2] < threshold and e1[3] < e2[3] and e6[3] - e1[3] <= window_us and len({a, b, c, g}) == 4:
                    rows.append((e2[3], e2[5], e1[5], a, b, e1, e2))
        rows.sort()
        chosen, ua, ub, ue = [], set(), set(), set()
        for _, r2, _, a, b, e1, e2 in rows:
            if a in ua or b in ub or r2 in ue:
                continue
            chosen.append((e1, e2))
            ua.add(a), ub.add(b), ue.add(r2)
        total = sum(e2[2] for _, e2 in chosen)
        if len(chosen) >= 2 and total > threshold and e6[2] >= share * total:
            events.append(((int(c), int(g), e6[5]), chosen, e6))
    events.sort(key=lambda x: x[0])
    merged = {}
    for (c, g, _), chosen, e6 in events:
        m = merged.setdefault((c, g), {"chains": [], "forwards": []})
        seen = {e2[5] for _, e2 in m["chains"]}
        m["chains"] += [ch for ch in chosen if ch[1][5] not in seen]
        m["forwards"].append(e6)
    return [(str(c), str(g), "|".join([x for e1, e2 in m["chains"] for x in (e1[4], e2[4])] + [f[4] for f in m["forwards"]]))
            for (c, g), m in sorted(merged.items())]


@pytest.mark.parametrize("extra,threshold,window_days,share", [
    (["--entities", "ENT"], 10000.0, 7, 0.8),
    # No entities (vertices from the payments, empty names), other settings.
    (["--threshold", "12000", "--window", "4d", "--forward-share", "0.9"], 12000.0, 4, 0.9),
])
def test_spark_matches_local_engine_and_python(tmp_path, amlgraph, spark_remote, dataset, extra, threshold, window_days, share):
    tx, ent = dataset / "transactions.csv", dataset / "entities.csv"
    args = ["structuring", "--transactions", tx, *[ent if x == "ENT" else x for x in extra]]
    amlgraph(*args, "--out", tmp_path / "local.csv", "--levels-out", tmp_path / "local_levels.csv")
    amlgraph(*args, "--engine", "spark", "--spark-remote", spark_remote, "--out", tmp_path / "spark.csv",
             "--levels-out", tmp_path / "spark_levels.csv")
    local, spark = read(tmp_path / "local.csv"), read(tmp_path / "spark.csv")
    assert spark == local
    assert read(tmp_path / "spark_levels.csv") == read(tmp_path / "local_levels.csv")
    assert len(spark) > 0  # the comparison is not vacuous
    expected = python_alerts(tx, threshold, window_days * 86_400_000_000, share)
    assert [(r["collector_id"], r["beneficiary_id"], r["txn_ids"]) for r in spark] == expected
