"""The page index (ColumnIndex / OffsetIndex, parquet-format PageIndex.md) amlgraph writes,
checked by an independent compact-Thrift decoder written here in plain Python against the
values pyarrow reads; and page skipping by the reader, checked against pyarrow's filters."""
import struct

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq


class Compact:
    """Minimal Thrift compact-protocol decoder: structs become {field id: value}."""

    def __init__(self, data, pos=0):
        self.data, self.pos = data, pos

    def byte(self):
        b = self.data[self.pos]
        self.pos += 1
        return b

    def varint(self):
        shift = result = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            if b < 0x80:
                return result
            shift += 7

    def zigzag(self):
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def value(self, t):
        if t in (1, 2):
            return t == 1
        if t == 3:
            return self.byte()
        if t in (4, 5, 6):
            return self.zigzag()
        if t == 7:
            v = struct.unpack_from("<d", self.data, self.pos)[0]
            self.pos += 8
            return v
        if t == 8:
            n = self.varint()
            v = bytes(self.data[self.pos:self.pos + n])
            self.pos += n
            return v
        if t in (9, 10):
            h = self.byte()
            n, et = h >> 4, h & 0x0F
            if n == 15:
                n = self.varint()
            if et in (1, 2):
                return [self.byte() == 1 for _ in range(n)]
            return [self.value(et) for _ in range(n)]
        if t == 12:
            return self.struct()
        raise ValueError(f"thrift type {t}")

    def struct(self):
        out, last = {}, 0
        while True:
            h = self.byte()
            if h == 0:
                return out
            delta, t = h >> 4, h & 0x0F
            fid = last + delta if delta else self.zigzag()
            last = fid
            out[fid] = self.value(t)


def footer(path):
    data = path.read_bytes()
    n = struct.unpack_from("<I", data, len(data) - 8)[0]
    return data, Compact(data, len(data) - 8 - n).struct()


def test_page_index_written_matches_the_pages(amlgraph, tmp_path):
    n = 300_000
    t = pa.table({
        "k": pa.array(range(n), pa.int64()),
        "v": pa.array([None if i % 11 == 0 else (i * 7919) % 100_003 for i in range(n)], pa.int64()),
        "s": pa.array([f"name-{i:07d}" for i in range(n)]),
    })
    src = tmp_path / "src.parquet"
    pq.write_table(t, src)
    out = tmp_path / "ours.parquet"
    amlgraph("convert", src, out, "--no-dictionary", "--row-group-size", "200000")
    meta = pq.ParquetFile(out).metadata
    assert all(meta.row_group(g).column(c).has_column_index and meta.row_group(g).column(c).has_offset_index
               for g in range(meta.num_row_groups) for c in range(meta.num_columns))
    data, fm = footer(out)
    back = pq.read_table(out)
    assert back.equals(t)
    row0 = 0
    pages_seen = 0
    for g, group in enumerate(fm[4]):
        rows = group[3]
        for c, chunk in enumerate(group[1]):
            name = t.column_names[c]
            offsets = Compact(data, chunk[4]).struct()[1]
            index = Compact(data, chunk[6]).struct()
            firsts = [p[3] for p in offsets] + [rows]
            assert firsts[0] == 0 and firsts == sorted(firsts)
            for i, p in enumerate(offsets):
                # The location is a data page header whose header + body is the stated size
                # and whose value count is the page's rows (flat columns).
                h = Compact(data, p[1])
                header = h.struct()
                assert header[1] == 0, "offset index must point at DATA_PAGE headers"
                assert (h.pos - p[1]) + header[3] == p[2]
                assert header[5][1] == firsts[i + 1] - firsts[i]
                # The column index: min/max/nulls of exactly those rows, as pyarrow reads them.
                values = t.column(name).slice(row0 + firsts[i], firsts[i + 1] - firsts[i]).to_pylist()
                present = [v for v in values if v is not None]
                assert index[5][i] == len(values) - len(present)
                assert index[1][i] == (not present)
                if present:
                    if name == "s":
                        lo, hi = index[2][i].decode(), index[3][i].decode()
                    else:
                        lo, hi = struct.unpack("<q", index[2][i])[0], struct.unpack("<q", index[3][i])[0]
                    assert (lo, hi) == (min(present), max(present)), (name, g, i)
                pages_seen += 1
        row0 += rows
    assert pages_seen > 3 * meta.num_columns, "expected several pages per column"


def test_page_skipping_returns_the_rows_pyarrow_keeps(amlgraph, tmp_path):
    n = 300_000
    t = pa.table({"k": pa.array(range(n), pa.int64()),
                  "s": pa.array([f"row {i}" for i in range(n)])})
    src = tmp_path / "src.parquet"
    pq.write_table(t, src)
    ours = tmp_path / "ours.parquet"
    amlgraph("convert", src, ours, "--no-dictionary")  # one row group, several pages
    assert pq.ParquetFile(ours).metadata.num_row_groups == 1
    for where, expr in [("k >= 250000 and k < 250010", (pc.field("k") >= 250000) & (pc.field("k") < 250010)),
                        ("k < 5 or k > 299997", (pc.field("k") < 5) | (pc.field("k") > 299997)),
                        ("s = 'row 123456'", pc.field("s") == "row 123456")]:
        text = amlgraph("convert", ours, "-", "--where", where).stdout.splitlines()
        want = pq.read_table(ours, filters=expr)
        assert text[0] == "k,s"
        assert [int(line.split(",")[0]) for line in text[1:]] == want.column("k").to_pylist(), where
    # parquet-mr's page index (parquet-testing's layout: many pages per chunk) is honoured the same way.
    tiny = tmp_path / "tiny.parquet"
    pq.write_table(t, tiny, write_page_index=True, data_page_size=4096, use_dictionary=False)
    text = amlgraph("convert", tiny, "-", "--where", "k between 120000 and 120003").stdout.splitlines()
    assert [int(line.split(",")[0]) for line in text[1:]] == [120000, 120001, 120002, 120003]
