"""Insert rate of the repository: events/s saved into SQLite and into PostgreSQL, and their ratio.

Usage: python benchmarks/store_insert.py [--docs N] [--events-per-doc K] [--pg postgresql://...]

Documents are saved as ``veille run`` saves them: one transaction per document (delete what the
id held, insert the document, insert its events with executemany). Without --pg a throw-away
PostgreSQL server is started with pgserver (as the tests do), on the same machine as SQLite.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from pathlib import Path

from veille.models import Actor, Document, Event, Source

COUNTRIES = ["FRA", "DEU", "RUS", "UKR", "USA", "CHN", "MAR", "IND", "IRN", "ISR"]
CODES = ["040", "0311", "036", "057", "112", "163", "173", "190", "195", "0874"]
SENTENCE = ("Le ministre des Affaires étrangères a accusé mardi son homologue de saboter les pourparlers "
            "engagés la semaine dernière à Genève, selon l'agence de presse officielle. ")


def corpus(n_docs: int, per_doc: int) -> list[tuple[Document, list[Event]]]:
    """Documents of a realistic size, each with events whose JSON record is as long as real ones."""
    out = []
    for d in range(n_docs):
        doc_id = f"bench-{d:06d}"
        text = SENTENCE * per_doc
        events = []
        for k in range(per_doc):
            a1, a2 = COUNTRIES[(d + k) % 10], COUNTRIES[(d + 3 * k + 1) % 10]
            start = k * len(SENTENCE)
            ev = Event(doc_id=doc_id, sentence_index=k, evidence=SENTENCE.strip(),
                       evidence_span=(start, start + len(SENTENCE) - 1), trigger="accusé",
                       actor1=Actor(text=a1, name=a1, code=a1 + "GOV", country=a1, role="GOV", rule="bench"),
                       actor2=Actor(text=a2, name=a2, code=a2, country=a2, rule="bench"),
                       cameo=CODES[(d + k) % 10], goldstein=-2.0, quad_class=3, date=f"2024-03-{1 + k % 28:02d}",
                       source=Source(speaker="l'agence", via=["AFP"]), rule="bench:verb", confidence=0.8)
            ev.compute_id()
            ev.group_id = f"g{(d + k) % 97:012d}"
            events.append(ev)
        out.append((Document(doc_id=doc_id, text=text, published="2024-03-14", source="bench"), events))
    return out


def insert_rate(db: str, data: list[tuple[Document, list[Event]]]) -> float:
    from veille.store import Store

    store = Store(db)
    start = time.perf_counter()
    count = sum(store.save(doc, events) for doc, events in data)
    seconds = time.perf_counter() - start
    assert store.counts()["events"] == count
    store.close()
    return count / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--events-per-doc", type=int, default=10)
    parser.add_argument("--pg", help="PostgreSQL URL of an empty database (default: a pgserver of our own)")
    args = parser.parse_args()
    data = corpus(args.docs, args.events_per_doc)
    with tempfile.TemporaryDirectory() as tmp:
        server = None
        pg = args.pg
        if pg is None:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR")
                import pgserver

                server = pgserver.get_server(Path(tmp) / "pg", cleanup_mode="delete")
            pg = server.get_uri()
        sqlite = insert_rate(str(Path(tmp) / "bench.db"), data)
        postgres = insert_rate(pg, data)
        if server is not None:
            server.cleanup()
    total = args.docs * args.events_per_doc
    print(f"corpus: {args.docs} documents, {total} events, one transaction per document")
    print(f"SQLite     : {sqlite:10.0f} events/s")
    print(f"PostgreSQL : {postgres:10.0f} events/s")
    print(f"ratio PostgreSQL/SQLite: {postgres / sqlite:.2f}x")


if __name__ == "__main__":
    main()
