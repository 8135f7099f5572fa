"""CAMEO event codes with Goldstein values, quad classes and PLOVER types; actor code parts."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from veille.dictionaries import read_tsv


@dataclass(frozen=True, slots=True)
class EventCode:
    code: str
    label: str
    goldstein: float
    quad_class: int
    plover: str | None


@cache
def event_codes() -> dict[str, EventCode]:
    plover = {r["cameo_code"]: r["plover_event"] or None for r in read_tsv("ontology/cameo_to_plover.tsv")}
    return {
        r["code"]: EventCode(
            code=r["code"],
            label=r["label"],
            goldstein=float(r["goldstein"]),
            quad_class=int(r["quad_class"]),
            plover=plover.get(r["code"]),
        )
        for r in read_tsv("ontology/cameo_event_codes.tsv")
    }


def describe(code: str) -> EventCode:
    """The code's entry; unknown sub-codes fall back to their parent so a typo never crashes a run."""
    codes = event_codes()
    while code and code not in codes:
        code = code[:-1]
    return codes[code]


@cache
def country_codes() -> frozenset[str]:
    return frozenset(r["cameo_code"] for r in read_tsv("ontology/cameo_countries.tsv"))


@cache
def actor_type_codes() -> frozenset[str]:
    return frozenset(r["code"] for r in read_tsv("ontology/cameo_actor_types.tsv"))


def is_valid_actor_code(code: str) -> bool:
    """Country or IGO code followed by zero or more 3-letter role codes."""
    if len(code) % 3 or not code.isalpha() or not code.isupper():
        return False
    parts = [code[i : i + 3] for i in range(0, len(code), 3)]
    known = country_codes() | actor_type_codes()
    return all(p in known for p in parts)
