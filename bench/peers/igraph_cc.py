"""igraph connected_components(mode='weak'), pyarrow CSV read."""
import sys

from common import Stopwatch, read_edges, report

import numpy as np
import igraph as ig

clock = Stopwatch()  # imports excluded: the peers are timed from their first read

src, dst, n = read_edges(sys.argv[1])
load = clock.lap()
g = ig.Graph(n=n, edges=np.column_stack([src, dst]), directed=True)
build = clock.lap()
cc = g.connected_components(mode="weak")
algo = clock.lap()
sizes = [s for s in cc.sizes()]
present = np.zeros(n, dtype=bool)
present[src] = True
present[dst] = True
report(load_s=load, build_s=build, algo_s=algo,
       components=len(sizes) - int((~present).sum()), largest=max(sizes))
