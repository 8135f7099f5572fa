"""Storage: a document replaces itself with its events, atomically and idempotently."""

from __future__ import annotations

from veille.models import Actor, Document, Event
from veille.store import EventFilter, Store


def event(doc_id: str, code: str, a1: str = "FRA", a2: str = "DEU") -> Event:
    ev = Event(doc_id=doc_id, sentence_index=0, evidence="x", evidence_span=(0, 1), trigger="t",
               actor1=Actor(text=a1, name=a1, code=a1, country=a1), actor2=Actor(text=a2, name=a2, code=a2,
                                                                                  country=a2),
               cameo=code, date="2025-03-01")
    ev.compute_id()
    return ev


def test_save_replaces_and_is_idempotent(db: str):
    store = Store(db)
    doc = Document(doc_id="d1", text="texte")
    store.save(doc, [event("d1", "040"), event("d1", "0311")])
    store.save(doc, [event("d1", "040"), event("d1", "0311")])
    assert store.counts() == {"documents": 1, "events": 2}
    store.save(doc, [event("d1", "040")])
    assert store.counts() == {"documents": 1, "events": 1}
    store.close()


def test_filters_and_leading_zeros(db: str):
    store = Store(db)
    store.save(Document(doc_id="d1", text="a"), [event("d1", "0311"), event("d1", "195", "ISR", "PSE")])
    store.save(Document(doc_id="d2", text="b", status="error:binary", reason="png"), [])
    assert [e.cameo for e in store.iter_events(EventFilter(code="03"))] == ["0311"]
    assert [e.cameo for e in store.iter_events(EventFilter(country="PSE"))] == ["195"]
    assert [e.cameo for e in store.iter_events(EventFilter(actor="ISR"))] == ["195"]
    assert not list(store.iter_events(EventFilter(since="2025-04-01")))
    statuses = {d["doc_id"]: d["status"] for d in store.documents()}
    assert statuses == {"d1": "ok", "d2": "error:binary"}
    store.close()


def test_sql_injection_in_filters_is_harmless(db: str):
    store = Store(db)
    store.save(Document(doc_id="d1", text="a"), [event("d1", "0311")])
    assert not list(store.iter_events(EventFilter(actor="' OR 1=1 --", doc="x' OR '1'='1")))
    assert store.counts()["events"] == 1
    store.close()
