"""Quantities ("environ 2 millions de tonnes", "50 milliards de dollars") and commodities."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from veille.dictionaries import fold, read_tsv
from veille.models import Quantity

NUMBER_RE = r"\d+(?:[  .]\d{3})*(?:[,.]\d+)?"


@dataclass(frozen=True, slots=True)
class UnitTable:
    multipliers: dict[str, float]
    units: dict[str, str]
    shares: dict[str, float]
    approx: frozenset[str]
    number_words: dict[str, float]
    bounds: frozenset[str] = frozenset()
    approx_words: frozenset[str] = frozenset()


@cache
def unit_table() -> UnitTable:
    multipliers: dict[str, float] = {}
    units: dict[str, str] = {}
    shares: dict[str, float] = {}
    approx: set[str] = set()
    bounds: set[str] = set()
    approx_words: set[str] = set()
    words: dict[str, float] = {}
    for row in read_tsv("lexicon/units.tsv"):
        word, unit, mult = fold(row["word"]), row["unit"].strip(), row.get("multiplier", "").strip()
        if unit in {"approx", "bound"}:
            approx.add(word) if unit == "approx" else bounds.add(word)
        elif unit == "scale" and mult:
            multipliers[word] = float(mult)
        elif unit == "share" and mult:
            shares[word] = float(mult)
        elif unit in {"number", "number_approx"} and mult:
            words[word] = float(mult)
            if unit == "number_approx":
                approx_words.add(word)
        elif unit:
            units[word] = unit
    return UnitTable(multipliers, units, shares, frozenset(approx), words, frozenset(bounds), frozenset(approx_words))


def _to_float(text: str) -> float | None:
    cleaned = re.sub(r"[  ]", "", text)
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", cleaned):
        cleaned = cleaned.replace(".", "")
    cleaned = cleaned.replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        return None


def find_quantities(text: str) -> list[Quantity]:
    """Numbers with their multiplier and unit, approximations marked."""
    table = unit_table()
    folded = fold(text)
    found: list[Quantity] = []
    word_alt = "|".join(sorted((re.escape(w) for w in table.number_words), key=len, reverse=True))
    number = f"(?P<num>{NUMBER_RE}" + (f"|\\b(?:{word_alt})\\b" if word_alt else "") + ")"
    pattern = re.compile(
        r"(?P<approx>\b(?:" + "|".join(re.escape(a) for a in sorted(table.approx | table.bounds, key=len,
                                                                       reverse=True))
        + r")\s+)?" + number + r"\s*(?P<mult>[a-z]+)?\s*(?:d'|de\s+|des\s+)?(?P<unit>[a-z$€%]+)?"
        if table.approx else number + r"\s*(?P<mult>[a-z]+)?\s*(?:d'|de\s+|des\s+)?(?P<unit>[a-z$€%]+)?"
    )
    for m in pattern.finditer(folded):
        raw = m.group("num")
        value = table.number_words.get(raw) if raw in table.number_words else _to_float(raw)
        if value is None:
            continue
        mult = m.group("mult") or ""
        unit_word = m.group("unit") or ""
        approx_word = raw in table.approx_words
        if mult in table.multipliers:
            value *= table.multipliers[mult]
        elif mult in table.number_words and mult in table.approx_words:
            value = table.number_words[mult] * (1 if raw in table.number_words else value)
            approx_word = True
        elif mult in table.units:
            unit_word = mult
        unit = table.units.get(unit_word)
        if unit is None:
            continue
        if re.fullmatch(r"(19|20)\d\d", raw) and not mult:
            continue  # a year, not a quantity
        end = m.end("unit") if m.group("unit") and unit_word == m.group("unit") else m.end("mult")
        marker = (m.group("approx") or "").strip()
        found.append(Quantity(value=value, unit=unit, text=text[m.start():end].strip(),
                              approx=(bool(marker) and marker not in table.bounds) or approx_word))
    for word, share in table.shares.items():
        if not word[:1].isalpha() or word in {"demi", "quart", "quarts"}:
            continue  # percentages are read with their number; 'demi' and 'quart' are too ambiguous alone
        for m in re.finditer(r"(?:(?P<approx>\b(?:pres de|environ|presque|plus de|moins de)\s+))?"
                             r"\b(?:la\s+|le\s+|un\s+)"
                             + re.escape(word) + r"\b", folded):
            found.append(Quantity(value=share, unit="share", text=text[m.start():m.end()].strip(),
                                  approx=bool(m.group("approx"))))
    return found


@cache
def commodity_terms() -> tuple[tuple[str, str], ...]:
    terms = {fold(r["term"]): r["term"] for r in read_tsv("lexicon/commodities.tsv") if r["term"]}
    return tuple(sorted(terms.items(), key=lambda kv: -len(kv[0])))


def find_commodities(text: str) -> list[str]:
    """Goods and sectors named in the text, longest terms first, without overlaps."""
    folded = fold(text)
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, str]] = []
    for key, _term in commodity_terms():
        for m in re.finditer(r"\b" + re.escape(key) + r"\b", folded):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append((m.start(), text[m.start() : m.end()]))
    return list(dict.fromkeys(t for _, t in sorted(found)))
