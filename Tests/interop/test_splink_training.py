"""Splink 5 (DuckDB) and amlgraph each *train* the same model on datasets/small/dedupe.csv —
the settings and training steps of test_splink_interop.py: λ from the deterministic rule
`org_name = org_name and address = address` with recall 0.8, u by random sampling
(max_pairs=1e5, seed 1), then EM blocked on country and on the first three letters of
org_name. λ and every level's m and u must agree within 0.02.

u sampling is exhaustive on both sides: the file has 264 records (34,716 pairs), fewer pairs
than max_pairs, so Splink keeps every record (its sample proportion reaches 1) and so does
amlgraph. Splink is run with `min_count_per_level=None`: with its default of 100 it stops
counting a comparison after the first of 10 chunks of pairs in which every level reached 100
(country's two levels do so in the first chunk), and which pairs fall in that chunk depends on
DuckDB's hash of the record ids, which amlgraph does not reproduce. A level that neither side
observed carries no m or u in either saved model."""
import json

import pytest

duckdb = pytest.importorskip("duckdb")
splink = pytest.importorskip("splink")

from splink_org_settings import org_settings  # noqa: E402

TOLERANCE = 0.02
DETERMINISTIC = "l.org_name = r.org_name and l.address = r.address"
EM_RULES = ["l.country = r.country", "substr(l.org_name,1,3) = substr(r.org_name,1,3)"]


def _splink_trained_model(dedupe_csv, path):
    from splink import DuckDBAPI, Linker

    con = duckdb.connect()
    settings = org_settings()
    linker = Linker(DuckDBAPI(connection=con).register(con.read_csv(str(dedupe_csv))), settings)
    untrained = linker.misc.save_model_to_json()
    linker.training.estimate_probability_two_random_records_match([DETERMINISTIC], recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e5, seed=1, min_count_per_level=None)
    for rule in EM_RULES:
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    linker.misc.save_model_to_json(str(path), overwrite=True)
    return untrained, json.loads(path.read_text())


def test_trained_lambda_m_u_match_splink(amlgraph, dataset, tmp_path):
    dedupe = dataset / "dedupe.csv"
    untrained, theirs = _splink_trained_model(dedupe, tmp_path / "splink.json")
    settings = dict(untrained, training={"deterministic_rules": [DETERMINISTIC], "recall": 0.8, "max_pairs": 100000,
                                         "seed": 1, "em_blocking_rules": EM_RULES})
    s = tmp_path / "settings.json"
    s.write_text(json.dumps(settings))
    amlgraph("resolve", "--input", str(dedupe), "--settings", str(s), "--train", "--model", str(tmp_path / "ours.json"),
             "--out", str(tmp_path / "pairs.csv"), "--quiet")
    ours = json.loads((tmp_path / "ours.json").read_text())

    assert abs(ours["probability_two_random_records_match"] - theirs["probability_two_random_records_match"]) <= TOLERANCE
    compared = 0
    for ct, co in zip(theirs["comparisons"], ours["comparisons"], strict=True):
        for lt, lo in zip(ct["comparison_levels"], co["comparison_levels"], strict=True):
            if lt.get("is_null_level"):
                continue
            where = f'{ct["output_column_name"]} / {lt.get("label_for_charts")}'
            for key in ("m_probability", "u_probability"):
                assert (key in lt) == (key in lo), f"{where}: {key} trained on one side only"
                if key in lt:
                    assert abs(lt[key] - lo[key]) <= TOLERANCE, (where, key, lt[key], lo[key])
                    compared += 1
    assert compared >= 20
