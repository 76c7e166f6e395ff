#!/usr/bin/env python3
"""Convert an IBM AMLSim sample archive (`*.tgz` with nodes.csv and transactions.csv) into the
canonical amlgraph inputs and account-level truth.

    scripts/amlsim_convert.py /work/shared/data/amlsim/20K_cycle200.tgz OUT_DIR [--start 2025-01-01]

Writes into OUT_DIR:

- entities.csv: one row per node. entity_id = AMLSim's nodeid (unchanged, so figures can be
  traced back), name "Account <nodeid>", entity_type Person, no address, email, phone, SSN or
  KYC score (AMLSim has none; empty, not invented).
- transactions.csv: txn_id = 1-based row number, originator_id = sourceNodeId,
  beneficiary_id = targetNodeId, txn_amount = value. One simulation step is one day: step s
  is day s after --start (00:00 UTC). The payments of one step are spread evenly over that day
  in file order (the simulator's emission order), so they keep their relative order and no
  two share a timestamp. Self-payments are kept as written: the pipeline quarantines them.
- truth_pattern_entities.csv (pattern_id, pattern_type, entity_id, role): AMLSim's samples
  label accounts only (isFraud), with no pattern ids and no transaction labels, so every
  fraud account is its own instance (role "fraud"); instance recall then equals account
  recall. pattern_type comes from the archive name: `cycle` when it names only cycles,
  `fan_in` when only fan-ins, `amlsim_fraud` when it mixes both (the accounts cannot be told
  apart) or names neither. --pattern-type overrides it.
- truth_patterns.csv: header only (there is no transaction-level truth).

The archive is read in a temporary directory that is removed afterwards; only the two CSV
members are extracted, with their sizes checked first. This data is an external check: never
tune a detector on it.
"""
import argparse
import csv
import os
import re
import sys
import tarfile
import tempfile
from datetime import datetime, timedelta, timezone

MAX_MEMBER_BYTES = 2 << 30
NODE_COLUMNS = ["nodeid", "isFraud"]
TXN_COLUMNS = ["sourceNodeId", "targetNodeId", "value", "time"]


class ConversionError(Exception):
    pass


def pattern_type_for(name):
    """The typology an archive's name announces (see the module docs)."""
    stem = os.path.basename(name).lower()
    cycles, fanins = "cycle" in stem, bool(re.search(r"fan_?in", stem))
    if cycles and not fanins:
        return "cycle"
    if fanins and not cycles:
        return "fan_in"
    return "amlsim_fraud"


def extract(archive, into):
    """Extracts nodes.csv and transactions.csv (from any one folder level); returns their paths."""
    try:
        tar = tarfile.open(archive, "r:*")
    except (tarfile.TarError, OSError) as e:
        raise ConversionError(f"{archive}: not a readable tar archive ({e})")
    found = {}
    with tar:
        for member in tar.getmembers():
            base = os.path.basename(member.name)
            if base not in ("nodes.csv", "transactions.csv") or not member.isfile():
                continue
            if base in found:
                raise ConversionError(f"{archive}: more than one {base} (at {found[base][0]} and {member.name})")
            if member.size > MAX_MEMBER_BYTES:
                raise ConversionError(f"{archive}: {member.name} is {member.size} bytes (at most {MAX_MEMBER_BYTES} expected)")
            source = tar.extractfile(member)
            target = os.path.join(into, base)
            with open(target, "wb") as out:
                while chunk := source.read(1 << 20):
                    out.write(chunk)
            found[base] = (member.name, target)
    for base in ("nodes.csv", "transactions.csv"):
        if base not in found:
            raise ConversionError(f"{archive}: no {base} inside (expected an AMLSim sample folder)")
    return found["nodes.csv"][1], found["transactions.csv"][1]


def rows(path, label, columns):
    """Yields (line number, row dict) after checking the header names the expected columns."""
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise ConversionError(f"{label}: line 1: no column {', '.join(missing)} (expected {', '.join(columns)})")
        for row in reader:
            yield reader.line_num, row


def integer(label, line, column, text):
    try:
        return int(text)
    except (TypeError, ValueError):
        raise ConversionError(f"{label}: line {line}, column {column}: {text!r} is not an integer")


def number(label, line, column, text):
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise ConversionError(f"{label}: line {line}, column {column}: {text!r} is not a number")
    if value != value or value in (float("inf"), float("-inf")):
        raise ConversionError(f"{label}: line {line}, column {column}: {text!r} is not a finite number")
    return value


def convert(archive, out, start, pattern_type=None):
    """Converts one archive; returns a summary dict."""
    pattern_type = pattern_type or pattern_type_for(archive)
    os.makedirs(out, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="amlsim-") as tmp:
        nodes_path, txns_path = extract(archive, tmp)
        label = os.path.basename(archive)
        nodes, fraud = [], []
        seen = set()
        for line, row in rows(nodes_path, f"{label}:nodes.csv", NODE_COLUMNS):
            node = integer(f"{label}:nodes.csv", line, "nodeid", row["nodeid"])
            flag = integer(f"{label}:nodes.csv", line, "isFraud", row["isFraud"])
            if flag not in (0, 1):
                raise ConversionError(f"{label}:nodes.csv: line {line}, column isFraud: {row['isFraud']!r} (expected 0 or 1)")
            if node in seen:
                raise ConversionError(f"{label}:nodes.csv: line {line}, column nodeid: {node} appears twice")
            seen.add(node)
            nodes.append(node)
            if flag:
                fraud.append(node)

        # First pass: payments per step, to spread each step over its day.
        per_step = {}
        for line, row in rows(txns_path, f"{label}:transactions.csv", TXN_COLUMNS):
            step = integer(f"{label}:transactions.csv", line, "time", row["time"])
            if step < 0:
                raise ConversionError(f"{label}:transactions.csv: line {line}, column time: {step} (expected a step >= 0)")
            per_step[step] = per_step.get(step, 0) + 1

        with open(os.path.join(out, "entities.csv"), "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["entity_id", "name", "address", "email_addr", "phone_number", "ssn", "entity_type", "risk_score"])
            for node in nodes:
                w.writerow([node, f"Account {node}", "", "", "", "", "Person", ""])

        done = {}
        count = 0
        with open(os.path.join(out, "transactions.csv"), "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["txn_id", "originator_id", "beneficiary_id", "txn_amount", "txn_ts", "rptd_originator_address", "rptd_originator_name"])
            for line, row in rows(txns_path, f"{label}:transactions.csv", TXN_COLUMNS):
                source = integer(f"{label}:transactions.csv", line, "sourceNodeId", row["sourceNodeId"])
                target = integer(f"{label}:transactions.csv", line, "targetNodeId", row["targetNodeId"])
                for column, node in (("sourceNodeId", source), ("targetNodeId", target)):
                    if node not in seen:
                        raise ConversionError(f"{label}:transactions.csv: line {line}, column {column}: {node} is not a node of nodes.csv")
                number(f"{label}:transactions.csv", line, "value", row["value"])
                step = int(row["time"])
                k = done.get(step, 0)
                done[step] = k + 1
                micros = k * 86_400_000_000 // per_step[step]
                ts = start + timedelta(days=step, microseconds=micros)
                count += 1
                w.writerow([count, source, target, row["value"].strip(), ts.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), "", ""])

        with open(os.path.join(out, "truth_pattern_entities.csv"), "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["pattern_id", "pattern_type", "entity_id", "role"])
            for i, node in enumerate(fraud, start=1):
                w.writerow([i, pattern_type, node, "fraud"])
        with open(os.path.join(out, "truth_patterns.csv"), "w", newline="") as f:
            csv.writer(f).writerow(["pattern_id", "pattern_type", "txn_id"])
    return {"archive": archive, "accounts": len(nodes), "fraud_accounts": len(fraud), "transactions": count,
            "pattern_type": pattern_type, "steps": len(per_step)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("archive", help="an AMLSim sample archive (.tgz)")
    parser.add_argument("out", help="output folder (created if missing)")
    parser.add_argument("--start", default="2025-01-01", help="the date of step 0 (UTC), YYYY-MM-DD")
    parser.add_argument("--pattern-type", help="pattern_type for the fraud accounts (default: from the archive name)")
    args = parser.parse_args(argv)
    try:
        start = datetime.strptime(args.start, "%Y-%m-%d").replace(tzinfo=timezone.utc)
    except ValueError:
        print(f"error: --start {args.start!r}: expected a date YYYY-MM-DD", file=sys.stderr)
        return 1
    if not os.path.isfile(args.archive):
        print(f"error: {args.archive}: no such file", file=sys.stderr)
        return 1
    try:
        s = convert(args.archive, args.out, start, args.pattern_type)
    except ConversionError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(f"{os.path.basename(args.archive)}: {s['accounts']} accounts ({s['fraud_accounts']} fraud, pattern_type "
          f"{s['pattern_type']}), {s['transactions']} transactions over {s['steps']} steps -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
