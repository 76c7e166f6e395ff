"""scipy.sparse.csgraph.connected_components (weak), pyarrow CSV read."""
import sys

from common import Stopwatch, read_edges, report

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

clock = Stopwatch()  # imports excluded: the peers are timed from their first read

src, dst, n = read_edges(sys.argv[1])
load = clock.lap()
a = sp.csr_matrix((np.ones(len(src), dtype=np.int32), (src, dst)), shape=(n, n))
build = clock.lap()
count, labels = connected_components(a, directed=True, connection="weak")
algo = clock.lap()
present = np.zeros(n, dtype=bool)
present[src] = True
present[dst] = True
used = labels[present]
sizes = np.bincount(used)
report(load_s=load, build_s=build, algo_s=algo,
       components=int((sizes > 0).sum()), largest=int(sizes.max()))
