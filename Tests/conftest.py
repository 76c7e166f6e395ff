"""Shared fixtures for the Python-side tests (interop cross-checks and the CLI contract)."""
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def amlgraph_bin() -> str:
    return os.environ.get("AMLGRAPH_BIN", str(ROOT / ".build" / "debug" / "amlgraph"))


@pytest.fixture(scope="session")
def amlgraph():
    """Runs the amlgraph binary; returns the CompletedProcess (text mode)."""
    path = amlgraph_bin()
    if not os.path.exists(path):
        pytest.fail(f"amlgraph binary not found at {path}; run `swift build` first")

    def run(*args, check=True, cwd=None):
        proc = subprocess.run([path, *map(str, args)], capture_output=True, text=True, cwd=cwd)
        if check and proc.returncode != 0:
            raise AssertionError(f"amlgraph {' '.join(map(str, args))} exited {proc.returncode}:\n{proc.stderr}")
        return proc

    return run


@pytest.fixture(scope="session")
def dataset():
    return ROOT / "datasets" / "small"
