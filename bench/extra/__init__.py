"""The extra benches run by bench/extras.py, in the order they run and are reported: standalone
scripts that measure amlgraph and their peers side by side in one run and print one JSON object
(see extra/shape.py for why they are not harness workloads). To add one: write
bench/extra/<name>.py defining `EXTRA = Extra(...)` and list it here."""
from extra import delta, matrix, motif, parquet

EXTRAS = [parquet.EXTRA, delta.EXTRA, motif.EXTRA, matrix.EXTRA]
