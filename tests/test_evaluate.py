"""The matcher, one rule of the annotation guide §9 at a time, on hand-made events."""

from __future__ import annotations

from veille.evaluate import bcubed, figures, match
from veille.models import Actor, Event


def actor(code: str | None) -> Actor | None:
    if code is None:
        return None
    return Actor(text=code, name=code, code=code, country=code[:3])


def sys_event(a1: str, code: str, a2: str | None, span=(0, 50), doc="d1", symmetric=False, group=None) -> Event:
    ev = Event(doc_id=doc, sentence_index=0, evidence="x", evidence_span=span, trigger="t", actor1=actor(a1),
               actor2=actor(a2), cameo=code, symmetric=symmetric, group_id=group)
    ev.compute_id()
    return ev


def gold(a1: str, code: str, a2: str | None, span=(10, 40), doc="d1", **extra) -> dict:
    row = {"doc_id": doc, "evidence": "x", "evidence_span": list(span), "cameo": code,
           "actor1": {"code": a1, "country": a1[:3]}, "actor2": {"code": a2, "country": a2[:3]} if a2 else None}
    row.update(extra)
    return row


def test_same_root_and_countries_match_and_levels_differ():
    report = match([gold("RUSGOV", "0311", "USA")], [sys_event("RUS", "036", "USA")])
    f = figures(report)
    assert f["root"]["tp"] == 1 and f["root"]["f1"] == 1.0
    assert f["base"]["tp"] == 0 and f["full"]["tp"] == 0
    assert f["actor_code_accuracy"] == 0.0


def test_spans_must_overlap_and_documents_agree():
    assert not match([gold("RUS", "0311", "USA", span=(100, 120))], [sys_event("RUS", "0311", "USA")]).pairs
    assert not match([gold("RUS", "0311", "USA")], [sys_event("RUS", "0311", "USA", doc="d2")],
                     docs=["d1", "d2"]).pairs


def test_actor_direction_matters_unless_symmetric():
    assert not match([gold("RUS", "046", "USA")], [sys_event("USA", "046", "RUS")]).pairs
    assert match([gold("RUS", "046", "USA", symmetric=True)], [sys_event("USA", "046", "RUS")]).pairs
    assert match([gold("RUS", "046", "USA")], [sys_event("USA", "046", "RUS", symmetric=True)]).pairs


def test_implicit_target_matches_null_actor2():
    assert match([gold("RUS", "0311", "USA", implicit_target=True)], [sys_event("RUS", "0311", None)]).pairs
    assert not match([gold("RUS", "0311", "USA")], [sys_event("RUS", "0311", None)]).pairs


def test_optional_gold_is_neither_missed_nor_false_positive():
    f = figures(match([gold("RUS", "0311", "USA", optional=True)], [sys_event("RUS", "0311", "USA")]))
    assert (f["root"]["tp"], f["root"]["fp"], f["root"]["fn"]) == (0, 0, 0)
    f = figures(match([gold("RUS", "0311", "USA", optional=True)], []))
    assert f["root"]["fn"] == 0


def test_alt_codes_are_accepted():
    report = match([gold("FRA", "161", "RUS", alt_codes=["174"])], [sys_event("FRA", "174", "RUS")])
    assert report.pairs and report.pairs[0].score == 3


def test_one_system_event_overlapping_two_gold_events_matches_one():
    g = [gold("RUS", "0311", "USA", span=(0, 30)), gold("RUS", "0311", "USA", span=(20, 60))]
    f = figures(match(g, [sys_event("RUS", "0311", "USA", span=(10, 50))]))
    assert (f["root"]["tp"], f["root"]["fp"], f["root"]["fn"]) == (1, 0, 1)


def test_false_positive_and_miss_counted():
    f = figures(match([gold("ISR", "195", "PSE")], [sys_event("FRA", "111", "ISR")]))
    assert (f["root"]["tp"], f["root"]["fp"], f["root"]["fn"]) == (0, 1, 1)
    assert f["root"]["precision"] == 0.0


def test_modality_and_source_accuracy_over_matched_pairs():
    ev = sys_event("RUS", "0311", "USA")
    ev.modality = "conditional"
    g = gold("RUS", "0311", "USA", modality="conditional", source={"speaker": "RUSGOV", "via": ["CNN"]})
    f = figures(match([g], [ev]))
    assert f["modality_accuracy"] == 1.0
    assert f["source_accuracy"] == 0.0


def test_bcubed_grouping():
    g = [gold("RUS", "0311", "USA", span=(0, 10), group="a"), gold("RUS", "0311", "USA", span=(20, 30), group="a"),
         gold("ISR", "195", "PSE", span=(40, 50), group="b")]
    s = [sys_event("RUS", "0311", "USA", span=(0, 10), group="x"),
         sys_event("RUS", "0311", "USA", span=(20, 30), group="x"),
         sys_event("ISR", "195", "PSE", span=(40, 50), group="x")]
    result = bcubed(match(g, s).pairs)
    assert result["recall"] == 1.0
    assert 0.5 < result["precision"] < 0.6
