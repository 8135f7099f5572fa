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
    Column("doc_id", String, primary_key=True),  # unbounded: ids may be long URLs, and PostgreSQL checks lengths
    Column("content_hash", String(40), nullable=False),
    Column("status", String(60), nullable=False),
    Column("reason", Text),
    Column("lang", String),
    Column("published", String),
    Column("title", Text),
    Column("url", Text),
    Column("source", Text),
    Column("path", Text),
    Column("fmt", String(10)),
    Column("text", Text),
    Column("event_count", Integer, nullable=False, default=0),
    Column("added", String(40), nullable=False),
    Column("duplicate_of", String),  # the original of a republished article (veille.dedup), else null
)

events = Table(
    "events",
    metadata,
    Column("event_id", String(40), primary_key=True),
    Column("doc_id", String, nullable=False, index=True),
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

# Head of src/veille/migrations: a new migration changes the tables above, adds a version and updates this.
SCHEMA_REVISION = "0002"


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def database_url(db: str) -> str:
    """A plain path is a SQLite file; postgresql:// goes through psycopg 3, the driver veille installs."""
    if "://" not in db:
        return f"sqlite:///{db}"
    scheme, rest = db.split("://", 1)
    return f"postgresql+psycopg://{rest}" if scheme in {"postgresql", "postgres"} else db


def upgrade_schema(engine: Engine) -> None:
    """Bring the database to ``SCHEMA_REVISION`` with the Alembic migrations, one process at a time.

    A database already at head costs one query and no Alembic import. Otherwise a lock (SQLite: an
    immediate transaction; PostgreSQL: an advisory lock) makes writers that start together on an empty
    database wait for each other, and a database made by ``create_all`` before migrations existed is
    stamped with the first revision, whose tables it already has.
    """
    from sqlalchemy import inspect

    with engine.connect() as conn:
        versioned = inspect(conn).has_table("alembic_version")
        if versioned and conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == SCHEMA_REVISION:
            return
    from pathlib import Path

    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).with_name("migrations")).replace("%", "%%"))
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        elif conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7310575283014920818)")  # any constant key
        config.attributes["connection"] = conn
        tables = set(inspect(conn).get_table_names())
        if "documents" in tables and "alembic_version" not in tables:
            command.stamp(config, "0001")
        command.upgrade(config, "head")


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
        url = database_url(db)
        # A server may restart under a long-lived process (veille serve): test pooled connections first.
        self.engine: Engine = create_engine(url, pool_pre_ping=not url.startswith("sqlite"))
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        upgrade_schema(self.engine)

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
            "duplicate_of": doc.duplicate_of,
        }
        from sqlalchemy.exc import IntegrityError

        for attempt in range(5):  # two writers saving the same document at once: the later one retries
            try:
                with self.engine.begin() as conn:
                    old = conn.execute(select(documents.c.added).where(documents.c.doc_id == doc.doc_id)).first()
                    if old:
                        doc_row["added"] = old[0]
                    conn.execute(delete(events).where(events.c.doc_id == doc.doc_id))
                    conn.execute(delete(documents).where(documents.c.doc_id == doc.doc_id))
                    conn.execute(insert(documents), [doc_row])
                    if rows:
                        conn.execute(insert(events), rows)
                break
            except IntegrityError:
                if attempt == 4:
                    raise
        return len(rows)

    def set_groups(self, assignments: dict[str, str]) -> None:
        from sqlalchemy import bindparam, update

        if not assignments:
            return
        stmt = update(events).where(events.c.event_id == bindparam("eid")).values(group_id=bindparam("gid"))
        with self.engine.begin() as conn:
            conn.execute(stmt, [{"eid": e, "gid": g} for e, g in assignments.items()])

    # -- reading -------------------------------------------------------------------------
    def duplicates(self) -> dict[str, str]:
        """Republished article -> its original (veille.dedup): groups count the two as one article."""
        query = select(documents.c.doc_id, documents.c.duplicate_of).where(documents.c.duplicate_of.is_not(None))
        with self.engine.connect() as conn:
            return {row[0]: row[1] for row in conn.execute(query)}

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

    # -- explorer queries (REST API and web explorer) ------------------------------------
    # Values arrive validated from veille.api; every one of them is bound as a parameter.

    def event_conditions(
        self,
        *,
        actor: str | None = None,
        actor1: str | None = None,
        actor2: str | None = None,
        country: str | None = None,
        code: str | None = None,
        root: str | None = None,
        quad_class: int | None = None,
        modality: str | None = None,
        via: str | None = None,
        commodity: str | None = None,
        has_commodity: bool = False,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        doc: str | None = None,
        group: str | None = None,
        text: str | None = None,
    ) -> list[Any]:
        """Conditions for the explorer's filters; code prefixes become ranges so indexes serve them."""
        from sqlalchemy import and_, or_

        def prefix(column: Any, value: str) -> Any:
            return and_(column >= value, column < value[:-1] + chr(ord(value[-1]) + 1))

        c = events.c
        conditions: list[Any] = []
        if actor:
            conditions.append(or_(prefix(c.actor1_code, actor), prefix(c.actor2_code, actor)))
        if actor1:
            conditions.append(prefix(c.actor1_code, actor1))
        if actor2:
            conditions.append(prefix(c.actor2_code, actor2))
        if country:
            conditions.append(or_(c.actor1_country == country, c.actor2_country == country))
        if code:
            conditions.append(prefix(c.cameo, code))
        if root:
            conditions.append(c.cameo_root == root)
        if quad_class is not None:
            conditions.append(c.quad_class == quad_class)
        if modality:
            conditions.append(c.modality == modality)
        if since:
            conditions.append(c.event_date >= since)
        if until:
            conditions.append(c.event_date <= until)
        if doc:
            conditions.append(c.doc_id == doc)
        if group:
            conditions.append(c.group_id == group)
        if outlet:
            outlets = select(documents.c.doc_id).where(documents.c.source.ilike(self._like(outlet), escape="\\"))
            conditions.append(c.doc_id.in_(outlets))
        # Fields only the JSON record holds: a plain LIKE on the record text (a necessary condition,
        # cheap) comes first, so that only candidate rows are parsed as JSON.
        if via:
            conditions.append(and_(self._record_contains(via), self._json_array_has(("source", "via"), via)))
        if commodity:
            conditions.append(and_(self._record_contains(commodity),
                                   or_(self._json_array_has(("commodities",), commodity),
                                       self._json_array_has(("quantities",), commodity, key="commodity"))))
        if has_commodity:
            conditions.append(self._json_array_length("commodities") > 0)
        if text:
            conditions.append(and_(self._record_contains(text),
                                   self._json_text("evidence").ilike(self._like(text), escape="\\")))
        return conditions

    def count_events(self, conditions: list[Any]) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(events).where(*conditions)).scalar_one())

    def page_events(self, conditions: list[Any], sort: str = "-date", limit: int = 50, offset: int = 0) -> list[Event]:
        """One page of events in a total order (ties broken by id), so pages never overlap.

        Ids are ordered and skipped first and only the page's records are read: a deep offset
        then costs an index walk, not the decoding of every record it skips.
        """
        order = self._event_order(sort)
        page_ids = select(events.c.event_id).where(*conditions).order_by(*order).limit(limit).offset(offset)
        query = select(events.c.record, events.c.group_id).where(events.c.event_id.in_(page_ids)).order_by(*order)
        with self.engine.connect() as conn:
            return [self._event_from_row(record, group_id) for record, group_id in conn.execute(query)]

    def event_ids(self, conditions: list[Any], sort: str = "-date", limit: int | None = None) -> list[str]:
        """Ids of a whole selection in order: exports then read it in chunks, one connection at a time."""
        query = select(events.c.event_id).where(*conditions).order_by(*self._event_order(sort))
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            return [row[0] for row in conn.execute(query)]

    def events_by_id(self, event_ids: list[str]) -> list[Event]:
        """Events in the order of ``event_ids``; unknown ids are left out."""
        found: dict[str, Event] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(event_ids), 500):
                chunk = event_ids[start : start + 500]
                query = select(events.c.record, events.c.group_id).where(events.c.event_id.in_(chunk))
                for record, group_id in conn.execute(query):
                    ev = self._event_from_row(record, group_id)
                    found[ev.event_id] = ev
        return [found[i] for i in event_ids if i in found]

    def event(self, event_id: str) -> Event | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(events.c.record, events.c.group_id)
                               .where(events.c.event_id == event_id)).first()
        return self._event_from_row(row[0], row[1]) if row else None

    def group_page(self, conditions: list[Any], sort: str = "mentions", limit: int = 50,
                   offset: int = 0) -> tuple[int, list[str]]:
        """Group ids having events that match, biggest (or latest) first, and how many there are."""
        per_group = (select(events.c.group_id, func.count().label("n"), func.max(events.c.event_date).label("last"))
                     .where(events.c.group_id.is_not(None), *conditions).group_by(events.c.group_id).subquery())
        order = ([per_group.c.last.desc(), per_group.c.group_id] if sort == "date"
                 else [per_group.c.n.desc(), per_group.c.group_id])
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(per_group)).scalar_one()
            ids = [r[0] for r in conn.execute(select(per_group.c.group_id).order_by(*order).limit(limit)
                                              .offset(offset))]
        return int(total), ids

    def group_events(self, group_ids: list[str]) -> list[Event]:
        """Every mention of the given groups, whatever the filters: a group is read whole."""
        if not group_ids:
            return []
        query = (select(events.c.record, events.c.group_id).where(events.c.group_id.in_(group_ids))
                 .order_by(events.c.event_date, events.c.doc_id, events.c.sentence_index, events.c.event_id))
        with self.engine.connect() as conn:
            return [self._event_from_row(record, group_id) for record, group_id in conn.execute(query)]

    def story_page(self, conditions: list[Any], limit: int = 20, min_groups: int = 2,
                   groups_per_story: int = 50) -> list[dict[str, Any]]:
        """Groups clustered by their unordered pair of actor countries, the pairs with most groups first."""
        from sqlalchemy import case, distinct

        a = func.coalesce(events.c.actor1_country, "")
        b = func.coalesce(events.c.actor2_country, "")
        paired = (select(case((a <= b, a), else_=b).label("c1"), case((a <= b, b), else_=a).label("c2"),
                         events.c.group_id, events.c.event_date, events.c.goldstein, events.c.cameo_root)
                  .where(events.c.group_id.is_not(None), *conditions).subquery())
        n_groups = func.count(distinct(paired.c.group_id))
        stories = (select(paired.c.c1, paired.c.c2, func.count().label("n"), n_groups.label("g"),
                          func.min(paired.c.event_date).label("first"), func.max(paired.c.event_date).label("last"),
                          func.avg(paired.c.goldstein).label("goldstein"))
                   .where((paired.c.c1 != "") | (paired.c.c2 != ""))
                   .group_by(paired.c.c1, paired.c.c2).having(n_groups >= min_groups)
                   .order_by(n_groups.desc(), func.count().desc(), paired.c.c1, paired.c.c2).limit(limit))
        out = []
        with self.engine.connect() as conn:
            for row in conn.execute(stories).mappings():
                members = (select(paired.c.group_id, func.min(paired.c.cameo_root).label("root"),
                                  func.count().label("n"), func.min(paired.c.event_date).label("first"))
                           .where(paired.c.c1 == row["c1"], paired.c.c2 == row["c2"])
                           .group_by(paired.c.group_id).order_by(func.min(paired.c.event_date), paired.c.group_id)
                           .limit(groups_per_story))
                out.append({**dict(row), "groups": [dict(m) for m in conn.execute(members).mappings()]})
        return out

    def actor_page(self, conditions: list[Any], limit: int = 50, offset: int = 0,
                   examples: int = 20) -> tuple[int, list[dict[str, Any]]]:
        """Actor codes with how often they act and are acted upon, their names and how the text said it."""
        from collections import Counter

        from sqlalchemy import distinct, literal, or_, union_all

        sides = union_all(
            select(events.c.actor1_code.label("code"), literal(1).label("a1"), literal(0).label("a2"))
            .where(events.c.actor1_code.is_not(None), *conditions),
            select(events.c.actor2_code.label("code"), literal(0).label("a1"), literal(1).label("a2"))
            .where(events.c.actor2_code.is_not(None), *conditions),
        ).subquery()
        query = (select(sides.c.code, func.count().label("n"), func.sum(sides.c.a1).label("as_actor1"),
                        func.sum(sides.c.a2).label("as_actor2"))
                 .group_by(sides.c.code).order_by(func.count().desc(), sides.c.code).limit(limit).offset(offset))
        out = []
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count(distinct(sides.c.code)))).scalar_one()
            for row in conn.execute(query).mappings():
                code = row["code"]
                names: Counter[str] = Counter()
                texts: Counter[str] = Counter()
                countries: Counter[str] = Counter()
                sample = (select(events.c.record).where(or_(events.c.actor1_code == code, events.c.actor2_code == code),
                                                        *conditions).limit(examples))
                for (record,) in conn.execute(sample):
                    data = json.loads(record)
                    for side in ("actor1", "actor2"):
                        actor = data.get(side) or {}
                        if actor.get("code") == code:
                            names[actor.get("name") or code] += 1
                            texts[actor.get("text") or ""] += 1
                            if actor.get("country"):
                                countries[actor["country"]] += 1
                out.append({"code": code, "count": int(row["n"]), "as_actor1": int(row["as_actor1"] or 0),
                            "as_actor2": int(row["as_actor2"] or 0),
                            "name": names.most_common(1)[0][0] if names else code,
                            "country": countries.most_common(1)[0][0] if countries else None,
                            "examples": [t for t, _ in texts.most_common(5) if t]})
        return int(total), out

    def event_stats(self, conditions: list[Any], pairs: int = 50) -> dict[str, Any]:
        """Counts by day and quad class, by CAMEO root and by directed actor pair (with mean Goldstein)."""
        c = events.c
        by_day = (select(c.event_date, c.quad_class, func.count()).where(c.event_date.is_not(None), *conditions)
                  .group_by(c.event_date, c.quad_class).order_by(c.event_date, c.quad_class))
        by_root = (select(c.cameo_root, func.count(), func.avg(c.goldstein)).where(*conditions)
                   .group_by(c.cameo_root).order_by(c.cameo_root))
        by_pair = (select(c.actor1_code, c.actor2_code, func.count().label("n"), func.avg(c.goldstein))
                   .where(c.actor1_code.is_not(None), c.actor2_code.is_not(None), *conditions)
                   .group_by(c.actor1_code, c.actor2_code)
                   .order_by(func.count().desc(), c.actor1_code, c.actor2_code).limit(pairs))
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(events).where(*conditions)).scalar_one()
            days = [{"date": d, "quad_class": q, "count": n} for d, q, n in conn.execute(by_day)]
            roots = [{"root": r, "count": n, "goldstein": g} for r, n, g in conn.execute(by_root)]
            pair_rows = [{"actor1": a, "actor2": b, "count": n, "goldstein": g} for a, b, n, g in conn.execute(by_pair)]
        return {"total": int(total), "by_day": days, "by_root": roots, "by_pair": pair_rows}

    def commodity_counts(self, conditions: list[Any], limit: int = 30) -> list[tuple[str, int]]:
        """The commodities events are about, most frequent first (as the text names them)."""
        from sqlalchemy import true

        if self.engine.dialect.name == "postgresql":
            from sqlalchemy import cast
            from sqlalchemy.dialects.postgresql import JSONB

            items = func.jsonb_array_elements_text(cast(events.c.record, JSONB)["commodities"]).table_valued("value")
        else:
            items = func.json_each(events.c.record, "$.commodities").table_valued("value")
        query = (select(items.c.value, func.count()).select_from(events).join(items, true()).where(*conditions)
                 .group_by(items.c.value).order_by(func.count().desc(), items.c.value).limit(limit))
        with self.engine.connect() as conn:
            return [(str(v), int(n)) for v, n in conn.execute(query)]

    def document_page(self, *, status: str | None = None, text: str | None = None, limit: int = 50,
                      offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
        """Documents without their text; ``status`` matches a prefix (ok, skipped, error)."""
        d = documents.c
        conditions: list[Any] = []
        if status:
            conditions.append(d.status.like(self._like(status, contains=False) + "%", escape="\\"))
        if text:
            pattern = self._like(text)
            conditions.append(d.title.ilike(pattern, escape="\\") | d.doc_id.ilike(pattern, escape="\\")
                              | d.source.ilike(pattern, escape="\\"))
        cols = [d.doc_id, d.status, d.reason, d.lang, d.published, d.title, d.url, d.source, d.event_count, d.added]
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(documents).where(*conditions)).scalar_one()
            rows = conn.execute(select(*cols).where(*conditions).order_by(d.doc_id).limit(limit).offset(offset))
            return int(total), [dict(r._mapping) for r in rows]

    def document_meta(self, doc_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Title, outlet, date and address of documents, without their text."""
        ids = sorted(set(doc_ids))
        d = documents.c
        out: dict[str, dict[str, Any]] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(ids), 500):
                query = (select(d.doc_id, d.title, d.source, d.published, d.url, d.status)
                         .where(d.doc_id.in_(ids[start : start + 500])))
                out.update({r.doc_id: dict(r._mapping) for r in conn.execute(query)})
        return out

    def _event_order(self, sort: str) -> list[Any]:
        c = events.c
        key = sort.lstrip("-")
        columns = {"date": [c.event_date], "goldstein": [c.goldstein], "code": [c.cameo],
                   "quad": [c.quad_class], "doc": [c.doc_id, c.sentence_index]}.get(key, [c.event_date])
        ordered = [col.desc() for col in columns] if sort.startswith("-") else list(columns)
        return [*ordered, c.event_id.desc() if sort.startswith("-") else c.event_id]

    def _record_contains(self, value: str) -> Any:
        """The stored JSON text contains ``value`` as JSON writes it (with or without \\u escapes)."""
        from sqlalchemy import or_

        forms = dict.fromkeys([json.dumps(value, ensure_ascii=False)[1:-1], json.dumps(value)[1:-1]])
        if self.engine.dialect.name == "sqlite":  # LIKE already ignores ASCII case; lower() would copy each record
            return or_(*(events.c.record.like(self._like(f), escape="\\") for f in forms))
        return or_(*(events.c.record.ilike(self._like(f), escape="\\") for f in forms))

    def _json_text(self, key: str) -> Any:
        """A top-level string field of the stored record (``key`` is ours, never the user's)."""
        if self.engine.dialect.name == "postgresql":
            from sqlalchemy import cast
            from sqlalchemy.dialects.postgresql import JSONB

            return cast(events.c.record, JSONB)[key].astext
        return func.json_extract(events.c.record, f"$.{key}")

    def _json_array_length(self, key: str) -> Any:
        if self.engine.dialect.name == "postgresql":
            from sqlalchemy import cast
            from sqlalchemy.dialects.postgresql import JSONB

            return func.jsonb_array_length(cast(events.c.record, JSONB)[key])
        return func.json_array_length(events.c.record, f"$.{key}")

    def _json_array_has(self, path: tuple[str, ...], value: str, key: str | None = None) -> Any:
        """EXISTS an element of a JSON array of the record (or its ``key``) containing ``value``."""
        from sqlalchemy import exists

        if self.engine.dialect.name == "postgresql":
            from sqlalchemy import cast, column
            from sqlalchemy.dialects.postgresql import JSONB

            array = cast(events.c.record, JSONB)[path if len(path) > 1 else path[0]]
            if key:
                items = func.jsonb_array_elements(array).table_valued(column("value", JSONB))
                element = items.c.value[key].astext
            else:
                items = func.jsonb_array_elements_text(array).table_valued("value")
                element = items.c.value
        else:
            items = func.json_each(events.c.record, "$." + ".".join(path)).table_valued("value")
            element = func.json_extract(items.c.value, f"$.{key}") if key else items.c.value
        return exists(select(1).select_from(items).where(element.ilike(self._like(value), escape="\\")))

    @staticmethod
    def _like(value: str, contains: bool = True) -> str:
        """A LIKE pattern matching ``value`` literally: its own % and _ are escaped."""
        escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return f"%{escaped}%" if contains else escaped

    @staticmethod
    def _event_from_row(record: str, group_id: str | None) -> Event:
        ev = Event.from_dict(json.loads(record))
        ev.group_id = group_id
        return ev


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
    """WAL lets readers and one writer work at once; the busy timeout, set first, makes other writers wait
    (switching to WAL itself needs a lock when two processes open a new file together)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
