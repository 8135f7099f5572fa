"""Stories: event groups and the articles that report them, clustered by the matter they are about.

A story is what an analyst follows ("États-Unis–Russie · terres rares · février 2025"): the talks, the
offers and the statements around them. Two groups belong to one story when they are close in time
(``WINDOW_DAYS``), share a country and either involve the same pair of countries, share a commodity
or are reported in the same article; groups whose commodities differ are kept apart unless an article
reports both. Links are merged strongest first and never beyond ``MAX_SPAN_DAYS``, so a war reported
every day becomes a story per month, not one story forever. Stories are computed from the stored
events each time; their id is that of their oldest group, so it holds while the story grows.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from veille.dictionaries import fold, read_tsv
from veille.models import Event, stable_id

WINDOW_DAYS = 14
MAX_SPAN_DAYS = 31
MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre")
# Words of news French too common to name a matter (the rest is weighed by how few groups use it).
STOPWORDS = {"avec", "dans", "pour", "sans", "sous", "entre", "contre", "vers", "chez", "leur", "leurs", "cette",
             "sont", "etre", "avoir", "fait", "faire", "plus", "tres", "aussi", "deux", "tous", "tout", "toute",
             "toutes", "elle", "elles", "nous", "vous", "dont", "comme", "mais", "apres", "avant", "selon", "depuis",
             "ont", "avait", "avaient", "etait", "sera", "seront", "peut", "pourrait", "doit", "lors", "ainsi",
             "encore", "deja", "alors", "autre", "autres", "meme", "celui", "ceux", "quelque", "chef",
             "president", "presidente", "ministre", "ministere", "gouvernement", "porte-parole", "declare",
             "declaration", "annonce", "indique", "affirme", "assure", "precise", "ajoute", "estime", "souligne",
             "jeudi", "lundi", "mardi", "mercredi", "vendredi", "samedi", "dimanche", "hier", "semaine", "mois",
             "annee", "jour", "jours", "nouveau", "nouvelle", "nouvelles", "premier", "premiere", "derniers",
             "dernier", "derniere", "pays", "heures", "fois", "afin", "notamment", "toujours", "environ",
             "millions", "milliards", "dollars", "euros", "etats-unis", "l'union", "europeenne", "affaires",
             "etrangeres", "dirigeant", "dirigeants", "responsables", "officiel", "officiels", "agence"}


@dataclass(slots=True, kw_only=True)
class Story:
    story_id: str
    label: str
    groups: list[str]
    articles: list[str]
    countries: list[str]
    commodities: list[str]
    terms: list[str]
    first: str | None
    last: str | None
    num_mentions: int
    titles: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Unit:
    """One event group with what stories compare: countries, commodities, articles, dates."""

    gid: str
    events: list[Event]
    countries: Counter[str]
    commodities: Counter[str]
    terms: Counter[str]  # words of the evidence, once per sentence
    docs: set[str]
    first: date | None
    last: date | None

    @property
    def pair(self) -> frozenset[str]:
        return frozenset(c for c, _ in self.countries.most_common(2))


@cache
def country_names() -> dict[str, str]:
    """Code -> French name, for countries and for blocs and organisations that act as one (EUR, NAT)."""
    names = {row["code"]: row["name"] for row in read_tsv("actors/countries.tsv")}
    rows = read_tsv("actors/organisations.tsv")
    for row in sorted(rows, key=lambda r: r.get("kind") not in {"igo", "bloc"}):  # EUR: the Union, not its court
        if row["code"] == row.get("country") and row.get("name"):
            names.setdefault(row["code"], row["name"])
    return names


@cache
def country_words() -> frozenset[str]:
    """Folded names and adjectives of countries: a story's countries already say them."""
    words: set[str] = set()
    for row in read_tsv("actors/countries.tsv"):
        for cell in (row["name"], row["names"], row["adjectives"]):
            words.update(re.findall(r"[\w'-]+", fold(cell)))
    return frozenset(words)


def _words(text: str) -> list[str]:
    """Content words, lower case with their accents (labels are read by people), elided article dropped;
    stopwords compared folded."""
    words = (re.sub(r"^(?:[ldjnstm]|qu|jusqu|lorsqu|puisqu)'", "", w)
             for w in re.findall(r"[^\W\d_][\w'-]{3,}", text.lower().replace("’", "'")))
    return [w for w in words if len(w) > 3 and fold(w) not in STOPWORDS]


def _unit(gid: str, events: list[Event]) -> _Unit:
    countries: Counter[str] = Counter()
    commodities: Counter[str] = Counter()
    terms: Counter[str] = Counter()
    for e in events:
        for actor in (e.actor1, e.actor2):
            if actor and (actor.country or actor.code):
                countries[actor.country or actor.code[:3]] += 1
        for term in [*e.commodities, *(q.commodity for q in e.quantities if q.commodity)]:
            commodities[term.lower()] += 1
    for sentence in {e.evidence for e in events}:
        terms.update({w for w in _words(sentence) if fold(w) not in country_words()})
    days = sorted(date.fromisoformat(e.date) for e in events if e.date)
    return _Unit(gid, events, countries, commodities, terms, {e.doc_id for e in events},
                 days[0] if days else None, days[-1] if days else None)


def _matter(unit: _Unit) -> set[str]:
    return {fold(w) for term in unit.commodities for w in _words(term)}


def _gap(a: _Unit, b: _Unit) -> int | None:
    """Days between two groups' date ranges (0 when they overlap); None when one has no date."""
    if not (a.first and a.last and b.first and b.last):
        return None
    if a.last < b.first:
        return (b.first - a.last).days
    if b.last < a.first:
        return (a.first - b.last).days
    return 0


def _link(a: _Unit, b: _Unit, window: int) -> float:
    """How strongly two groups are one matter (0 = not at all)."""
    gap = _gap(a, b)
    if gap is not None and gap > window:
        return 0.0
    shared = set(a.countries) & set(b.countries)
    if not shared:
        return 0.0
    same_article = bool(a.docs & b.docs)
    ma, mb = _matter(a), _matter(b)
    if ma and mb and not ma & mb and not same_article:
        return 0.0  # rare earths and nuclear fuel: two matters between the same countries
    score = 0.0
    if a.pair == b.pair and len(a.pair) == 2:
        score += 2.0
    if ma & mb:
        score += 2.0
    if same_article:
        score += 1.0 + len(a.docs & b.docs) / len(a.docs | b.docs)
    if score == 0.0:
        return 0.0
    return score + len(shared) / len(set(a.countries) | set(b.countries)) - (gap or 0) / (window + 1)


def build_stories(events: Iterable[Event], titles: dict[str, str | None] | None = None,
                  window: int = WINDOW_DAYS, max_span: int = MAX_SPAN_DAYS) -> list[Story]:
    """Stories over events (grouped or not: a mention without a group is a group of its own), biggest first."""
    members: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        members[event.group_id or "e" + event.event_id].append(event)
    units = [_unit(gid, evs) for gid, evs in sorted(members.items())]
    parent = list(range(len(units)))
    span = [(u.first, u.last) for u in units]

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    links = []
    by_country: dict[str, list[int]] = defaultdict(list)
    for i, unit in enumerate(units):
        for country in unit.countries:
            by_country[country].append(i)
    candidates = {(i, j) for ids in by_country.values() for i in ids for j in ids if i < j}
    for i, j in sorted(candidates):
        strength = _link(units[i], units[j], window)
        if strength > 0:
            links.append((-strength, i, j))
    for _, i, j in sorted(links):
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        days = [d for d in (*span[ri], *span[rj]) if d]
        if days and (max(days) - min(days)).days > max_span:
            continue
        root, child = min(ri, rj), max(ri, rj)
        parent[child] = root
        span[root] = (min(days), max(days)) if days else (None, None)
    clusters: dict[int, list[_Unit]] = defaultdict(list)
    for i, unit in enumerate(units):
        clusters[find(i)].append(unit)
    spread: Counter[str] = Counter()  # in how many groups a word occurs: common words name no matter
    for unit in units:
        spread.update(set(unit.terms))
    stories = [_story(group, titles or {}, spread, len(units)) for group in clusters.values()]
    return sorted(stories, key=lambda s: (-len(s.groups), -len(s.articles), -s.num_mentions, s.story_id))


def _story(units: list[_Unit], titles: dict[str, str | None], spread: Counter[str], total: int) -> Story:
    countries: Counter[str] = Counter()
    commodities: Counter[str] = Counter()
    terms: Counter[str] = Counter()
    for unit in units:
        countries.update(unit.countries)
        commodities.update(unit.commodities)
        terms.update(unit.terms)
    weight = Counter({t: n * math.log((total + 1) / spread[t]) for t, n in terms.items() if n > 1 or len(units) == 1})
    terms = weight if weight else terms
    firsts = [u.first for u in units if u.first]
    lasts = [u.last for u in units if u.last]
    docs = sorted({d for u in units for d in u.docs})
    oldest = min(units, key=lambda u: (u.first or date.max, u.gid))
    return Story(story_id="s" + stable_id(oldest.gid, length=12), label=label(countries, commodities, terms, firsts),
                 groups=sorted(u.gid for u in units), articles=docs,
                 countries=[c for c, _ in countries.most_common()],
                 commodities=[c for c, _ in commodities.most_common()],
                 terms=[t for t, _ in terms.most_common(5)], first=min(firsts).isoformat() if firsts else None,
                 last=max(lasts).isoformat() if lasts else None, num_mentions=sum(len(u.events) for u in units),
                 titles=[t for t in (titles.get(d) for d in docs) if t][:5])


def label(countries: Counter[str], commodities: Counter[str], terms: Counter[str], days: list[date]) -> str:
    """"États-Unis–Russie · terres rares · pourparlers · février 2025": the two countries, the commodity and
    the trigger word the story's mentions name most, and its month."""
    names = country_names()
    parts = ["–".join(sorted(names.get(c, c) for c, _ in countries.most_common(2)))] if countries else []
    if commodities:
        parts.append(commodities.most_common(1)[0][0])
    taken = {fold(w) for part in parts for w in _words(part)}
    term = next((t for t, _ in terms.most_common() if fold(t) not in taken), None)
    if term:
        parts.append(term)
    if days:
        first = min(days)
        parts.append(f"{MONTHS_FR[first.month - 1]} {first.year}")
    return " · ".join(parts) or "—"
