"""The command line: help and version everywhere, a real run, schema-valid JSON Lines."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from veille.cli import app

runner = CliRunner()
COMMANDS = ["run", "events", "docs", "actors", "evaluate", "explain", "serve", "batch"]

EVENT_SCHEMA = {
    "type": "object",
    "required": ["event_id", "doc_id", "sentence_index", "evidence", "evidence_span", "trigger", "actor1", "actor2",
                 "cameo", "cameo_root", "plover", "goldstein", "quad_class", "modality", "condition", "source",
                 "quantities", "commodities", "location", "date", "date_precision", "date_basis", "rule",
                 "confidence"],
    "properties": {
        "cameo": {"type": "string", "pattern": "^[0-9]{2,4}$"},
        "cameo_root": {"type": "string", "pattern": "^(0[1-9]|1[0-9]|20)$"},
        "evidence_span": {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2},
        "modality": {"enum": ["asserted", "negated", "conditional", "hypothetical", "future", "question"]},
        "quad_class": {"enum": [1, 2, 3, 4]},
        "goldstein": {"type": "number", "minimum": -10, "maximum": 10},
        "confidence": {"type": "number", "minimum": 0, "maximum": 1},
        "actor1": {"type": "object", "required": ["code", "name", "country", "kind", "text"]},
        "actor2": {"type": ["object", "null"]},
        "source": {"type": "object", "required": ["speaker", "via"],
                   "properties": {"via": {"type": "array", "items": {"type": "string"}}}},
        "rule": {"type": "string", "minLength": 1},
        "date_basis": {"enum": ["explicit", "relative", "publication", None]},
    },
}


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_and_version_on_every_level(command: str | None):
    args = [command] if command else []
    result = runner.invoke(app, [*args, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output
    result = runner.invoke(app, [*args, "--version"])
    assert result.exit_code == 0 and result.output.startswith("veille 0.1.0")


def test_run_events_docs_end_to_end(tmp_path: Path, db: str):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Le Japon a condamné mardi le tir d'un missile balistique par la Corée du Nord.",
                                  encoding="utf-8")
    (folder / "b.txt").write_bytes(b"\x89PNG\r\n\x1a\nxxxx")
    (folder / "meta.jsonl").write_text(json.dumps({"doc_id": "a", "file": "a.txt", "published": "2025-03-06"}),
                                       encoding="utf-8")
    result = runner.invoke(app, ["run", str(folder), "--db", db, "--quiet"])
    assert result.exit_code == 3, result.output  # one input failed
    assert "events stored" in result.output
    result = runner.invoke(app, ["events", "--db", db, "--format", "jsonl"])
    lines = [json.loads(line) for line in result.output.splitlines() if line.strip()]
    assert lines, result.output
    for record in lines:
        jsonschema.validate(record, EVENT_SCHEMA)
    assert any(r["actor1"]["code"].startswith("JPN") and r["cameo"].startswith("11") for r in lines)
    result = runner.invoke(app, ["docs", "--db", db])
    assert "error:binary" in result.output and "ok" in result.output
    result = runner.invoke(app, ["events", "--db", db, "--format", "tsv", "--out", str(tmp_path / "e.tsv")])
    assert result.exit_code == 0 and (tmp_path / "e.tsv").read_text(encoding="utf-8").startswith("GLOBALEVENTID")
    result = runner.invoke(app, ["actors", "--db", db])
    assert "JPN" in result.output


def test_explain_shows_rules():
    result = runner.invoke(app, ["explain", "L'Iran a été accusé par Israël de financer le Hezbollah."])
    assert result.exit_code == 0
    assert "EVENT" in result.output and "ISR" in result.output and "112" in result.output
