"""When and where: event dates resolved against the publication date, and event places.

Dates follow the annotation guide §6: "lundi" is the latest Monday on or before publication (the
next one for future events), "le 27 février" is that date in the publication year or the year
before if it would lie in the future; no date in the text gives the publication date. A sentence
may hold several dates ("a annoncé jeudi que … signeront le mois prochain"): the one nearest the
event's trigger is the event's. "La veille", "le même jour" and "précédemment" count from another
date of the sentence, else from the last date the article gave (``ResolveContext``).

Places (§7) are where the event happened ("à Riyad", "dans l'Arctique", "lors d'une conférence à
la Maison Blanche"), read after a locative preposition; a place that is one of the event's actors
("a reproché au Kazakhstan") or that only qualifies a noun ("la guerre en Ukraine") is not one.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from veille.dictionaries import fold, read_tsv, split_list
from veille.models import Event, Location

WEEKDAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6}
MONTHS = {"janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8,
          "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12, "janv": 1, "fev": 2, "avr": 4,
          "juil": 7, "sept": 9, "oct": 10, "nov": 11, "dec": 12}
NUMBER_WORDS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
                "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "quinze": 15, "vingt": 20, "trente": 30}

_WD = "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_FULL_MONTH = "|".join(m for m in MONTHS if len(m) > 4 or m in {"mars", "mai", "juin", "aout"})
_NUM = r"\d+|" + "|".join(NUMBER_WORDS)
_UNIT = r"jours?|semaines?|mois|ans?|annees?"

# Every pattern runs on fold(text), which keeps offsets (fold only lowercases and drops combining accents
# of NFD-decomposed letters, so it is applied to each character alone: see ``_fold_keep``).
EXPLICIT_RE = re.compile(rf"\b(?:le\s+)?(1er|\d{{1,2}})\s+({_MONTH})\.?(?:\s+(\d{{4}}))?\b")
NUMERIC_RE = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b")
MONTH_RE = re.compile(rf"\b(?:(en|debut|fin|mi-|courant|a la fin|au debut|a la mi-|d'ici (?:a )?(?:la )?fin)\s*)?"
                      rf"(?:(?:le )?mois d['e]\s*)?({_FULL_MONTH})\b(?:\s+(\d{{4}}))?(?:\s+(dernier|prochain))?")
YEAR_RE = re.compile(r"\b(en|debut|fin|mi-|courant)\s*(\d{4})\b")
NIGHT_RE = re.compile(rf"\b(?:dans )?la nuit (?:de |du )?({_WD})\s+(?:a|au|sur)\s+({_WD})\b")
WEEKDAY_RE = re.compile(rf"\b(ce |des |d'ici |jusqu'a |avant )?({_WD})\b(?:\s+(?:soir|matin|apres-midi|midi))?"
                        rf"(\s+(dernier|passe|prochain))?")
DAY_WORDS = {"avant-hier": -2, "hier": -1, "aujourd'hui": 0, "demain": 1, "apres-demain": 2, "ce matin": 0,
             "ce soir": 0, "cette nuit": 0, "cet apres-midi": 0, "dans la nuit": 0, "la nuit derniere": 0,
             "cette semaine": 0}
DAY_WORD_RE = re.compile(r"\b(" + "|".join(sorted((re.escape(w) for w in DAY_WORDS), key=len, reverse=True)) + r")\b")
PERIOD_RE = re.compile(r"\b(la semaine|le mois|l'an|l'annee|le week-end)\s+(derniere?|passee?|prochaine?)\b"
                       r"|\bce week-end\b")
AGO_RE = re.compile(rf"\b(il y a|dans)\s+({_NUM})\s+({_UNIT})\b")
# "deux jours plus tôt" counts from the story's date; "deux jours après l'attaque" from an unknown one.
SHIFT_RE = re.compile(rf"\b({_NUM})\s+({_UNIT})\s+(plus tot|plus tard|auparavant)\b")
ANCHORED = {"la veille": -1, "l'avant-veille": -2, "le lendemain": 1, "le surlendemain": 2, "le meme jour": 0,
            "le jour meme": 0, "au lendemain de": -1, "a la veille de": 1, "par la suite": 0, "plus tard": 0,
            "precedemment": 0, "auparavant": 0, "anterieurement": 0}
ANCHORED_RE = re.compile(r"(?<![\w-])(" + "|".join(sorted((re.escape(w) for w in ANCHORED), key=len, reverse=True))
                         + r")(?![\w-])")
# Vague ones only say "before" or "after" the reference: the month around it is all they give.
VAGUE = {"precedemment", "auparavant", "anterieurement"}

AUXILIARIES = {"a", "ont", "avait", "avaient", "est", "sont", "etait", "etaient", "ete", "eu", "ai", "as", "avons",
               "avez", "suis", "es", "sommes", "etes", "fut", "furent"}
FUTURE_AUXILIARIES = {"sera", "seront", "serait", "seraient", "aura", "auront", "aurait", "auraient"}
FUTURE_WORDS = {"va", "vont", "doit", "doivent", "devra", "devront", "devrait", "devraient", "prevoit", "prevoient",
                "compte", "comptent", "entend", "entendent", "souhaite", "souhaitent", "projette",
                *FUTURE_AUXILIARIES}
NOT_VERBS = {"camera", "opera", "extra", "contra", "mantra", "tiara", "portrait", "retrait", "extrait", "attrait",
             "trait", "abstrait", "distrait", "soustrait", "aussi", "ainsi", "parmi", "ici", "lui", "qui", "celui",
             "mais", "jamais", "depuis", "puis", "plus", "sous", "tous", "nous", "vous", "pays", "fois", "midi",
             *WEEKDAYS}
PARTICIPLE_RE = re.compile(r"^[a-z][a-z'-]{2,}(?:e|ee|es|ees|i|ie|is|ies|u|ue|us|ues)$")
FUTURE_FORM_RE = re.compile(r"^[a-z][a-z'-]{2,}(?:ra|ront|rons|rez|rai|rait|raient)$")
PAST_FORM_RE = re.compile(r"^[a-z][a-z'-]{2,}(?:ait|aient)$")
CLAUSE_END_RE = re.compile(r"[,;:()«»\"—–]|\bqu[e']|\bqui\b|\bdont\b|\bet\b")
DATELINE_AFTER_RE = re.compile(r"^\s*(?:\([^)]{1,30}\))?\s*[-–—]")
BYLINE_RE = re.compile(r"(publie|mis a jour|mise a jour|veroffentlicht|updated|modifie)\w*\s*(?:le|am|on)?\s*$")

Resolved = tuple[str | None, str | None, str | None]


@dataclass(slots=True)
class ResolveContext:
    """What the article said before about time: "le même jour" and "la veille" count from it."""

    anchor: date | None = None


@dataclass(slots=True)
class _Found:
    start: int
    end: int
    # (direction "past"/"future", reference date) -> (date, precision, basis)
    resolve: Callable[[str, date], tuple[date, str, str] | None]
    anchored: bool = False
    needs_trigger_inside: bool = False  # "au lendemain de X": the date of X, not of the sentence


def _fold_keep(text: str) -> str:
    """fold() applied character by character, so offsets in the result are offsets in ``text``."""
    return "".join((fold(c) or c)[:1] for c in text)


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


def _number(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word, 1)


def _shift_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _span(unit: str, count: int) -> tuple[timedelta | int, str]:
    """A count of units as days (day precision) or months (month/year precision)."""
    if unit.startswith("jour"):
        return timedelta(days=count), "day"
    if unit.startswith("semaine"):
        return timedelta(days=7 * count), "day"
    if unit == "mois":
        return count, "month"
    return 12 * count, "year"


def _move(day: date, amount: timedelta | int, sign: int, precision: str) -> date:
    if isinstance(amount, timedelta):
        return day + sign * amount
    moved = _shift_months(day, sign * amount)
    return moved.replace(month=1) if precision == "year" else moved


def _explicit_day(written: str, published: date | None, future: bool) -> date | None:
    """An explicit date as written ("27 février", "1er novembre 2024", "24.02.2026"), read by dateparser;
    a missing year is the publication year, moved back one when that would put the event after
    publication (forward one for a future event already past)."""
    import dateparser

    written = re.sub(r"^le\s+", "", written.strip(), flags=re.IGNORECASE)
    has_year = bool(re.search(r"\d{4}", written))
    if published is None and not has_year:
        return None
    base = datetime(published.year, published.month, published.day) if published else datetime(2000, 1, 1)
    parsed = dateparser.parse(written, languages=["fr"], settings={
        "DATE_ORDER": "DMY", "RELATIVE_BASE": base, "REQUIRE_PARTS": ["day", "month"]})
    if parsed is None:  # "30 février"
        return None
    found = parsed.date()
    if not has_year and published is not None:
        if not future and found > published + timedelta(days=1):
            found = _safe_replace_year(found, found.year - 1)
        elif future and found < published - timedelta(days=1):
            found = _safe_replace_year(found, found.year + 1)
    return found


def _safe_replace_year(day: date, year: int) -> date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


def _weekday(published: date, target: int, direction: str, mode: str = "") -> date:
    if mode == "this":  # "ce lundi": the one of the publication week
        return published + timedelta(days=target - published.weekday())
    if direction == "future":
        return published + timedelta(days=(target - published.weekday()) % 7 or 7)
    delta = (published.weekday() - target) % 7
    if mode == "strict" and delta == 0:  # "lundi dernier" written on a Monday
        delta = 7
    return published - timedelta(days=delta)


def _month_point(year: int, month: int, part: str | None) -> date:
    if part and part.startswith(("fin", "a la fin", "d'ici")):
        return date(year, month, calendar.monthrange(year, month)[1])
    if part and "mi-" in part:
        return date(year, month, 15)
    return date(year, month, 1)


def _find_dates(text: str, folded: str, published: date) -> list[_Found]:
    """Every date expression of a sentence (matched on its folded form), with how to resolve it."""
    found: list[_Found] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, resolve: Callable[[str, date], tuple[date, str, str] | None],
            anchored: bool = False, inside: bool = False) -> None:
        if any(start < e and s < end for s, e in taken):
            return
        taken.append((start, end))
        found.append(_Found(start, end, resolve, anchored, inside))

    for pattern in (NUMERIC_RE, EXPLICIT_RE):
        for m in pattern.finditer(folded):
            written = text[m.start() : m.end()]
            add(m.start(), m.end(), lambda d, r, w=written: _day_result(_explicit_day(w, published, d == "future"),
                                                                       "explicit"))
    for m in NIGHT_RE.finditer(folded):  # the night's second day: strikes are dated by the morning they end
        target = WEEKDAYS[m[2]]
        add(m.start(), m.end(), lambda d, r, t=target: (_weekday(published, t, d), "day", "relative"))
    for m in AGO_RE.finditer(folded):
        amount, precision = _span(m[3], _number(m[2]))
        sign = -1 if m[1] == "il y a" else 1
        add(m.start(), m.end(), lambda d, r, a=amount, s=sign, p=precision:
            (_move(published, a, s, p), p, "relative"))
    for m in SHIFT_RE.finditer(folded):
        amount, precision = _span(m[2], _number(m[1]))
        sign = 1 if m[3] == "plus tard" else -1
        add(m.start(), m.end(), lambda d, r, a=amount, s=sign, p=precision: (_move(r, a, s, p), p, "relative"),
            anchored=True)
    for m in ANCHORED_RE.finditer(folded):
        word = m[1]
        offset = ANCHORED[word]
        if word in VAGUE:
            add(m.start(), m.end(), lambda d, r: (r.replace(day=1), "month", "relative"), anchored=True)
        else:
            add(m.start(), m.end(), lambda d, r, o=offset: (r + timedelta(days=o), "day", "relative"),
                anchored=True, inside=word in {"au lendemain de", "a la veille de"})
    for m in PERIOD_RE.finditer(folded):
        add(m.start(), m.end(), lambda d, r, g=m[0]: _period(g, published))
    for m in DAY_WORD_RE.finditer(folded):
        if "nuit" in m[1] and re.match(r"\s+(?:de|du|d'|sur)\b", folded[m.end() :]):
            continue  # "dans la nuit de samedi à dimanche" is read by NIGHT_RE
        add(m.start(), m.end(), lambda d, r, o=DAY_WORDS[m[1]]: (published + timedelta(days=o), "day", "relative"))
    for m in WEEKDAY_RE.finditer(folded):
        target = WEEKDAYS[m[2]]
        cue, modifier = (m[1] or "").strip(), m[4]
        if modifier in {"dernier", "passe"}:
            add(m.start(), m.end(), lambda d, r, t=target: (_weekday(published, t, "past", "strict"), "day",
                                                            "relative"))
        elif modifier == "prochain" or cue in {"des", "d'ici", "jusqu'a", "avant"}:
            add(m.start(), m.end(), lambda d, r, t=target: (_weekday(published, t, "future"), "day", "relative"))
        elif cue == "ce":
            add(m.start(), m.end(), lambda d, r, t=target: (_weekday(published, t, d, "this"), "day", "relative"))
        else:
            add(m.start(), m.end(), lambda d, r, t=target: (_weekday(published, t, d), "day", "relative"))
    for m in MONTH_RE.finditer(folded):
        if not (m[1] or m[3] or m[4]):
            continue  # a bare month name ("le niveau de mai") qualifies a noun more often than it dates
        month, year, part, modifier = MONTHS[m[2]], int(m[3]) if m[3] else None, m[1], m[4]
        add(m.start(), m.end(), lambda d, r, mo=month, y=year, pa=part, md=modifier:
            _month(mo, y, pa, md, published, d))
    for m in YEAR_RE.finditer(folded):
        year = int(m[2])
        if 1900 <= year <= 2100:
            add(m.start(), m.end(), lambda d, r, y=year, pa=m[1]: (_year_point(y, pa), "year", "explicit"))
    return sorted(found, key=lambda f: f.start)


def _day_result(day: date | None, basis: str) -> tuple[date, str, str] | None:
    return (day, "day", basis) if day else None


def _year_point(year: int, part: str) -> date:
    return date(year, 12, 31) if part == "fin" else date(year, 7, 1) if part == "mi-" else date(year, 1, 1)


def _period(text: str, published: date) -> tuple[date, str, str]:
    future = "prochain" in text
    if text.startswith(("la semaine", "le week-end", "ce week-end")):
        if "week-end" in text:
            saturday = _weekday(published, 5, "future" if future else "past")
            return saturday, "day", "relative"
        return published + timedelta(days=7 if future else -7), "day", "relative"
    if text.startswith("le mois"):
        return _shift_months(published, 1 if future else -1), "month", "relative"
    return date(published.year + (1 if future else -1), 1, 1), "year", "relative"


def _month(month: int, year: int | None, part: str | None, modifier: str | None, published: date,
           direction: str) -> tuple[date, str, str]:
    if year is None:
        year = published.year
        if modifier == "dernier" or (modifier is None and direction != "future"):
            if month > published.month:
                year -= 1
        elif month < published.month:
            year += 1
    return _month_point(year, month, part), "month", "explicit"


def _words_before(folded: str, start: int) -> list[tuple[str, int]]:
    """Words (and their offsets) of the clause that ends where a date starts, nearest first."""
    before = folded[:start]
    cut = 0
    for m in CLAUSE_END_RE.finditer(before):
        cut = m.end()
    return [(m[0], cut + m.start()) for m in re.finditer(r"[a-z0-9'-]+", before[cut:])][::-1]


def _plain(word: str) -> str:
    return word.split("'")[-1]


def _has_auxiliary(words: list[tuple[str, int]], future: bool = False) -> bool:
    """An auxiliary among ``words`` (a future one only when ``future``): the participle after it is a verb."""
    wanted = FUTURE_AUXILIARIES if future else AUXILIARIES | FUTURE_AUXILIARIES
    return any(_plain(w) in wanted or (not future and w.startswith(("s'", "se "))) for w, _ in words)


def _tense(text: str, folded: str, start: int) -> str | None:
    """"future" or "past" from the verb just before a date ("signeront le 5 avril", "a annoncé jeudi")."""
    words = _words_before(folded, start)[:5]
    for i, (word, at) in enumerate(words):
        plain = _plain(word)
        if plain in FUTURE_WORDS:
            return "future"
        if plain in NOT_VERBS or not text[at].islower():
            continue
        if PARTICIPLE_RE.match(plain) and _has_auxiliary(words[i + 1 : i + 4]):
            return "future" if _has_auxiliary(words[i + 1 : i + 4], future=True) else "past"
        if FUTURE_FORM_RE.match(plain):
            return "future"
        if plain in AUXILIARIES or PAST_FORM_RE.match(plain):
            return "past"
    return None


def _detached(text: str, folded: str, found: _Found, trigger: tuple[int, int] | None) -> bool:
    """A date that is not the event's: a dateline or byline, a duration ("depuis lundi"), or the date of a
    participle that qualifies a noun ("les restrictions annoncées en octobre", "reçu la veille")."""
    before = folded[: found.start]
    if DATELINE_AFTER_RE.match(folded[found.end :]) and not re.search(r"[a-zà-ÿ]{2,}", text[: found.start]):
        return True
    if BYLINE_RE.search(before) or re.search(r"\bdepuis\s+(?:le |la |l'|debut |fin |la mi-)?$", before):
        return True
    if trigger is None:
        return False
    boundaries = list(CLAUSE_END_RE.finditer(before))
    if boundaries and re.fullmatch(r"qu[e']|qui|dont", boundaries[-1][0]):
        # a date in a relative or "que" clause belongs to that clause, not to a trigger outside it
        after = CLAUSE_END_RE.search(folded, found.end)
        clause_end = after.start() if after else len(folded)
        inside = boundaries[-1].start() <= trigger[0] <= clause_end
        antecedent = 0 <= boundaries[-1].start() - trigger[1] <= 3  # "l'accord de cessez-le-feu, qui entrerait…"
        if not (inside or antecedent):
            return True
    words = _words_before(folded, found.start)
    if not words:
        return False
    word, at = words[0]
    if word in NOT_VERBS or not PARTICIPLE_RE.match(word) or _has_auxiliary(words[1:4]):
        return False
    # kept when the trigger is the participle or the noun it qualifies ("les manifestations prévues samedi")
    return not (trigger[0] <= at + len(word) and trigger[1] >= at - 25)


def _distance(found: _Found, trigger: tuple[int, int]) -> int:
    if found.start < trigger[1] and trigger[0] < found.end:
        return 0
    return found.start - trigger[1] if found.start >= trigger[1] else trigger[0] - found.end


def resolve_date(text: str, published: date | None, future: bool = False, trigger: tuple[int, int] | None = None,
                 context: ResolveContext | None = None) -> Resolved:
    """(ISO date, precision, basis) of the date expression of ``text`` nearest ``trigger`` (offsets in
    ``text``), or of the first one; ``future`` is the event's modality when the verb does not say."""
    if published is None:
        m = EXPLICIT_RE.search(_fold_keep(text))
        day = _explicit_day(text[m.start() : m.end()], None, False) if m and m[3] else None
        return (day.isoformat(), "day", "explicit") if day else (None, None, None)
    folded = _fold_keep(text)
    found = [f for f in _find_dates(text, folded, published) if not _detached(text, folded, f, trigger)]
    inside = [f for f in found if f.needs_trigger_inside]
    candidates = [f for f in found if not f.needs_trigger_inside]
    if trigger is not None:
        for f in inside:  # "au lendemain de son arrestation": the arrest is the day before the sentence's date
            between = folded[f.end : trigger[0]]
            if trigger[0] >= f.end and not CLAUSE_END_RE.search(between.replace(" de ", " ")):
                candidates = [f]
                break
    if not candidates:
        return published.isoformat(), "day", "publication"
    chosen = min(candidates, key=lambda f: (_distance(f, trigger), f.start)) if trigger else candidates[0]
    direction = _tense(text, folded, chosen.start) or ("future" if future else "past")
    reference = context.anchor if context and context.anchor else published
    if chosen.anchored:
        others = [f for f in found if not f.anchored]
        if others:
            nearest = min(others, key=lambda f: abs(f.start - chosen.start))
            resolved = nearest.resolve(_tense(text, folded, nearest.start) or direction, reference)
            if resolved and resolved[1] == "day":
                reference = resolved[0]
    result = chosen.resolve(direction, reference)
    if result is None:
        return published.isoformat(), "day", "publication"
    return result[0].isoformat(), result[1], result[2]


# -- places ------------------------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class Place:
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    geonameid: int | None
    kind: str  # country, city, region

    def location(self) -> Location:
        return Location(name=self.name, country=self.country, lat=self.lat, lon=self.lon, geonameid=self.geonameid)


def _key(name: str) -> str:
    return re.sub(r"\s+", " ", fold(name).replace("-", " ")).strip()


def _float(cell: str) -> float | None:
    return float(cell) if cell else None


@cache
def place_table() -> dict[str, Place]:
    """Folded place name -> place: regions and landmarks (places.tsv) first, then the gazetteer's countries
    and cities, then every name form of countries.tsv and the capitals of metonyms.tsv."""
    table: dict[str, Place] = {}
    for row in read_tsv("lexicon/places.tsv"):
        gid = int(row["geonameid"]) if row.get("geonameid") else None
        table.setdefault(_key(row["name"]), Place(row["name"], row["country"] or None, _float(row.get("lat", "")),
                                                  _float(row.get("lon", "")), gid, row.get("kind") or "region"))
    countries = {row["code"]: row for row in read_tsv("actors/countries.tsv")}
    points: dict[str, Place] = {}
    for row in read_tsv("lexicon/gazetteer.tsv"):
        code = row["country"]
        is_country = code in countries and _key(countries[code]["name"]) == _key(row["name_fr"])
        place = Place(row["name_fr"], code, float(row["lat"]), float(row["lon"]), int(row["geonameid"]),
                      "country" if is_country else "city")
        if is_country:
            points[code] = place
        table.setdefault(_key(row["name_fr"]), place)
    for code, row in countries.items():
        point = points.get(code)
        for name in [row["name"], *split_list(row["names"])]:
            table.setdefault(_key(name), Place(row["name"], code, point.lat if point else None,
                                                   point.lon if point else None,
                                                   point.geonameid if point else None, "country"))
    for row in read_tsv("actors/metonyms.tsv"):
        if row["code"][:3].isalpha() and "capitale" in fold(row.get("note", "")):
            table.setdefault(_key(row["form"]), Place(row["form"], row["code"][:3], None, None, None, "city"))
    return table


# Prepositions after which a name is where something happens (folded, longest first).
LOCATIVE = ("non loin de", "a proximite de", "aux abords de", "au large de", "au large des", "au large du",
            "pres de", "pres du", "pres des", "dans le", "dans la", "dans les", "dans l'", "dans", "sur le", "sur la",
            "sur les", "sur l'", "a la", "a l'", "en", "au", "aux", "a", "sur")
# Nouns after which "de X" is a place ("la banlieue sud de Beyrouth", "la cour d'assises de Paris").
PLACE_NOUNS = {"region", "province", "ville", "capitale", "banlieue", "centre", "coeur", "peripherie", "environs",
               "faubourg", "quartier", "port", "aeroport", "base", "nord", "sud", "est", "ouest", "nord-est",
               "nord-ouest", "sud-est", "sud-ouest", "cote", "cotes", "frontiere", "rues", "tribunal", "cour",
               "palais", "camp", "prison", "hopital", "oblast", "district", "gouvernorat", "localite", "village",
               "commune", "departement", "prefecture", "large", "abords", "portes", "cœur", "complexe",
               "site", "usine", "raffinerie", "sommet", "conference", "reunion", "rencontre",
               "pourparlers", "negociations", "stade", "universite", "mosquee", "eglise", "ecole", "gare"}
# Nouns that a place only qualifies: "la guerre en Ukraine" does not put the event in Ukraine.
QUALIFIED_NOUNS = {"guerre", "conflit", "crise", "paix", "ambassade", "ambassadeur", "ambassadrice", "mission",
                   "representant", "presence", "situation", "politique", "election", "elections", "interets",
                   "investissements", "communaute", "diaspora", "ressources", "gisements", "reserves", "minerais",
                   "actifs", "avoirs", "projets", "entreprises", "societes"}
# Countries whose name takes "à" as a place ("à Cuba"); "à Israël", "au Kazakhstan" are mostly datives.
A_COUNTRIES = {"cuba", "chypre", "malte", "madagascar", "singapour", "monaco", "bahrein", "haiti", "taiwan",
               "oman", "djibouti", "maurice", "hong kong", "sri lanka", "porto rico", "saint marin", "andorre"}
# Verbs whose "à X" / "au X" is the person spoken or given to ("a reproché au Kazakhstan").
DATIVE_VERBS = re.compile(r"\b(?:reproch|promi|promet|demand|propos|offr|offert|accord|livr|envoy|fourni|impos|ordonn|"
                          r"rappel|repond|lanc|adress|inflig|vend|donn|apport|dit|condamn|appel|exig|permi|interdi)\w*")
# Verbs after which "à X" is where someone went or met, even when X is the event's actor ("se rendra à Moscou").
PRESENCE_VERBS = re.compile(r"\b(?:rend|arriv|accueilli|recu|reuni|tenu|visit|voyag|sejourn|retrouv|rencontr|"
                            r"atterri|deplac|venu|entretenu|signe|convoqu)\w*")


def _place_mentions(text: str) -> list[tuple[int, int, Place]]:
    """Every gazetteer name in ``text`` (longest match first), with its character span."""
    table = place_table()
    tokens = [(m.start(), m.end()) for m in re.finditer(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|\d+", text)]
    out: list[tuple[int, int, Place]] = []
    i = 0
    while i < len(tokens):
        start = tokens[i][0]
        word = text[start : tokens[i][1]]
        elided = re.match(r"(?:[lLdD]|qu|jusqu)['’]", word)
        if elided:
            start += elided.end()
        hit = None
        for n in range(min(6, len(tokens) - i), 0, -1):
            end = tokens[i + n - 1][1]
            place = table.get(_key(text[start:end]))
            if place and (place.name[:1].islower() or text[start].isupper()):
                hit = (start, end, place, n)
                break
        if hit:
            out.append(hit[:3])
            i += hit[3]
        else:
            i += 1
    return out


def _locative(folded_before: str, place: Place) -> str | None:
    """The locative that makes a place where something happens ("en", "à la", "de" after "banlieue"), if any."""
    before = folded_before.rstrip()
    for prep in LOCATIVE:
        if before == prep or before.endswith((" " + prep, "'" + prep)) or (prep.endswith("'")
                                                                          and before.endswith(prep[:-1])):
            if prep == "a" and place.kind == "country" and _key(place.name) not in A_COUNTRIES:
                return None
            if prep.startswith("sur") and place.kind == "country":
                return None  # "un accord sur l'Ukraine"
            words = before[: len(before) - len(prep)].split()[-3:]  # "l'ambassadeur de Russie aux États-Unis"
            return None if any(_plain(w) in QUALIFIED_NOUNS for w in words) else prep
    if re.search(r"(?:^|\s)(?:de|du|des)$", before) or before.endswith("d'"):
        words = re.findall(r"[\w'-]+", before)[-5:-1]
        return "de" if any(_plain(w) in PLACE_NOUNS for w in words) else None
    return None


def resolve_place(text: str, actor_spans: list[tuple[int, int]] | None = None,
                  trigger: tuple[int, int] | None = None, reported_future: bool = False) -> Location | None:
    """Where the event happened: the place after a locative nearest the trigger (offsets in ``text``).

    Left out: the one given or said to ("a reproché au Kazakhstan", "accorder à Kiev": "à" after such a
    verb, or "à" before a place that is the event's actor itself, unless someone went there), places in a
    clause that "que" opens after the trigger ("après que Kiev a accepté à Djeddah"), the place of a
    statement when what it reports is still to come ("À Paris, le Quai d'Orsay a rappelé que la France
    reconnaîtrait…"), and places in a participle clause after the trigger ("…, reçu à Minsk")."""
    spans = actor_spans or []
    folded = _fold_keep(text)
    candidates = []
    for start, end, place in _place_mentions(text):
        prep = _locative(folded[:start], place)
        if prep is None:
            continue
        if prep in {"a", "au", "aux", "a la", "a l'"}:
            words = folded[:start].split()
            near = " ".join(words[-6:])
            is_actor = any(s <= start + 4 and e >= end - 1 and (e - s) <= (end - start) + 6 for s, e in spans)
            # "lors d'une conférence à la Maison Blanche": the place of a meeting, whatever the verb
            meeting = "lors" in words[-6:] or any(_plain(w) in PLACE_NOUNS for w in words[-4:-1])
            if not meeting and (DATIVE_VERBS.search(near) or (is_actor and not PRESENCE_VERBS.search(near))):
                continue
        if trigger is not None:
            low, high = (end, trigger[0]) if trigger[0] >= end else (trigger[1], start)
            between = folded[low:high]
            if re.search(r"\bqu[e']", between) and (start >= trigger[1] or reported_future):
                continue
            if start >= trigger[1] and any(PARTICIPLE_RE.match(w) and w not in NOT_VERBS
                                           for w in re.findall(r",\s*([a-z'-]+)", between)):
                continue
        distance = 0 if trigger is None else min(abs(start - trigger[1]), abs(trigger[0] - end))
        candidates.append((distance, start, place))
    if not candidates:
        return None
    return min(candidates, key=lambda c: (c[0], c[1]) if trigger else (c[1], 0))[2].location()


def resolve_event(event: Event, published: date | None, sentence_text: str, sentence_start: int | None = None,
                  context: ResolveContext | None = None) -> Event:
    """Date and place of one event from its sentence; document offsets become sentence offsets."""
    offset = event.evidence_span[0] if sentence_start is None else sentence_start
    trigger = None
    if event.trigger_span:
        trigger = (event.trigger_span[0] - offset, event.trigger_span[1] - offset)
        if not (0 <= trigger[0] <= len(sentence_text)):
            trigger = None
    event.date, event.date_precision, event.date_basis = resolve_date(
        sentence_text, published, future=event.modality == "future", trigger=trigger, context=context)
    if context is not None and event.date and event.date_basis != "publication" and event.date_precision == "day":
        context.anchor = date.fromisoformat(event.date)
    spans = [(a.span[0] - offset, a.span[1] - offset) for a in (event.actor1, event.actor2) if a and a.span]
    future = event.modality in {"future", "conditional", "hypothetical"} or bool(
        trigger and FUTURE_FORM_RE.match(fold(sentence_text[trigger[0] : trigger[1]]).split(" ")[0]))
    event.location = resolve_place(sentence_text, spans, trigger, reported_future=future)
    return event
