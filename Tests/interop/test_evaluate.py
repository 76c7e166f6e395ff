"""`amlgraph evaluate`: its arithmetic against an independent computation (plain Python on a
hand-made alert list with text ids and shuffled ranks; DuckDB over a real lake's alerts, read
with the deltalake package, and the truth CSVs)."""
import csv
import json
import random

import duckdb
import pytest
from deltalake import DeltaTable

TYPOLOGIES = ["fan_in", "cycle", "structuring", "stack"]


def expected_in_python(alerts, truth, ks, found_share=0.5):
    """The figures from the definitions, in plain Python over lists of rows."""
    ranked = []
    for row in sorted(alerts, key=lambda r: r["rank"]):
        if row["entity_id"] not in ranked:
            ranked.append(row["entity_id"])
    alerted = set(ranked)
    planted = {r["entity_id"] for r in truth}
    reasons = {r["entity_id"]: set(filter(None, r["reasons"].split("|"))) for r in alerts}
    out = {"alerts": len(ranked), "planted_accounts": len(planted), "alerted_planted": len(alerted & planted)}
    out["precision"] = out["alerted_planted"] / len(ranked) if ranked else None
    out["recall"] = out["alerted_planted"] / len(planted)
    out["precision_at_k"] = []
    for k in ks:
        top = ranked[:k]
        hits = sum(e in planted for e in top)
        out["precision_at_k"].append({"k": k, "considered": len(top), "hits": hits, "precision": hits / len(top) if top else None})
    out["typologies"] = {}
    for t in dict.fromkeys(r["pattern_type"] for r in truth):
        members = {}
        for r in truth:
            if r["pattern_type"] == t:
                members.setdefault(r["pattern_id"], set()).add(r["entity_id"])
        found = sum(len(m & alerted) >= found_share * len(m) for m in members.values())
        accounts = set().union(*members.values())
        flagged = [e for e in ranked if any(r == t or r.startswith(t + "_") for r in reasons[e])]
        tp = sum(e in planted for e in flagged)
        out["typologies"][t] = {
            "planted_instances": len(members), "instances_found": found, "instance_recall": found / len(members),
            "planted_accounts": len(accounts), "accounts_alerted": len(accounts & alerted),
            "account_recall": len(accounts & alerted) / len(accounts),
            "reason_alerts": len(flagged), "reason_true_positives": tp, "precision": tp / len(flagged) if flagged else None,
        }
    return out


def write_csv(path, rows):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def compare(report, expected):
    for key in ["alerts", "planted_accounts", "alerted_planted"]:
        assert report[key] == expected[key], key
    for key in ["precision", "recall"]:
        assert (report[key] is None) == (expected[key] is None) and (report[key] is None or abs(report[key] - expected[key]) < 1e-12), key
    for got, want in zip(report["precision_at_k"], expected["precision_at_k"], strict=True):
        assert {k: got[k] for k in ["k", "considered", "hits"]} == {k: want[k] for k in ["k", "considered", "hits"]}
        assert got["precision"] == pytest.approx(want["precision"], abs=1e-12)
    assert [t["typology"] for t in report["typologies"]] == list(expected["typologies"])
    for t in report["typologies"]:
        want = expected["typologies"][t["typology"]]
        for key, value in want.items():
            if isinstance(value, float):
                assert t[key] == pytest.approx(value, abs=1e-12), (t["typology"], key)
            else:
                assert t[key] == value, (t["typology"], key)


def test_arithmetic_on_a_hand_made_alert_list(tmp_path, amlgraph):
    rng = random.Random(13)
    truth_rows, pid = [], 0
    for t in TYPOLOGIES:
        for _ in range(rng.randint(3, 7)):
            pid += 1
            for e in rng.sample(range(1, 3000), rng.randint(2, 9)):
                truth_rows.append({"pattern_id": pid, "pattern_type": t, "entity_id": f"ACC-{e:06d}", "role": "member"})
    seen, truth = set(), []
    for r in truth_rows:
        if (r["pattern_id"], r["entity_id"]) not in seen:
            seen.add((r["pattern_id"], r["entity_id"]))
            truth.append(r)
    planted = sorted({r["entity_id"] for r in truth})
    chosen = rng.sample(planted, len(planted) // 2) + [f"ACC-{e:06d}" for e in rng.sample(range(3000, 6000), 400)]
    reasons = TYPOLOGIES + ["structuring_collector", "fan_in_hub", "risky_seed", "cycles", "fan", "behaviour_anomaly"]
    ranks = list(range(1, len(chosen) + 1))
    rng.shuffle(ranks)
    alerts = [{"rank": rank, "entity_id": e, "score": rng.random(), "reasons": "|".join(rng.sample(reasons, rng.randint(0, 3)))}
              for rank, e in zip(ranks, chosen)]
    lake = tmp_path / "lake"
    lake.mkdir()
    write_csv(lake / "alerts.csv", alerts)
    write_csv(tmp_path / "truth_pattern_entities.csv", truth)
    amlgraph("evaluate", "--lake", lake, "--truth", tmp_path, "--k", "10,100,5000", "--json", tmp_path / "e.json")
    report = json.loads((tmp_path / "e.json").read_text())
    compare(report, expected_in_python(alerts, truth, [10, 100, 5000]))
    # The printed table carries the same numbers.
    printed = amlgraph("evaluate", "--lake", lake, "--truth", tmp_path, "--k", "10").stdout
    assert f"alerts: {report['alerts']} entities, {report['alerted_planted']} of them planted" in printed


def test_arithmetic_on_a_pipeline_lake_with_duckdb(tmp_path, amlgraph):
    data, lake = tmp_path / "data", tmp_path / "lake"
    amlgraph("generate", "--world", "bank", "--entities", 800, "--transactions", 16000, "--days", 62,
             "--instances", 3, "--seed", 5, "--out", data, "--quiet")
    amlgraph("pipeline", "--data", data, "--lake", lake, "--quiet")
    amlgraph("evaluate", "--lake", lake, "--truth", data, "--k", "25,200", "--json", tmp_path / "e.json")
    report = json.loads((tmp_path / "e.json").read_text())

    con = duckdb.connect()
    con.register("alerts", DeltaTable(str(lake / "gold" / "alerts")).to_pyarrow_table())
    con.sql(f"create view truth as select pattern_id, pattern_type, entity_id::varchar entity_id from read_csv('{data}/truth_pattern_entities.csv', header=true)")
    con.sql("create view a as select entity_id::varchar entity_id, rank, coalesce(reasons, '') reasons from alerts")
    n, hits = con.sql("select count(distinct entity_id), count(distinct entity_id) filter (where entity_id in (select entity_id from truth)) from a").fetchone()
    planted = con.sql("select count(distinct entity_id) from truth").fetchone()[0]
    assert (report["alerts"], report["alerted_planted"], report["planted_accounts"]) == (n, hits, planted)
    assert report["recall"] == pytest.approx(hits / planted, abs=1e-12)
    for row in report["precision_at_k"]:
        considered, top_hits = con.sql(f"""select count(*), count(*) filter (where entity_id in (select entity_id from truth))
                                           from (select entity_id from a order by rank, entity_id limit {row['k']})""").fetchone()
        assert (row["considered"], row["hits"]) == (considered, top_hits)
    per = con.sql("""
        with inst as (
            select pattern_type, pattern_id, count(*) members, count(*) filter (where entity_id in (select entity_id from a)) hit
            from truth group by 1, 2),
        acc as (select distinct pattern_type, entity_id from truth),
        flagged as (select distinct t.pattern_type, a.entity_id from a, (select distinct pattern_type from truth) t,
                    unnest(string_split(a.reasons, '|')) r(reason)
                    where r.reason = t.pattern_type or starts_with(r.reason, t.pattern_type || '_'))
        select i.pattern_type, count(*) instances, count(*) filter (where hit >= 0.5 * members) found,
               (select count(*) from acc where acc.pattern_type = i.pattern_type) accounts,
               (select count(*) from acc where acc.pattern_type = i.pattern_type and entity_id in (select entity_id from a)) alerted,
               (select count(*) from flagged f where f.pattern_type = i.pattern_type) flagged,
               (select count(*) from flagged f where f.pattern_type = i.pattern_type and entity_id in (select entity_id from truth)) tp
        from inst i group by 1""").fetchall()
    by_type = {t["typology"]: t for t in report["typologies"]}
    assert set(by_type) == {row[0] for row in per} and len(per) == 9
    for t, instances, found, accounts, alerted, flagged, tp in per:
        got = by_type[t]
        assert (got["planted_instances"], got["instances_found"], got["planted_accounts"], got["accounts_alerted"],
                got["reason_alerts"], got["reason_true_positives"]) == (instances, found, accounts, alerted, flagged, tp), t
        assert got["instance_recall"] == pytest.approx(found / instances)
        assert got["precision"] == (None if flagged == 0 else pytest.approx(tp / flagged))


def test_missing_inputs_are_user_errors(tmp_path, amlgraph):
    proc = amlgraph("evaluate", "--lake", tmp_path, "--truth", tmp_path, check=False)
    assert proc.returncode == 1 and "no alerts table" in proc.stderr
    (tmp_path / "alerts.csv").write_text("rank,entity_id\n1,5\n")
    (tmp_path / "truth_pattern_entities.csv").write_text("pattern_id,pattern_type,entity_id,role\n1,cycle,5,member\n")
    proc = amlgraph("evaluate", "--lake", tmp_path, "--truth", tmp_path, check=False)
    assert proc.returncode == 1 and "alerts: no column reasons" in proc.stderr
    proc = amlgraph("evaluate", "--lake", tmp_path, "--truth", tmp_path, "--k", "0", check=False)
    assert proc.returncode == 1 and "--k 0" in proc.stderr
