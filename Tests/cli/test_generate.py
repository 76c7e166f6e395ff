"""`amlgraph generate`: the committed dataset is exactly what the documented command writes,
and bad sizes are user errors."""
import filecmp


def test_committed_dataset_regenerates_byte_identical(tmp_path, amlgraph, dataset):
    amlgraph("generate", "--entities", 2000, "--transactions", 20000, "--seed", 42, "--out", tmp_path, "--quiet")
    names = sorted(p.name for p in dataset.glob("*.csv"))
    assert len(names) == 9
    match, mismatch, errors = filecmp.cmpfiles(dataset, tmp_path, names, shallow=False)
    assert mismatch == [] and errors == []


def test_too_few_transactions_is_a_user_error(tmp_path, amlgraph):
    proc = amlgraph("generate", "--entities", 500, "--transactions", 10, "--out", tmp_path / "x", check=False)
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: --transactions must be at least")
    assert not (tmp_path / "x" / "transactions.csv").exists()
