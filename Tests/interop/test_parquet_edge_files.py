"""Valid Parquet files that were refused or misread (issue 17, item 7), checked against pyarrow."""
import subprocess
import sys

PY = sys.executable


def pyarrow(code, *args):
    p = subprocess.run([PY, "-c", "import sys, pyarrow as pa, pyarrow.parquet as pq\n" + code, *map(str, args)],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return p.stdout


def test_zero_row_files_read_as_empty_tables(amlgraph, tmp_path):
    for stats in (True, False):
        f = tmp_path / f"zero-{stats}.parquet"
        pyarrow("pq.write_table(pa.table({'id': pa.array([], pa.int64()), 's': pa.array([], pa.string())}), sys.argv[1], write_statistics=sys.argv[2] == 'True')", f, stats)
        out = tmp_path / f"zero-{stats}.csv"
        amlgraph("convert", f, out)
        assert out.read_text().splitlines() == ["id,s"]
        assert pyarrow("print(pq.read_table(sys.argv[1]).num_rows)", f).strip() == "0"


def test_unsigned_integers_are_read_as_their_values(amlgraph, tmp_path):
    ok = tmp_path / "u.parquet"
    pyarrow("pq.write_table(pa.table({'u64': pa.array([0, 2**63 - 1], pa.uint64()), 'u32': pa.array([1, 2**32 - 1], pa.uint32()),"
            " 'u8': pa.array([0, 255], pa.uint8())}), sys.argv[1])", ok)
    out = tmp_path / "u.csv"
    amlgraph("convert", ok, out)
    expected = pyarrow("t = pq.read_table(sys.argv[1]).to_pylist(); print('\\n'.join(','.join(str(r[c]) for c in ('u64', 'u32', 'u8')) for r in t))", ok)
    assert out.read_text().splitlines()[1:] == expected.strip().splitlines()
    big = tmp_path / "big.parquet"
    pyarrow("pq.write_table(pa.table({'u64': pa.array([1, 2**63 + 5], pa.uint64())}), sys.argv[1])", big)
    # Above int64: read exactly (as decimal(20,0)), not refused and not negative.
    amlgraph("convert", big, tmp_path / "big.csv")
    assert (tmp_path / "big.csv").read_text().splitlines() == ["u64", "1", str(2**63 + 5)]
