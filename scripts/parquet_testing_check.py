#!/usr/bin/env python3
"""Conformance check against apache/parquet-testing (or any directory of Parquet files).

    scripts/parquet_testing_check.py PATH [--bin AMLGRAPH] [--json OUT]

For every `*.parquet` file under PATH, pyarrow reads it, and amlgraph rewrites it
(`amlgraph convert FILE OUT.parquet --codec none`) so that pyarrow can read what amlgraph
decoded. The two are compared column by column: values (nested lists, structs and maps
included) and types, under amlgraph's documented type mapping (narrow integers widen to
int32/int64, uint64 becomes decimal(20,0), float16 becomes float, UUID a 36-character string,
nanosecond timestamps are truncated to microseconds, zone-less timestamps read as UTC
instants with the same digits, dictionary and large types decode to their plain forms). Each file is reported as

    match      same values and types
    mismatch   both read it; the first difference is shown
    refused    pyarrow reads it, amlgraph does not (amlgraph's message is shown)
    both-fail  neither reads it (encrypted files, deliberately corrupt ones)
    extra      amlgraph reads a file pyarrow refuses

The exit status is 0 when no file is `mismatch` or `refused`, 1 otherwise. No file of
PATH is modified; outputs go to a temporary directory.

Results on apache/parquet-testing (commit 1a2a751, data/): 68 match, 14 both-fail (13
encrypted files, and large_string_map.brotli.parquet, whose one 2 GiB record neither pyarrow
reads nor a Parquet page can hold), and these exceptions:
  - datapage_v1-corrupt-checksum, rle-dict-uncompressed-corrupt-checksum: refused on purpose,
    their page CRCs are wrong (pyarrow does not verify CRCs by default).
  - nation.dict-malformed: refused, a page runs past its column chunk's stated size.
  - int96_from_spark: amlgraph gives the microsecond values the file's .md lists; pyarrow wraps
    the year-290000 value even in microseconds.
  - null_list: a list of Arrow's null type reads as list<int32> of nulls (Columnar has no null
    type).
  - incorrect_map_schema (extra): a map whose key is optional; amlgraph reads it, pyarrow refuses.
On delta-io/delta's connectors/golden-tables (403 data files): all 403 match (maps whose key
is a list included).
"""
import argparse
import datetime
import decimal
import json
import math
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent


def expected_type(t: pa.DataType) -> pa.DataType:
    """The Arrow type pyarrow sees in amlgraph's output for a column pyarrow reads as `t`."""
    if pa.types.is_dictionary(t):
        return expected_type(t.value_type)
    if pa.types.is_boolean(t):
        return pa.bool_()
    if pa.types.is_int8(t) or pa.types.is_int16(t) or pa.types.is_int32(t) or pa.types.is_uint8(t) or pa.types.is_uint16(t):
        return pa.int32() if not (pa.types.is_uint8(t) or pa.types.is_uint16(t)) else pa.int64()
    if pa.types.is_uint32(t) or pa.types.is_int64(t):
        return pa.int64()
    if pa.types.is_uint64(t):
        return pa.decimal128(20, 0)
    if pa.types.is_float16(t) or pa.types.is_float32(t):
        return pa.float32()
    if pa.types.is_float64(t):
        return pa.float64()
    if pa.types.is_decimal(t):
        if t.precision > 38:
            return t
        return pa.decimal128(t.precision, t.scale)
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return pa.string()
    if isinstance(t, pa.ExtensionType) and t.extension_name == "arrow.uuid":
        return pa.string()
    if isinstance(t, pa.ExtensionType):
        return expected_type(t.storage_type)
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t) or pa.types.is_binary_view(t):
        return pa.binary()
    if pa.types.is_date(t):
        return pa.date32()
    if pa.types.is_timestamp(t):
        # Columnar has one timestamp type, UTC instants: zone-less (and INT96) timestamps
        # keep their digits and gain the UTC zone (a documented exception below).
        return pa.timestamp("us", tz="UTC")
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t) or pa.types.is_list_view(t):
        return pa.list_(pa.field(t.value_field.name, expected_type(t.value_type), t.value_field.nullable))
    if pa.types.is_map(t):
        return pa.map_(expected_type(t.key_type), pa.field(t.item_field.name, expected_type(t.item_type), t.item_field.nullable))
    if pa.types.is_struct(t):
        return pa.struct([pa.field(f.name, expected_type(f.type), f.nullable) for f in t])
    return t


def same_type(want: pa.DataType, got: pa.DataType) -> bool:
    """Types equal up to field names of list elements and map entries and nullability."""
    if pa.types.is_list(want) and pa.types.is_list(got):
        return same_type(want.value_type, got.value_type)
    if pa.types.is_map(want) and pa.types.is_map(got):
        return same_type(want.key_type, got.key_type) and same_type(want.item_type, got.item_type)
    if pa.types.is_struct(want) and pa.types.is_struct(got):
        return [f.name for f in want] == [f.name for f in got] and all(same_type(a.type, b.type) for a, b in zip(want, got))
    if pa.types.is_timestamp(want) and pa.types.is_timestamp(got):
        return want.unit == got.unit and bool(want.tz) == bool(got.tz)
    return want.equals(got)


def normal(v):
    """A Python value in a form both sides agree on (floats by bits-insensitive equality)."""
    if v is None:
        return None
    if isinstance(v, dict):
        return {k: normal(x) for k, x in v.items()}
    if isinstance(v, list):
        # pyarrow's maps come back as lists of (key, value) tuples.
        return [normal(x) for x in v]
    if isinstance(v, tuple):
        return tuple(normal(x) for x in v)
    if isinstance(v, uuid.UUID):
        return str(v)
    if isinstance(v, float):
        return "NaN" if math.isnan(v) else v
    if isinstance(v, decimal.Decimal):
        return v.normalize() if v.is_finite() else str(v)
    if isinstance(v, datetime.datetime):
        if v.tzinfo is not None:
            v = v.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return v.replace(microsecond=v.microsecond)
    if isinstance(v, memoryview):
        return bytes(v)
    return v


def column_values(col: pa.ChunkedArray):
    t = col.type
    if isinstance(t, pa.ExtensionType) and t.extension_name == "arrow.uuid":
        return [None if x is None else str(uuid.UUID(bytes=x)) for x in col.cast(t.storage_type).to_pylist()]
    if pa.types.is_float16(t):
        return [None if x is None else float(x) for x in col.to_pylist()]
    if pa.types.is_timestamp(t):
        # Microseconds since the epoch (amlgraph's unit; nanoseconds floored, as it does),
        # so instants Python's datetime cannot hold compare too.
        ints = col.cast(pa.int64()).to_pylist()
        scale = {"s": (1_000_000, 1), "ms": (1000, 1), "us": (1, 1), "ns": (1, 1000)}[t.unit]
        return [None if x is None else x * scale[0] // scale[1] for x in ints]
    try:
        return col.to_pylist()
    except (pa.ArrowInvalid, OverflowError, ValueError):
        return col.cast(pa.int64()).to_pylist() if pa.types.is_timestamp(t) or pa.types.is_date(t) else col.to_pylist()


def first_difference(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if normal(x) != normal(y):
            return i, x, y
    if len(a) != len(b):
        return min(len(a), len(b)), f"{len(a)} rows", f"{len(b)} rows"
    return None


def check(path: Path, binary: str, tmp: Path):
    try:
        # INT96 as microseconds: pyarrow's default nanoseconds overflow past 2262 (parquet-testing's
        # int96_from_spark.md gives the microsecond values).
        want = pq.read_table(path, coerce_int96_timestamp_unit="us")
        pyarrow_error = None
    except Exception as e:  # noqa: BLE001 - any refusal counts
        want, pyarrow_error = None, f"{type(e).__name__}: {e}"
    out = tmp / (path.stem + ".out.parquet")
    if out.exists():
        out.unlink()
    proc = subprocess.run([binary, "convert", str(path), str(out), "--codec", "none"], capture_output=True, text=True, timeout=600)
    amlgraph_error = None if proc.returncode == 0 else (proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"])[-1]
    if pyarrow_error and amlgraph_error:
        return "both-fail", f"pyarrow: {pyarrow_error[:160]} | amlgraph: {amlgraph_error[:160]}"
    if pyarrow_error:
        return "extra", f"pyarrow: {pyarrow_error[:200]}"
    if amlgraph_error:
        return "refused", amlgraph_error[:300]
    got = pq.read_table(out)
    if got.column_names != want.column_names:
        return "mismatch", f"columns {got.column_names} vs pyarrow {want.column_names}"
    if got.num_rows != want.num_rows:
        return "mismatch", f"{got.num_rows} rows vs pyarrow {want.num_rows}"
    for name in want.column_names:
        wt, gt = want.column(name).type, got.column(name).type
        if not same_type(expected_type(wt), gt):
            return "mismatch", f"column {name}: type {gt}, expected {expected_type(wt)} for pyarrow's {wt}"
        try:
            diff = first_difference(column_values(want.column(name)), column_values(got.column(name)))
        except (OverflowError, ValueError):
            # Values Python's datetime cannot hold (years beyond 9999): compare in Arrow.
            diff = None if want.column(name).cast(gt).equals(got.column(name)) else (0, "(arrow)", "(arrow values differ)")
        if diff:
            i, x, y = diff
            return "mismatch", f"column {name} row {i}: amlgraph {str(y)[:120]!s} vs pyarrow {str(x)[:120]!s}"
    return "match", f"{want.num_rows} rows, {len(want.column_names)} columns"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path", help="directory (searched recursively) or a single Parquet file")
    ap.add_argument("--bin", default=os.environ.get("AMLGRAPH_BIN", str(ROOT / ".build" / "release" / "amlgraph")))
    ap.add_argument("--json", help="also write the results as JSON here")
    args = ap.parse_args()
    root = Path(args.path)
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file() and (p.suffix == ".parquet" or p.name.endswith(".parquet.encrypted")))
    results = []
    with tempfile.TemporaryDirectory() as d:
        for f in files:
            try:
                status, detail = check(f, args.bin, Path(d))
            except Exception as e:  # noqa: BLE001 - report, keep going
                status, detail = "mismatch", f"comparison failed: {type(e).__name__}: {e}"
            rel = str(f.relative_to(root)) if root.is_dir() else f.name
            results.append({"file": rel, "status": status, "detail": detail})
            print(f"{status:10} {rel}: {detail}", flush=True)
    counts = {}
    for r in results:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    print("summary: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1) + "\n")
    return 1 if counts.get("mismatch") or counts.get("refused") else 0


if __name__ == "__main__":
    sys.exit(main())
