"""Bronze's typed columns from CSV text: amounts, timestamps and ids in plain and unusual
spellings (signs, exponents, white space, dates alone, offsets, non-ASCII digits, overflow)
are converted or rescued as Python's own parsers say (float, int, datetime.fromisoformat),
whichever internal path a field takes."""
import csv
import datetime as dt
import json
import math

import deltalake  # noqa: F401  (import before pyarrow, see ANCHORS.md)

AMOUNTS = ["12.5", "+3", "-4.25", "1e3", "2.5E-2", ".5", "7.", " 8.5 ", "\t9", "1,5", "abc", "1e", "--1",
           "nan", "inf", "-Infinity", "1e999", "١٢", "0.1000000000000000055511151231257827", "12345678901234567890.5"]
TIMES = ["2025-01-02T03:04:05Z", "2025-01-02T03:04:05.123456Z", "2025-01-02 03:04:05", "2025-01-02",
         " 2025-01-02T03:04:05Z ", "2025-02-30T00:00:00Z", "2025-01-02T03:04:05+02:00", "2025-01-02T03:04:05-05:30",
         "2025-01-02T03:04Z", "yesterday", "2025-01-02T03:04:05.5Z", "2024-02-29T23:59:59Z"]
IDS = ["11", "+12", " 13 ", "9223372036854775807", "-9223372036854775808", "0014"]


def py_float(text):
    t = text.strip()
    if not t or "_" in t or not t.isascii():
        return None
    try:
        return float(t)
    except ValueError:
        return None


def py_micros(text):
    t = text.strip()
    try:
        if len(t) == 10:
            d = dt.date.fromisoformat(t)
            v = dt.datetime(d.year, d.month, d.day, tzinfo=dt.timezone.utc)
        else:
            v = dt.datetime.fromisoformat(t.replace("Z", "+00:00"))
            if v.tzinfo is None:
                v = v.replace(tzinfo=dt.timezone.utc)
    except ValueError:
        return None
    delta = v - dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def test_typed_columns_follow_pythons_parsers(tmp_path, amlgraph):
    data = tmp_path / "data"
    data.mkdir()
    rows = []
    n = max(len(AMOUNTS), len(TIMES))
    for i in range(n):
        rows.append([1000 + i, IDS[i % len(IDS)], 5, AMOUNTS[i % len(AMOUNTS)], TIMES[i % len(TIMES)], "1 Main Street", "Ann Lee"])
    # Plain rows keep the quarantined share under the quality gate's 5%.
    for i in range(600):
        rows.append([5000 + i, 20 + i % 7, 30 + i % 5, f"{i * 1.25 + 0.01:.2f}", f"2025-03-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:{(7 * i) % 60:02d}Z",
                     "2 High Street", "Bo Chen"])
    n = len(rows)
    with open(data / "transactions.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["txn_id", "originator_id", "beneficiary_id", "txn_amount", "txn_ts", "rptd_originator_address", "rptd_originator_name"])
        w.writerows(rows)
    lake = tmp_path / "lake"
    amlgraph("pipeline", "--data", data, "--lake", lake, "--until", "silver", "--quiet")
    bronze = deltalake.DeltaTable(str(lake / "bronze" / "transactions")).to_pyarrow_table().to_pylist()
    assert len(bronze) == n
    for row, got in zip(rows, sorted(bronze, key=lambda r: r["txn_id"])):
        assert got["txn_id"] == row[0]
        assert got["originator_id"] == int(str(row[1]).strip())
        rescued = json.loads(got["_rescued_data"]) if got["_rescued_data"] else {}
        amount = py_float(str(row[3]))
        if amount is None:
            assert got["txn_amount"] is None and rescued.get("txn_amount") == row[3], row
        elif math.isnan(amount):
            assert math.isnan(got["txn_amount"]), row
        else:
            assert got["txn_amount"] == amount, row
        micros = py_micros(row[4])
        ts = got["txn_ts"]
        if micros is None:
            assert ts is None and rescued.get("txn_ts") == row[4], row
        else:
            assert ts is not None, row
            delta = ts - dt.datetime(1970, 1, 1, tzinfo=ts.tzinfo)
            assert (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds == micros, row
