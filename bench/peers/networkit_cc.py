"""networkit WeaklyConnectedComponents: pyarrow CSV read, GraphFromCoo, 2 threads."""
import sys

from common import Stopwatch, report

import numpy as np
import pyarrow.csv as pacsv
import networkit as nk

clock = Stopwatch()  # imports excluded: the peers are timed from their first read

nk.setNumberOfThreads(2)
t = pacsv.read_csv(sys.argv[1], convert_options=pacsv.ConvertOptions(include_columns=["src", "dst"]))
src = t.column("src").to_numpy().astype(np.uint64)
dst = t.column("dst").to_numpy().astype(np.uint64)
load = clock.lap()
n = int(max(src.max(), dst.max())) + 1
g = nk.GraphFromCoo((np.ones(len(src)), (src, dst)), n=n, directed=True, weighted=False)
build = clock.lap()
cc = nk.components.WeaklyConnectedComponents(g)
cc.run()
algo = clock.lap()
sizes = cc.getComponentSizes()
report(load_s=load, build_s=build, algo_s=algo, total_s=clock.total(),
       components=cc.numberOfComponents(), largest=max(sizes.values()))
