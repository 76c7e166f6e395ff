"""Shared helpers for peer scripts: a monotonic stopwatch and the JSON line they print."""
import json
import sys
import time


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
