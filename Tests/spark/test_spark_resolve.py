"""Entity resolution with --engine spark: blocking joins, comparison levels and weights as
Spark SQL, clusters as connected components on Spark.

Cross-checks: a model Splink 5 (DuckDB) trains and saves scores on Spark as Splink scores it
(the same pairs and match keys, weights within 1e-9, as test_splink_interop.py requires of
the local engine); on a generated organisation dataset with typos, a model trained by
amlgraph gives the same pairs, levels, probabilities (1e-9) and clusters on both engines,
and the clusters are networkx's components of the pairs at the threshold; each string
metric's SQL (Jaro, Jaro-Winkler, Levenshtein, Damerau-Levenshtein, Jaccard) takes, on
tricky strings, exactly the level a plain-Python computation on the UTF-8 bytes gives, with
thresholds placed on both sides of every expected value, so a one-ulp difference shows."""
import csv
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

import networkx as nx
import pytest

INTEROP = Path(__file__).resolve().parents[1] / "interop"


def read_pairs(path, id_column="record_id"):
    out = {}
    for r in csv.DictReader(open(path, newline="")):
        out[(r[id_column + "_l"], r[id_column + "_r"])] = r
    return out


def read_clusters(path, id_column="record_id"):
    return {r[id_column]: r["cluster_id"] for r in csv.DictReader(open(path, newline=""))}


def assert_same_pairs(local, spark):
    assert set(spark) == set(local)
    for k, a in local.items():
        b = spark[k]
        assert abs(float(a["match_probability"]) - float(b["match_probability"])) <= 1e-9, (k, a, b)
        assert abs(float(a["match_weight"]) - float(b["match_weight"])) <= 1e-9 * max(1.0, abs(float(a["match_weight"]))), (k, a, b)
        for col in a:
            if col.startswith("gamma_") or col in ("match_key", "source_dataset_l", "source_dataset_r"):
                assert a[col] == b[col], (k, col, a[col], b[col])


def networkx_clusters(ids, pairs, threshold):
    g = nx.Graph()
    g.add_nodes_from(ids)
    g.add_edges_from(k for k, r in pairs.items() if float(r["match_probability"]) >= threshold)
    order = {v: i for i, v in enumerate(ids)}
    out = {}
    for comp in nx.connected_components(g):
        first = min(comp, key=order.__getitem__)
        for v in comp:
            out[v] = first
    return out


def both_engines(amlgraph, spark_remote, tmp_path, args, name, clusters=True):
    local, spark = tmp_path / f"{name}-local", tmp_path / f"{name}-spark"
    more = lambda run: ["--clusters", f"{run}-clusters.csv"] if clusters else []  # noqa: E731
    amlgraph(*args, "--out", f"{local}-pairs.csv", *more(local), "--quiet")
    proc = amlgraph(*args, "--out", f"{spark}-pairs.csv", *more(spark), "--quiet",
                    "--engine", "spark", "--spark-remote", spark_remote)
    assert "on Spark" in proc.stderr
    return (f"{local}-pairs.csv", f"{local}-clusters.csv"), (f"{spark}-pairs.csv", f"{spark}-clusters.csv")


def test_splink_trained_model_scores_on_spark_as_splink_does(amlgraph, spark_remote, dataset, tmp_path):
    pytest.importorskip("duckdb")
    pytest.importorskip("splink")
    sys.path.insert(0, str(INTEROP))
    from test_splink_interop import _splink_train_and_predict

    model, splink_pairs = _splink_train_and_predict(dataset / "dedupe.csv", tmp_path)
    args = ["resolve", "--input", dataset / "dedupe.csv", "--settings", model, "--all-pairs"]
    (lp, _), (sp, _) = both_engines(amlgraph, spark_remote, tmp_path, args, "splink", clusters=False)
    local, spark = read_pairs(lp), read_pairs(sp)
    assert len(spark) > 100
    assert set(spark) == set(splink_pairs)
    for k, r in spark.items():
        assert abs(float(r["match_weight"]) - splink_pairs[k][0]) < 1e-9, (k, r["match_weight"], splink_pairs[k][0])
        assert r["match_key"] == splink_pairs[k][1]
    assert_same_pairs(local, spark)


def test_generated_dedupe_trained_here_same_on_both_engines(amlgraph, spark_remote, dataset, tmp_path):
    amlgraph("generate", "--entities", 6000, "--transactions", 200, "--seed", 5, "--out", tmp_path / "gen")
    records = tmp_path / "gen" / "dedupe.csv"
    model = tmp_path / "model.json"
    amlgraph("resolve", "--input", records, "--settings", dataset / "dedupe_settings.json", "--train", "--model", model,
             "--out", tmp_path / "trained.csv", "--quiet")
    args = ["resolve", "--input", records, "--settings", model, "--threshold", 0.9]
    (lp, lc), (sp, sc) = both_engines(amlgraph, spark_remote, tmp_path, args, "gen")
    local, spark = read_pairs(lp), read_pairs(sp)
    assert len(spark) > 50
    assert_same_pairs(local, spark)
    # Pairs written in the same order (rule, then records), so the files are the same rows.
    assert list(spark) == list(local)
    clusters = read_clusters(sc)
    assert clusters == read_clusters(lc)
    ids = [r["record_id"] for r in csv.DictReader(open(records, newline=""))]
    assert clusters == networkx_clusters(ids, spark, 0.9)
    assert len(set(clusters.values())) < len(ids)


# ---------------------------------------------------------------------------------------
# Metrics on tricky strings, against plain Python on the UTF-8 bytes.

def jaro(a, b):
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    w = max(0, max(len(a), len(b)) // 2 - 1)
    am, bm, m = [False] * len(a), [False] * len(b), 0
    for i in range(len(a)):
        for j in range(max(0, i - w), min(len(b) - 1, i + w) + 1):
            if not bm[j] and a[i] == b[j]:
                am[i] = bm[j] = True
                m += 1
                break
    if m == 0:
        return 0.0
    k = t = 0
    for i in range(len(a)):
        if am[i]:
            while not bm[k]:
                k += 1
            t += a[i] != b[k]
            k += 1
    md = float(m)
    return (md / len(a) + md / len(b) + (md - float(t // 2)) / md) / 3


def jaro_winkler(a, b):
    j = jaro(a, b)
    if j <= 0.7:
        return j
    p = 0
    while p < 4 and p < len(a) and p < len(b) and a[p] == b[p]:
        p += 1
    return j + float(p) * 0.1 * (1 - j)


def levenshtein(a, b):
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
        prev = cur
    return prev[-1]


def osa(a, b):
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


def jaccard(a, b, q):
    def grams(s):
        if not s:
            return set()
        if len(s) <= q:
            return {s}
        return {s[k:k + q] for k in range(len(s) - q + 1)}
    ga, gb = grams(a), grams(b)
    if not ga and not gb:
        return 1.0
    inter = len(ga & gb)
    return float(inter) / float(len(ga) + len(gb) - inter)


LONG = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-_+=!"
TRICKY = [
    ("a", "b"), ("a", "ab"), ("ab", "ba"), ("martha", "marhta"), ("dwayne", "duane"), ("dixon", "dicksonx"),
    ("crate", "trace"), ("abcdef", "badcfe"), ("héllo", "hello"), ("é", "e"), ("日本語", "日本"), ("a b", "a  b"),
    ("😀x", "x😀"), ("jellyfish", "smellyfish"), (LONG, LONG[1:] + LONG[0]), (LONG + "x", LONG[::-1]),
    ("abc", "abc"), ("zz", "a"),
]
METRICS = {  # column: (Splink's SQL function, metric on bytes, is a distance)
    "s_jw": ("jaro_winkler_similarity", jaro_winkler, False),
    "s_jaro": ("jaro_similarity", jaro, False),
    "s_lev": ("levenshtein", levenshtein, True),
    "s_osa": ("damerau_levenshtein", osa, True),
    "s_jac1": ("jaccard", lambda a, b: jaccard(a, b, 1), False),
}


def test_string_metric_sql_is_bit_exact_on_tricky_strings(amlgraph, spark_remote, tmp_path):
    """Levels written as Splink's SQL conditions (their thresholds are read from the text,
    exactly); Jaccard on 2-grams, which has no Splink SQL form, in the compact form."""
    rows = []
    for k, (a, b) in enumerate(TRICKY):
        rows += [(2 * k + 1, k, a), (2 * k + 2, k, b)]
    rows += [(1000, 999, "x"), (1001, 999, "")]  # an empty field is null: the null level
    columns = list(METRICS) + ["s_jac2"]
    with open(tmp_path / "records.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["unique_id", "grp"] + columns)
        for i, g, s in rows:
            w.writerow([i, g] + [s] * len(columns))
    comparisons, expected = [], {}
    for column, (function, metric, distance) in METRICS.items():
        values = {k: metric(a.encode(), b.encode()) for k, (a, b) in enumerate(TRICKY) if a != b}
        if distance:
            thresholds = sorted(set(values.values()) | {v - 1 for v in values.values() if v > 0})
        else:
            thresholds = sorted(set(values.values()) | {math.nextafter(v, 2.0) for v in values.values()}, reverse=True)
        op = "<=" if distance else ">="
        levels = [{"sql_condition": f'"{column}_l" IS NULL OR "{column}_r" IS NULL', "is_null_level": True},
                  {"sql_condition": f'"{column}_l" = "{column}_r"'}]
        levels += [{"sql_condition": f'{function}("{column}_l", "{column}_r") {op} {t!r}'} for t in thresholds]
        comparisons.append({"output_column_name": column, "comparison_levels": levels + [{"sql_condition": "ELSE"}]})
        # Levels: null, exact, then each threshold in order, then else.
        gammas = {}
        for k, (a, b) in enumerate(TRICKY):
            if a == b:
                level = 1
            else:
                v = values[k]
                hit = [i for i, t in enumerate(thresholds) if (v <= t if distance else v >= t)]
                level = 2 + hit[0] if hit else 2 + len(thresholds)
            gammas[k] = len(thresholds) + 2 - level
        expected[column] = gammas
    jac2 = {k: jaccard(a.encode(), b.encode(), 2) for k, (a, b) in enumerate(TRICKY) if a != b}
    bands = sorted({v + d for v in jac2.values() for d in (1e-9, -1e-9)}, reverse=True)
    comparisons.append({"type": "jaccard", "column": "s_jac2", "q": 2, "thresholds": bands})
    expected["s_jac2"] = {k: (len(bands) + 1 if a == b else len(bands) - [i for i, t in enumerate(bands) if jac2[k] >= t][0])
                          for k, (a, b) in enumerate(TRICKY)}
    settings = {"link_type": "dedupe_only", "unique_id_column_name": "unique_id", "probability_two_random_records_match": 0.01,
                "blocking_rules_to_generate_predictions": ["l.grp = r.grp"], "comparisons": comparisons}
    (tmp_path / "settings.json").write_text(json.dumps(settings))
    args = ["resolve", "--input", tmp_path / "records.csv", "--settings", tmp_path / "settings.json", "--all-pairs"]
    (lp, _), (sp, _) = both_engines(amlgraph, spark_remote, tmp_path, args, "metrics", clusters=False)
    local, spark = read_pairs(lp, "unique_id"), read_pairs(sp, "unique_id")
    assert_same_pairs(local, spark)
    for k in range(len(TRICKY)):
        for column, gammas in expected.items():
            assert int(spark[(str(2 * k + 1), str(2 * k + 2))]["gamma_" + column]) == gammas[k], (TRICKY[k], column)
    assert all(spark[("1000", "1001")]["gamma_" + c] == "-1" for c in columns)


def test_link_only_numbers_and_term_frequencies(amlgraph, spark_remote, dataset, tmp_path):
    rows = list(csv.DictReader(open(dataset / "dedupe.csv", newline="")))
    fields = list(rows[0])
    for name, part in (("a.csv", rows[::2]), ("b.csv", rows[1::2])):
        with open(tmp_path / name, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=fields)
            w.writeheader()
            w.writerows(part)
    settings = {
        "link_type": "link_only", "unique_id_column_name": "record_id", "probability_two_random_records_match": 0.001,
        "blocking_rules_to_generate_predictions": [
            "l.country = r.country and substr(l.org_name, 0, 3) = substr(r.org_name, 0, 3)",
            "l.amount = r.amount", "lower(substr(l.address, -14)) = lower(substr(r.address, -14)) and l.amount > 1000"],
        "comparisons": [
            {"type": "name", "column": "org_name", "term_frequency_adjustments": True},
            {"type": "levenshtein", "column": "address", "thresholds": [2, 5], "term_frequency_adjustments": True},
            {"type": "damerau_levenshtein", "column": "country", "thresholds": [1]},
            {"type": "absolute_difference", "column": "amount", "thresholds": [1, 1000]},
        ]}
    (tmp_path / "settings.json").write_text(json.dumps(settings))
    args = ["resolve", "--input", tmp_path / "a.csv", "--input2", tmp_path / "b.csv", "--settings", tmp_path / "settings.json",
            "--threshold", 0.5, "--all-pairs"]
    (lp, lc), (sp, sc) = both_engines(amlgraph, spark_remote, tmp_path, args, "link")
    local, spark = read_pairs(lp), read_pairs(sp)
    assert len(spark) > 50
    assert {r["source_dataset_l"] for r in spark.values()} == {"0"}
    assert_same_pairs(local, spark)
    assert read_clusters(sc) == read_clusters(lc)


def test_custom_sql_level_is_refused_naming_the_comparison(amlgraph, spark_remote, tmp_path):
    (tmp_path / "r.csv").write_text("unique_id,email\n1,a@x.com\n2,a@y.com\n")
    settings = {"link_type": "dedupe_only", "blocking_rules_to_generate_predictions": ["l.unique_id = r.unique_id"],
                "comparisons": [{"type": "email", "column": "email"}]}
    (tmp_path / "s.json").write_text(json.dumps(settings))
    proc = amlgraph("resolve", "--input", tmp_path / "r.csv", "--settings", tmp_path / "s.json", "--out", tmp_path / "p.csv",
                    "--engine", "spark", "--spark-remote", spark_remote, check=False)
    assert proc.returncode == 1, proc.stderr
    assert "comparison 'email'" in proc.stderr and "custom SQL" in proc.stderr
    assert "Traceback" not in proc.stderr and "Fatal" not in proc.stderr
