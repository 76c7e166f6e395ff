"""The bench workloads, in the order they run and are reported.

To add one: write
bench/workloads/<name>.py defining `WORKLOAD = Workload(...)` (see bench/harness.py and cc.py
for a complete example), put its peer scripts in bench/peers/, and list the module here.
`bench/run.py --only <name>` then runs it alone. The benches whose scripts measure several
operations against several peers in one process (Parquet, Delta, motif, matrix) are in
bench/extra/, run by bench/extras.py.
"""
from . import cc, er, increment, ingest, pagerank, pipeline, risk, typologies

WORKLOADS = [cc.WORKLOAD, risk.WORKLOAD, pagerank.WORKLOAD, er.WORKLOAD, pipeline.WORKLOAD, ingest.WORKLOAD, increment.WORKLOAD, typologies.WORKLOAD]
