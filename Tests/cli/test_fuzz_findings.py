"""Inputs found by mutation fuzzing: each now ends in exit 1 and a message a user can act on,
never a trap, a wrapped date or raw control bytes on the terminal."""
import json


def test_out_of_range_commit_timestamp_is_a_clean_error(tmp_path, amlgraph):
    src = tmp_path / "t.csv"
    src.write_text("id,amount\n1,2.5\n")
    table = tmp_path / "lake" / "t"
    amlgraph("delta", "write", src, table)
    commit = table / "_delta_log" / ("0" * 20 + ".json")
    lines = [json.loads(line) for line in commit.read_text().splitlines()]
    for action in lines:
        if "commitInfo" in action:
            action["commitInfo"]["timestamp"] = 2**63 - 1
    commit.write_text("\n".join(json.dumps(a) for a in lines) + "\n")
    proc = amlgraph("delta", "history", table, check=False)
    assert proc.returncode == 1, proc.stderr
    assert "commitInfo.timestamp 9223372036854775807 is out of range" in proc.stderr
    assert "00000000000000000000.json" in proc.stderr


def test_control_characters_in_values_are_escaped(tmp_path, amlgraph):
    edges = tmp_path / "e.csv"
    edges.write_text("src,dst\na,b\nb,\x1b[2J\x1b[31mevil\r\n")
    vertices = tmp_path / "v.csv"
    vertices.write_text("id\na\nb\n")
    proc = amlgraph("components", "--edges", edges, "--vertices", vertices, "--id-col", "id",
                    "--out", tmp_path / "out.csv", check=False)
    assert proc.returncode == 1, proc.stderr
    assert "\x1b" not in proc.stderr and "\r" not in proc.stderr
    assert "\\u{1B}[31mevil" in proc.stderr


def test_mixed_id_types_name_each_column(tmp_path, amlgraph):
    edges = tmp_path / "e.csv"
    edges.write_text("src,dst\n1,ACC-2\n2,ACC-3\n")
    vertices = tmp_path / "v.csv"
    vertices.write_text("id\n1\n2\n")
    proc = amlgraph("components", "--edges", edges, "--vertices", vertices, "--out", tmp_path / "o.csv", check=False)
    assert proc.returncode == 1, proc.stderr
    msg = proc.stderr
    assert "'src' is int64" in msg and "'dst' is string" in msg and "'id' is int64" in msg
