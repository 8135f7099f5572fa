"""When and where: event dates resolved against the publication date, and event places.

Dates follow the annotation guide §6: "lundi" is the latest Monday on or before publication (the
next one for future events), "le 27 février" is that date in the publication year or the year
before if it would lie in the future; no date in the text gives the publication date.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import cache

from veille.dictionaries import fold, read_tsv, split_list
from veille.models import Event, Location

WEEKDAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6}
MONTHS = {"janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8,
          "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12, "janv": 1, "fev": 2, "avr": 4,
          "juil": 7, "sept": 9, "oct": 10, "nov": 11, "dec": 12}
NUMBER_WORDS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
                "huit": 8, "dix": 10, "quinze": 15}
MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
EXPLICIT_RE = re.compile(rf"\b(?:le\s+)?(1er|\d{{1,2}})\s+({MONTH_RE})\.?(?:\s+(\d{{4}}))?\b")
MONTH_ONLY_RE = re.compile(rf"\ben\s+({MONTH_RE})(?:\s+(\d{{4}}))?\b")
WEEKDAY_RE = re.compile(r"\b(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b(\s+(dernier|prochain))?")
RELATIVE_RE = re.compile(r"\b(avant-hier|hier|aujourd'hui|demain|apres-demain|la veille|"
                         r"la semaine (derniere|passee|prochaine)|le mois (dernier|prochain)|"
                         r"il y a (\d+|un|une|deux|trois|quatre|cinq|six|sept|huit|dix|quinze) "
                         r"(jours?|semaines?|mois))\b")


def parse_published(value: str | None) -> date | None:
    if not value:
        return None
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if match:
        return date(int(match[1]), int(match[2]), int(match[3]))
    try:
        import dateparser

        parsed = dateparser.parse(value, languages=["fr", "en"])
        return parsed.date() if parsed else None
    except Exception:
        return None


def resolve_date(text: str, published: date | None, future: bool = False) -> tuple[str | None, str | None, str | None]:
    """(ISO date, precision, basis) for the first date expression of ``text``."""
    if published is None:
        return None, None, None
    folded = fold(text)
    m = EXPLICIT_RE.search(folded)
    if m:
        day = 1 if m[1] == "1er" else int(m[1])
        month = MONTHS[m[2]]
        year = int(m[3]) if m[3] else published.year
        try:
            found = date(year, month, day)
        except ValueError:
            found = None
        if found:
            if not m[3] and found > published + timedelta(days=1) and not future:
                found = found.replace(year=year - 1)
            return found.isoformat(), "day", "explicit"
    m = WEEKDAY_RE.search(folded)
    if m:
        target = WEEKDAYS[m[1]]
        direction = m[3] or ("prochain" if future else "dernier")
        if direction == "prochain":
            delta = (target - published.weekday()) % 7 or 7
            return (published + timedelta(days=delta)).isoformat(), "day", "relative"
        delta = (published.weekday() - target) % 7
        return (published - timedelta(days=delta)).isoformat(), "day", "relative"
    m = RELATIVE_RE.search(folded)
    if m:
        word = m[1]
        offsets = {"avant-hier": -2, "hier": -1, "aujourd'hui": 0, "demain": 1, "apres-demain": 2, "la veille": -1}
        if word in offsets:
            return (published + timedelta(days=offsets[word])).isoformat(), "day", "relative"
        if word.startswith("la semaine"):
            sign = 1 if "prochaine" in word else -1
            return (published + timedelta(days=7 * sign)).isoformat(), "day", "relative"
        if word.startswith("le mois"):
            sign = 1 if "prochain" in word else -1
            month = (published.month - 1 + sign) % 12 + 1
            year = published.year + ((published.month - 1 + sign) // 12)
            return date(year, month, 1).isoformat(), "month", "relative"
        count = int(m[4]) if m[4].isdigit() else NUMBER_WORDS.get(m[4], 1)
        days = count * (7 if m[5].startswith("semaine") else 30 if m[5] == "mois" else 1)
        return (published - timedelta(days=days)).isoformat(), "day", "relative"
    m = MONTH_ONLY_RE.search(folded)
    if m:
        month = MONTHS[m[1]]
        year = int(m[2]) if m[2] else published.year
        if not m[2] and month > published.month and not future:
            year -= 1
        return date(year, month, 1).isoformat(), "month", "explicit"
    return published.isoformat(), "day", "publication"


@cache
def place_table() -> dict[str, tuple[str, str]]:
    """Folded place name -> (display name, country code), from the country and region tables."""
    table: dict[str, tuple[str, str]] = {}
    for row in read_tsv("actors/countries.tsv"):
        for name in [row["name"], *split_list(row["names"])]:
            table.setdefault(fold(name), (row["name"], row["code"]))
    for row in read_tsv("actors/metonyms.tsv"):
        if row["code"][:3].isalpha() and "capitale" in fold(row.get("note", "")):
            table.setdefault(fold(row["form"]), (row["form"], row["code"][:3]))
    for row in read_tsv("lexicon/places.tsv"):
        table[fold(row["name"])] = (row["name"], row["country"])
    return table


PLACE_RE = re.compile(r"\b(?:en|au|aux|a|dans l'|dans le|dans la|dans les)\s+([A-Z][\w'-]+(?:\s+[A-Za-z][\w'-]+){0,3})")


def resolve_place(text: str, actor_spans: list[tuple[int, int]] | None = None) -> Location | None:
    """Where the event happened: a place introduced by en/à/dans that is not itself an actor."""
    table = place_table()
    for m in PLACE_RE.finditer(text.replace("à ", "a ").replace("À ", "a ")):
        words = m[1].split()
        for length in range(len(words), 0, -1):
            name = " ".join(words[:length])
            hit = table.get(fold(name))
            if hit:
                return Location(name=hit[0], country=hit[1])
    return None


def resolve_event(event: Event, published: date | None, sentence_text: str) -> Event:
    event.date, event.date_precision, event.date_basis = resolve_date(
        sentence_text, published, future=event.modality == "future")
    event.location = resolve_place(sentence_text)
    return event
