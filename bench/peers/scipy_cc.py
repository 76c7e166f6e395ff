"""scipy.sparse.csgraph.connected_components (weak), pyarrow CSV read."""
import sys

from common import Stopwatch, report

import numpy as np
import pyarrow.csv as pacsv
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

clock = Stopwatch()  # imports excluded: the peers are timed from their first read

t = pacsv.read_csv(sys.argv[1], convert_options=pacsv.ConvertOptions(include_columns=["src", "dst"]))
src = t.column("src").to_numpy()
dst = t.column("dst").to_numpy()
load = clock.lap()
n = int(max(src.max(), dst.max())) + 1
a = sp.csr_matrix((np.ones(len(src), dtype=np.int8), (src, dst)), shape=(n, n))
build = clock.lap()
count, labels = connected_components(a, directed=True, connection="weak")
algo = clock.lap()
present = np.zeros(n, dtype=bool)
present[src] = True
present[dst] = True
used = labels[present]
sizes = np.bincount(used)
report(load_s=load, build_s=build, algo_s=algo, total_s=clock.total(),
       components=int((sizes > 0).sum()), largest=int(sizes.max()))
