"""Mentions of the same happening grouped into one event (GDELT's NumMentions/NumArticles).

A group key is made of the actors' countries (sorted for symmetric events), the CAMEO root and
the ISO week of the event date, so a group id never changes when new articles arrive and
re-running gives the same ids.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from veille.models import Event, EventGroup, stable_id


def group_key(event: Event) -> tuple[str, str, str, str]:
    a1 = event.actor1.country if event.actor1 and event.actor1.country else ""
    a2 = event.actor2.country if event.actor2 and event.actor2.country else ""
    if event.symmetric:
        a1, a2 = sorted((a1, a2))
    week = ""
    if event.date:
        year, number, _ = date.fromisoformat(event.date).isocalendar()
        week = f"{year}-W{number:02d}"
    return (a1, a2, event.cameo[:2], week)


def assign_groups(events: Iterable[Event]) -> None:
    for event in events:
        event.group_id = "g" + stable_id(*group_key(event), length=12)


def build_groups(events: Iterable[Event], sources: dict[str, str | None] | None = None) -> list[EventGroup]:
    """Summaries of each group over stored events; ``sources`` maps doc_id to outlet."""
    sources = sources or {}
    members: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        if event.group_id:
            members[event.group_id].append(event)
    groups = []
    for gid, evs in sorted(members.items()):
        best = max(evs, key=lambda e: (e.confidence, -e.sentence_index))
        dates = sorted(e.date for e in evs if e.date)
        groups.append(EventGroup(
            group_id=gid, cameo=best.cameo, actor1=best.actor1.code if best.actor1 else None,
            actor2=best.actor2.code if best.actor2 else None, date=dates[0] if dates else None,
            num_mentions=len(evs), num_articles=len({e.doc_id for e in evs}),
            num_sources=len({sources.get(e.doc_id) or e.doc_id for e in evs}),
            first_seen=dates[0] if dates else None, last_seen=dates[-1] if dates else None,
            best_event_id=best.event_id, mentions=[e.event_id for e in evs]))
    return groups
