"""Expressions of any length through the release binary: long `and`/`or` chains evaluate, and
arithmetic chains too tall to evaluate safely are refused with exit 1 and a clear message,
never a crash (a 20-30k term chain once overflowed the stack)."""
import json

import duckdb


def write_table(path):
    path.write_text("x,y\n1,0.5\n2,1.5\n3,2.5\n-1,3.5\n")


def test_long_conjunction_filters_like_duckdb(tmp_path, amlgraph):
    src = tmp_path / "t.csv"
    write_table(src)
    # 12k conjuncts stays under Linux's 128 KiB limit for one argument.
    where = " and ".join(["x > 0"] * 12_000)
    out = tmp_path / "out.csv"
    amlgraph("select", "--input", src, "--where", where, "--out", out, "--quiet")
    want = duckdb.sql(f"select x from read_csv('{src}') where x > 0 order by x").fetchall()
    got = [tuple(int(v) for v in line.split(",")[:1]) for line in out.read_text().splitlines()[1:]]
    assert sorted(got) == want


def test_hundred_thousand_term_chain_is_a_clean_error(tmp_path, amlgraph):
    src = tmp_path / "t.csv"
    write_table(src)
    out = tmp_path / "out.csv"
    proc = amlgraph("select", "--input", src, "--where", "+".join(["x"] * 30_000) + " > 0", "--out", out, check=False)
    assert proc.returncode == 1, proc.stderr
    assert "too long" in proc.stderr and "Fatal" not in proc.stderr
    assert not out.exists()
    # 100k terms through a settings file (no argument-length limit there).
    records = tmp_path / "r.csv"
    records.write_text("unique_id,name\n1,ann\n2,ann\n")
    for rule, ok in ((" and ".join(["l.name = r.name"] * 100_000), True), (" + ".join(["l.unique_id"] * 100_000) + " > 0", False)):
        settings = tmp_path / "s.json"
        settings.write_text(json.dumps({
            "link_type": "dedupe_only", "unique_id_column_name": "unique_id",
            "probability_two_random_records_match": 0.5,
            "blocking_rules_to_generate_predictions": [rule],
            "comparisons": [{"output_column_name": "name", "comparison_levels": [
                {"sql_condition": "name_l IS NULL OR name_r IS NULL", "is_null_level": True},
                {"sql_condition": "name_l = name_r", "m_probability": 0.9, "u_probability": 0.1},
                {"sql_condition": "ELSE", "m_probability": 0.1, "u_probability": 0.9}]}],
        }))
        pairs = tmp_path / "pairs.csv"
        proc = amlgraph("resolve", "--input", records, "--settings", settings, "--all-pairs", "--out", pairs, "--quiet", check=False)
        if ok:
            assert proc.returncode == 0, proc.stderr
            assert len(pairs.read_text().splitlines()) == 2  # header + the one pair
        else:
            assert proc.returncode == 1, proc.stderr
            assert "too long" in proc.stderr
