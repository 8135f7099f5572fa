"""Mentions of the same happening grouped into one event (GDELT's NumMentions/NumSources/NumArticles).

Two mentions are of one event when they have the same CAMEO base code (for force, one may have the
root's unspecified code: "190" with "195"), the same actor countries (either way round for symmetric events;
a missing target matches any), the same named person acting where both name one, and dates at most
``WINDOW_DAYS`` apart. Every mention of a group must be compatible with every other (complete link),
so a group never drifts from one event to the next day's through a chain of similar mentions.

Grouping runs in two steps. While a document is analysed, its mentions get provisional groups
(``p…`` ids, within the document only). Once documents are stored, ``regroup`` places each provisional
group among the stored groups, or founds a new one named after its first mention. A group id, once
given, never changes and existing groups are never renumbered, so new articles only join or add
groups, and running again on the same input gives the same ids.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from veille.dictionaries import fold
from veille.models import Event, EventGroup, stable_id

if TYPE_CHECKING:
    from veille.store import Store

WINDOW_DAYS = 3
PROVISIONAL = "p"


def _country(actor: object) -> str | None:
    if actor is None:
        return None
    return getattr(actor, "country", None) or (getattr(actor, "code", "") or "")[:3] or None


def _day(event: Event) -> date | None:
    return date.fromisoformat(event.date) if event.date else None


def actors_compatible(a: Event, b: Event) -> bool:
    """Same actor countries; a missing target (implicit) matches any; either way for symmetric events."""
    a1, a2, b1, b2 = _country(a.actor1), _country(a.actor2), _country(b.actor1), _country(b.actor2)
    if a1 == b1 and (a2 is None or b2 is None or a2 == b2):
        return True
    return (a.symmetric or b.symmetric) and a1 == b2 and a2 == b1


def dates_compatible(a: Event, b: Event, window: int = WINDOW_DAYS) -> bool:
    """Days at most ``window`` apart; a month or year date only has to share its month or year. An undated
    mention (an article without publication date) only joins mentions of its own article."""
    da, db = _day(a), _day(b)
    if da is None or db is None:
        return a.doc_id == b.doc_id
    coarse = {a.date_precision, b.date_precision}
    if "year" in coarse:
        return da.year == db.year
    if "month" in coarse:
        return (da.year, da.month) == (db.year, db.month)
    return abs((da - db).days) <= window


def _person(actor: object) -> str | None:
    """The name of a named person ("Kirill Dmitriev"), not of a role ("cabinet de sécurité (ISR)")."""
    name = getattr(actor, "name", None)
    if getattr(actor, "kind", None) != "person" or not name or "(" in name:
        return None
    return fold(name)


def people_compatible(a: Event, b: Event) -> bool:
    """The same person acting where both name one: Dmitriev's offer and Putin's, the same day, are two
    events; "Moscou" and "Poutine" may be one (a state is no one in particular)."""
    if a.symmetric or b.symmetric:  # "Trump a parlé à Poutine" and "Poutine a parlé avec Trump"
        pa = {p for p in (_person(a.actor1), _person(a.actor2)) if p}
        pb = {p for p in (_person(b.actor1), _person(b.actor2)) if p}
    else:
        pa = {p for p in (_person(a.actor1),) if p}
        pb = {p for p in (_person(b.actor1),) if p}
    return not (pa and pb and not pa & pb)


FORCE_ROOTS = {"18", "19", "20"}


def codes_compatible(a: str, b: str) -> bool:
    """The same CAMEO base code. For force (18–20) a root's unspecified code also fits its sub-codes
    ("190" with "195": the same strike told twice); elsewhere an offer of cooperation (031) and one of
    aid (032), or a consultation (040) and a negotiation (046), are two events."""
    if a[:3] == b[:3]:
        return True
    return a[:2] == b[:2] and a[:2] in FORCE_ROOTS and (a[2:3] == "0" or b[2:3] == "0")


def compatible(a: Event, b: Event, window: int = WINDOW_DAYS) -> bool:
    return (codes_compatible(a.cameo, b.cameo) and actors_compatible(a, b) and dates_compatible(a, b, window)
            and people_compatible(a, b))


def _order(event: Event) -> tuple[str, str, int, str]:
    return (event.date or "", event.doc_id, event.sentence_index, event.event_id)


def _cluster(events: Iterable[Event], window: int) -> list[list[Event]]:
    """Complete-link clusters, in a fixed order so the result does not depend on the input's order."""
    clusters: list[list[Event]] = []
    for event in sorted(events, key=_order):
        fits = [c for c in clusters if all(compatible(event, m, window) for m in c)]
        if fits:
            max(fits, key=len).append(event)  # the biggest; ties go to the one founded first
        else:
            clusters.append([event])
    return clusters


def assign_groups(events: Iterable[Event], window: int = WINDOW_DAYS) -> None:
    """Provisional groups within one document, named after their first mention."""
    for cluster in _cluster(events, window):
        gid = PROVISIONAL + stable_id(cluster[0].event_id, length=12)
        for event in cluster:
            event.group_id = gid


def is_settled(group_id: str | None) -> bool:
    """A group ``regroup`` gave (or an older veille's): it keeps its id and its mentions from now on."""
    return group_id is not None and group_id != "" and not group_id.startswith(PROVISIONAL)


def place_units(units: list[list[Event]], groups: dict[str, list[Event]],
                window: int = WINDOW_DAYS) -> dict[str, str]:
    """Event id -> group id for each unit (mentions already known to be one event): the biggest stored
    group every mention of which is compatible with every mention of the unit, else a new group."""
    index: dict[tuple[str, str | None], set[str]] = defaultdict(set)

    def enter(gid: str, event: Event) -> None:
        for country in {_country(event.actor1), _country(event.actor2)}:
            index[(event.cameo[:2], country)].add(gid)

    for gid, members in groups.items():
        for event in members:
            enter(gid, event)
    assignments: dict[str, str] = {}
    for unit in sorted(units, key=lambda u: _order(min(u, key=_order))):
        first = min(unit, key=_order)
        keys = {(e.cameo[:2], _country(e.actor1)) for e in unit}
        candidates = sorted(set().union(*(index.get(k, set()) for k in keys)))
        fits = [g for g in candidates if all(compatible(e, m, window) for e in unit for m in groups[g])]
        if fits:
            gid = max(fits, key=lambda g: (len(groups[g]), _closeness(first, groups[g]), g))
        else:
            gid, salt = "g" + stable_id(first.event_id, length=12), 0
            while gid in groups:  # the founder's id is taken by a group it left: never reuse it
                salt += 1
                gid = "g" + stable_id(first.event_id, salt, length=12)
            groups[gid] = []
        for event in unit:
            groups[gid].append(event)
            enter(gid, event)
            assignments[event.event_id] = gid
    return assignments


def _closeness(event: Event, members: list[Event]) -> int:
    day = _day(event)
    days = [d for d in (_day(m) for m in members) if d]
    return -min((abs((day - d).days) for d in days), default=0) if day else 0


def _reach(event: Event, window: int) -> tuple[date, date] | None:
    """The dates a stored mention may have and still be compatible with this one."""
    day = _day(event)
    if day is None:
        return None
    if event.date_precision == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    month_end = date.fromordinal(date(day.year + day.month // 12, day.month % 12 + 1, 1).toordinal() - 1)
    if event.date_precision == "month":
        return day.replace(day=1), month_end
    return min(day.replace(day=1), date.fromordinal(day.toordinal() - window)), \
        date.fromordinal(day.toordinal() + window)


def regroup(store: Store, window: int = WINDOW_DAYS) -> int:
    """Give every stored mention that has no group yet (or a provisional one) its group; returns how many.

    Only mentions still unplaced move: settled ones keep their group, so a second run changes nothing.
    Stored mentions are read only for the CAMEO roots and dates the new ones can join.
    """
    import json

    from sqlalchemy import or_, select

    from veille.store import events as table

    def read(condition: object) -> list[Event]:
        found = []
        with store.engine.connect() as conn:
            for record, gid in conn.execute(select(table.c.record, table.c.group_id).where(condition)):
                event = Event.from_dict(json.loads(record))
                event.group_id = gid
                found.append(event)
        return found

    pending: dict[str, list[Event]] = defaultdict(list)
    for event in read(or_(table.c.group_id.is_(None), table.c.group_id.like(PROVISIONAL + "%"))):
        pending[event.group_id or "e" + event.event_id].append(event)
    if not pending:
        return 0
    reach = [r for r in (_reach(e, window) for unit in pending.values() for e in unit) if r]
    roots = sorted({e.cameo[:2] for unit in pending.values() for e in unit})
    condition = table.c.group_id.is_not(None) & table.c.group_id.not_like(PROVISIONAL + "%") \
        & table.c.cameo_root.in_(roots)
    if reach:
        low, high = min(r[0] for r in reach).isoformat(), max(r[1] for r in reach).isoformat()
        condition = condition & (table.c.event_date.is_(None) | table.c.event_date.between(low, high))
    settled: dict[str, list[Event]] = defaultdict(list)
    for event in read(condition):
        settled[event.group_id].append(event)  # type: ignore[index]
    assignments = place_units(list(pending.values()), dict(settled), window)
    store.set_groups(assignments)
    return len(assignments)


def build_groups(events: Iterable[Event], sources: dict[str, str | None] | None = None,
                 duplicates: dict[str, str] | None = None) -> list[EventGroup]:
    """Summaries of each group over stored events; ``sources`` maps doc_id to outlet and ``duplicates``
    a republished article to its original, which counts for both (one article, its mentions once)."""
    sources = sources or {}
    duplicates = duplicates or {}
    members: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        if event.group_id:
            members[event.group_id].append(event)
    groups = []
    for gid, evs in sorted(members.items()):
        best = max(evs, key=lambda e: (e.doc_id not in duplicates, e.confidence, -e.sentence_index))
        # "en février" (month precision, dated the 1st) says less than the days other mentions give
        dates = sorted(e.date for e in evs if e.date and e.date_precision in {"day", None}) or sorted(
            e.date for e in evs if e.date)
        per_doc: dict[str, int] = defaultdict(int)
        for e in evs:
            per_doc[e.doc_id] += 1
        family: dict[str, int] = defaultdict(int)  # original article -> most mentions of one of its copies
        for doc_id, n in per_doc.items():
            root = duplicates.get(doc_id, doc_id)
            family[root] = max(family[root], n)
        groups.append(EventGroup(
            group_id=gid, cameo=best.cameo, actor1=best.actor1.code if best.actor1 else None,
            actor2=best.actor2.code if best.actor2 else None, date=dates[0] if dates else None,
            num_mentions=sum(family.values()), num_articles=len(family),
            num_sources=len({sources.get(d) or d for d in family}),
            first_seen=dates[0] if dates else None, last_seen=dates[-1] if dates else None,
            best_event_id=best.event_id, mentions=[e.event_id for e in evs]))
    return groups
