"""Detection quality on worlds the detectors were not shaped on, graded on the WORST seed.

For each seed: `amlgraph generate --world bank` (legitimate look-alikes, every typology planted
with parameters drawn per seed from wide ranges), `amlgraph pipeline`, `amlgraph evaluate
--json`. Then, per typology, the lowest instance recall and the lowest reason precision over
the seeds must reach the targets, and so must the whole alert list's precision.

The thresholds are the issue's targets, not numbers read off our output. Typologies that the
code on this branch cannot detect yet are marked xfail (strict=False) in PENDING; remove an
entry once its detector lands, and the assertion holds from then on.

Set AMLGRAPH_DETECTION_SUMMARY=path to also write the worst-seed table as Markdown (for the
README's detection table).
"""
import json
import os

import pytest

TARGET_RECALL = 0.9            # instance recall (an instance is found at half its accounts alerted)
TARGET_PRECISION = 0.8         # share of alerted entities that belong to a planted instance
SEEDS = [11, 23, 37, 41, 59]
ACCOUNTS, PAYMENTS, DAYS, INSTANCES = 12000, 140000, 120, 10

TYPOLOGIES = ["fan_in", "fan_out", "cycle", "scatter_gather", "gather_scatter", "bipartite", "stack",
              "structuring", "rapid_pass_through"]

# Every typology and the whole alert list meet the targets on the worst seed; a typology whose
# detector cannot yet would be listed here as {name: reason} (xfail, strict=False).
PENDING = {}


def pending(name):
    return [pytest.mark.xfail(strict=False, reason=PENDING[name])] if name in PENDING else []


@pytest.fixture(scope="module")
def reports(tmp_path_factory, amlgraph):
    out = {}
    for seed in SEEDS:
        root = tmp_path_factory.mktemp(f"seed{seed}")
        data, lake = root / "data", root / "lake"
        amlgraph("generate", "--world", "bank", "--entities", ACCOUNTS, "--transactions", PAYMENTS, "--days", DAYS,
                 "--instances", INSTANCES, "--seed", seed, "--out", data, "--quiet")
        amlgraph("pipeline", "--data", data, "--lake", lake, "--quiet")
        amlgraph("evaluate", "--lake", lake, "--truth", data, "--k", "50,100,500", "--json", root / "evaluation.json")
        out[seed] = json.loads((root / "evaluation.json").read_text())
    summary = worst_seed_table(out)
    print("\n" + summary)
    if os.environ.get("AMLGRAPH_DETECTION_SUMMARY"):
        with open(os.environ["AMLGRAPH_DETECTION_SUMMARY"], "w") as f:
            f.write(summary + "\n")
    return out


def figure(report, typology, key):
    rows = [t for t in report["typologies"] if t["typology"] == typology]
    assert rows, f"the truth names no {typology} instance"
    return rows[0][key]


def worst(reports, typology, key):
    """The lowest value over the seeds, and the seed it came from (None counts as 0: no alert
    named after the typology means nothing was detected)."""
    values = [(figure(r, typology, key) or 0.0, seed) for seed, r in reports.items()]
    return min(values)


def worst_seed_table(reports):
    lines = [f"Worst of seeds {', '.join(map(str, SEEDS))} ({ACCOUNTS:,} accounts, {PAYMENTS:,} payments, "
             f"{DAYS} days, {INSTANCES} instances per typology):", "",
             "| typology | instance recall | account recall | precision |", "|---|---|---|---|"]
    for t in TYPOLOGIES:
        lines.append(f"| {t} | {worst(reports, t, 'instance_recall')[0]:.2f} | {worst(reports, t, 'account_recall')[0]:.2f} "
                     f"| {worst(reports, t, 'precision')[0]:.2f} |")
    p = min((r["precision"] or 0.0, s) for s, r in reports.items())
    rc = min((r["recall"] or 0.0, s) for s, r in reports.items())
    n = max(r["alerts"] for r in reports.values())
    lines.append(f"| all alerts | | {rc[0]:.2f} | {p[0]:.2f} (up to {n:,} alerted) |")
    return "\n".join(lines)


def test_every_seed_plants_every_typology(reports):
    for seed, r in reports.items():
        assert [t["typology"] for t in r["typologies"]] == TYPOLOGIES, seed
        assert all(t["planted_instances"] == INSTANCES for t in r["typologies"]), seed


@pytest.mark.parametrize("typology", [pytest.param(t, marks=pending(t)) for t in TYPOLOGIES])
def test_instance_recall_on_the_worst_seed(reports, typology):
    value, seed = worst(reports, typology, "instance_recall")
    assert value >= TARGET_RECALL, f"{typology}: instance recall {value:.2f} on seed {seed}"


@pytest.mark.parametrize("typology", [pytest.param(t, marks=pending(t)) for t in TYPOLOGIES])
def test_typology_precision_on_the_worst_seed(reports, typology):
    value, seed = worst(reports, typology, "precision")
    assert value >= TARGET_PRECISION, f"{typology}: precision of its alerts {value:.2f} on seed {seed}"


@pytest.mark.parametrize("name", [pytest.param("__alerts__", marks=pending("__alerts__"))])
def test_alert_precision_on_the_worst_seed(reports, name):
    value, seed = min((r["precision"] or 0.0, s) for s, r in reports.items())
    assert value >= TARGET_PRECISION, f"alert precision {value:.2f} on seed {seed}"
