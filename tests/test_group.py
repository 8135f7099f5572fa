"""Event groups: compatible mentions across sentences, articles and outlets; stable and idempotent."""

from __future__ import annotations

import json
from pathlib import Path

from veille.group import (
    assign_groups,
    build_groups,
    codes_compatible,
    compatible,
    is_settled,
    regroup,
)
from veille.models import Actor, Document, Event
from veille.store import Store


def actor(code: str, name: str | None = None, kind: str = "state") -> Actor:
    return Actor(text=name or code, name=name or code, code=code, country=code[:3], kind=kind)


def mention(doc_id: str, index: int, a1: str, cameo: str, a2: str | None, day: str, *, symmetric: bool = False,
            person: str | None = None, precision: str = "day") -> Event:
    event = Event(doc_id=doc_id, sentence_index=index, evidence=f"phrase {index} de {doc_id}",
                  evidence_span=(index * 100, index * 100 + 50), trigger="t",
                  actor1=actor(a1, person, "person" if person else "state"), actor2=actor(a2) if a2 else None,
                  cameo=cameo, date=day, date_precision=precision, date_basis="relative", symmetric=symmetric)
    event.compute_id()
    return event


def test_compatible_mentions():
    offer = mention("a", 0, "RUS", "0311", "USA", "2025-02-24")
    assert compatible(offer, mention("b", 0, "RUSGOV", "0311", "USA", "2025-02-26"))  # country level, 2 days
    assert not compatible(offer, mention("b", 0, "RUS", "0311", "USA", "2025-02-28"))  # beyond the window
    assert compatible(offer, mention("b", 0, "RUS", "0311", None, "2025-02-24"))  # implicit target
    assert not compatible(offer, mention("b", 0, "USA", "0311", "RUS", "2025-02-24"))  # the other way round
    talks = mention("a", 1, "USA", "046", "RUS", "2025-02-24", symmetric=True)
    assert compatible(talks, mention("b", 1, "RUS", "046", "USA", "2025-02-25"))  # symmetric: either way
    assert compatible(offer, mention("b", 0, "RUS", "0312", "USA", "2025-02-24"))  # same base code 031
    assert not compatible(offer, mention("b", 0, "RUS", "0331", "USA", "2025-02-24"))  # material aid: another
    assert compatible(offer, mention("b", 0, "RUS", "0311", "USA", "2025-02-03", precision="month"))


def test_codes_and_people():
    assert codes_compatible("190", "195") and codes_compatible("0311", "0312")
    assert not codes_compatible("031", "032") and not codes_compatible("0311", "0411")
    putin = mention("a", 0, "RUSGOV", "0311", "USA", "2025-02-24", person="Vladimir Poutine")
    dmitriev = mention("a", 1, "RUSGOV", "0311", "USA", "2025-02-24", person="Kirill Dmitriev")
    moscow = mention("a", 2, "RUSGOV", "0311", "USA", "2025-02-24")
    assert not compatible(putin, dmitriev)  # two people, two offers
    assert compatible(putin, moscow) and compatible(dmitriev, moscow)


def test_provisional_groups_within_a_document_do_not_depend_on_order():
    found = [mention("a", 0, "ISR", "190", "PSE", "2025-03-18"), mention("a", 1, "ISR", "195", "PSE", "2025-03-18"),
             mention("a", 2, "ISR", "190", "LBN", "2025-03-18"), mention("a", 3, "EUR", "163", "RUS", "2025-03-18")]
    assign_groups(found)
    ids = [e.group_id for e in found]
    assert ids[0] == ids[1] and len(set(ids)) == 3 and not any(is_settled(g) for g in ids)
    again = [mention("a", i, e.actor1.code, e.cameo, e.actor2.code, e.date) for i, e in enumerate(found)][::-1]
    assign_groups(again)
    assert [e.group_id for e in again[::-1]] == ids


def store_docs(store: Store, docs: dict[str, list[Event]]) -> None:
    for doc_id, found in docs.items():
        assign_groups(found)
        store.save(Document(doc_id=doc_id, text="texte", source=f"outlet-{doc_id}"), found)


def groups_of(store: Store) -> dict[str, str]:
    return {e.event_id: e.group_id for e in store.iter_events()}


def test_regroup_across_articles_is_incremental_and_idempotent(db: str):
    store = Store(db)
    store_docs(store, {
        "afp": [mention("afp", 0, "RUS", "0311", "USA", "2025-02-24"), mention("afp", 1, "USA", "046", "RUS",
                                                                                   "2025-02-24", symmetric=True)],
        "monde": [mention("monde", 0, "RUSGOV", "0311", None, "2025-02-25")],
    })
    assert regroup(store) == 3
    first = groups_of(store)
    assert all(is_settled(g) for g in first.values())
    assert len(set(first.values())) == 2  # the offer (two outlets) and the talks
    assert regroup(store) == 0 and groups_of(store) == first  # a second pass changes nothing

    # new articles join existing groups without renaming them, or found their own
    store_docs(store, {"figaro": [mention("figaro", 0, "RUS", "046", "USA", "2025-02-25", symmetric=True),
                                  mention("figaro", 1, "ISR", "190", "PSE", "2025-02-25")],
                       "early": [mention("early", 0, "RUS", "0311", "USA", "2025-02-22")]})
    regroup(store)
    after = groups_of(store)
    assert {k: after[k] for k in first} == first
    talks = first[mention("afp", 1, "USA", "046", "RUS", "2025-02-24", symmetric=True).event_id]
    assert after[mention("figaro", 0, "RUS", "046", "USA", "2025-02-25", symmetric=True).event_id] == talks
    assert len(set(after.values())) == 3  # + the strike; "early" joins the offer (2 days before)

    # re-saving an article (same content) gives its mentions their groups back
    store_docs(store, {"figaro": [mention("figaro", 0, "RUS", "046", "USA", "2025-02-25", symmetric=True),
                                  mention("figaro", 1, "ISR", "190", "PSE", "2025-02-25")]})
    regroup(store)
    assert groups_of(store) == after
    store.close()


def test_groups_count_mentions_articles_and_outlets():
    found = [mention("afp", 0, "RUS", "0311", "USA", "2025-02-24"), mention("afp", 3, "RUS", "0311", "USA",
                                                                            "2025-02-24"),
             mention("copy", 0, "RUS", "0311", "USA", "2025-02-24"), mention("copy", 3, "RUS", "0311", "USA",
                                                                             "2025-02-24"),
             mention("monde", 1, "RUS", "0311", "USA", "2025-02-25")]
    for e in found:
        e.group_id = "g1"
    found[1].confidence = 0.9
    sources = {"afp": "AFP", "copy": "Le Parisien", "monde": "Le Monde"}
    plain = build_groups(found, sources)[0]
    assert (plain.num_mentions, plain.num_articles, plain.num_sources) == (5, 3, 3)
    dedup = build_groups(found, sources, {"copy": "afp"})[0]  # the republished wire story counts once
    assert (dedup.num_mentions, dedup.num_articles, dedup.num_sources) == (3, 2, 2)
    assert dedup.best_event_id == found[1].event_id
    assert (dedup.first_seen, dedup.last_seen) == ("2025-02-24", "2025-02-25")


ARTICLES = [
    {"id": "a1", "published": "2025-03-04", "source": "AFP",
     "text": "Le Canada a imposé lundi de nouvelles sanctions contre l'Iran, a annoncé Ottawa."},
    {"id": "a2", "published": "2025-03-04", "source": "Le Devoir",
     "text": "Ottawa a imposé lundi des sanctions contre l'Iran en raison de la répression des manifestations."},
]


def test_pipeline_groups_across_articles(tmp_path: Path, db: str):
    from veille.pipeline import run

    first = tmp_path / "first.jsonl"
    first.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in ARTICLES) + "\n", encoding="utf-8")
    store = Store(db)
    run([str(first)], store)
    sanctions = [e for e in store.iter_events() if e.cameo.startswith("16") and e.actor2
                 and e.actor2.country == "IRN"]
    assert {e.doc_id for e in sanctions} == {"a1", "a2"}
    assert len({e.group_id for e in sanctions}) == 1 and is_settled(sanctions[0].group_id)
    before = groups_of(store)
    later = tmp_path / "later.jsonl"
    later.write_text(json.dumps({"id": "a3", "published": "2025-03-05", "source": "RFI",
                                 "text": "Le Canada a sanctionné l'Iran lundi."}, ensure_ascii=False) + "\n",
                     encoding="utf-8")
    run([str(first), str(later)], store)
    after = groups_of(store)
    assert {k: after[k] for k in before} == before  # a new article renames nothing
    run([str(first), str(later)], store)
    assert groups_of(store) == after  # re-running changes nothing
    store.close()
