"""Shared helpers for peer scripts: a monotonic stopwatch, the edge-list reader and the JSON
line they print."""
import json
import sys
import time

import pyarrow.csv as pacsv  # imported here, before a peer starts its clock


class Stopwatch:
    def __init__(self):
        self.start = self.last = time.perf_counter()

    def lap(self):
        now = time.perf_counter()
        d, self.last = now - self.last, now
        return d

    def total(self):
        return time.perf_counter() - self.start


def report(**fields):
    json.dump(fields, sys.stdout)
    sys.stdout.write("\n")


def read_edges(path):
    """The `src` and `dst` columns of an edge CSV as numpy arrays (pyarrow's multi-threaded
    reader, as every peer uses), and the vertex count max(id) + 1."""
    t = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(include_columns=["src", "dst"]))
    src, dst = t.column("src").to_numpy(), t.column("dst").to_numpy()
    return src, dst, int(max(src.max(), dst.max())) + 1
