"""CLI contract of `amlgraph anomaly`: one-line user errors, exit code 1, nothing written."""
import os


def one_line_error(proc, *fragments):
    assert proc.returncode == 1, proc.stderr
    lines = [l for l in proc.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    for f in fragments:
        assert f in lines[0], lines[0]


def test_needs_inputs(tmp_path, amlgraph):
    one_line_error(amlgraph("anomaly", "--out", tmp_path / "o.csv", check=False), "--transactions", "--features")
    assert not os.path.exists(tmp_path / "o.csv")


def test_missing_file_and_column(tmp_path, amlgraph, dataset):
    one_line_error(amlgraph("anomaly", "--transactions", tmp_path / "nope.csv", "--entities", dataset / "entities.csv",
                            "--out", tmp_path / "o.csv", check=False), "nope.csv", "no such file")
    one_line_error(amlgraph("anomaly", "--transactions", dataset / "entities.csv", "--entities", dataset / "entities.csv",
                            "--out", tmp_path / "o.csv", check=False), "entities.csv", "no column")
    assert not os.path.exists(tmp_path / "o.csv")


def test_bad_support(tmp_path, amlgraph):
    one_line_error(amlgraph("anomaly", "--features", tmp_path / "f.csv", "--support", "0.2", "--out", tmp_path / "o.csv",
                            check=False), "--support")
