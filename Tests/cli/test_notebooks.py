"""Every notebook in notebooks-md/ runs, and its recorded outputs are what the commands print."""
from pathlib import Path

import pytest

from conftest import ROOT, amlgraph_bin

import importlib.util

spec = importlib.util.spec_from_file_location("notebooks", ROOT / "scripts" / "notebooks.py")
notebooks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(notebooks)


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks-md").glob("*.md")), ids=lambda p: p.name)
def test_notebook_outputs(path):
    failures = notebooks.run_notebook(path, amlgraph_bin(), update=False)
    assert not failures, "\n\n".join(failures)
