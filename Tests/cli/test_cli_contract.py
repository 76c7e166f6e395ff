"""The CLI contract: exit codes, one-line errors naming file/line/column, atomic outputs."""
import os

import pytest


def write(path, data):
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(path, mode) as f:
        f.write(data)
    return path


@pytest.fixture
def previous_output(tmp_path):
    """An existing output file that a failed run must leave untouched."""
    return write(tmp_path / "out.csv", "id,component\nkeep,me\n")


def assert_user_error(proc, *fragments):
    assert proc.returncode == 1, proc.stderr
    lines = [l for l in proc.stderr.splitlines() if l.strip()]
    assert len(lines) == 1, f"expected one line, got: {proc.stderr!r}"
    assert lines[0].startswith("error: ")
    assert "Traceback" not in proc.stderr and "Fatal error" not in proc.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def assert_untouched(tmp_path, previous_output):
    assert open(previous_output).read() == "id,component\nkeep,me\n"
    assert [p for p in os.listdir(tmp_path) if p.startswith(".")] == [], "no temporary files left"


CASES = {
    "malformed_row": (b"src,dst\n1,2\n3\n", ["e.csv:3", "expected 2 fields, found 1"]),
    "missing_column": (b"from,to\n1,2\n", ["no column 'src'", "from, to"]),
    "empty_file": (b"", ["e.csv", "empty"]),
    "non_utf8": (b"src,dst\na,b\nc\xff,d\n", ["e.csv:3", "column 'src'", "0xFF"]),
    "unterminated_quote": (b'src,dst\n1,"2\n', ["unterminated quoted field"]),
    "bad_integer": (b"src,dst\n" + b"".join(b"%d,%d\n" % (i, i + 1) for i in range(30000)) + b"5,x7\n", ["e.csv:30002", "column 'dst'", "expected an integer"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_edges_give_one_line_and_leave_previous_output(tmp_path, amlgraph, previous_output, case):
    data, fragments = CASES[case]
    write(tmp_path / "e.csv", data)
    proc = amlgraph("components", "--edges", tmp_path / "e.csv", "--out", previous_output, check=False)
    assert_user_error(proc, *fragments)
    assert_untouched(tmp_path, previous_output)
    assert open(previous_output).read() == "id,component\nkeep,me\n"


def test_huge_field_is_rejected_cleanly(tmp_path, amlgraph, previous_output):
    write(tmp_path / "e.csv", b"src,dst\n1," + b"9" * (20 << 20) + b"\n")
    proc = amlgraph("components", "--edges", tmp_path / "e.csv", "--out", previous_output, check=False)
    assert_user_error(proc, "longer than the limit")
    assert open(previous_output).read() == "id,component\nkeep,me\n"


def test_dangling_edges_error_and_drop(tmp_path, amlgraph, previous_output):
    write(tmp_path / "v.csv", "id\n1\n2\n")
    write(tmp_path / "e.csv", "src,dst\n1,2\n2,9\n")
    proc = amlgraph("components", "--edges", tmp_path / "e.csv", "--vertices", tmp_path / "v.csv", "--out", previous_output, check=False)
    assert_user_error(proc, "1 edge(s)", "row 2: 2 -> 9", "--drop-dangling")
    assert open(previous_output).read() == "id,component\nkeep,me\n"
    ok = amlgraph("components", "--edges", tmp_path / "e.csv", "--vertices", tmp_path / "v.csv", "--drop-dangling", "--out", "-")
    assert ok.stdout == "id,component\n1,1\n2,1\n"
    assert "dropped 1 dangling edge(s)" in ok.stderr


def test_missing_input_file_and_unknown_option(tmp_path, amlgraph):
    assert_user_error(amlgraph("components", "--edges", tmp_path / "nope.csv", "--out", "-", check=False), "nope.csv")
    assert_user_error(amlgraph("components", "--edges", "x.csv", "--out", "-", "--bogus", check=False), "--bogus")


def test_stats_go_to_stderr_and_csv_to_stdout(tmp_path, amlgraph):
    write(tmp_path / "e.csv", "src,dst\n1,2\n3,4\n4,5\n")
    proc = amlgraph("components", "--edges", tmp_path / "e.csv", "--out", "-")
    assert proc.stdout == "id,component\n1,1\n2,1\n3,3\n4,3\n5,3\n"
    assert "components=2" in proc.stderr and "largest=3" in proc.stderr


def test_every_command_has_help_with_examples(amlgraph):
    top = amlgraph("--help").stdout
    import re
    subcommands = [m.group(1) for m in re.finditer(r"^  ([a-z][a-z-]*)", top.split("SUBCOMMANDS:")[1], re.M)]
    assert "components" in subcommands and "synthetic-ids" in subcommands
    for name in subcommands:
        if name == "help":
            continue
        text = amlgraph(name, "--help").stdout
        assert "Examples:" in text, name
        assert "amlgraph " + name in text, name
