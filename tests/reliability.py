"""Helpers of the reliability tests (faults, crash, concurrency): the fault corpus, database snapshots read
with plain sqlite3 (independent of veille's own store), the run summary, and the figures they report."""

from __future__ import annotations

import importlib.util
import json
import re
import sqlite3
import sys
from contextlib import closing
from pathlib import Path
from types import ModuleType
from typing import Any

FAULTS_DIR = Path(__file__).parent / "data" / "faults"
ARTIFACTS = Path(__file__).parent / "artifacts"
SUMMARY_RE = re.compile(r"documents read: (?P<documents>\d+) \(ok (?P<ok>\d+), unchanged (?P<unchanged>\d+)\) · "
                        r"skipped: (?P<skipped>.*?) · errors: (?P<errors>.*?) · events stored: (?P<events>\d+)")


def make_faults() -> ModuleType:
    """The corpus script, imported from its file (tests/data is not a package)."""
    if "make_faults" not in sys.modules:
        spec = importlib.util.spec_from_file_location("make_faults", FAULTS_DIR / "make_faults.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules["make_faults"] = module  # dataclasses look their module up while the class is built
        spec.loader.exec_module(module)
    return sys.modules["make_faults"]


def query(db: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(db, timeout=30)) as conn:
        return conn.execute(sql, params).fetchall()


def snapshot(db: str, leave_out: tuple[str, ...] = ("added",)) -> dict[str, list[tuple[Any, ...]]]:
    """Every stored value but the columns left out: by default when a document was first added, which two
    separate runs cannot share."""
    tables = {}
    for table, key in (("documents", "doc_id"), ("events", "event_id")):
        columns = [row[1] for row in query(db, f"PRAGMA table_info({table})") if row[1] not in leave_out]
        tables[table] = query(db, f"SELECT {', '.join(columns)} FROM {table} ORDER BY {key}")
    return tables


def half_documents(db: str) -> list[str]:
    """Documents whose stored events do not match their event count, and events without their document."""
    mismatched = query(db, "SELECT d.doc_id FROM documents d LEFT JOIN events e ON e.doc_id = d.doc_id "
                           "GROUP BY d.doc_id HAVING count(e.event_id) != max(d.event_count)")
    orphans = query(db, "SELECT DISTINCT e.doc_id FROM events e LEFT JOIN documents d ON d.doc_id = e.doc_id "
                        "WHERE d.doc_id IS NULL")
    return [r[0] for r in mismatched] + [f"orphan events of {r[0]}" for r in orphans]


def parse_summary(output: str) -> dict[str, Any]:
    """The last line of ``veille run`` as numbers and {status: count} maps."""
    found = SUMMARY_RE.search(output)
    assert found, output
    summary: dict[str, Any] = {k: int(v) for k, v in found.groupdict().items() if k not in {"skipped", "errors"}}
    for key in ("skipped", "errors"):
        text = found[key]
        summary[key] = {} if text == "0" else {k: int(v) for k, v in (p.split(": ") for p in text.split(", "))}
    return summary


def report(name: str, figures: dict[str, Any]) -> None:
    """Print the figures (pytest -s shows them) and keep them in tests/artifacts/reliability.json."""
    print(f"\n{name}: {json.dumps(figures, ensure_ascii=False)}")
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "reliability.json"
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stored = {}
    stored[name] = figures
    path.write_text(json.dumps(stored, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
