"""End to end on the shared samples: events with evidence, idempotent re-runs, bad input recorded."""

from __future__ import annotations

import json
from pathlib import Path

from veille.pipeline import run
from veille.store import Store


def snapshot(db: str) -> tuple[dict, list[str], list[str]]:
    store = Store(db)
    counts = store.counts()
    ids = sorted(e.event_id for e in store.iter_events())
    docs = sorted(d["doc_id"] + ":" + d["status"] for d in store.documents())
    store.close()
    return counts, ids, docs


def test_seeds_twice_give_the_same_database(shared: Path, db: str):
    seeds = str(shared / "samples" / "seeds")
    store = Store(db)
    first = run([seeds], store)
    store.close()
    before = snapshot(db)
    store = Store(db)
    second = run([seeds], store)
    store.close()
    assert first.ok == 3 and first.events > 5
    assert second.unchanged == 3 and second.events == 0
    assert snapshot(db) == before


def test_evidence_spans_point_into_the_text(shared: Path, db: str):
    store = Store(db)
    run([str(shared / "samples" / "seeds")], store)
    for event in store.iter_events():
        doc = store.document(event.doc_id)
        start, end = event.evidence_span
        assert doc["text"][start:end] == event.evidence
        assert event.rule and event.actor1 is not None
        if event.trigger_span:
            assert doc["text"][event.trigger_span[0] : event.trigger_span[1]] in event.trigger
    store.close()


def test_bad_inputs_do_not_stop_the_run(tmp_path: Path, db: str):
    good = "Le Canada a imposé lundi de nouvelles sanctions contre l'Iran, a annoncé Ottawa."
    (tmp_path / "good.txt").write_text(good, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "english.txt").write_text("The government of Canada announced new sanctions against Iran on "
                                          "Monday, officials said in Ottawa.", encoding="utf-8")
    (tmp_path / "lines.jsonl").write_text("{broken\n" + json.dumps({"id": "ok1", "text": good}) + "\n",
                                          encoding="utf-8")
    (tmp_path / "latin.txt").write_bytes(good.replace("Canada", "Japon").encode("latin-1"))
    store = Store(db)
    stats = run([str(tmp_path)], store)
    statuses = sorted(d["status"] for d in store.documents())
    store.close()
    assert stats.documents == 6
    assert statuses.count("ok") == 3
    assert "skipped:empty" in statuses and "skipped:not-french" in statuses and "error:invalid-json" in statuses
    assert stats.events >= 2
