"""The HTML report opened in a real browser (Debian's headless Chromium, installed by
`make setup`) on a lake written by `amlgraph pipeline`, with every figure checked against an
independent read of the Delta tables by delta-rs/pyarrow: the alerts come first; the first
alert's link leads to a section holding its reasons, its evidence transaction ids, a timeline
and a neighbourhood drawing whose figures match the transactions table; paging and search
reach the last alert; every gold table has a section with its row count; entity names holding
markup and quotes are shown as text, never run; nothing is loaded from the network."""
import csv
import math
import re
import shutil
import subprocess
from html.parser import HTMLParser

import deltalake  # noqa: F401  (import before pyarrow, see ANCHORS.md)
import pytest

HOSTILE = "<script>document.title='pwned'</script>\"quoted\" & <b>bold</b>"
PAGE_SIZE = 25


# --- a small DOM built from Chromium's --dump-dom output (stdlib only) ---------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        for c in self.children:
            if isinstance(c, Node):
                yield c
                yield from c.iter()

    def find_all(self, tag=None, cls=None, pred=None):
        return [n for n in self.iter() if (tag is None or n.tag == tag)
                and (cls is None or cls in n.attrs.get("class", "").split())
                and (pred is None or pred(n))]

    def hidden(self):
        """True when this element or an ancestor carries the `hidden` attribute."""
        n = self
        while n is not None:
            if "hidden" in n.attrs:
                return True
            n = n.parent
        return False


class DOM(HTMLParser):
    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.cur = self.root
        self.feed(text)
        self.ids = {n.attrs["id"]: n for n in self.root.iter() if "id" in n.attrs}

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)


# --- the browser ------------------------------------------------------------------------

def chromium():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("chromium not found: `make setup` installs Debian's chromium package")
    return path


COMMON = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--enable-logging=stderr", "--v=0"]


def browse(url, *extra):
    proc = subprocess.run([chromium(), *COMMON, *extra, url], capture_output=True, text=True, timeout=180)
    errors = [l for l in proc.stderr.splitlines() if "CONSOLE" in l and ("rror" in l or "Uncaught" in l)]
    assert not errors, errors
    return proc


def dom(url):
    proc = browse(url, "--dump-dom")
    assert "</html>" in proc.stdout, proc.stderr[-2000:]
    return DOM(proc.stdout)


# --- the lake and its independent reading -------------------------------------------------

def read_delta(path):
    return deltalake.DeltaTable(str(path)).to_pyarrow_dataset().to_table()


@pytest.fixture(scope="module")
def lake(tmp_path_factory, amlgraph, dataset):
    """The pipeline on datasets/small with every entity's name carrying markup and quotes."""
    root = tmp_path_factory.mktemp("report")
    data = root / "data"
    data.mkdir()
    for name in ["transactions.csv", "dedupe.csv"]:
        shutil.copy(dataset / name, data / name)
    with open(dataset / "entities.csv", newline="", encoding="utf-8") as src:
        rows = list(csv.DictReader(src))
    for r in rows:
        r["name"] = f"{r['name']} {HOSTILE}"
    with open(data / "entities.csv", "w", newline="", encoding="utf-8") as out:
        w = csv.DictWriter(out, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    lake = root / "lake"
    amlgraph("pipeline", "--data", data, "--lake", lake, "--quiet")
    report = root / "report.html"
    amlgraph("report", "--lake", lake, "--out", report, "--page-size", PAGE_SIZE, "--quiet")
    return lake, report


def alert_rows(lake):
    return read_delta(lake / "gold" / "alerts").sort_by("rank").to_pylist()


def evidence_txns(evidence):
    """Transaction ids named by `txns=a|b|c` anywhere in an alert's evidence."""
    out = []
    for m in re.finditer(r"txns=([^;, ]*)", evidence or ""):
        out += [t for t in m.group(1).split("|") if t]
    return out


def shown_number(x):
    """How the report prints an amount: thousands separators, whole units from 100 up, two
    decimals below 100 unless whole; halves round away from zero."""
    whole = math.floor(abs(x) + 0.5) * (1 if x >= 0 else -1)
    if abs(x) < 100 and x != whole:
        return f"{x:.2f}"
    return f"{whole:,}"


# --- the tests ------------------------------------------------------------------------------

def test_the_page_is_self_contained(lake):
    _, report = lake
    html = report.read_text(encoding="utf-8")
    assert len(re.findall(r"<script\b", html)) == 1 and not re.search(r"<script[^>]*\bsrc=", html)
    assert not re.search(r"(src|href)\s*=\s*\"(https?:)?//", html), "the report must not load anything from the network"
    assert "url(http" not in html and "@import" not in html
    assert "<link" not in html


def test_alerts_come_first_and_the_first_alert_leads_to_its_evidence(lake):
    lake_path, report = lake
    alerts = alert_rows(lake_path)
    assert len(alerts) > PAGE_SIZE, "the test needs more alerts than one page"
    doc = dom(report.as_uri())

    main = doc.root.find_all("main")[0]
    sections = main.find_all("section")
    assert sections[0].attrs["id"] == "alerts"
    rows = doc.ids["alert-queue"].find_all("tr", cls="alert-row")
    assert len(rows) == len(alerts)
    assert [r.attrs["data-id"] for r in rows] == [str(a["entity_id"]) for a in alerts]
    assert sum(not r.hidden() for r in rows) == PAGE_SIZE
    assert f"{len(alerts)} alerts" in doc.ids["page-status"].text()

    first = alerts[0]
    link = rows[0].find_all("a")[0]
    assert link.text() == str(first["entity_id"])
    section = doc.ids[link.attrs["href"].lstrip("#")]
    assert section.tag == "article" and not section.hidden()
    assert section.attrs["data-id"] == str(first["entity_id"])

    # Its reasons, each with the evidence the alerts table holds.
    shown_reasons = [li.attrs["data-reason"] for li in section.find_all("li", cls="reason")]
    assert shown_reasons == first["reasons"].split("|")
    shown_txns = {c.text() for c in section.find_all("code", cls="txn-id")}
    wanted = evidence_txns(first["evidence"])
    assert wanted, "the first alert should name transactions as evidence"
    assert set(wanted) <= shown_txns
    # The name is shown as text: markup and quotes intact, nothing run.
    assert HOSTILE in section.find_all("h3")[0].text()

    # Its payments, against the silver transactions read by delta-rs.
    tx = read_delta(lake_path / "silver" / "transactions").to_pylist()
    me = str(first["entity_id"])
    out = [t for t in tx if str(t["originator_id"]) == me]
    inn = [t for t in tx if str(t["beneficiary_id"]) == me]
    summary = section.find_all("p", cls="activity-summary")[0]
    assert int(summary.attrs["data-count"]) == len(out) + len(inn)
    assert int(summary.attrs["data-out-count"]) == len(out) and int(summary.attrs["data-in-count"]) == len(inn)
    assert float(summary.attrs["data-out-total"]) == pytest.approx(sum(t["txn_amount"] for t in out), rel=1e-9)
    assert float(summary.attrs["data-in-total"]) == pytest.approx(sum(t["txn_amount"] for t in inn), rel=1e-9)
    counterparties = {str(t["beneficiary_id"]) for t in out} | {str(t["originator_id"]) for t in inn}
    assert f"{len(out) + len(inn)} payment(s) with {len(counterparties)} counterpart" in summary.text()

    # The timeline: one mark per payment, direction by shape, the evidence payments ringed.
    timeline = [s for s in section.find_all("svg") if s.attrs.get("id", "").startswith("timeline-")]
    assert len(timeline) == 1
    marks = [n for n in timeline[0].iter() if "data-txn" in n.attrs]
    assert sorted(m.attrs["data-txn"] for m in marks) == sorted(str(t["txn_id"]) for t in out + inn)
    assert {m.attrs["data-txn"] for m in marks if m.tag == "circle"} == {str(t["txn_id"]) for t in out}
    assert {m.attrs["data-txn"] for m in marks if m.tag == "rect"} == {str(t["txn_id"]) for t in inn}
    own = {str(t["txn_id"]) for t in out + inn}
    ringed = {m.attrs["data-txn"] for m in marks if "evidence" in m.attrs["class"].split()}
    assert ringed == own & set(wanted)

    # The evidence payments: each named transaction with its parties and amount, in time order.
    by_id = {str(t["txn_id"]): t for t in tx}
    row_of = {str(t["txn_id"]): i for i, t in enumerate(tx)}
    table = section.find_all("table", cls="evidence-payments")[0]
    listed = table.find_all("tr", pred=lambda n: "data-txn" in n.attrs)
    named = sorted({t for t in wanted if t in by_id}, key=lambda t: (by_id[t]["txn_ts"], row_of[t]))
    assert [r.attrs["data-txn"] for r in listed] == named[:40]
    for r in listed:
        t = by_id[r.attrs["data-txn"]]
        cells = r.find_all("td")
        assert cells[2].text().split(" ")[0] == str(t["originator_id"]) and cells[3].text().split(" ")[0] == str(t["beneficiary_id"])
        assert cells[4].text() == shown_number(t["txn_amount"])
        assert ("own" in r.attrs.get("class", "")) == (me in (str(t["originator_id"]), str(t["beneficiary_id"])))

    # The neighbourhood: names and amounts on the drawing, alerted counterparties linked to
    # their own sections.
    graph = [s for s in section.find_all("svg") if s.attrs.get("id", "").startswith("graph-")]
    assert len(graph) == 1
    flows = {}
    for t in out:
        flows.setdefault(str(t["beneficiary_id"]), [0.0, 0.0])[0] += t["txn_amount"]
    for t in inn:
        flows.setdefault(str(t["originator_id"]), [0.0, 0.0])[1] += t["txn_amount"]
    top = sorted(flows, key=lambda k: (-(flows[k][0] + flows[k][1]), k))[:12]
    labels = [n.text() for n in graph[0].find_all("text", cls="amount")]
    expected_labels = [shown_number(v) for k in top for v in flows[k] if v > 0]
    assert sorted(labels) == sorted(expected_labels)
    names = [n.text() for n in graph[0].find_all("text", cls="node-name")]
    assert len(names) == len(top) and all(n for n in names)
    alerted_ids = {str(a["entity_id"]) for a in alerts}
    links = {doc.ids[a.attrs["href"].lstrip("#")].attrs["data-id"] for a in graph[0].find_all("a", cls="node-link")}
    assert links == {k for k in top if k in alerted_ids}


def test_paging_search_and_links_reach_the_last_alert(lake):
    lake_path, report = lake
    alerts = alert_rows(lake_path)
    last = alerts[-1]
    n = len(alerts)

    doc = dom(report.as_uri())
    assert doc.ids[f"alert-{n}"].hidden(), "only the current page's sections show"

    doc = dom(report.as_uri() + "?page=last")
    visible = [r for r in doc.ids["alert-queue"].find_all("tr", cls="alert-row") if not r.hidden()]
    assert visible[-1].attrs["data-id"] == str(last["entity_id"])
    assert len(visible) == n - (n - 1) // PAGE_SIZE * PAGE_SIZE
    assert not doc.ids[f"alert-{n}"].hidden()

    doc = dom(report.as_uri() + f"?q={last['entity_id']}")
    visible = [r for r in doc.ids["alert-queue"].find_all("tr", cls="alert-row") if not r.hidden()]
    assert visible[0].attrs["data-id"] == str(last["entity_id"]), "an exact id comes first"
    assert all(str(last["entity_id"]) in r.text() for r in visible)
    section = doc.ids[visible[0].find_all("a")[0].attrs["href"].lstrip("#")]
    assert not section.hidden()
    assert [li.attrs["data-reason"] for li in section.find_all("li", cls="reason")] == last["reasons"].split("|")

    doc = dom(report.as_uri() + f"#alert-{n}")
    assert not doc.ids[f"alert-{n}"].hidden()


def test_every_gold_table_has_a_section_with_its_row_count(lake):
    lake_path, report = lake
    doc = dom(report.as_uri())
    gold = sorted(p.name for p in (lake_path / "gold").iterdir() if (p / "_delta_log").exists())
    assert "alerts" in gold and len(gold) >= 10
    for name in gold:
        section = doc.ids[f"table-{name}"]
        assert section.attrs["data-table"] == name
        rows = read_delta(lake_path / "gold" / name).num_rows
        assert f"{rows:,} row(s)" in section.find_all("h2")[0].text(), name
        body = section.find_all("tbody")
        shown = len(body[0].find_all("tr")) if body else 0
        if name == "alerts":  # its rows are the queue
            assert shown == 0 and section.find_all("a", pred=lambda a: a.attrs.get("href") == "#alerts")
            continue
        assert shown == min(rows, 50), name
        if rows > 50:
            assert f"{rows - 50:,} more" in section.text()
    quality = read_delta(lake_path / "silver" / "quality_metrics").num_rows
    assert f"{quality:,} row(s)" in doc.ids["table-quality_metrics"].text()


def test_hostile_names_are_text_and_the_page_renders(lake, tmp_path):
    lake_path, report = lake
    doc = dom(report.as_uri())
    assert [n.text() for n in doc.root.find_all("head")[0].find_all("title")] == ["amlgraph report"]
    assert len(doc.root.find_all("script")) == 1
    assert not doc.root.find_all("b", pred=lambda n: n.text() == "bold")
    names = [r.find_all("td")[2].text() for r in doc.ids["alert-queue"].find_all("tr", cls="alert-row")]
    assert all(HOSTILE in n for n in names)

    shot = tmp_path / "report.png"
    browse(report.as_uri(), f"--screenshot={shot}", "--window-size=1300,2400")
    assert shot.exists() and shot.stat().st_size > 10_000


def test_a_flat_folder_and_an_empty_lake(tmp_path, amlgraph, dataset):
    flat = tmp_path / "flat"
    flat.mkdir()
    amlgraph("synthetic-ids", "--entities", dataset / "entities.csv", "--out", flat / "synthetic_identity.csv")
    amlgraph("structuring", "--transactions", dataset / "transactions.csv", "--entities", dataset / "entities.csv",
             "--out", flat / "structuring.csv")
    shutil.copy(dataset / "entities.csv", flat / "entities.csv")
    shutil.copy(dataset / "transactions.csv", flat / "transactions.csv")
    amlgraph("report", "--lake", flat, "--out", tmp_path / "flat.html")
    html = (tmp_path / "flat.html").read_text(encoding="utf-8")
    for name in ["synthetic_identity", "structuring"]:
        assert f'id="table-{name}"' in html
    for name in ["entities", "transactions"]:
        assert f'id="table-{name}"' not in html
    assert "No <code>alerts</code> table in this lake." in html

    (tmp_path / "lake").mkdir()
    amlgraph("report", "--lake", tmp_path / "lake", "--out", tmp_path / "r.html")
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    for table in ["structuring", "synthetic_identity", "risk_propagation", "quality_metrics", "alerts"]:
        assert f"No <code>{table}</code> table in this lake." in html
    proc = amlgraph("report", "--lake", tmp_path / "nope", "--out", tmp_path / "x.html", check=False)
    assert proc.returncode == 1 and "no such folder" in proc.stderr
    assert not (tmp_path / "x.html").exists()


def test_string_ids_and_a_table_the_report_does_not_know(tmp_path, amlgraph):
    """A flat folder with string ids (as banks write them) and a typology table the report has
    no view for: the alert links work by id text, and the table gets a generic section."""
    folder = tmp_path / "flat"
    folder.mkdir()
    people = {"C-001": "Ann <O'Hara>", "C-002": "Bob \"Bobby\" Ray", "ACME/9": "Acme & Sons"}
    with open(folder / "entities.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["entity_id", "name"])
        w.writerows(people.items())
    payments = [("T1", "C-001", "ACME/9", 9500.0, "2025-03-01T10:00:00Z"),
                ("T2", "C-002", "ACME/9", 9400.0, "2025-03-01T11:00:00Z"),
                ("T3", "ACME/9", "C-001", 18000.0, "2025-03-02T09:00:00Z")]
    with open(folder / "transactions.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["txn_id", "originator_id", "beneficiary_id", "txn_amount", "txn_ts"])
        w.writerows(payments)
    with open(folder / "alerts.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["rank", "entity_id", "name", "score", "reason_count", "reasons", "evidence"])
        w.writerow([1, "ACME/9", people["ACME/9"], 50.0, 1, "fan_in", "fan_in:sources=C-001|C-002;txns=T1|T2"])
        w.writerow([2, "C-001", people["C-001"], 10.0, 1, "fan_in_source", "fan_in_source:hub=ACME/9"])
    with open(folder / "fan_in.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["hub_id", "source_ids", "txn_ids", "total_amount"])
        w.writerow(["ACME/9", "C-001|C-002", "T1|T2", 18900.0])
    report = tmp_path / "r.html"
    amlgraph("report", "--lake", folder, "--out", report)
    doc = dom(report.as_uri())

    rows = doc.ids["alert-queue"].find_all("tr", cls="alert-row")
    assert [r.attrs["data-id"] for r in rows] == ["ACME/9", "C-001"]
    hub = doc.ids[rows[0].find_all("a")[0].attrs["href"].lstrip("#")]
    assert hub.attrs["data-id"] == "ACME/9" and people["ACME/9"] in hub.find_all("h3")[0].text()
    summary = hub.find_all("p", cls="activity-summary")[0]
    assert summary.attrs["data-out-count"] == "1" and summary.attrs["data-in-count"] == "2"
    assert float(summary.attrs["data-in-total"]) == pytest.approx(9500.0 + 9400.0)
    marks = {n.attrs["data-txn"]: n for n in hub.iter() if n.tag in ("circle", "rect") and "data-txn" in n.attrs}
    assert set(marks) == {"T1", "T2", "T3"}
    assert {t for t, n in marks.items() if "evidence" in n.attrs["class"]} == {"T1", "T2"}
    # The evidence's source ids link to the alerted source's section; names keep their quotes.
    linked = {doc.ids[a.attrs["href"].lstrip("#")].attrs["data-id"] for a in hub.find_all("ul", cls="evidence")[0].find_all("a")}
    assert linked == {"C-001"}
    graph = [s for s in hub.find_all("svg") if s.attrs.get("id", "").startswith("graph-")][0]
    assert sorted(n.text() for n in graph.find_all("text", cls="node-name")) == sorted([people["C-001"], people["C-002"]])

    section = doc.ids["table-fan_in"]
    assert "1 row(s)" in section.find_all("h2")[0].text()
    assert [td.text() for td in section.find_all("td")] == ["ACME/9", "C-001|C-002", "T1|T2", "18,900"]
