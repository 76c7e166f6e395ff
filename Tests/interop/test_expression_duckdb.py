"""The expression language cross-checked against DuckDB (an independent SQL engine).

A random table with nulls in every column is filtered and projected by `amlgraph select`
and by DuckDB SQL with the same expression text; the results must agree cell by cell
(doubles to 1e-12 relative). Where the languages differ on purpose (nothing in this battery)
the difference is documented in ExpressionType's docs.
"""
import csv
import math
import random

import duckdb
import pytest

EXPRESSIONS = [
    "a + b", "a - b * 2", "a * b", "x / y", "a / b", "a % 7", "-x", "-a", "a + x",
    "abs(a)", "abs(x)", "coalesce(a, b)", "coalesce(x, 0.5)", "coalesce(a, x, y)",
    "greatest(a, b)", "least(x, y)", "greatest(a, x)", "least(a, b, 0)",
    "round(x)", "round(x, 1)", "floor(x)", "ceil(y)", "sqrt(abs(x))", "ln(abs(y) + 1)",
    "exp(x / 100)", "pow(y, 2)", "pow(abs(y), 0.5)",
    "lower(s)", "upper(s)", "trim(s)", "length(s)", "substr(s, 2, 3)", "substr(s, 1, 2)", "substr(s, 3)",
    "s || '-' || upper(s)",
    "a > b", "x <= y", "a = b", "a <> 3", "x = y",
    "a > 0 and x > 0", "a > 0 or x > 0", "not (a > b)", "t and a > 0", "t or x < 0", "not t",
    "a is null", "x is not null", "s is null",
    "a in (1, 2, 3, null)", "a in (1, 2, 3)", "a not in (1, 2)", "s in ('ab', 'cd')",
    "x between -10 and 10", "a not between b and 5",
    "s like 'a%'", "s like '%b_'", "s not like '%c%'", "s like '_'",
    "case when a > 0 then 'pos' when a < 0 then 'neg' else 'zero-or-null' end",
    "case when x > 0 then x else -x end", "case when t then a end",
    "cast(x as integer)", "cast(a as varchar)", "cast(a as double) / 3", "cast(t as integer)",
    "if(a > b, a, b)", "(a + b) * (x - y) / 7",
]


def write_table(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "a", "b", "x", "y", "s", "t"])
        for r in rows:
            w.writerow(["" if v is None else v for v in r])


def random_rows(seed, n=300):
    rng = random.Random(seed)

    def maybe(v, p=0.15):
        return None if rng.random() < p else v

    rows = []
    for i in range(n):
        b = rng.choice([rng.randint(-20, -1), rng.randint(1, 20)])
        s = "".join(rng.choice("abcd") for _ in range(rng.randint(1, 6)))
        rows.append([
            i,
            maybe(rng.randint(-30, 30)),
            b,
            maybe(round(rng.uniform(-50, 50), 2)),
            rng.choice([round(rng.uniform(-50, -0.5), 2), round(rng.uniform(0.5, 50), 2)]),
            maybe(s),
            maybe(rng.choice(["true", "false"])),
        ])
    # Make sure every column type is inferred as intended.
    rows[0][1:7] = [5, 3, 1.5, 2.25, "abc", "true"]
    return rows


def duckdb_rows(path, select, where=None):
    con = duckdb.connect()
    types = "{'id': 'BIGINT', 'a': 'BIGINT', 'b': 'BIGINT', 'x': 'DOUBLE', 'y': 'DOUBLE', 's': 'VARCHAR', 't': 'BOOLEAN'}"
    sql = f"select {select} from read_csv('{path}', header=true, columns={types}, nullstr='')"
    if where:
        sql += f" where {where}"
    return con.execute(sql + " order by id").fetchall()


def same(ours, theirs):
    if theirs is None:
        return ours == ""
    if isinstance(theirs, bool):
        return ours == ("true" if theirs else "false")
    if isinstance(theirs, (int, float)):
        if ours == "":
            return False
        a = float(ours)
        b = float(theirs)
        if math.isnan(b):
            return math.isnan(a)
        return a == b or math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)
    return ours == str(theirs)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_projection_battery_matches_duckdb(tmp_path, amlgraph, seed):
    data = tmp_path / "t.csv"
    write_table(data, random_rows(seed))
    columns = ", ".join(["id"] + [f"{e} as c{i}" for i, e in enumerate(EXPRESSIONS)])
    out = tmp_path / "out.csv"
    amlgraph("select", "--input", data, "--columns", columns, "--out", out, "--quiet")
    with open(out, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        ours = list(reader)
    assert header == ["id"] + [f"c{i}" for i in range(len(EXPRESSIONS))]
    theirs = duckdb_rows(data, columns)
    assert len(ours) == len(theirs)
    for row_ours, row_theirs in zip(ours, theirs):
        for i, expr in enumerate(EXPRESSIONS):
            assert same(row_ours[i + 1], row_theirs[i + 1]), \
                f"{expr!r} at id {row_ours[0]}: amlgraph {row_ours[i + 1]!r}, duckdb {row_theirs[i + 1]!r}"


@pytest.mark.parametrize("where", [
    "a > 0 and x < 10",
    "a is null or t",
    "s like '%ab%' and not (b between -5 and 5)",
    "coalesce(x, 0) + a * 2 > b",
    "case when t then a > 0 else x > 0 end",
])
def test_where_matches_duckdb(tmp_path, amlgraph, where):
    data = tmp_path / "t.csv"
    write_table(data, random_rows(7))
    out = tmp_path / "out.csv"
    amlgraph("select", "--input", data, "--where", where, "--columns", "id", "--out", out, "--quiet")
    with open(out, newline="", encoding="utf-8") as f:
        ours = [int(r["id"]) for r in csv.DictReader(f)]
    assert ours == [r[0] for r in duckdb_rows(data, "id", where)]
    assert ours, "the filter should keep some rows"


def test_errors_are_one_located_line(tmp_path, amlgraph):
    data = tmp_path / "t.csv"
    write_table(data, random_rows(1, 5))
    proc = amlgraph("select", "--input", data, "--where", "a > 0 and (b = 1", "--out", "-", check=False)
    assert proc.returncode == 1
    lines = [l for l in proc.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and "column 17" in lines[0] and "expected ')'" in lines[0], proc.stderr
    proc = amlgraph("select", "--input", data, "--columns", "id, nosuch + 1", "--out", "-", check=False)
    assert proc.returncode == 1 and "unknown column 'nosuch'" in proc.stderr
