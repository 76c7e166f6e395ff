"""`amlgraph typologies` checked against independent references in plain Python (and scipy
for the Poisson tail), written from the definitions in the README's detection section.

The data is the generator's `datasets/small` (planted fan-in/out, cycles, scatter-gather,
gather-scatter, bipartite, stack, structuring, round trips in random background traffic)
plus legitimate look-alikes built here on accounts of their own: monthly payroll to the same
employees, a merchant's many small sales, rent to a landlord, friends paying each other back,
supplier payments; and three rapid pass-through accounts, which the generator does not plant.
Each detector runs alone (`--only`), so no finding is subsumed, and its
rows must equal the reference's: same accounts, same transaction ids. No look-alike account
may appear in any row.

Bipartite and stack are greedy constructions; their rows are checked against the definition
(every originator paid every beneficiary a novel payment of at least the floor, the burst test
holds, every planted instance is found) rather than rebuilt.
"""
import csv
import datetime
import math
from collections import defaultdict

import pytest
from scipy.stats import poisson

HOUR = 3_600_000_000
DAY = 24 * HOUR
MIN_AMOUNT = 1000.0
RECURRING = 600 * HOUR
LOOKALIKE_BASE = 900_000


def micros(ts):
    d = datetime.datetime.fromisoformat(ts.replace("Z", "+00:00"))
    return int(d.timestamp()) * 1_000_000 + d.microsecond


def iso(us):
    return datetime.datetime.fromtimestamp(us / 1e6, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def lookalikes(start_us):
    """Legitimate traffic that must not fire, on accounts LOOKALIKE_BASE + k."""
    a = lambda k: LOOKALIKE_BASE + k  # noqa: E731
    out = []
    for month in range(6):
        t0 = start_us + month * 30 * DAY
        for e in range(12):  # payroll: employer 0 pays the same 12 employees every month
            out.append((a(0), a(100 + e), 3000 + 50 * e, t0 + e * 60_000_000))
        for k in range(4):  # supplier invoices: firm 1 pays the same 4 suppliers monthly
            out.append((a(1), a(200 + k), 8000 + 100 * k, t0 + 2 * DAY + k * HOUR))
        for k in range(3):  # rent just under the threshold to one landlord
            out.append((a(300 + k), a(2), 9200, t0 + 3 * DAY + k * HOUR))
        for k in range(60):  # a merchant's small sales from many new customers
            out.append((a(1000 + month * 60 + k), a(3), 20 + k, t0 + k * HOUR))
        # a salary swept on to a family member within hours, every payday (recurring pairs)
        out.append((a(6), a(7), 2800, t0 + 25 * DAY))
        out.append((a(7), a(8), 2600, t0 + 25 * DAY + 4 * HOUR))
        # friends paying each other back
        out.append((a(4), a(5), 1500, t0 + 10 * DAY))
        out.append((a(5), a(4), 1500, t0 + 11 * DAY))
    return out


MULE_BASE = 800_000


def mules(start_us):
    """Rapid pass-through accounts (the generator plants none): each receives and forwards
    85%-100% within hours, one to four times (a single movement is an instance too)."""
    a = lambda k: MULE_BASE + k  # noqa: E731
    out = []
    for m in range(3):
        t0 = start_us + (40 + 50 * m) * DAY
        hub = a(10 * m)
        for ev in range(2 + m):
            t = t0 + ev * 3 * DAY
            out.append((a(10 * m + 1 + ev), hub, 6000 + 500 * ev, t))
            out.append((hub, a(10 * m + 5 + ev), (6000 + 500 * ev) * 0.95, t + 3 * HOUR))
    out.append((a(100), a(101), 5000, start_us + 10 * DAY))
    out.append((a(101), a(102), 4900, start_us + 10 * DAY + HOUR))
    return out


@pytest.fixture(scope="module")
def data(tmp_path_factory, dataset):
    folder = tmp_path_factory.mktemp("typologies")
    with open(dataset / "transactions.csv", newline="") as f:
        rows = [(r["txn_id"], int(r["originator_id"]), int(r["beneficiary_id"]), float(r["txn_amount"]), micros(r["txn_ts"]))
                for r in csv.DictReader(f)]
    start = min(r[4] for r in rows)
    next_id = max(int(r[0]) for r in rows) + 1
    for k, (s, d, amt, t) in enumerate(lookalikes(start) + mules(start)):
        rows.append((str(next_id + k), s, d, float(amt), t))
    path = folder / "transactions.csv"
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["txn_id", "originator_id", "beneficiary_id", "txn_amount", "txn_ts"])
        for r in rows:
            w.writerow([r[0], r[1], r[2], f"{r[3]:.2f}", iso(r[4])])
    return folder, path, rows


class Payments:
    """The same compact view as the library's, built independently."""

    def __init__(self, rows):
        self.id = [r[0] for r in rows]
        self.src = [r[1] for r in rows]
        self.dst = [r[2] for r in rows]
        self.amt = [round(r[3], 2) for r in rows]
        self.t = [r[4] for r in rows]
        self.period = max(DAY, max(self.t) - min(self.t))
        origin = min(self.t)
        self.resolution = next((step for step in (DAY, HOUR, 60_000_000, 1_000_000)
                                if all((t - origin) % step == 0 for t in self.t)), 1)
        span = defaultdict(lambda: [None, None])
        for e in range(len(rows)):
            s = span[(self.src[e], self.dst[e])]
            s[0] = self.t[e] if s[0] is None else min(s[0], self.t[e])
            s[1] = self.t[e] if s[1] is None else max(s[1], self.t[e])
        self.recurring = [span[(self.src[e], self.dst[e])][1] - span[(self.src[e], self.dst[e])][0] >= RECURRING for e in range(len(rows))]
        self.out, self.inc = defaultdict(list), defaultdict(list)
        for e in sorted(range(len(rows)), key=lambda e: (self.t[e], e)):
            self.out[self.src[e]].append(e)
            self.inc[self.dst[e]].append(e)
        self.accounts = sorted(set(self.src) | set(self.dst))

    def novel(self, e):
        return not self.recurring[e] and self.amt[e] >= MIN_AMOUNT and self.src[e] != self.dst[e]


def burst_probability(k, n, span, period, resolution=1):
    s = max(span, HOUR, resolution)
    t = max(period, s)
    lam = n / t * s
    return min(1.0, t / s * poisson.sf(k - 1, lam))


def significant_end(items, lo, hi, time, key, distinct, min_count, n, period, resolution, alpha=0.001, max_look=256):
    seen, best = set(), None
    end = min(hi, lo + max_look)
    for k in range(lo, end):
        seen.add(key(items[k]))
        if k + 1 < end and time(items[k + 1]) == time(items[k]):
            continue  # ties in time are not split
        count = k - lo + 1
        if (len(seen) if distinct else count) < min_count:
            continue
        # the null rate from the account's payments outside the burst, plus one
        if burst_probability(count, max(0, n - count) + 1, time(items[k]) - time(items[lo]), period, resolution) <= alpha:
            best = k + 1
    return best


def bursts(items, time, key, window, distinct, min_count, max_count, qualifies):
    """Greedy windows: anchored at i, everything within `window`; see TypologyWindows."""
    out, i, n = [], 0, len(items)
    while i < n:
        j = i
        while j < n and time(items[j]) - time(items[i]) <= window:
            j += 1
        count = len({key(x) for x in items[i:j]}) if distinct else j - i
        if max_count > 0 and count > max_count:
            i = j
            continue
        end = qualifies(i, j) if count >= min_count else None
        if end is not None and end > i:
            out.append((i, end))
            i = end
        else:
            i += 1
    return out


def first_seen(xs):
    seen, out = set(), []
    for x in xs:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


def fans(p, incoming, window=720 * HOUR, min_c=3, max_c=20):
    found = []
    for hub in p.accounts:
        cand = [e for e in (p.inc if incoming else p.out)[hub] if p.novel(e)]
        cp = (lambda e: p.src[e]) if incoming else (lambda e: p.dst[e])
        time = lambda e: p.t[e]  # noqa: E731
        for lo, hi in bursts(cand, time, cp, window, True, min_c, max_c,
                             lambda i, j: significant_end(cand, i, j, time, cp, True, min_c, len(cand), p.period, p.resolution)):
            edges = cand[lo:hi]
            total = sum(p.amt[e] for e in edges)
            members = set(cp(e) for e in edges)
            lump = None
            if incoming:
                last = max(p.t[e] for e in edges)
                for e in [e for e in p.out[hub] if p.t[e] >= last][:256]:
                    if p.t[e] - last > window:
                        break
                    if p.dst[e] not in members and p.dst[e] != hub and 0.85 * total <= p.amt[e] <= total:
                        lump = e
                        break
            else:
                first = min(p.t[e] for e in edges)
                for e in list(reversed([e for e in p.inc[hub] if p.t[e] <= first]))[:256]:
                    if first - p.t[e] > window:
                        break
                    if p.src[e] not in members and p.src[e] != hub and 0.85 * p.amt[e] <= total <= p.amt[e]:
                        lump = e
                        break
            accounts = first_seen([hub] + [cp(e) for e in edges] + ([p.src[lump] if not incoming else p.dst[lump]] if lump is not None else []))
            found.append((tuple(accounts), tuple(sorted(edges + ([lump] if lump is not None else []), key=lambda e: (p.t[e], e)))))
    return found


def cycles(p, max_len=8, hop=168 * HOUR, window=720 * HOUR):
    found = []
    for e0 in range(len(p.src)):
        start, first = p.src[e0], p.dst[e0]
        if start == first or p.amt[e0] < MIN_AMOUNT:
            continue

        def walk(path_v, path_e):
            x, last = path_v[-1], path_e[-1]
            for e in p.out[x]:
                if p.t[e] < p.t[last]:
                    continue
                if p.t[e] - p.t[last] > hop or p.t[e] - p.t[e0] > window:
                    break
                if not (0.85 * p.amt[last] <= p.amt[e] <= p.amt[last]):  # the floor is on the first payment only
                    continue
                y = p.dst[e]
                if y == start:
                    edges = path_e + [e]
                    if len(path_v) < 2 or min(edges, key=lambda f: (p.t[f], f)) != e0:
                        continue
                    if len(path_v) == 2 and p.amt[e] >= 0.995 * p.amt[e0]:
                        continue
                    found.append((tuple(path_v), tuple(edges)))
                elif y not in path_v and len(path_v) < max_len:
                    walk(path_v + [y], path_e + [e])

        walk([start, first], [e0])
    return found


def scatter_gather(p, window=720 * HOUR):
    legs = []
    for e1 in range(len(p.src)):
        s, m = p.src[e1], p.dst[e1]
        if s == m or p.amt[e1] < MIN_AMOUNT:
            continue
        looked = 0
        for e2 in p.out[m]:
            if p.t[e2] < p.t[e1]:
                continue
            if p.t[e2] - p.t[e1] > window or looked >= 256:
                break
            looked += 1
            d = p.dst[e2]
            if d in (s, m):
                continue
            if 0.85 * p.amt[e1] <= p.amt[e2] <= p.amt[e1]:
                legs.append((s, d, m, e1, e2))
                break
    groups = defaultdict(list)
    for leg in legs:
        groups[(leg[0], leg[1])].append(leg)
    found = []
    for (s, d), g in sorted(groups.items()):
        g.sort(key=lambda x: (p.t[x[3]], x[3], x[4]))
        for lo, hi in bursts(g, lambda x: p.t[x[3]], lambda x: x[2], window, True, 3, 20, lambda i, j: j):
            mids = first_seen([x[2] for x in g[lo:hi]])
            edges = sorted({e for x in g[lo:hi] for e in (x[3], x[4])}, key=lambda e: (p.t[e], e))
            found.append((tuple([s] + mids + [d]), tuple(edges)))
    return found


def gather_scatter(p, window=720 * HOUR):
    found = []
    for hub in p.accounts:
        cand = [e for e in p.inc[hub] if p.novel(e)]
        if len(cand) < 3 or len(p.out[hub]) < 3:
            continue
        cp, time = (lambda e: p.src[e]), (lambda e: p.t[e])
        for lo, hi in bursts(cand, time, cp, window, True, 3, 20,
                             lambda i, j: significant_end(cand, i, j, time, cp, True, 3, len(cand), p.period, p.resolution)):
            gathers = cand[lo:hi]
            payers = first_seen([p.src[e] for e in gathers])
            first, last = p.t[gathers[0]], p.t[gathers[-1]]
            gathered = sum(p.amt[e] for e in gathers)
            scatters, looked = [], 0
            for e in p.out[hub]:
                if p.t[e] < first:
                    continue
                if p.t[e] - last > window or looked >= 256:
                    break
                looked += 1
                if p.dst[e] == hub or p.dst[e] in payers or not p.novel(e):
                    continue
                scatters.append(e)
                if sum(p.amt[x] for x in scatters) >= 0.85 * gathered:
                    break
            payees = first_seen([p.dst[e] for e in scatters])
            paid = sum(p.amt[e] for e in scatters)
            if 3 <= len(payees) <= 20 and 0.85 * gathered <= paid <= gathered:
                found.append((tuple([hub] + payers + payees), tuple(sorted(gathers + scatters, key=lambda e: (p.t[e], e)))))
    return found


def structuring(p, threshold=10_000.0, window=168 * HOUR):
    found = []
    for incoming in (True, False):
        for hub in p.accounts:
            cp = (lambda e: p.src[e]) if incoming else (lambda e: p.dst[e])
            cand = [e for e in (p.inc if incoming else p.out)[hub]
                    if 0.7 * threshold <= p.amt[e] < threshold and not p.recurring[e] and cp(e) != hub]
            time = lambda e: p.t[e]  # noqa: E731

            def qualifies(i, j, cand=cand, cp=cp, time=time):
                end = significant_end(cand, i, j, time, cp, False, 3, len(cand), p.period, p.resolution)
                return end if end is not None and sum(p.amt[e] for e in cand[i:end]) > threshold else None

            for lo, hi in bursts(cand, time, cp, window, False, 3, 0, qualifies):
                found.append((tuple(first_seen([hub] + [cp(e) for e in cand[lo:hi]])), tuple(cand[lo:hi])))
    return found


def rapid_pass_through(p, delay=24 * HOUR):
    found = []
    for hub in p.accounts:
        outs = p.out[hub]
        if not outs:
            continue
        used, events, edges, sources, dests = set(), 0, [], [], []
        for e in p.inc[hub]:
            if p.amt[e] < MIN_AMOUNT or p.src[e] == hub or p.recurring[e]:
                continue
            total, chosen, looked = 0.0, [], 0
            for o in outs:
                if p.t[o] < p.t[e]:
                    continue
                if looked >= 64 or p.t[o] - p.t[e] > delay:
                    break
                looked += 1
                if o in used or p.recurring[o] or p.dst[o] in (p.src[e], hub):
                    continue
                total += p.amt[o]
                chosen.append(o)
                if total >= 0.85 * p.amt[e]:
                    break
            if 0.85 * p.amt[e] <= total <= p.amt[e]:
                events += 1
                used |= set(chosen)
                edges += [e] + chosen
                sources.append(p.src[e])
                dests += [p.dst[o] for o in chosen]
        if events >= 1:
            found.append((tuple(first_seen([hub] + sources + dests)), tuple(sorted(edges, key=lambda x: (p.t[x], x)))))
    return found


def ours(amlgraph, path, out, kind):
    amlgraph("typologies", "--transactions", path, "--only", kind, "--out", out, "--quiet")
    with open(out / "typologies.csv", newline="") as f:
        return [r for r in csv.DictReader(f)]


def as_keys(rows, p, variant=None):
    index = {t: e for e, t in enumerate(p.id)}
    return sorted((tuple(int(a) for a in r["accounts"].split("|")), tuple(index[t] for t in r["txn_ids"].split("|")))
                  for r in rows if variant is None or r["variant"] in variant)


def no_lookalikes(rows):
    bad = [r["accounts"] for r in rows if any(int(a) >= LOOKALIKE_BASE for a in r["accounts"].split("|"))]
    assert not bad, f"look-alike accounts fired: {bad[:5]}"


REFERENCES = {
    "fan_in": lambda p: fans(p, True),
    "fan_out": lambda p: fans(p, False),
    "cycle": cycles,
    "scatter_gather": scatter_gather,
    "gather_scatter": gather_scatter,
    "rapid_pass_through": rapid_pass_through,
}


@pytest.mark.parametrize("kind", sorted(REFERENCES))
def test_detector_matches_reference(amlgraph, data, tmp_path, kind):
    folder, path, rows = data
    p = Payments(rows)
    got = ours(amlgraph, path, tmp_path, kind)
    want = sorted(REFERENCES[kind](p))
    print(f"{kind}: {len(got)} rows, reference {len(want)}")
    assert want, "the data must exercise the detector"
    assert as_keys(got, p) == want
    if kind == "rapid_pass_through":
        assert {r[0][0] for r in want} >= {MULE_BASE, MULE_BASE + 10, MULE_BASE + 20}
    no_lookalikes(got)


def test_structuring_matches_reference_and_the_mule_chain_detector(amlgraph, data, tmp_path):
    folder, path, rows = data
    p = Payments(rows)
    got = ours(amlgraph, path, tmp_path, "structuring")
    assert as_keys(got, p, {"deposits", "withdrawals"}) == sorted(structuring(p))
    # The mule-chain variant is the accelerator-shape detector (checked against DuckDB in
    # test_scenarios_truth.py), keeping the chains whose first payment is in the band
    # [7,000, 10,000), whose mule passes on 85%-100% of it, both between novel pairs, with
    # novel forwards; at least two chains bringing over 10,000, forwarded at 85% or more.
    amlgraph("structuring", "--transactions", path, "--out", tmp_path / "s.csv", "--quiet")
    index = {txn: e for e, txn in enumerate(p.id)}
    chains = []
    with open(tmp_path / "s.csv", newline="") as f:
        for r in csv.DictReader(f):
            edges = [index[t] for t in r["txn_ids"].split("|")]
            collector, beneficiary = int(r["collector_id"]), int(r["beneficiary_id"])
            forwards = [e for e in edges if p.src[e] == collector and p.dst[e] == beneficiary and not p.recurring[e]]
            e2s = [e for e in edges if p.dst[e] == collector]
            kept = []
            for e1 in edges:
                if p.dst[e1] in (collector, beneficiary) or p.src[e1] == collector:
                    continue
                for e2 in e2s:
                    if p.src[e2] == p.dst[e1] and 7000 <= p.amt[e1] < 10_000 and 0.85 * p.amt[e1] <= p.amt[e2] <= p.amt[e1] \
                            and not p.recurring[e1] and not p.recurring[e2]:
                        kept += [e1, e2]
            total = sum(p.amt[e] for e in kept if p.dst[e] == collector)
            if len(kept) >= 4 and total > 10_000 and sum(p.amt[e] for e in forwards) >= 0.85 * total:
                chains.append(tuple(sorted(p.id[e] for e in kept + forwards)))
    print(f"mule chains: {len(chains)}")
    assert sorted(tuple(sorted(r["txn_ids"].split("|"))) for r in got if r["variant"] == "mule_chain") == sorted(chains)
    no_lookalikes(got)


def check_all_to_all(p, originators, beneficiaries, txns, index):
    pays = defaultdict(set)
    for t in txns:
        e = index[t]
        assert p.novel(e), t
        pays[p.src[e]].add(p.dst[e])
    for o in originators:
        assert set(beneficiaries) <= pays[o], (o, beneficiaries)


def test_bipartite_and_stack_rows_meet_the_definition(amlgraph, data, tmp_path, dataset):
    folder, path, rows = data
    p = Payments(rows)
    index = {t: e for e, t in enumerate(p.id)}
    n_out, n_in = defaultdict(int), defaultdict(int)
    for e in range(len(p.src)):
        if p.novel(e):
            n_out[p.src[e]] += 1
            n_in[p.dst[e]] += 1
    truth = defaultdict(set)
    types = {}
    with open(dataset / "truth_pattern_entities.csv", newline="") as f:
        for r in csv.DictReader(f):
            truth[r["pattern_id"]].add(int(r["entity_id"]))
            types[r["pattern_id"]] = r["pattern_type"]
    for kind in ("bipartite", "stack"):
        got = ours(amlgraph, path, tmp_path, kind)
        no_lookalikes(got)
        for r in got:
            accounts = [int(a) for a in r["accounts"].split("|")]
            roles = r["roles"].split("|")
            txns = r["txn_ids"].split("|")
            o = [a for a, x in zip(accounts, roles) if x == "originator"]
            m = [a for a, x in zip(accounts, roles) if x == "intermediary"]
            b = [a for a, x in zip(accounts, roles) if x == "beneficiary"]
            assert len(o) >= 2 and len(b) >= 2
            if kind == "bipartite":
                check_all_to_all(p, o, b, txns, index)
                span = max(p.t[index[t]] for t in txns) - min(p.t[index[t]] for t in txns)
                paid, got_in = defaultdict(int), defaultdict(int)
                for t in txns:
                    paid[p.src[index[t]]] += 1
                    got_in[p.dst[index[t]]] += 1
                log_p = sum(math.log(burst_probability(k, n_out[v], span, p.period, p.resolution)) for v, k in paid.items())
                log_p += sum(math.log(burst_probability(k, n_in[v], span, p.period, p.resolution)) for v, k in got_in.items())
                assert log_p <= math.log(0.001) + 1e-9
            else:
                assert len(m) >= 2
                check_all_to_all(p, o, m, [t for t in txns if p.dst[index[t]] in m], index)
                check_all_to_all(p, m, b, [t for t in txns if p.dst[index[t]] in b], index)
        found = set().union(*[set(int(a) for a in r["accounts"].split("|")) for r in got]) if got else set()
        planted = [pid for pid, t in types.items() if t == kind]
        recall = sum(2 * len(truth[pid] & found) >= len(truth[pid]) for pid in planted) / len(planted)
        print(f"{kind}: {len(got)} rows; planted instances with half their accounts found: {recall:.2f}")
        assert recall == 1.0
