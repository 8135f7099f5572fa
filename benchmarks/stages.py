"""Where the time goes: each pipeline stage timed on the same corpus, as a share of the whole run.

Usage: python benchmarks/stages.py [--copies N]

Figures are relative (shares of the total measured in the same process), so they can be compared
across machines: the stage with the largest share is the one to optimise next.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from throughput import DEFAULT_INPUTS, build_corpus

from veille.actors import DocumentContext
from veille.clean import clean_document
from veille.coding import code_sentence
from veille.group import assign_groups
from veille.ingest import read_inputs
from veille.nlp import load_nlp, parse_documents
from veille.resolve import parse_published, resolve_event
from veille.store import Store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=5)
    args = parser.parse_args()
    nlp = load_nlp()
    timings: dict[str, float] = {}

    def timed(stage: str, start: float) -> float:
        now = time.perf_counter()
        timings[stage] = timings.get(stage, 0.0) + now - start
        return now

    with tempfile.TemporaryDirectory() as tmp:
        corpus = build_corpus(DEFAULT_INPUTS, args.copies, Path(tmp))
        t = time.perf_counter()
        docs = list(read_inputs([str(corpus)]))
        t = timed("ingest", t)
        docs = [clean_document(d) for d in docs]
        t = timed("clean", t)
        parsed = list(parse_documents([d for d in docs if d.status == "ok"], nlp))
        t = timed("spaCy parse", t)
        results = []
        for doc, sentences in parsed:
            context = DocumentContext()
            published = parse_published(doc.published)
            events = []
            for sentence in sentences:
                t = time.perf_counter()
                found = code_sentence(sentence, doc.doc_id, context, published.isoformat() if published else None)
                t = timed("actors + coding", t)
                for event in found:
                    resolve_event(event, published, sentence.text)
                    event.compute_id()
                t = timed("dates + places", t)
                events.extend(found)
            assign_groups(events)
            results.append((doc, events))
        store = Store(str(Path(tmp) / "stages.db"))
        t = time.perf_counter()
        for doc, events in results:
            store.save(doc, events)
        timed("storage", t)
        store.close()
    total = sum(timings.values())
    print(f"{len(docs)} documents, {sum(len(e) for _, e in results)} events, {total:.2f} s in all")
    for stage, seconds in sorted(timings.items(), key=lambda kv: -kv[1]):
        print(f"  {stage:16s} {seconds:7.2f} s  {100 * seconds / total:5.1f} %")


if __name__ == "__main__":
    main()
