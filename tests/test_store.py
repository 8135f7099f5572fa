"""The repository on both backends: SQLite and a real PostgreSQL server (tests/pg.py), no mocks.

Same behaviour everywhere: atomic, idempotent saves; Alembic migrations that build exactly the
tables of ``veille.store``; concurrent writers into one database that lose nothing.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from veille.models import Actor, Document, Event, Quantity, Source
from veille.store import SCHEMA_REVISION, EventFilter, Store, database_url, metadata

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "test.db")
    return str(request.getfixturevalue("pg_url"))


def event(doc_id: str, code: str, a1: str = "FRA", a2: str = "DEU") -> Event:
    ev = Event(doc_id=doc_id, sentence_index=0, evidence="x", evidence_span=(0, 1), trigger="t",
               actor1=Actor(text=a1, name=a1, code=a1, country=a1), actor2=Actor(text=a2, name=a2, code=a2,
                                                                                  country=a2),
               cameo=code, date="2025-03-01")
    ev.compute_id()
    return ev


def test_save_replaces_and_is_idempotent(url: str):
    store = Store(url)
    doc = Document(doc_id="d1", text="texte")
    store.save(doc, [event("d1", "040"), event("d1", "0311")])
    store.save(doc, [event("d1", "040"), event("d1", "0311")])
    assert store.counts() == {"documents": 1, "events": 2}
    store.save(doc, [event("d1", "040")])
    assert store.counts() == {"documents": 1, "events": 1}
    store.close()


def test_filters_and_leading_zeros(url: str):
    store = Store(url)
    store.save(Document(doc_id="d1", text="a"), [event("d1", "0311"), event("d1", "195", "ISR", "PSE")])
    store.save(Document(doc_id="d2", text="b", status="error:binary", reason="png"), [])
    assert [e.cameo for e in store.iter_events(EventFilter(code="03"))] == ["0311"]
    assert [e.cameo for e in store.iter_events(EventFilter(country="PSE"))] == ["195"]
    assert [e.cameo for e in store.iter_events(EventFilter(actor="ISR"))] == ["195"]
    assert not list(store.iter_events(EventFilter(since="2025-04-01")))
    statuses = {d["doc_id"]: d["status"] for d in store.documents()}
    assert statuses == {"d1": "ok", "d2": "error:binary"}
    store.close()


def test_sql_injection_in_filters_is_harmless(url: str):
    store = Store(url)
    store.save(Document(doc_id="d1", text="a"), [event("d1", "0311")])
    assert not list(store.iter_events(EventFilter(actor="' OR 1=1 --", doc="x' OR '1'='1")))
    assert store.counts()["events"] == 1
    store.close()


def test_long_ids_and_free_text_fields_fit(url: str):
    """Ids may be whole article URLs and dates arrive as the feed wrote them; PostgreSQL checks lengths."""
    doc_id = "https://www.example.fr/international/article/" + "x" * 300
    store = Store(url)
    store.save(Document(doc_id=doc_id, text="é" * 10, published="jeudi 14 mars 2024, mis à jour à 08 h 15 " * 3,
                        lang="fr-FR-x-presse"), [event(doc_id, "0311")])
    assert store.document(doc_id)["published"].startswith("jeudi")
    assert [e.doc_id for e in store.iter_events()] == [doc_id]
    store.close()


def test_json_filters_of_the_explorer(url: str):
    """The record's JSON is queried with each backend's own functions (json_each / jsonb)."""
    ev = event("d1", "0311")
    ev.source = Source(speaker="le ministre", via=["AFP"])
    ev.commodities = ["blé"]
    ev.quantities = [Quantity(value=2.0, unit="t", text="2 tonnes", commodity="engrais")]
    ev.evidence = "Paris livre du blé à Berlin"
    store = Store(url)
    store.save(Document(doc_id="d1", text="a"), [ev, event("d1", "195")])
    count = store.count_events
    assert count(store.event_conditions(via="afp")) == 1
    assert count(store.event_conditions(commodity="blé")) == 1
    assert count(store.event_conditions(commodity="engrais")) == 1
    assert count(store.event_conditions(has_commodity=True)) == 1
    assert count(store.event_conditions(text="livre du")) == 1
    assert count(store.event_conditions(text="100%")) == 0
    store.close()


def test_migrations_build_exactly_the_tables_of_the_store(url: str):
    from alembic.autogenerate import compare_metadata
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    Store(url).close()
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).resolve().parents[1] / "src/veille/migrations"))
    assert ScriptDirectory.from_config(config).get_current_head() == SCHEMA_REVISION
    engine = create_engine(database_url(url))
    with engine.connect() as conn:
        context = MigrationContext.configure(conn)
        assert context.get_current_revision() == SCHEMA_REVISION
        assert compare_metadata(context, metadata) == []
    engine.dispose()


def test_downgrade_then_upgrade_keeps_working(url: str):
    from alembic import command
    from alembic.config import Config

    store = Store(url)
    store.save(Document(doc_id="d1", text="a"), [event("d1", "0311")])
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).resolve().parents[1] / "src/veille/migrations"))
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "base")
    store.close()
    store = Store(url)  # upgrades again from nothing
    assert store.counts() == {"documents": 0, "events": 0}
    store.save(Document(doc_id="d1", text="a"), [event("d1", "0311")])
    assert store.counts() == {"documents": 1, "events": 1}
    store.close()


def test_database_made_before_migrations_is_adopted(url: str):
    """A database from ``metadata.create_all`` (veille before Alembic) keeps its rows and gets versioned."""
    engine = create_engine(database_url(url))
    metadata.create_all(engine)
    engine.dispose()
    store = Store(url)
    store.save(Document(doc_id="d1", text="a"), [event("d1", "0311")])
    store.close()
    store = Store(url)
    assert store.counts() == {"documents": 1, "events": 1}
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == SCHEMA_REVISION
    store.close()


def test_postgresql_urls_use_psycopg():
    assert database_url("postgresql://u:p@db.example/veille") == "postgresql+psycopg://u:p@db.example/veille"
    assert database_url("postgres://u@/veille?host=/run/pg") == "postgresql+psycopg://u@/veille?host=/run/pg"
    assert database_url("postgresql+psycopg://u@h/v") == "postgresql+psycopg://u@h/v"
    assert database_url("data/veille.db") == "sqlite:///data/veille.db"


WRITER = """
import pathlib, sys, time
from veille.models import Actor, Document, Event
from veille.store import Store

url, prefix, folder = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
(folder / f"ready-{prefix}").touch()
while not (folder / "go").exists():
    time.sleep(0.005)
store = Store(url)  # both processes meet an empty database: the schema is made once
for n in range(50):
    doc_id = f"{prefix}-{n}"
    found = []
    for index, code in enumerate(("040", "0311", "195")):
        actor = Actor(text="France", name="France", code="FRA", country="FRA")
        ev = Event(doc_id=doc_id, sentence_index=index, evidence="x", evidence_span=(0, 1), trigger="t",
                   actor1=actor, actor2=None, cameo=code)
        ev.compute_id()
        found.append(ev)
    store.save(Document(doc_id=doc_id, text="texte " + doc_id), found)
store.close()
"""


def test_two_writers_into_one_database_lose_nothing(url: str, tmp_path: Path):
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, url, prefix, str(tmp_path)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for prefix in ("a", "b")]
    deadline = time.monotonic() + 60
    while not all((tmp_path / f"ready-{p}").exists() for p in ("a", "b")) and time.monotonic() < deadline:
        time.sleep(0.01)
    (tmp_path / "go").touch()
    for proc in procs:
        _, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, stderr
    store = Store(url)
    assert store.counts() == {"documents": 100, "events": 300}
    assert len({d["doc_id"] for d in store.documents()}) == 100
    store.close()


def test_pipeline_gives_the_same_events_on_both_backends(url: str, nlp, tmp_path: Path):
    from veille.pipeline import run

    reference = Store(str(tmp_path / "reference.db"))
    run([str(EXAMPLES)], reference, nlp=nlp)
    store = Store(url)
    first = run([str(EXAMPLES)], store, nlp=nlp)
    second = run([str(EXAMPLES)], store, nlp=nlp)
    assert first.events > 0 and second.events == 0
    assert [e.to_dict() for e in store.iter_events()] == [e.to_dict() for e in reference.iter_events()]
    assert store.documents() == reference.documents()
    store.close()
    reference.close()
