"""Throughput of the full ``veille run`` against a bare ``nlp.pipe`` over the same cleaned text.

Usage: python benchmarks/throughput.py [--copies N] [--input FOLDER]

Both figures are measured in the same process on the same machine, so their ratio says what
veille's own stages (cleaning, actors, coding, storage) cost on top of spaCy.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from veille.clean import clean_document
from veille.ingest import read_inputs
from veille.nlp import load_nlp
from veille.pipeline import run
from veille.store import Store

HERE = Path(__file__).resolve().parent
DEFAULT_INPUTS = [HERE.parent.parent / "shared" / "samples" / "seeds", HERE.parent / "examples"]


def build_corpus(inputs: list[Path], copies: int, folder: Path) -> Path:
    """N copies of every input article as one JSON Lines file (distinct ids, same text)."""
    docs = [d for d in read_inputs([str(p) for p in inputs if p.exists()]) if d.status == "ok"]
    path = folder / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for n in range(copies):
            for doc in docs:
                out.write(json.dumps({"id": f"{doc.doc_id}-{n}", "text": doc.text, "published": doc.published},
                                     ensure_ascii=False) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=5)
    parser.add_argument("--input", type=Path, action="append")
    args = parser.parse_args()
    nlp = load_nlp()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = build_corpus(args.input or DEFAULT_INPUTS, args.copies, Path(tmp))
        docs = [clean_document(d) for d in read_inputs([str(corpus)])]
        segments = [d.text[s:e] for d in docs if d.status == "ok" for s, e in d.segments]
        words = sum(len(s.split()) for s in segments)
        n_docs = len(docs)

        start = time.perf_counter()
        for _ in nlp.pipe(segments, batch_size=32):
            pass
        bare = time.perf_counter() - start

        store = Store(str(Path(tmp) / "bench.db"))
        start = time.perf_counter()
        stats = run([str(corpus)], store, nlp=nlp)
        full = time.perf_counter() - start
        store.close()

    print(f"corpus: {n_docs} documents, {words} words ({args.copies} copies)")
    print(f"bare nlp.pipe : {n_docs / bare:8.1f} docs/s {words / bare:10.0f} words/s")
    print(f"veille run    : {n_docs / full:8.1f} docs/s {words / full:10.0f} words/s ({stats.events} events)")
    print(f"ratio veille/bare time: {full / bare:.2f}x")


if __name__ == "__main__":
    main()
