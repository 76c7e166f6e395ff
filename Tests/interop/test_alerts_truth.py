"""The alerts table puts planted launderers first: measured against the generator's truth."""
import csv


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_alerts_rank_planted_entities_first(tmp_path, amlgraph, dataset):
    e, t = dataset / "entities.csv", dataset / "transactions.csv"
    out = tmp_path
    amlgraph("synthetic-ids", "--entities", e, "--out", out / "si.csv")
    amlgraph("risk", "--transactions", t, "--entities", e, "--rule", "weighted", "--max-iter", 10, "--out", out / "risk.csv")
    amlgraph("address-flags", "--entities", e, "--out", out / "flags.csv")
    amlgraph("structuring", "--transactions", t, "--entities", e, "--out", out / "s.csv")
    amlgraph("roundtrips", "--transactions", t, "--entities", e, "--out", out / "r.csv")
    amlgraph("alerts", "--entities", e, "--synthetic-identity", out / "si.csv", "--risk", out / "risk.csv",
             "--address-flags", out / "flags.csv", "--structuring", out / "s.csv", "--roundtrips", out / "r.csv",
             "--out", out / "alerts.csv")
    alerts = read(out / "alerts.csv")
    ranked = [a["entity_id"] for a in alerts]
    assert [int(a["rank"]) for a in alerts] == list(range(1, len(alerts) + 1))
    assert all(float(alerts[i]["score"]) >= float(alerts[i + 1]["score"]) for i in range(len(alerts) - 1))

    roles = read(dataset / "truth_pattern_entities.csv")
    planted = {r["entity_id"] for r in roles if r["pattern_type"] in ("structuring", "roundtrip")}
    planted |= {r["entity_id"] for r in read(dataset / "truth_synthetic_identity.csv") if len(r["shared_types"].split("|")) >= 2 or r["shared_types"] == "ssn"}
    planted |= {r["entity_id"] for r in read(dataset / "truth_address_flags.csv")}

    top = ranked[:100]
    precision_at_100 = sum(x in planted for x in top) / len(top)
    key_roles = {r["entity_id"] for r in roles if r["role"] in ("collector", "beneficiary", "origin")}
    recall_key = sum(x in ranked for x in key_roles) / len(key_roles)
    print(f"alerts: {len(alerts)} raised; precision@100 {precision_at_100:.3f}; recall of collectors/beneficiaries/origins {recall_key:.3f}")
    assert recall_key == 1.0
    assert precision_at_100 >= 0.9


def test_typology_findings_are_alert_reasons_and_risk_alone_never_alerts(tmp_path, amlgraph, dataset):
    e, t = dataset / "entities.csv", dataset / "transactions.csv"
    amlgraph("typologies", "--data", dataset, "--out", tmp_path / "typ", "--quiet")
    amlgraph("risk", "--transactions", t, "--entities", e, "--rule", "weighted", "--max-iter", 10, "--out", tmp_path / "risk.csv")
    amlgraph("alerts", "--entities", e, "--typologies", tmp_path / "typ" / "typologies.csv",
             "--typology-accounts", tmp_path / "typ" / "typology_accounts.csv", "--risk", tmp_path / "risk.csv",
             "--out", tmp_path / "alerts.csv")
    alerts = read(tmp_path / "alerts.csv")
    members = read(tmp_path / "typ" / "typology_accounts.csv")
    expected = {}
    for m in members:
        expected.setdefault(m["account_id"], set()).add(m["typology"])
    assert {a["entity_id"]: set(a["reasons"].split("|")) for a in alerts} == expected
    risky = {r["entity_id"] for r in read(tmp_path / "risk.csv") if float(r["risk_score"]) > 0}
    assert risky - set(expected), "some risky entities have no finding"
    assert not (risky - set(expected)) & {a["entity_id"] for a in alerts}
    assert "risky_seed" not in {r for a in alerts for r in a["reasons"].split("|")}
    top = amlgraph("alerts", "--entities", e, "--typology-accounts", tmp_path / "typ" / "typology_accounts.csv",
                   "--top", 10, "--out", "-").stdout
    assert len(top.strip().splitlines()) == 11
