"""Splink 5 (DuckDB) trains and saves a model on the generated dedupe data; amlgraph loads the
saved model and must produce the same blocked pairs and match weights (within 1e-9)."""
import csv
import json

import pytest

duckdb = pytest.importorskip("duckdb")
splink = pytest.importorskip("splink")

from splink_org_settings import org_settings  # noqa: E402


def _splink_train_and_predict(dedupe_csv, tmp_path):
    from splink import DuckDBAPI, Linker, block_on

    con = duckdb.connect()
    db = DuckDBAPI(connection=con)
    settings = org_settings()
    linker = Linker(db.register(con.read_csv(str(dedupe_csv))), settings)
    linker.training.estimate_probability_two_random_records_match([block_on("org_name", "address")], recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e5, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("country"))
    linker.training.estimate_parameters_using_expectation_maximisation("substr(l.org_name,1,3) = substr(r.org_name,1,3)")
    model = tmp_path / "splink_model.json"
    linker.misc.save_model_to_json(str(model), overwrite=True)
    pred = linker.inference.predict()
    rows = pred.as_duckdbpyrelation().fetchall()
    cols = [c for c in pred.as_duckdbpyrelation().columns]
    out = {}
    for r in rows:
        d = dict(zip(cols, r))
        out[(str(d["record_id_l"]), str(d["record_id_r"]))] = (d["match_weight"], str(d["match_key"]))
    return model, out


@pytest.fixture(scope="module")
def splink_run(dataset, tmp_path_factory):
    return _splink_train_and_predict(dataset / "dedupe.csv", tmp_path_factory.mktemp("splink"))


def test_amlgraph_scores_splink_model_identically(amlgraph, dataset, tmp_path, splink_run):
    dedupe = dataset / "dedupe.csv"
    model, splink_pairs = splink_run
    out = tmp_path / "pairs.csv"
    amlgraph("resolve", "--input", str(dedupe), "--settings", str(model), "--all-pairs", "--out", str(out), "--quiet")
    ours = {(r["record_id_l"], r["record_id_r"]): (float(r["match_weight"]), r["match_key"]) for r in csv.DictReader(open(out))}
    assert set(ours) == set(splink_pairs)
    assert len(ours) > 100
    for k, (w, key) in ours.items():
        assert abs(w - splink_pairs[k][0]) < 1e-9, (k, w, splink_pairs[k][0])
        assert key == splink_pairs[k][1]


def test_amlgraph_writes_a_model_splink_can_load(amlgraph, dataset, tmp_path, splink_run):
    dedupe = dataset / "dedupe.csv"
    model, _ = splink_run
    ours = tmp_path / "ours.json"
    settings = json.loads(open(model).read())
    settings["training"] = {"deterministic_rules": ["l.org_name = r.org_name and l.address = r.address"], "recall": 0.8,
                            "max_pairs": 100000, "seed": 1,
                            "em_blocking_rules": ["l.country = r.country", "substr(l.org_name,1,3) = substr(r.org_name,1,3)"]}
    s = tmp_path / "settings.json"
    s.write_text(json.dumps(settings))
    amlgraph("resolve", "--input", str(dedupe), "--settings", str(s), "--train", "--model", str(ours),
             "--out", str(tmp_path / "p.csv"), "--quiet")
    from splink import DuckDBAPI, Linker
    con = duckdb.connect()
    linker = Linker(DuckDBAPI(connection=con).register(con.read_csv(str(dedupe))), str(ours))
    assert linker.inference.predict().as_duckdbpyrelation().count("*").fetchone()[0] > 0
