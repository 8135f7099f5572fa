"""Scaling of ``veille batch`` on Spark: documents/s with one core (local[1]) and two (local[2]).

Usage: python benchmarks/batch_scale.py [--copies N] [--input FOLDER] [--masters local[1] local[2]]

Each master runs the real command in a fresh process, so its wall time includes the JVM start and
each Python worker loading the spaCy model; ``in session`` leaves out the JVM start (it is the
time run_batch reports). A single-process ``veille run`` over the same corpus is the baseline.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from throughput import build_corpus

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent / "examples"


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 3):  # 3: finished, some inputs failed
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--input", type=Path, action="append")
    parser.add_argument("--masters", nargs="+", default=["local[1]", "local[2]"])
    args = parser.parse_args()
    veille = [sys.executable, "-m", "veille"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        corpus = build_corpus(args.input or [EXAMPLES], args.copies, Path(tmp))
        n_docs = sum(1 for _ in corpus.open(encoding="utf-8"))
        run_seconds = timed([*veille, "run", str(corpus), "--db", str(Path(tmp) / "run.db"), "--quiet"])
        for master in args.masters:
            out = Path(tmp) / f"out-{master}"
            wall = timed([*veille, "batch", str(corpus), str(out), "--master", master])
            summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
            rows.append((master, wall, summary["seconds"], summary["stats"]["events"]))
    print(f"corpus: {n_docs} documents ({args.copies} copies of {', '.join(str(p) for p in args.input or [EXAMPLES])})")
    print(f"veille run (1 process)  : {n_docs / run_seconds:7.2f} docs/s wall")
    for master, wall, session, events in rows:
        print(f"veille batch {master:<10} : {n_docs / wall:7.2f} docs/s wall, "
              f"{n_docs / session:7.2f} docs/s in session ({events} events)")
    if len(rows) >= 2:
        first, last = rows[0], rows[-1]
        print(f"ratio {last[0]}/{first[0]}: {first[1] / last[1]:.2f}x wall, {first[2] / last[2]:.2f}x in session")
    print(f"ratio {rows[-1][0]}/veille run: {run_seconds / rows[-1][1]:.2f}x wall")


if __name__ == "__main__":
    main()
