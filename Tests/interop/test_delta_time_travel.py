"""Time travel by timestamp (issue 17): a commit's time is its file's modification time, or its
in-commit timestamp once those are enabled (PROTOCOL.md), found by binary search. Checked
against delta-rs's load_as_version(datetime) and against the protocol's definition computed
here."""
import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

PY = sys.executable

DELTARS = r'''
import sys, json, datetime
import deltalake
dt = deltalake.DeltaTable(sys.argv[1])
out = {}
for ms in json.loads(sys.argv[2]):
    try:
        dt.load_as_version(datetime.datetime.fromtimestamp(ms / 1000, tz=datetime.timezone.utc))
        out[ms] = dt.version()
    except Exception:
        out[ms] = None
print(json.dumps(out))
import os
sys.stdout.flush()
os._exit(0)
'''


def version_at(amlgraph, lake, ms):
    p = amlgraph("delta", "show", lake, "--timestamp", str(ms), check=False)
    if p.returncode != 0:
        assert "no version was committed" in p.stderr, p.stderr
        return None
    return int(next(l for l in p.stdout.splitlines() if l.startswith("version: ")).split()[1])


def test_timestamp_follows_commit_file_times_like_delta_rs(amlgraph, tmp_path):
    lake = tmp_path / "t"
    csv = tmp_path / "a.csv"
    for i in range(25):
        csv.write_text(f"id\n{i}\n")
        amlgraph("delta", "write", csv, lake)  # checkpoints at 10 and 20
    base = 1_600_000_000_000
    times = {}
    for v in range(25):
        t = base + v * 60_000 + (v % 3) * 7  # uneven gaps; commitInfo.timestamp stays "now"
        os.utime(lake / "_delta_log" / f"{v:020d}.json", ns=(t * 1_000_000, t * 1_000_000))
        times[v] = t
    probes = [base - 1, base, base + 1] + [times[v] + d for v in (3, 9, 10, 11, 19, 20, 24) for d in (-1, 0, 1)] + [base + 10**9]
    p = subprocess.run([PY, "-c", DELTARS, str(lake), json.dumps(probes)], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    theirs = {int(k): v for k, v in json.loads(p.stdout.strip().splitlines()[-1]).items()}
    for ms in probes:
        expected = max((v for v, t in times.items() if t <= ms), default=None)
        assert version_at(amlgraph, lake, ms) == expected, ms
        # Before the first commit amlgraph says no version exists (as Spark does); delta-rs
        # answers version 0 there.
        assert theirs[ms] == (expected if expected is not None else 0), ms
    # The rows are those of that version.
    out = tmp_path / "r.csv"
    amlgraph("delta", "read", lake, "--timestamp", str(times[11] + 5), "--out", out)
    assert sorted(int(x) for x in out.read_text().split()[1:]) == list(range(12))


def test_in_commit_timestamps_take_over_from_their_enablement_version(amlgraph, tmp_path):
    """Versions 0-3 without in-commit timestamps (file times), 4-9 with them; the files' own
    times are deliberately wrong from version 4 on and must not matter."""
    lake = tmp_path / "ict"
    log = lake / "_delta_log"
    log.mkdir(parents=True)
    schema = json.dumps({"type": "struct", "fields": [{"name": "id", "type": "long", "nullable": True, "metadata": {}}]})
    file_time = {v: 1_700_000_000_000 + v * 1000 for v in range(4)}
    ict = {v: 1_700_000_010_000 + (v - 4) * 500 for v in range(4, 10)}
    for v in range(10):
        actions = []
        if v >= 4:
            actions.append({"commitInfo": {"inCommitTimestamp": ict[v], "timestamp": 5, "operation": "WRITE"}})
        else:
            actions.append({"commitInfo": {"timestamp": 5, "operation": "WRITE"}})
        if v == 0:
            actions += [{"protocol": {"minReaderVersion": 1, "minWriterVersion": 2}},
                        {"metaData": {"id": "i", "format": {"provider": "parquet", "options": {}}, "schemaString": schema,
                                      "partitionColumns": [], "configuration": {}, "createdTime": 0}}]
        if v == 4:
            actions.append({"metaData": {"id": "i", "format": {"provider": "parquet", "options": {}}, "schemaString": schema,
                                         "partitionColumns": [], "createdTime": 0,
                                         "configuration": {"delta.enableInCommitTimestamps": "true",
                                                           "delta.inCommitTimestampEnablementVersion": "4",
                                                           "delta.inCommitTimestampEnablementTimestamp": str(ict[4])}}})
        path = log / f"{v:020d}.json"
        path.write_text("".join(json.dumps(a) + "\n" for a in actions))
        t = file_time.get(v, 1_000)  # versions 4+ get a file time far in the past
        os.utime(path, ns=(t * 1_000_000, t * 1_000_000))
    times = {**file_time, **ict}
    for ms in [file_time[0] - 1, file_time[0], file_time[2] + 1, file_time[3] + 5, ict[4] - 1, ict[4], ict[6] + 1, ict[9], ict[9] + 10**6]:
        expected = max((v for v, t in times.items() if t <= ms), default=None)
        assert version_at(amlgraph, lake, ms) == expected, ms
