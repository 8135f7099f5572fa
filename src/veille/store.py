"""Storage behind a small repository interface (SQLAlchemy Core; SQLite by default).

A document is written with its events in one transaction, replacing what the same document id
held before, so a re-run is idempotent and an interrupted run leaves no half document.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Column,
    Engine,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
)

from veille.models import Document, Event

metadata = MetaData()

documents = Table(
    "documents",
    metadata,
    Column("doc_id", String(200), primary_key=True),
    Column("content_hash", String(40), nullable=False),
    Column("status", String(60), nullable=False),
    Column("reason", Text),
    Column("lang", String(10)),
    Column("published", String(40)),
    Column("title", Text),
    Column("url", Text),
    Column("source", Text),
    Column("path", Text),
    Column("fmt", String(10)),
    Column("text", Text),
    Column("event_count", Integer, nullable=False, default=0),
    Column("added", String(40), nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("event_id", String(40), primary_key=True),
    Column("doc_id", String(200), nullable=False, index=True),
    Column("sentence_index", Integer, nullable=False),
    Column("event_date", String(10), index=True),
    Column("cameo", String(4), nullable=False, index=True),
    Column("cameo_root", String(2), nullable=False, index=True),
    Column("quad_class", Integer),
    Column("goldstein", Float),
    Column("actor1_code", String(20), index=True),
    Column("actor1_country", String(5)),
    Column("actor2_code", String(20), index=True),
    Column("actor2_country", String(5)),
    Column("modality", String(20), index=True),
    Column("group_id", String(40), index=True),
    Column("record", Text, nullable=False),
)
Index("ix_events_doc_sentence", events.c.doc_id, events.c.sentence_index)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def database_url(db: str) -> str:
    return db if "://" in db else f"sqlite:///{db}"


@dataclass(slots=True)
class EventFilter:
    actor: str | None = None
    country: str | None = None
    code: str | None = None
    modality: str | None = None
    since: str | None = None
    until: str | None = None
    doc: str | None = None
    limit: int | None = None


class Store:
    """Repository of documents and events."""

    def __init__(self, db: str):
        self.engine: Engine = create_engine(database_url(db))
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        metadata.create_all(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    # -- writing -------------------------------------------------------------------------
    def known_hash(self, doc_id: str) -> tuple[str, str] | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(documents.c.content_hash, documents.c.status).where(documents.c.doc_id == doc_id)
            ).first()
        return (row[0], row[1]) if row else None

    def save(self, doc: Document, doc_events: Iterable[Event]) -> int:
        """Replace the document and its events atomically; returns the number of events stored."""
        rows = []
        seen: set[str] = set()
        for ev in doc_events:
            if ev.event_id in seen:
                continue
            seen.add(ev.event_id)
            rows.append(_event_row(ev))
        doc_row = {
            "doc_id": doc.doc_id,
            "content_hash": doc.content_hash,
            "status": doc.status,
            "reason": doc.reason,
            "lang": doc.lang,
            "published": doc.published,
            "title": doc.title,
            "url": doc.url,
            "source": doc.source,
            "path": doc.path,
            "fmt": doc.fmt,
            "text": doc.text,
            "event_count": len(rows),
            "added": _now(),
        }
        with self.engine.begin() as conn:
            old = conn.execute(select(documents.c.added).where(documents.c.doc_id == doc.doc_id)).first()
            if old:
                doc_row["added"] = old[0]
            conn.execute(delete(events).where(events.c.doc_id == doc.doc_id))
            conn.execute(delete(documents).where(documents.c.doc_id == doc.doc_id))
            conn.execute(insert(documents), [doc_row])
            if rows:
                conn.execute(insert(events), rows)
        return len(rows)

    def set_groups(self, assignments: dict[str, str]) -> None:
        from sqlalchemy import bindparam, update

        if not assignments:
            return
        stmt = update(events).where(events.c.event_id == bindparam("eid")).values(group_id=bindparam("gid"))
        with self.engine.begin() as conn:
            conn.execute(stmt, [{"eid": e, "gid": g} for e, g in assignments.items()])

    # -- reading -------------------------------------------------------------------------
    def iter_events(self, flt: EventFilter | None = None) -> Iterator[Event]:
        flt = flt or EventFilter()
        query = select(events.c.record, events.c.group_id).order_by(events.c.doc_id, events.c.sentence_index,
                                                                    events.c.event_id)
        if flt.actor:
            pattern = flt.actor.upper() + "%"
            query = query.where(events.c.actor1_code.like(pattern) | events.c.actor2_code.like(pattern))
        if flt.country:
            c = flt.country.upper()
            query = query.where((events.c.actor1_country == c) | (events.c.actor2_country == c))
        if flt.code:
            query = query.where(events.c.cameo.like(flt.code + "%"))
        if flt.modality:
            query = query.where(events.c.modality == flt.modality)
        if flt.since:
            query = query.where(events.c.event_date >= flt.since)
        if flt.until:
            query = query.where(events.c.event_date <= flt.until)
        if flt.doc:
            query = query.where(events.c.doc_id == flt.doc)
        if flt.limit:
            query = query.limit(flt.limit)
        with self.engine.connect() as conn:
            for record, group_id in conn.execute(query):
                ev = Event.from_dict(json.loads(record))
                ev.group_id = group_id
                yield ev

    def documents(self) -> list[dict[str, Any]]:
        cols = [documents.c.doc_id, documents.c.status, documents.c.reason, documents.c.lang,
                documents.c.published, documents.c.title, documents.c.event_count, documents.c.source]
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(select(*cols).order_by(documents.c.doc_id))]

    def document(self, doc_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(documents).where(documents.c.doc_id == doc_id)).first()
        return dict(row._mapping) if row else None

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            docs = conn.execute(select(func.count()).select_from(documents)).scalar_one()
            evs = conn.execute(select(func.count()).select_from(events)).scalar_one()
        return {"documents": docs, "events": evs}


def _event_row(ev: Event) -> dict[str, Any]:
    return {
        "event_id": ev.event_id,
        "doc_id": ev.doc_id,
        "sentence_index": ev.sentence_index,
        "event_date": ev.date,
        "cameo": ev.cameo,
        "cameo_root": ev.cameo_root,
        "quad_class": ev.quad_class,
        "goldstein": ev.goldstein,
        "actor1_code": ev.actor1.code if ev.actor1 else None,
        "actor1_country": ev.actor1.country if ev.actor1 else None,
        "actor2_code": ev.actor2.code if ev.actor2 else None,
        "actor2_country": ev.actor2.country if ev.actor2 else None,
        "modality": ev.modality,
        "group_id": ev.group_id,
        "record": json.dumps(ev.to_dict(), ensure_ascii=False, sort_keys=False),
    }


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
