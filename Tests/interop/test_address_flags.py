"""Address flags on the committed dataset, measured against the generator's planted truth.

Positives: the planted non-residential addresses (truth_address_flags.csv: shared PO boxes,
virtual offices, mail drops and single-company PO boxes) plus the addresses of planted
synthetic-identity rings that share an address among four or more people (an address
"shared by many unrelated entities", MISSION.md). Households (two people) are negatives.
"""
import csv
from collections import defaultdict


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_precision_and_recall_against_planted_truth(tmp_path, amlgraph, dataset):
    amlgraph("address-flags", "--entities", dataset / "entities.csv", "--out", tmp_path / "flags.csv")
    flagged = {r["address"]: r for r in read(tmp_path / "flags.csv")}
    entities = {r["entity_id"]: r for r in read(dataset / "entities.csv")}

    positives = {r["address"] for r in read(dataset / "truth_address_flags.csv")}
    rings = defaultdict(list)
    for r in read(dataset / "truth_synthetic_identity.csv"):
        if "address" in r["shared_types"].split("|"):
            rings[r["ring_id"]].append(r["entity_id"])
    positives |= {entities[m[0]]["address"] for m in rings.values() if len(m) >= 4}

    hits = positives & set(flagged)
    precision = len(hits) / len(flagged)
    recall = len(hits) / len(positives)
    print(f"address flags: precision {precision:.3f} recall {recall:.3f} ({len(flagged)} flagged, {len(positives)} planted)")
    assert recall == 1.0
    assert precision >= 0.9

    # The entity list of each flagged address is exactly who registered it.
    by_address = defaultdict(set)
    for eid, e in entities.items():
        by_address[e["address"]].add(eid)
    for address, row in flagged.items():
        assert set(row["entity_ids"].split("|")) == by_address[address]
        assert int(row["entity_count"]) == len(by_address[address])
