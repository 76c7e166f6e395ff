"""The pieces a bench workload is made of, and how one measurement is taken.

A workload (see bench/workloads/) is a `Workload`: named sizes, a `prepare` step that
returns its (cached) input files, a list of `Tool`s that each run as one fresh process, the
peer the speedups are quoted against, `Target`s, a `check` that cross-checks the tools'
answers, and optional `Quoted` figures from ANCHORS.md that this run does not measure.

Every tool reports at least `load_s`, `build_s` and `algo_s`; the harness adds `total_s`
(load + build + algo, i.e. input file to result in memory, the same span for every tool),
`wall_s` (the whole process, imports and output writing included) and `rss_mb` (peak
resident set of the process, from wait4's rusage, or the tool's own `peak_rss_mb` when larger).

A workload with no peer (the whole pipeline) has `reference=None`; its tool reports stages
instead (`<stage>_s` and `<stage>_peak_rss_mb`, summed into total_s through `Tool.total_of`),
and its `CapabilityPeer`s point each stage to the workload where that capability does have a
peer (synthetic identity -> cc, risk propagation -> risk).
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
PY = sys.executable
PEERS = HERE / "peers"


@dataclass
class Context:
    """What a tool's command line and a check may use for one (workload, size)."""
    binary: str          # the amlgraph release binary
    size: str            # the size label, e.g. "1M/5M"
    params: dict         # the workload's parameters for that size
    files: dict          # name -> Path, from Workload.prepare
    tmp: Path            # a scratch directory shared by the tools of this size (outputs for checks)
    agreement: str = ""  # set by a workload's check: what was compared and found equal


@dataclass
class Tool:
    """One contender. `argv(ctx)` is its command line. With `timings_file`, the tool writes its
    JSON timings to ctx.tmp/<name>.timings.json (amlgraph's --timings-json); otherwise its
    last stdout line is the JSON. `only_if(ctx)` skips sizes a tool is too slow for."""
    name: str
    argv: Callable[[Context], list]
    timings_file: bool = False
    only_if: Callable[[Context], bool] = lambda ctx: True
    total_of: tuple = ("load_s", "build_s", "algo_s")   # the reported fields summed into total_s

    def timings_path(self, ctx: Context) -> Path:
        return ctx.tmp / f"{self.name}.timings.json"


@dataclass
class Target:
    """A goal for amlgraph at one size: `metric` compared with `peer` by `factor`
    (lower is better: ours · factor ≤ peer's; higher is better: ours ≥ peer's · factor),
    and/or with an absolute `limit`."""
    label: str
    metric: str
    peer: str | None = None
    factor: float = 1.0
    limit: float | None = None
    higher_is_better: bool = False

    def evaluate(self, samples: dict) -> dict | None:
        ours = samples.get("amlgraph", {}).get(self.metric)
        if ours is None:
            return None
        theirs = samples.get(self.peer, {}).get(self.metric) if self.peer else None
        if self.peer and theirs is None:
            return None
        met = True
        if theirs is not None:
            met &= ours >= theirs * self.factor if self.higher_is_better else ours * self.factor <= theirs
        if self.limit is not None:
            met &= ours >= self.limit if self.higher_is_better else ours <= self.limit
        return dict(label=self.label, metric=self.metric, peer=self.peer, factor=self.factor, limit=self.limit,
                    ours=ours, theirs=theirs, met=bool(met))


@dataclass
class Quoted:
    """A figure from ANCHORS.md shown beside the measured rows, never as a measurement."""
    tool: str
    size: str
    algo_s: float | None = None
    total_s: float | None = None
    note: str = "quoted from ANCHORS.md, not measured in this run"


@dataclass
class CapabilityPeer:
    """Points a stage of a peerless workload to the workload that measures the same capability
    against a peer: `metric` of that workload's rows (amlgraph beside its reference) is quoted
    beside the stage. `note` says what differs (graph, rule, iterations)."""
    stage: str          # e.g. "gold.synthetic_identity"
    workload: str       # e.g. "cc"
    capability: str     # e.g. "connected components"
    metric: str = "algo_s"
    note: str = ""


@dataclass
class Workload:
    name: str
    title: str
    sizes: dict                                   # label -> params (free-form, for prepare/argv)
    prepare: Callable[[dict], dict]               # params -> {name: Path}; must cache
    tools: list
    reference: str | None                         # the peer speedups are quoted against; None: no peer
    targets: dict = field(default_factory=dict)   # size label -> [Target]
    check: Callable[[Context, dict], list] = lambda ctx, samples: []   # -> disagreements; may set ctx.agreement
    quoted: list = field(default_factory=list)    # [Quoted]
    default_sizes: list | None = None             # sizes run by default (None = all)
    capability_peers: list = field(default_factory=list)   # [CapabilityPeer], for a workload with no peer


def measure(argv: list) -> tuple[float, float, str]:
    """Runs argv as a fresh process; returns (wall seconds, peak RSS MB, stdout).
    wait4 gives this one child's rusage, so nothing else on the machine is counted."""
    argv = [str(a) for a in argv]
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # Drain the pipes before reaping, or a chatty child could block on a full pipe.
    out, err = proc.stdout.read(), proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stdout.close()
    proc.stderr.close()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited with {proc.returncode}:\n{err.decode(errors='replace')[-2000:]}")
    return wall, usage.ru_maxrss / 1024, out.decode()   # ru_maxrss is in KiB on Linux


def run_tool(tool: Tool, ctx: Context) -> dict:
    """One fresh-process run of a tool: its timings plus total_s, wall_s and rss_mb."""
    argv = tool.argv(ctx)
    wall, rss, out = measure(argv)
    if tool.timings_file:
        sample = json.loads(tool.timings_path(ctx).read_text())
    else:
        lines = out.strip().splitlines()
        if not lines:
            raise RuntimeError(f"{tool.name} printed no JSON timings")
        sample = json.loads(lines[-1])
    sample["total_s"] = sum(sample.get(k, 0) for k in tool.total_of)
    sample["wall_s"] = wall
    # A tool that resets the kernel's high-water mark per stage (/proc/self/clear_refs) hides its
    # earlier peaks from wait4, which reports the mark at exit: its own maximum over the stages
    # (`peak_rss_mb`) is then the process's peak.
    if "peak_rss_mb" in sample:
        sample["wait4_rss_mb"] = rss
    sample["rss_mb"] = max(rss, sample.get("peak_rss_mb", 0))
    return sample


def median_sample(runs: list) -> dict:
    """Per-field median of numeric fields (each field on its own); other fields from run 1."""
    out = dict(runs[0])
    for k, v in runs[0].items():
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            out[k] = statistics.median(r[k] for r in runs)
    out["runs"] = len(runs)
    return out


def peer(script: str, *args: Callable[[Context], object]) -> Callable[[Context], list]:
    """argv builder for a bench/peers script: `python peers/script edges [more args]`."""
    return lambda ctx: [PY, PEERS / script, ctx.files["edges"], *(a(ctx) for a in args)]
