"""networkx weakly_connected_components (small sizes only), csv module read."""
import csv
import sys

from common import Stopwatch, report

import networkx as nx

clock = Stopwatch()  # imports excluded: the peers are timed from their first read

with open(sys.argv[1], newline="") as f:
    r = csv.reader(f)
    next(r)
    edges = [(int(a), int(b)) for a, b, *_ in r]
load = clock.lap()
g = nx.MultiDiGraph()
g.add_edges_from(edges)
build = clock.lap()
comps = list(nx.weakly_connected_components(g))
algo = clock.lap()
report(load_s=load, build_s=build, algo_s=algo, total_s=clock.total(),
       components=len(comps), largest=max(len(c) for c in comps))
