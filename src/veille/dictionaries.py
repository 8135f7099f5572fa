"""Load the package's data files (dictionaries, lexicons, ontology) once.

Vocabularies are data so that a political scientist can edit them without touching code.
"""

from __future__ import annotations

import csv
import unicodedata
from functools import cache
from importlib import resources
from pathlib import Path


def data_path(relative: str) -> Path:
    return Path(str(resources.files("veille") / "data" / relative))


def list_files(folder: str, pattern: str = "*.tsv") -> list[str]:
    return sorted(f"{folder}/{p.name}" for p in data_path(folder).glob(pattern))


@cache
def read_tsv(relative: str) -> tuple[dict[str, str], ...]:
    """Rows of a TSV with header; ``#`` lines are comments; cells stripped; straight apostrophes."""
    path = data_path(relative)
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = [h.strip() for h in next(reader)]
    rows = []
    for cells in reader:
        cells = [c.strip().replace("’", "'") for c in cells]
        cells += [""] * (len(header) - len(cells))
        rows.append(dict(zip(header, cells, strict=False)))
    return tuple(rows)


def split_list(cell: str, sep: str = ";") -> list[str]:
    return [part.strip() for part in cell.split(sep) if part.strip()] if cell else []


def fold(text: str) -> str:
    """Lower case without accents and with straight apostrophes: the key every lookup uses."""
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'")
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def version() -> str:
    """A short fingerprint of all data files, so exported data can cite its dictionaries."""
    import hashlib

    digest = hashlib.sha1()
    for path in sorted(data_path("").rglob("*.tsv")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]
