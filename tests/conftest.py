"""Shared fixtures: the real French model (loaded once), paths to the shared gold and samples."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DATA = Path(__file__).parent / "data"
GOLD = Path(__file__).parent / "gold"


@pytest.fixture(scope="session")
def nlp():
    from veille.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.exists():
        pytest.fail("../shared is missing: CI and the evaluation need it beside the project")
    return SHARED


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "test.db")


# PostgreSQL fixtures (pg_server, pg_url) live in tests/pg.py; importing them here makes them visible to every test.
from pg import pg_server, pg_url  # noqa: E402, F401


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # type: ignore[no-untyped-def]
    """Print the evaluation figures in every test run, so each CI log shows where quality stands."""
    import sys

    module = sys.modules.get("test_quality")
    figures = getattr(module, "FIGURES", None) if module else None
    if figures:
        terminalreporter.section("veille evaluation (tests/gold/baseline.json holds the floors)")
        for line in figures:
            terminalreporter.write_line(line)
