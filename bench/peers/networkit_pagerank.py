"""networkit PageRank, 20 iterations (damping 0.85), pyarrow CSV read, 2 threads. Saves the
scores (normalised to sum 1) for the agreement check when a path is given."""
import sys

from common import Stopwatch, read_edges, report

import numpy as np
import networkit as nk

clock = Stopwatch()  # imports excluded: the peers are timed from their first read

nk.setNumberOfThreads(2)
src, dst, n = read_edges(sys.argv[1])
src, dst = src.astype(np.uint64), dst.astype(np.uint64)
load = clock.lap()
g = nk.GraphFromCoo((np.ones(len(src)), (src, dst)), n=n, directed=True, weighted=False)
build = clock.lap()
pr = nk.centrality.PageRank(g, damp=0.85, tol=1e-300)
pr.maxIterations = int(sys.argv[2])
pr.run()
algo = clock.lap()
if len(sys.argv) > 3:
    scores = np.asarray(pr.scores())
    np.save(sys.argv[3], scores / scores.sum())
report(load_s=load, build_s=build, algo_s=algo, iterations=int(sys.argv[2]))
