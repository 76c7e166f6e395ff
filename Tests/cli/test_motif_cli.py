"""motif / structuring / roundtrips CLI contract: located one-line errors, JSON nesting,
headers on empty results."""
import json

import pytest


def write(path, text):
    path.write_text(text)
    return path


@pytest.fixture
def edges(tmp_path):
    return write(tmp_path / "e.csv", "src,dst,w,t\na,b,1,10\nb,c,2,20\nc,a,3,30\na,b,4,40\n")


def one_line_error(proc, *fragments):
    assert proc.returncode == 1, proc.stderr
    lines = [l for l in proc.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    for f in fragments:
        assert f in lines[0], lines[0]


@pytest.mark.parametrize("pattern,fragments", [
    ("(a)-[e]->(b); ()", ["column 15", "lone anonymous vertex"]),
    ("()-[]->()", ["column 1", "completely anonymous edge"]),
    ("(a)-[]->(b); !(a)-[x]->(b)", ["column 19", "named edge 'x' inside a negation"]),
    ("(a)-[e]->(b); (b)-[e]->(c)", ["column 15", "used more than once"]),
    ("(a)-[e*2..]->(b)", ["column 5", "open hop range"]),
    ("(a)-[e*0]->(b)", ["column 5", "at least 1"]),
    ("(a)-[e]->(b", ["column 12", "expected ')'"]),
])
def test_rejected_patterns_are_located(amlgraph, edges, tmp_path, pattern, fragments):
    one_line_error(amlgraph("motif", pattern, "--edges", edges, "--out", tmp_path / "o.csv", check=False), *fragments)
    assert not (tmp_path / "o.csv").exists()


@pytest.mark.parametrize("where,fragments", [
    ("e.nope < 3", ["column 1", "no column 'nope' in 'e'"]),
    ("z.w < 3", ["column 1", "unknown qualifier 'z'", "a, e, b"]),
    ("e.w <", ["column 6", "expected a value"]),
    ("e.w + 1", ["true or false"]),
    ("w < 3", ["unknown column 'w'"]),
])
def test_bad_filters_are_located(amlgraph, edges, tmp_path, where, fragments):
    one_line_error(amlgraph("motif", "(a)-[e]->(b)", "--edges", edges, "--where", where,
                            "--out", tmp_path / "o.csv", check=False), *fragments)


def test_bad_duration(amlgraph, edges, tmp_path):
    one_line_error(amlgraph("motif", "(a)-[e]->(b)", "--edges", edges, "--within", "3 parsecs", "--time-col", "t",
                            "--out", tmp_path / "o.csv", check=False), "duration")


def test_filters_with_functions_and_strings(amlgraph, edges, tmp_path):
    """Conjuncts beyond plain comparisons run on the expression language's row evaluator."""
    out = tmp_path / "o.csv"
    amlgraph("motif", "(a)-[e]->(b); (b)-[f]->(c)", "--edges", edges, "--out", out, "--quiet",
             "--where", "abs(e.w - f.w) >= 2 and a.id != 'c' and greatest(e.t, f.t) - least(e.t, f.t) <= 30")
    rows = out.read_text().splitlines()[1:]
    # a->b (1,t10) then b->c (2,t20): |1-2| < 2, no. a->b (4,t40) then b->c (2,t20): yes.
    # b->c (2,t20) then c->a (3,t30): no. c->a excluded by a.id != 'c'.
    assert [r.split(",")[0] for r in rows] == ["a"]


def test_json_nests_like_graphframes_structs(amlgraph, edges, tmp_path):
    out = tmp_path / "o.json"
    amlgraph("motif", "(x)-[e*1..2]->(y)", "--edges", edges, "--out", out, "--quiet")
    rows = [json.loads(l) for l in out.read_text().splitlines()]
    assert len(rows) == 4 + 5
    one = next(r for r in rows if r["_hop"] == 1)
    assert set(one) == {"x", "_e1", "_xy1", "_e2", "y", "_hop"}
    assert one["_e2"] is None and one["_xy1"] is None
    assert set(one["_e1"]) == {"src", "dst", "w", "t"} and set(one["x"]) == {"id"}


def test_empty_result_still_has_header(amlgraph, edges, tmp_path):
    out = tmp_path / "o.csv"
    amlgraph("motif", "(a)-[e]->(a)", "--edges", edges, "--out", out, "--quiet")
    assert out.read_text().splitlines() == ["a.id,e.src,e.dst,e.w,e.t"]


def test_roundtrip_length_is_checked(amlgraph, edges, tmp_path):
    one_line_error(amlgraph("roundtrips", "--transactions", edges, "--length", "7", "--out", tmp_path / "r.csv", check=False), "--length")
