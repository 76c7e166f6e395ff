"""The bench graph sizes shared by the graph workloads, and their cached input files."""
from gen_edges import generate

GRAPH_SIZES = {
    "100k/500k": dict(vertices=100_000, edges=500_000),
    "1M/5M": dict(vertices=1_000_000, edges=5_000_000),
    "1M/10M": dict(vertices=1_000_000, edges=10_000_000),
}


def graph_files(params):
    """{edges, vertices} CSVs from the deterministic power-law generator (seed 1), cached in
    bench/data/ (or params["dir"])."""
    extra = {"out": params["dir"]} if "dir" in params else {}
    edges, vertices = generate(params["vertices"], params["edges"], seed=params.get("seed", 1), **extra)
    return dict(edges=edges, vertices=vertices)
