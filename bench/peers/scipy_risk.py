"""The accelerator's risk rule as a scipy.sparse CSR mat-vec loop (the near-physical peer).

score_0 = base; each superstep every edge u->v sends score(u)/2, messages are summed, and
score(v) = base(v) + sum where v has an in-edge, otherwise unchanged (coalesce semantics).
Writes the final scores to argv[4] when given, for the bench's agreement check.
"""
import sys

from common import Stopwatch, report

import numpy as np
import pyarrow.csv as pacsv
import scipy.sparse as sp

clock = Stopwatch()  # imports excluded: the peers are timed from their first read

edges, vertices, steps = sys.argv[1], sys.argv[2], int(sys.argv[3])
t = pacsv.read_csv(edges, convert_options=pacsv.ConvertOptions(include_columns=["src", "dst"]))
v = pacsv.read_csv(vertices)
src = t.column("src").to_numpy()
dst = t.column("dst").to_numpy()
ids = v.column("id").to_numpy()
base = v.column("risk").to_numpy().astype(np.float64)
load = clock.lap()
n = len(ids)
at = sp.csr_matrix((np.full(len(src), 0.5), (dst, src)), shape=(n, n))
has_in = np.diff(at.indptr) > 0
build = clock.lap()
score = base.copy()
for _ in range(steps):
    msg = at @ score
    score = np.where(has_in, base + msg, score)
algo = clock.lap()
if len(sys.argv) > 4:
    np.save(sys.argv[4], score)
report(load_s=load, build_s=build, algo_s=algo, total_s=clock.total(), checksum=float(score.sum()))
