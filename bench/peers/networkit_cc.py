"""networkit WeaklyConnectedComponents: pyarrow CSV read, GraphFromCoo, 2 threads."""
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
cc = nk.components.WeaklyConnectedComponents(g)
cc.run()
algo = clock.lap()
sizes = cc.getComponentSizes()
# networkit numbers vertices 0..max id, so every id no edge uses is a component of its own;
# the harness compares components among the vertices that occur in an edge.
present = np.zeros(n, dtype=bool)
present[src] = True
present[dst] = True
isolated = int(n - present.sum())
report(load_s=load, build_s=build, algo_s=algo,
       components=cc.numberOfComponents() - isolated, components_incl_unused_ids=cc.numberOfComponents(),
       largest=max(sizes.values()))
