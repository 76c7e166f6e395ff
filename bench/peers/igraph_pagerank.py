"""igraph PageRank (PRPACK, solved to convergence, damping 0.85), pyarrow CSV read. Saves the
scores (sum 1) for the agreement check when a path is given."""
import sys

from common import Stopwatch, read_edges, report

import numpy as np
import igraph as ig

clock = Stopwatch()  # imports excluded: the peers are timed from their first read

src, dst, n = read_edges(sys.argv[1])
load = clock.lap()
g = ig.Graph(n=n, edges=np.column_stack([src, dst]), directed=True)
build = clock.lap()
scores = np.asarray(g.pagerank(damping=0.85, directed=True))
algo = clock.lap()
if len(sys.argv) > 2:
    np.save(sys.argv[2], scores / scores.sum())
report(load_s=load, build_s=build, algo_s=algo)
