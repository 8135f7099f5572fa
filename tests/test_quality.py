"""Evaluation gate: veille's figures on the gold sets must not fall below the recorded floors.

Floors live in ``tests/gold/baseline.json`` and are raised as quality rises, never lowered to
make a change pass. The figures are printed so every CI log shows where quality stands.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from veille.evaluate import figures, load_gold, match
from veille.pipeline import run
from veille.store import Store

GOLD = Path(__file__).parent / "gold"
FIGURES: list[str] = []  # printed at the end of every test run by conftest.pytest_terminal_summary
BASELINE = json.loads((GOLD / "baseline.json").read_text(encoding="utf-8"))


def sets(shared: Path) -> dict[str, tuple[Path, Path]]:
    return {
        "seeds": (shared / "gold" / "seeds.jsonl", shared / "samples" / "seeds"),
        "dev-da": (shared / "gold" / "dev-da.jsonl", shared / "gold" / "dev-da-texts.jsonl"),
        "dev-db": (shared / "gold" / "dev-db.jsonl", shared / "gold" / "dev-db-texts.jsonl"),
        "dev": (GOLD / "dev.jsonl", GOLD / "dev-texts.jsonl"),
        "dev-test": (GOLD / "dev-test.jsonl", GOLD / "dev-test-texts.jsonl"),
    }


@pytest.mark.parametrize("name", list(BASELINE))
def test_quality_floor(name: str, shared: Path, tmp_path: Path):
    gold_path, inputs = sets(shared)[name]
    store = Store(str(tmp_path / f"{name}.db"))
    run([str(inputs)], store)
    docs = [d["doc_id"] for d in store.documents()]
    result = figures(match(load_gold(gold_path), list(store.iter_events()), docs))
    store.close()
    root = result["root"]
    line = (f"{name:8s} root P {root['precision']:.3f} R {root['recall']:.3f} F1 {root['f1']:.3f} · "
            f"base F1 {result['base']['f1']:.3f} · full F1 {result['full']['f1']:.3f} · "
            f"actor {result['actor_code_accuracy']} · modality {result['modality_accuracy']} · "
            f"source {result['source_accuracy']} · date {result['date_accuracy']} · "
            f"place {result['place_accuracy']} · grouping F1 {result['grouping']['f1']}")
    FIGURES.append(line)
    print(line)
    for key, floor in BASELINE[name].items():
        value = result[key]["f1"] if key in {"root", "base", "full", "grouping"} else result[key]
        assert value is not None and value >= floor, f"{name}: {key} {value} fell below its floor {floor}"
