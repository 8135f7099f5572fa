"""Batch runs on Apache Spark: the same pipeline, per partition, for corpora one process cannot finish.

The driver only finds out what to read (file paths, JSON Lines, Parquet rows); executors read the
articles and run ``veille.pipeline.process`` on them, so each Python worker loads the spaCy model
once (``load_nlp`` is cached and Spark reuses its workers across tasks). Groups across articles
are then placed on the driver, over the events' records only, as ``veille.group.regroup`` places
them after ``veille run``, and counted by a Spark aggregation. Output, as Parquet folders under
OUTPUT: ``events`` (one row per event: key columns and the JSON record), ``documents`` (every
input document with its status), ``groups`` (GDELT-style NumMentions / NumArticles / NumSources),
and ``summary.json`` for a local OUTPUT.

pyspark is imported here only, and only when a batch runs.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime
from functools import partial
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from veille.group import regroup
from veille.ingest import JSONL_SUFFIXES, SUPPORTED, _error_doc, _read_meta, _record_to_document, read_file
from veille.models import Document, Event, RunStats

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import SparkSession

    from veille.store import Store

ENGINES = ("spark",)

# Columns of the documents Parquet; the text stays out (events carry their evidence).
DOC_COLUMNS = ("doc_id", "status", "reason", "event_count", "lang", "published", "title", "url", "source", "path",
               "fmt", "content_hash")
# Columns of the events Parquet: the store's key columns, the confidence (to pick a group's best
# mention) and the JSON record of the event schema.
EVENT_COLUMNS = ("event_id", "doc_id", "sentence_index", "event_date", "cameo", "cameo_root", "quad_class",
                 "goldstein", "actor1_code", "actor1_country", "actor2_code", "actor2_country", "modality",
                 "group_id", "confidence", "record")
_INTEGER = {"event_count", "sentence_index", "quad_class"}
_DOUBLE = {"goldstein", "confidence"}

# What a partition yields per document: its Parquet row, its text (only to store it), its event rows.
DocResult = tuple[tuple[Any, ...], str | None, list[tuple[Any, ...]]]
# A file for an executor to read: absolute path, path as given, its line of meta.jsonl.
FileItem = tuple[str, str, dict[str, Any] | None]


@dataclass(slots=True)
class BatchResult:
    stats: RunStats
    groups: int
    seconds: float
    output: str


def run_batch(input_path: str, output: str, engine: str = "spark", master: str = "local[2]",
              db: str | None = None, partitions: int | None = None) -> BatchResult:
    """Analyse a folder, a JSON Lines file or a Parquet corpus on Spark and write Parquet to ``output``.

    ``db`` also stores every document and its events there, from the driver (``Store.save``, so
    re-runs replace instead of duplicating). ``partitions`` defaults to two per core.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown batch engine {engine!r} (supported: {', '.join(ENGINES)})")
    from pyspark import StorageLevel

    from veille.store import Store

    store = Store(db) if db is not None else None  # an unreachable database fails now, not after the run
    spark, owned = _session(master)
    started = time.perf_counter()
    try:
        rows, reader = _source(spark, input_path)
        target = partitions or max(rows.getNumPartitions(), 2 * spark.sparkContext.defaultParallelism)
        if rows.getNumPartitions() != target:
            rows = rows.repartition(target)
        results: RDD[DocResult] = rows.mapPartitions(partial(_analyse_partition, reader, db is not None))
        results.persist(StorageLevel.MEMORY_AND_DISK)  # written three times and maybe stored: analysed once
        stats, groups = _write(spark, results, _spark_path(output))
        if store is not None:
            _store(results.toLocalIterator(), store)
            regroup(store)  # the same groups as the Parquet ones, and as ``veille run`` makes
        results.unpersist()
    finally:
        if store is not None:
            store.close()
        if owned:
            spark.stop()
    result = BatchResult(stats=stats, groups=groups, seconds=time.perf_counter() - started, output=output)
    if "://" not in output:
        summary = asdict(result) | {"documents_per_second": stats.documents / max(result.seconds, 1e-9)}
        (Path(output) / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return result


def _session(master: str) -> tuple[SparkSession, bool]:
    """The active session (a caller's, e.g. a test's) or a new one that ``run_batch`` stops afterwards."""
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active, False
    builder = SparkSession.builder.master(master).appName("veille batch")
    builder = builder.config("spark.python.worker.reuse", "true")  # what keeps one spaCy model per worker
    if master.startswith("local"):
        # One machine: stay on loopback, no web UI, and workers run this very interpreter (with veille).
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        builder = builder.config("spark.ui.enabled", "false")
    return builder.getOrCreate(), True


def _spark_path(path: str, reading: bool = False) -> str:
    """Local paths as file:// paths, since a cluster's default file system may be HDFS.

    Not percent-encoded (Hadoop would keep %5B as three characters), and for reading with Hadoop's
    glob characters escaped, which local file names may contain (``out-local[2]``).
    """
    if "://" in path:
        return path
    local = "file://" + str(Path(path).resolve())
    return re.sub(r"([\\{}\[\]*?])", r"\\\1", local) if reading else local


def _source(spark: SparkSession, input_path: str) -> tuple[RDD[Any], Callable[[Any], Iterator[Document]]]:
    """The corpus as an RDD of small records, and the function that turns one record into documents."""
    sc = spark.sparkContext
    remote = "://" in input_path
    path = Path(input_path)
    if not remote and not path.exists():
        raise FileNotFoundError(f"no such file or folder: {input_path}")
    origin = input_path if remote else str(path)
    name = input_path.rstrip("/").lower()
    parquet = name.endswith(".parquet") or (
        not remote and path.is_dir() and any(path.glob("*.parquet"))
        and not any(p.suffix.lower() in SUPPORTED for p in path.iterdir()))
    if parquet:
        frame = spark.read.parquet(_spark_path(input_path, reading=True))
        if not {"id", "doc_id"} & set(frame.columns) or not {"text", "html"} & set(frame.columns):
            raise ValueError(f"{input_path}: a Parquet corpus needs an id column and a text (or html) column")
        return frame.rdd.map(lambda row: row.asDict()).zipWithIndex(), partial(_parquet_documents, origin)
    if remote or path.suffix.lower() in JSONL_SUFFIXES:
        return sc.textFile(_spark_path(input_path, reading=True)).zipWithIndex(), partial(_jsonl_documents, origin)
    files = _list_files(path)
    return sc.parallelize(files, max(1, min(len(files), 2 * sc.defaultParallelism))), _file_documents


def _list_files(path: Path) -> list[FileItem]:
    """The files ``veille run`` would read, in its order; executors open them by absolute path
    (their working folder is not ours) and documents keep the path as given, as ``veille run`` does."""
    if path.is_file():
        return [(str(path.absolute()), str(path), _read_meta(path.parent).get(path.name))]
    meta = _read_meta(path)
    return [(str(child.absolute()), str(child), meta.get(child.name)) for child in sorted(path.rglob("*"))
            if child.is_file() and child.suffix.lower() in SUPPORTED and child.name != "meta.jsonl"]


def _file_documents(item: FileItem) -> Iterator[Document]:
    absolute, given, meta = item
    for doc in read_file(Path(absolute), meta):
        if doc.path == absolute:
            doc.path = given
        yield doc


def _jsonl_documents(origin: str, item: tuple[str, int]) -> Iterator[Document]:
    """One line of a JSON Lines corpus, with the ids and statuses ``veille run`` gives it."""
    line, index = item
    line_no = index + 1
    if index == 0:
        line = line.removeprefix("\ufeff")  # veille run drops a UTF-8 byte order mark too
    if not line.strip():
        return
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        reason = f"line {line_no}: {exc.msg}"
        yield _error_doc(f"{Path(origin).stem}-line{line_no}", origin, "error:invalid-json", reason, "jsonl")
        return
    if not isinstance(record, dict):
        reason = f"line {line_no} is not an object"
        yield _error_doc(f"{Path(origin).stem}-line{line_no}", origin, "error:invalid-json", reason, "jsonl")
        return
    yield _record_to_document(record, origin, line_no)


def _parquet_documents(origin: str, item: tuple[dict[str, Any], int]) -> Iterator[Document]:
    record, index = item
    record = {k: v.isoformat() if isinstance(v, date | datetime) else v for k, v in record.items()
              if v is not None}
    doc = _record_to_document(record, origin, index + 1)
    doc.fmt = "parquet"
    yield doc


def _analyse_partition(reader: Callable[[Any], Iterator[Document]], keep_text: bool,
                       items: Iterable[Any]) -> Iterator[DocResult]:
    """Runs on an executor: read, clean, parse and code one partition's documents."""
    from veille.pipeline import process
    from veille.store import _event_row

    def documents() -> Iterator[Document]:
        for item in items:
            for doc in reader(item):
                _ = doc.content_hash  # fixed on the text as read, as ``veille run`` does, before cleaning
                yield doc

    for doc, events in process(documents()):
        unique = list({ev.event_id: ev for ev in events}.values())  # as Store.save counts them
        event_rows = []
        for ev in unique:
            row = _event_row(ev) | {"confidence": ev.confidence}
            event_rows.append(tuple(_typed(c, row[c]) for c in EVENT_COLUMNS))
        fields = {"doc_id": doc.doc_id, "status": doc.status, "reason": doc.reason, "event_count": len(unique),
                  "lang": doc.lang, "published": doc.published, "title": doc.title, "url": doc.url,
                  "source": doc.source, "path": doc.path, "fmt": doc.fmt, "content_hash": doc.content_hash}
        yield tuple(_typed(c, fields[c]) for c in DOC_COLUMNS), doc.text if keep_text else None, event_rows


def _typed(column: str, value: Any) -> Any:
    """Values as the Parquet schema wants them (Spark refuses an int in a double column)."""
    if value is None:
        return None
    if column in _DOUBLE:
        return float(value)
    if column in _INTEGER:
        return int(value)
    return str(value)


def _schema(columns: Iterable[str]) -> Any:
    from pyspark.sql.types import DoubleType, IntegerType, StringType, StructField, StructType

    def kind(c: str) -> Any:
        return DoubleType() if c in _DOUBLE else IntegerType() if c in _INTEGER else StringType()

    return StructType([StructField(c, kind(c), nullable=c not in {"doc_id", "event_id"}) for c in columns])


def _regroup(spark: SparkSession, events: Any) -> Any:
    """Events with their groups across the corpus (``veille.group.place_units`` over the records, read on the
    driver: they are small beside the articles), in the group_id column and in the JSON record alike."""
    from collections import defaultdict

    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType

    from veille.group import place_units

    units: dict[str, list[Event]] = defaultdict(list)
    for row in events.select("group_id", "record").toLocalIterator():
        event = Event.from_dict(json.loads(row["record"]))
        units[row["group_id"] or "e" + event.event_id].append(event)
    placed = place_units(list(units.values()), {})
    if not placed:
        return events
    table = spark.createDataFrame(sorted(placed.items()), "event_id string, placed string")

    # a lambda: pyspark reads a function's type hints as a request for a pandas UDF
    with_group = F.udf(lambda record, gid: _with_group(record, gid), StringType(), useArrow=False)
    joined = events.join(table, "event_id", "left").withColumn("group_id", F.coalesce("placed", "group_id"))
    return joined.withColumn("record", with_group("record", "group_id")).select(*EVENT_COLUMNS)


def _with_group(record: str, group_id: str | None) -> str:
    return json.dumps(json.loads(record) | {"group_id": group_id}, ensure_ascii=False)


def _write(spark: SparkSession, results: RDD[DocResult], output: str) -> tuple[RunStats, int]:
    """Documents, events and corpus-wide groups as Parquet; returns the run's figures."""
    from pyspark.sql import functions as F

    docs = spark.createDataFrame(results.map(itemgetter(0)), _schema(DOC_COLUMNS))
    events = _regroup(spark, spark.createDataFrame(results.flatMap(itemgetter(2)), _schema(EVENT_COLUMNS)))
    docs.write.mode("overwrite").parquet(f"{output}/documents")
    events.write.mode("overwrite").parquet(f"{output}/events")

    outlets = docs.select("doc_id", F.coalesce("source", "doc_id").alias("outlet"))
    # The best mention as veille.group.build_groups picks it: highest confidence, earliest sentence.
    best = F.max_by(F.struct("event_id", "cameo", "actor1_code", "actor2_code"),
                    F.struct("confidence", -F.col("sentence_index"), "event_id"))
    groups = (events.where(F.col("group_id").isNotNull()).join(outlets, "doc_id", "left")
              .groupBy("group_id")
              .agg(best.alias("best"), F.count("*").alias("num_mentions"),
                   F.countDistinct("doc_id").alias("num_articles"), F.countDistinct("outlet").alias("num_sources"),
                   F.min("event_date").alias("first_seen"), F.max("event_date").alias("last_seen"),
                   F.sort_array(F.collect_list("event_id")).alias("mentions"))
              .select("group_id", F.col("best.cameo").alias("cameo"), F.col("best.actor1_code").alias("actor1"),
                      F.col("best.actor2_code").alias("actor2"), F.col("first_seen").alias("date"),
                      "num_mentions", "num_articles", "num_sources", "first_seen", "last_seen",
                      F.col("best.event_id").alias("best_event_id"), "mentions"))
    groups.write.mode("overwrite").parquet(f"{output}/groups")

    stats = RunStats()
    for row in docs.groupBy("status").agg(F.count("*").alias("n"), F.sum("event_count").alias("events")).collect():
        stats.documents += row["n"]
        stats.events += int(row["events"] or 0)
        if row["status"] == "ok":
            stats.ok += row["n"]
        elif row["status"].startswith("skipped"):
            stats.skipped[row["status"]] = row["n"]
        else:
            stats.errors[row["status"]] = row["n"]
    return stats, groups.count()


def _store(results: Iterable[DocResult], store: Store) -> None:
    """Save every document with its events, one transaction each, as ``veille run`` does."""
    record = EVENT_COLUMNS.index("record")
    for doc_row, text, event_rows in results:
        fields = dict(zip(DOC_COLUMNS, doc_row, strict=True))
        fields.pop("event_count")
        checksum = fields.pop("content_hash")
        doc = Document(**fields, text=text or "", checksum=checksum)
        store.save(doc, [Event.from_dict(json.loads(row[record])) for row in event_rows])
