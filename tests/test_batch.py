"""Batch on Spark (local mode, one session for the module): the same events as ``veille run``.

Four French articles and a broken line as JSON Lines, the same articles as Parquet, and the
examples folder; every run is compared with ``veille.pipeline.run`` over the same input.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from veille.batch import run_batch
from veille.group import build_groups
from veille.pipeline import run
from veille.store import Store

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
ARTICLES = [
    {"id": "a1", "text": "Le Kremlin a accusé lundi Kiev de saboter les pourparlers de paix.",
     "published": "2024-03-14", "source": "AFP"},
    {"id": "a2", "text": "Le Canada a imposé de nouvelles sanctions contre l'Iran, a annoncé Ottawa mardi.",
     "published": "2024-03-13", "source": "Le Monde"},
    {"id": "a3", "text": "Emmanuel Macron a rencontré le chancelier allemand Olaf Scholz à Berlin pour discuter de "
                         "l'aide à l'Ukraine.", "published": "2024-03-15"},
    {"id": "a4", "text": "Moscou a accusé mardi Kiev de saboter les négociations.", "published": "2024-03-14",
     "source": "Le Figaro"},
]


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from pyspark.sql import SparkSession

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SPARK_LOCAL_IP", "127.0.0.1")
        mp.setenv("PYSPARK_PYTHON", sys.executable)
        session = (SparkSession.builder.master("local[2]").appName("veille tests")
                   .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate())
        yield session
        session.stop()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "corpus.jsonl"
    lines = [json.dumps(a, ensure_ascii=False) for a in ARTICLES]
    lines.insert(2, '{"id": "broken", "text": ')  # line 3: cut short
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory, nlp: Any) -> Store:
    store = Store(str(tmp_path_factory.mktemp("ref") / "run.db"))
    run([str(corpus)], store, nlp=nlp)
    return store


@pytest.fixture(scope="module")
def batch(spark: Any, corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("out")
    db = str(out / "batch.db")
    result = run_batch(str(corpus), str(out / "parquet"), master="local[2]", db=db)
    assert result.stats.documents == 5 and result.stats.errors == {"error:invalid-json": 1}
    return out / "parquet", db


def records(folder: Path) -> list[dict[str, Any]]:
    return sorted((json.loads(r) for r in pq.read_table(folder / "events").column("record").to_pylist()),
                  key=lambda r: r["event_id"])


def test_jsonl_batch_gives_the_events_of_veille_run(batch: tuple[Path, str], reference: Store):
    out, _ = batch
    expected = sorted((e.to_dict() for e in reference.iter_events()), key=lambda r: r["event_id"])
    assert len(expected) >= 4
    assert records(out) == expected


def test_document_statuses_include_the_broken_line(batch: tuple[Path, str], reference: Store):
    out, _ = batch
    docs = pq.read_table(out / "documents").to_pylist()
    assert {d["doc_id"]: d["status"] for d in docs} == {d["doc_id"]: d["status"] for d in reference.documents()}
    assert {d["doc_id"]: d["status"] for d in docs}["corpus-line3"] == "error:invalid-json"
    assert sum(d["event_count"] for d in docs) == reference.counts()["events"]


def test_groups_span_the_whole_corpus(batch: tuple[Path, str], reference: Store):
    out, _ = batch
    sources = {d["doc_id"]: d["source"] for d in reference.documents()}
    expected = {g.group_id: (g.num_mentions, g.num_articles, g.num_sources, sorted(g.mentions))
                for g in build_groups(reference.iter_events(), sources)}
    groups = pq.read_table(out / "groups").to_pylist()
    assert {g["group_id"]: (g["num_mentions"], g["num_articles"], g["num_sources"], g["mentions"])
            for g in groups} == expected
    assert max(g["num_articles"] for g in groups) == 2  # Kremlin and Moscou accuse Kiev the same week


def test_batch_database_is_the_one_veille_run_makes(batch: tuple[Path, str], reference: Store, corpus: Path,
                                                    nlp: Any):
    _, db = batch
    store = Store(db)
    assert [e.to_dict() for e in store.iter_events()] == [e.to_dict() for e in reference.iter_events()]
    assert store.documents() == reference.documents()
    again = run([str(corpus)], store, nlp=nlp)  # same content hashes: nothing to redo
    assert again.unchanged == again.ok == 4 and again.events == 0
    store.close()


def test_parquet_and_folder_inputs(spark: Any, batch: tuple[Path, str], tmp_path: Path, nlp: Any):
    table = pa.Table.from_pylist([{"id": a["id"], "text": a["text"], "published": a["published"],
                                   "url": None, "source": a.get("source")} for a in ARTICLES])
    pq.write_table(table, tmp_path / "corpus.parquet")
    result = run_batch(str(tmp_path / "corpus.parquet"), str(tmp_path / "from_parquet"))
    assert result.stats.documents == result.stats.ok == 4
    assert records(tmp_path / "from_parquet") == records(batch[0])

    reference = Store(str(tmp_path / "examples.db"))
    run([str(EXAMPLES)], reference, nlp=nlp)
    run_batch(str(EXAMPLES), str(tmp_path / "from_folder"))
    expected = sorted((e.to_dict() for e in reference.iter_events()), key=lambda r: r["event_id"])
    assert records(tmp_path / "from_folder") == expected
    reference.close()


def test_unknown_engine_is_refused(tmp_path: Path):
    with pytest.raises(ValueError, match="engine"):
        run_batch(str(tmp_path), str(tmp_path / "out"), engine="dask")
