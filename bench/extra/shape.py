"""The shape of an extra bench (bench/extras.py): a standalone script that measures amlgraph
and its peers side by side in one process run and prints one JSON object, and the table rows
made from that object.

The graph workloads (bench/workloads/) fit the harness: each tool is its own process reporting
load/build/algo seconds against one reference peer. These scripts do not: each measures several
operations, each against a different peer (pyarrow, delta-rs, DuckDB, numpy/scipy, timed inside
the script's own process), and the matrix figures come from a Swift test's log. So the
orchestrator runs the script once and an `Extra` turns its JSON into `Row`s.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable


@dataclass
class Settings:
    """What an extra's command line may use."""
    binary: str               # the amlgraph release binary
    quick: bool               # tiny sizes (BENCH_QUICK=1 or --quick): a smoke test, not figures to quote
    data: Path                # the extra's data folder (cached inputs, scratch output)
    accel5_cap: float | None  # motif: seconds after which DuckDB's 5-edge query is interrupted (None: no cap)
    skip_accel5: bool         # motif: run the 5-edge accelerator motif on neither side
    swift_log: Path | None    # matrix: an existing MatrixBenchTests log to read instead of running the tests
    run_swift: bool           # matrix: run MatrixBenchTests (a release test build) when no swift_log is given


@dataclass
class Row:
    """One operation: amlgraph's seconds beside the peer's, the agreement check and the target.
    `agrees` and `met` are None where the script has no check or the issues set no target."""
    operation: str
    ours: float | None
    peer: str
    theirs: float | None
    ours_note: str = ""
    theirs_note: str = ""
    agreement: str = ""
    agrees: bool | None = None
    target: str = ""
    met: bool | None = None
    speedup_note: str = ""    # replaces the computed ratio when a side has no time (e.g. a capped peer)


@dataclass
class Extra:
    name: str
    title: str
    script: str                                    # path under bench/
    args: Callable[[Settings, dict], list]         # the script's arguments, given the settings and prepare's result
    size: Callable[[Settings], str]                # the size label shown in the table
    rows: Callable[[dict], list]                   # the script's JSON -> [Row]
    prepare: Callable[[Settings], dict] = lambda s: {}   # runs before the script; its result is stored beside the JSON
    notes: Callable[[dict], list] = lambda raw: []       # extra Markdown lines below the table


def faster(ours, theirs, factor=1.0):
    """ours · factor ≤ theirs (lower is better), or None when either side is missing."""
    if ours is None or theirs is None:
        return None
    return ours * factor <= theirs
