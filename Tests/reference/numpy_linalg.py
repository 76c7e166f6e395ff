"""Reference linear algebra for the Matrix tests: reads cases as JSON on stdin, answers with
numpy/scipy's results as JSON on stdout. The Swift tests compare amlgraph's LAPACK drivers
against these (lstsq with numpy's rcond semantics; solve with its 1-norm condition number)."""
import json
import sys

import numpy as np
import scipy.linalg


def main() -> None:
    cases = json.load(sys.stdin)
    out = []
    for case in cases:
        a = np.array(case["a"], dtype=float).reshape(case["rows"], case["columns"])
        b = np.array(case["b"], dtype=float).reshape(case["rows"], -1)
        if case["op"] == "lstsq":
            x, _, rank, s = np.linalg.lstsq(a, b, rcond=None)
            out.append({"x": x.ravel().tolist(), "rank": int(rank), "s": s.tolist()})
        else:
            # scipy's solve: LU + gecon; a reciprocal condition below eps is numerically singular.
            rcond = 1.0 / np.linalg.cond(a, 1) if np.all(np.isfinite(a)) else 0.0
            try:
                x = scipy.linalg.solve(a, b)
                out.append({"x": x.ravel().tolist(), "rcond": float(rcond)})
            except np.linalg.LinAlgError:
                out.append({"x": None, "rcond": float(rcond)})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
