"""The bench workloads, in the order they run and are reported.

To add one (PageRank, Delta read/write, motifs, entity resolution, matrices, ...): write
bench/workloads/<name>.py defining `WORKLOAD = Workload(...)` (see bench/harness.py and cc.py
for a complete example), put its peer scripts in bench/peers/, and list the module here.
`bench/run.py --only <name>` then runs it alone.
"""
from . import cc, er, pagerank, risk

WORKLOADS = [cc.WORKLOAD, risk.WORKLOAD, pagerank.WORKLOAD, er.WORKLOAD]
