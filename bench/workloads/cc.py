"""Weakly connected components from an edge-list CSV (issue 2's headline workload).

Peers: networkit (pyarrow CSV + GraphFromCoo + WeaklyConnectedComponents, 2 threads),
scipy.sparse.csgraph, igraph, and networkx on the smallest size only. Every tool reports the
number of components among the vertices that occur in an edge, and the largest size; the
check requires them to equal scipy's (tools that number vertices 0..max id count each unused
id as an isolated component, which their scripts subtract).
"""
from harness import Context, Quoted, Target, Tool, Workload, peer
from workloads.graphs import GRAPH_SIZES, graph_files


def amlgraph(ctx: Context):
    return [ctx.binary, "components", "--edges", ctx.files["edges"], "--out", ctx.tmp / "amlgraph_cc.csv",
            "--timings-json", ctx.tmp / "amlgraph.timings.json", "--quiet"]


def check(ctx: Context, samples: dict) -> list:
    ref = samples.get("scipy")
    if ref is None:
        return []
    ctx.agreement = (f"{', '.join(samples)} agree with scipy: {ref['components']:,} "
                     f"component{'s' if ref['components'] != 1 else ''} "
                     f"(among vertices that occur in an edge), largest {ref['largest']:,}")
    return [f"{tool}: components/largest {s['components']}/{s['largest']} but scipy {ref['components']}/{ref['largest']}"
            for tool, s in samples.items()
            if (s.get("components"), s.get("largest")) != (ref["components"], ref["largest"])]


WORKLOAD = Workload(
    name="cc",
    title="Weakly connected components, CSV edge list in",
    sizes=GRAPH_SIZES,
    prepare=graph_files,
    tools=[
        Tool("amlgraph", amlgraph, timings_file=True),
        Tool("networkit", peer("networkit_cc.py")),
        Tool("scipy", peer("scipy_cc.py")),
        Tool("igraph", peer("igraph_cc.py")),
        Tool("networkx", peer("networkx_cc.py"), only_if=lambda ctx: ctx.params["edges"] <= 1_000_000),
    ],
    reference="networkit",
    targets={"1M/5M": [
        Target("CC ≥3× networkit, excluding load", "algo_s", peer="networkit", factor=3.0),
        Target("CC ≤ 0.1 s", "algo_s", limit=0.1),
        Target("CSV-to-result ≥2× networkit", "total_s", peer="networkit", factor=2.0),
        Target("peak RSS ≤ networkit", "rss_mb", peer="networkit"),
    ]},
    check=check,
    quoted=[
        Quoted("Spark 4.3 GraphX, local[2]", "1M/5M", algo_s=12.0, total_s=25.0,
               note="quoted from ANCHORS.md (10–14 s CC, ~25 s with load), not measured in this run"),
        Quoted("GraphFrames two_phase, local[2]", "1M/5M", algo_s=42.0, total_s=50.0,
               note="quoted from ANCHORS.md (~50 s with load), not measured in this run"),
    ],
)
