"""A run killed, repeated or doubled ends with the database a single clean run gives (SQLite).

``veille run`` is started as a real process: killed with SIGKILL once it has stored its first documents,
then run again; run twice on the same input; and run twice at once on two inputs into one database file.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reliability import FAULTS_DIR, half_documents, parse_summary, query, report, snapshot
from veille.cli import app

DOCUMENTS = 40
TIMEOUT = 300  # seconds for one process; a run of 40 documents takes a few
SUBJECTS = ("Le Japon", "Le Canada", "La France", "L'Allemagne", "Le Brésil", "L'Inde", "Le Kenya", "La Turquie")
OBJECTS = ("la Corée du Nord", "l'Iran", "la Russie", "la Chine", "le Mali", "l'Argentine", "le Venezuela")
VERBS = ("a condamné", "a critiqué", "a salué", "a félicité", "a menacé")
DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi")
runner = CliRunner()


def french_corpus(path: Path, first: int, count: int) -> Path:
    """Small French articles, one JSON line each, every one with a few events."""
    with path.open("w", encoding="utf-8") as out:
        for n in range(first, first + count):
            rng = random.Random(n)  # article n is the same whichever file holds it
            sentences = [f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(DAYS)} {rng.choice(OBJECTS)} "
                         f"au sujet de l'accord de coopération numéro {n}-{i}." for i in range(6)]
            record = {"id": f"article-{n:03d}", "published": f"2025-03-{1 + n % 28:02d}", "source": "test",
                      "title": f"Dépêche {n}", "text": "\n\n".join(sentences)}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def veille_run(*args: str) -> list[str]:
    return [sys.executable, "-m", "veille", "run", *args, "--quiet"]


def stored_documents(db: str) -> int:
    """Documents committed so far, read beside the running writer (0 until its tables exist)."""
    if not Path(db).exists():
        return 0
    try:
        with closing(sqlite3.connect(db, timeout=1)) as conn:
            return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return french_corpus(tmp_path_factory.mktemp("crash") / "corpus.jsonl", 0, DOCUMENTS)


@pytest.fixture(scope="module")
def reference(corpus: Path, nlp: Any) -> str:
    """The database of one uninterrupted run."""
    db = str(corpus.with_name("reference.db"))
    result = runner.invoke(app, ["run", str(corpus), "--db", db, "--quiet"])
    assert result.exit_code == 0, result.output
    assert query(db, "SELECT count(*) FROM documents WHERE status = 'ok' AND event_count > 0")[0][0] == DOCUMENTS
    return db


def test_a_killed_run_resumes_to_the_same_database(corpus: Path, reference: str, tmp_path: Path):
    db = str(tmp_path / "killed.db")
    process = subprocess.Popen(veille_run(str(corpus), "--db", db), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    seen = 0
    try:
        deadline = time.monotonic() + TIMEOUT
        while process.poll() is None and time.monotonic() < deadline:
            seen = stored_documents(db)
            if seen:
                os.kill(process.pid, signal.SIGKILL)
                break
            time.sleep(0.01)
    finally:
        process.kill()
        output = process.communicate()[0]
    assert process.returncode == -signal.SIGKILL, output  # killed, not finished
    at_kill = stored_documents(db)
    assert 0 < at_kill < DOCUMENTS
    assert half_documents(db) == []  # every committed document has all its events, and no event is stray

    resumed = subprocess.run(veille_run(str(corpus), "--db", db), capture_output=True, text=True, timeout=TIMEOUT)
    assert resumed.returncode == 0, resumed.stderr
    summary = parse_summary(" ".join(resumed.stderr.split()))
    assert summary["documents"] == DOCUMENTS and summary["unchanged"] == at_kill
    assert snapshot(db) == snapshot(reference)
    report("crash", {"documents": DOCUMENTS, "stored when killed": at_kill, "resumed": DOCUMENTS - at_kill,
                     "events": len(snapshot(db)["events"]), "half documents": 0, "equal to uninterrupted run": True})


def test_running_twice_changes_nothing(corpus: Path, tmp_path: Path, nlp: Any):
    db = str(tmp_path / "twice.db")
    inputs = [str(corpus), *(str(FAULTS_DIR / n) for n in ("broken_lines.jsonl", "empty.txt", "english.txt",
                                                           "image_named_txt.txt", "cp1252.txt"))]
    first = runner.invoke(app, ["run", *inputs, "--db", db, "--quiet"])
    before = snapshot(db, leave_out=())
    second = runner.invoke(app, ["run", *inputs, "--db", db, "--quiet"])
    assert first.exit_code == second.exit_code == 3  # the broken lines and the image
    assert snapshot(db, leave_out=()) == before  # same rows, same ids, same first-added times
    one, two = (parse_summary(" ".join(r.output.split())) for r in (first, second))
    assert two["unchanged"] == one["ok"] == two["ok"] and two["events"] == 0
    assert (two["documents"], two["skipped"], two["errors"]) == (one["documents"], one["skipped"], one["errors"])
    report("idempotency", {"documents": one["documents"], "events": len(before["events"]),
                           "second run unchanged": two["unchanged"], "second run events stored": two["events"],
                           "database identical": True})


def test_two_writers_at_once_lose_nothing(corpus: Path, reference: str, tmp_path: Path):
    """Two processes on two halves of the corpus, into one new SQLite file: WAL and the busy timeout
    make them take turns, schema creation included."""
    halves = [french_corpus(tmp_path / "a.jsonl", 0, DOCUMENTS // 2),
              french_corpus(tmp_path / "b.jsonl", DOCUMENTS // 2, DOCUMENTS // 2)]
    db = str(tmp_path / "shared.db")
    start = time.perf_counter()
    processes = [subprocess.Popen(veille_run(str(half), "--db", db), stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True) for half in halves]
    outputs = [p.communicate(timeout=TIMEOUT)[0] for p in processes]
    seconds = time.perf_counter() - start
    assert [p.returncode for p in processes] == [0, 0], outputs
    assert sum(parse_summary(" ".join(o.split()))["documents"] for o in outputs) == DOCUMENTS
    # Group ids depend on the order articles arrive in (a group, once founded, keeps its id): all else is equal.
    unordered = ("added", "path", "group_id")
    assert snapshot(db, leave_out=unordered) == snapshot(reference, leave_out=unordered)
    assert query(db, "SELECT count(*) FROM events WHERE group_id IS NULL OR group_id LIKE 'p%'")[0][0] == 0
    assert query(db, "PRAGMA journal_mode")[0][0] == "wal"
    report("concurrency", {"writers": 2, "documents": DOCUMENTS, "events": len(snapshot(db)["events"]),
                           "lost": 0, "seconds": round(seconds, 1)})
