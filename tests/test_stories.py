"""Stories: groups and articles about one matter, clustered by actors, commodities and time, labelled."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from veille.cli import app
from veille.models import Actor, Document, Event
from veille.store import Store
from veille.stories import build_stories


def mention(doc_id: str, index: int, a1: str, cameo: str, a2: str, day: str, group: str, evidence: str,
            commodities: tuple[str, ...] = ()) -> Event:
    event = Event(doc_id=doc_id, sentence_index=index, evidence=evidence, evidence_span=(index * 200, index * 200 + 1),
                  trigger="t", actor1=Actor(text=a1, name=a1, code=a1, country=a1[:3]),
                  actor2=Actor(text=a2, name=a2, code=a2, country=a2[:3]), cameo=cameo, date=day,
                  commodities=list(commodities), group_id=group)
    event.compute_id()
    return event


def corpus() -> list[Event]:
    return [
        mention("a1", 0, "RUS", "0311", "USA", "2025-02-24", "g-offer",
                "La Russie propose aux États-Unis des pourparlers sur les terres rares.", ("terres rares",)),
        mention("a2", 0, "RUSGOV", "0311", "USA", "2025-02-25", "g-offer",
                "Moscou offre à Washington des pourparlers sur ses terres rares.", ("terres rares",)),
        mention("a2", 1, "USA", "046", "RUS", "2025-02-26", "g-talks",
                "Les pourparlers entre Washington et Moscou sur les terres rares avancent.", ("terres rares",)),
        mention("a3", 0, "USA", "040", "RUS", "2025-03-01", "g-arctic",
                "Les États-Unis et la Russie discutent de pourparlers sur les terres rares de l'Arctique.",
                ("terres rares",)),
        # the same two countries, another matter: the nuclear treaty
        mention("a4", 0, "RUSGOV", "112", "USA", "2025-02-26", "g-treaty",
                "Moscou accuse Washington de violer le traité sur le combustible nucléaire.", ("nucléaire",)),
        # other countries altogether
        mention("a5", 0, "FRA", "111", "DZA", "2025-02-25", "g-algeria",
                "Paris critique Alger après l'expulsion de diplomates.", ()),
    ]


def test_groups_about_one_matter_make_one_story():
    stories = build_stories(corpus())
    by_group = {g: s for s in stories for g in s.groups}
    talks = by_group["g-offer"]
    assert set(talks.groups) == {"g-offer", "g-talks", "g-arctic"}
    assert talks.articles == ["a1", "a2", "a3"]
    assert by_group["g-treaty"] is not talks and by_group["g-algeria"] is not talks
    assert (talks.first, talks.last) == ("2025-02-24", "2025-03-01")
    assert talks.countries[:2] == ["RUS", "USA"] or talks.countries[:2] == ["USA", "RUS"]
    assert talks.label.startswith("Russie–États-Unis · terres rares")
    assert talks.label.endswith("février 2025") and "pourparlers" in talks.label
    assert stories[0] is talks  # the biggest first


def test_story_ids_hold_as_stories_grow_and_spans_are_bounded():
    first = {s.story_id: set(s.groups) for s in build_stories(corpus())}
    more = mention("a6", 0, "RUS", "0311", "USA", "2025-03-03", "g-more",
                   "La Russie relance ses pourparlers sur les terres rares.", ("terres rares",))
    later = [*corpus(), more]
    grown = {s.story_id: set(s.groups) for s in build_stories(later)}
    talks = next(sid for sid, groups in first.items() if "g-offer" in groups)
    assert grown[talks] == first[talks] | {"g-more"}
    june = mention("a7", 0, "RUS", "0311", "USA", "2025-06-20", "g-june",
                   "La Russie propose encore des pourparlers sur les terres rares.", ("terres rares",))
    months_later = [*corpus(), june]
    by_group = {g: s.story_id for s in build_stories(months_later) for g in s.groups}
    assert by_group["g-june"] != by_group["g-offer"]


def test_stories_and_groups_commands(db: str):
    store = Store(db)
    found = corpus()
    for doc_id in sorted({e.doc_id for e in found}):
        store.save(Document(doc_id=doc_id, text="texte", title=f"Titre {doc_id}", source=f"outlet-{doc_id}"),
                   [e for e in found if e.doc_id == doc_id])
    store.close()
    runner = CliRunner()
    result = runner.invoke(app, ["stories", "--db", db, "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    stories = [json.loads(line) for line in result.output.splitlines()]
    assert len(stories) == 1 and stories[0]["titles"] == ["Titre a1", "Titre a2", "Titre a3"]
    table = runner.invoke(app, ["stories", "--db", db, "--min-groups", "1"])
    assert table.exit_code == 0 and "terres rares" in table.output
    groups = runner.invoke(app, ["groups", "--db", db, "--format", "jsonl"])
    assert groups.exit_code == 0, groups.output
    rows = [json.loads(line) for line in groups.output.splitlines()]
    offer = next(r for r in rows if r["group_id"] == "g-offer")
    assert (offer["num_mentions"], offer["num_articles"], offer["num_sources"]) == (2, 2, 2)
    assert rows[0]["group_id"] == "g-offer"  # most mentions first
    assert runner.invoke(app, ["groups", "--db", db]).exit_code == 0
    assert runner.invoke(app, ["groups", "--db", db, "--format", "xml"]).exit_code == 2
