"""Records: stable ids and a JSON round trip that keeps every field."""

from __future__ import annotations

from veille.models import Actor, Event, Location, Quantity, Source, stable_id


def make_event() -> Event:
    ev = Event(doc_id="d", sentence_index=2, evidence="Moscou a proposé à Washington de coopérer.",
               evidence_span=(10, 52), trigger="proposé", trigger_span=(17, 24),
               actor1=Actor(text="Moscou", name="Moscou", code="RUSGOV", country="RUS", role="GOV", span=(10, 16)),
               actor2=Actor(text="Washington", name="Washington", code="USAGOV", country="USA", role="GOV"),
               cameo="0311", plover="COOPERATE", goldstein=5.2, quad_class=1, modality="conditional",
               condition="si les sanctions sont levées", source=Source(speaker="RUSGOV", via=["TASS"]),
               quantities=[Quantity(value=2e6, unit="t", text="2 millions de tonnes", approx=True)],
               commodities=["aluminium"], location=Location(name="Riyad", country="SAU"), date="2025-02-24",
               date_precision="day", date_basis="relative", rule="v.proposer", confidence=0.8)
    ev.compute_id()
    return ev


def test_ids_are_stable_and_content_based():
    assert stable_id("a", 1) == stable_id("a", 1)
    assert stable_id("a", 1) != stable_id("a", 2)
    assert make_event().event_id == make_event().event_id


def test_round_trip_keeps_leading_zeros_and_fields():
    ev = make_event()
    data = ev.to_dict()
    assert data["cameo"] == "0311" and data["cameo_root"] == "03"
    back = Event.from_dict(data)
    assert back.to_dict() == data
