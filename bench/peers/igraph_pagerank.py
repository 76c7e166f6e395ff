"""igraph PageRank (PRPACK, solved to convergence, damping 0.85), pyarrow CSV read. Saves the
scores (sum 1) for the agreement check when a path is given."""
import sys

from common import Stopwatch, report

import numpy as np
import pyarrow.csv as pacsv
import igraph as ig

clock = Stopwatch()  # imports excluded: the peers are timed from their first read

t = pacsv.read_csv(sys.argv[1], convert_options=pacsv.ConvertOptions(include_columns=["src", "dst"]))
src = t.column("src").to_numpy()
dst = t.column("dst").to_numpy()
load = clock.lap()
n = int(max(src.max(), dst.max())) + 1
g = ig.Graph(n=n, edges=np.column_stack([src, dst]), directed=True)
build = clock.lap()
scores = np.asarray(g.pagerank(damping=0.85, directed=True))
algo = clock.lap()
if len(sys.argv) > 2:
    np.save(sys.argv[2], scores / scores.sum())
report(load_s=load, build_s=build, algo_s=algo)
