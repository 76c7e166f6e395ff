"""igraph connected_components(mode='weak'), pyarrow CSV read."""
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
cc = g.connected_components(mode="weak")
algo = clock.lap()
sizes = [s for s in cc.sizes()]
present = np.zeros(n, dtype=bool)
present[src] = True
present[dst] = True
report(load_s=load, build_s=build, algo_s=algo, total_s=clock.total(),
       components=len(sizes) - int((~present).sum()), largest=max(sizes))
