"""The HTML report renders in a real browser (Debian's headless Chromium, installed by
`make setup`): no console errors, the key sections exist, a screenshot is taken, and the page
is self-contained (no scripts, no network references)."""
import re
import shutil
import subprocess

import pytest


def chromium():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("chromium not found: `make setup` installs Debian's chromium package")
    return path


def build_lake(tmp_path, amlgraph, dataset):
    lake = tmp_path / "lake"
    lake.mkdir()
    amlgraph("synthetic-ids", "--entities", dataset / "entities.csv", "--out", lake / "synthetic_identity.csv")
    amlgraph("risk", "--transactions", dataset / "transactions.csv", "--entities", dataset / "entities.csv",
             "--rule", "weighted", "--max-iter", 10, "--out", lake / "risk_propagation.csv")
    amlgraph("address-flags", "--entities", dataset / "entities.csv", "--out", lake / "address_flags.csv")
    amlgraph("alerts", "--entities", dataset / "entities.csv", "--synthetic-identity", lake / "synthetic_identity.csv",
             "--risk", lake / "risk_propagation.csv", "--address-flags", lake / "address_flags.csv", "--out", lake / "alerts.csv")
    shutil.copy(dataset / "entities.csv", lake / "entities.csv")
    shutil.copy(dataset / "transactions.csv", lake / "transactions.csv")
    return lake


def test_report_renders_in_headless_chromium(tmp_path, amlgraph, dataset):
    lake = build_lake(tmp_path, amlgraph, dataset)
    report = tmp_path / "report.html"
    amlgraph("report", "--lake", lake, "--out", report)
    html = report.read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert not re.search(r"(src|href)\s*=\s*\"(https?:)?//", html), "the report must not load anything from the network"

    common = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
              "--enable-logging=stderr", "--v=0", "--window-size=1300,2600"]
    shot = tmp_path / "report.png"
    proc = subprocess.run(common + [f"--screenshot={shot}", report.as_uri()], capture_output=True, text=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 10_000, proc.stderr[-2000:]
    console = [l for l in proc.stderr.splitlines() if "CONSOLE" in l]
    assert not [l for l in console if "rror" in l or "Uncaught" in l], console

    dom = subprocess.run(common + ["--dump-dom", report.as_uri()], capture_output=True, text=True, timeout=120).stdout
    for element_id in ["kpis", "structuring", "synthetic-identity", "risk", "quality", "alerts", "neighbourhoods",
                       "tier-chart", "risk-histogram", "alerts-table", "graph-1", "graph-5"]:
        assert f'id="{element_id}"' in dom, element_id
    alerts_rows = len(open(lake / "alerts.csv", encoding="utf-8").read().splitlines()) - 1
    assert f"{alerts_rows} entities raised" in dom
    # Every neighbourhood drawing labels its edges with amounts.
    assert dom.count('class="amount') >= 5


def test_report_on_an_empty_lake_says_what_is_missing(tmp_path, amlgraph):
    (tmp_path / "lake").mkdir()
    amlgraph("report", "--lake", tmp_path / "lake", "--out", tmp_path / "r.html")
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    for table in ["structuring", "synthetic_identity", "risk_propagation", "quality_metrics", "alerts"]:
        assert f"No <code>{table}</code> table in this lake." in html
    proc = amlgraph("report", "--lake", tmp_path / "nope", "--out", tmp_path / "x.html", check=False)
    assert proc.returncode == 1 and "no such folder" in proc.stderr
    assert not (tmp_path / "x.html").exists()
