"""Near-duplicate articles: a republished wire story is found, flagged and counted once."""

from __future__ import annotations

import json
from pathlib import Path

from veille.dedup import DuplicateIndex, shingles
from veille.group import build_groups
from veille.models import Document
from veille.store import Store

WIRE = (
    "Les Vingt-Sept ont adopté lundi un vingtième paquet de sanctions contre la Russie, qui interdit à partir "
    "de 2028 les importations d'uranium enrichi russe et vise 43 navires supplémentaires de la flotte fantôme, "
    "a annoncé la présidence chypriote du Conseil de l'Union européenne. La Hongrie, qui bloquait le texte "
    "depuis début février, a levé son veto après avoir obtenu une dérogation pour la centrale nucléaire de "
    "Paks. Moscou doit comprendre que sa guerre d'agression lui coûtera de plus en plus cher, a averti la "
    "cheffe de la diplomatie européenne, Kaja Kallas, en marge d'une réunion des ministres des Affaires "
    "étrangères. Le Kremlin a aussitôt dénoncé des mesures illégitimes et promis une riposte proportionnée."
)
# The same dispatch as another outlet runs it: its own opening line, a sentence cut, typography changed.
REPUBLISHED = (
    "BRUXELLES (AFP) – " + WIRE.replace("Le Kremlin a aussitôt dénoncé des mesures illégitimes et promis une "
                                        "riposte proportionnée.", "")
    .replace("Moscou doit comprendre", "« Moscou doit comprendre").replace("plus cher,", "plus cher »,")
    + " Lire aussi notre dossier sur la guerre en Ukraine."
)
# Another article on the same event, written anew.
REWRITTEN = (
    "L'Union européenne a finalement trouvé un accord sur son vingtième train de mesures contre Moscou. "
    "Budapest, longtemps réticent, a donné son feu vert au dernier moment en échange d'une exemption pour "
    "Paks. Le paquet vise l'uranium russe, dont les importations seront proscrites dès 2028, ainsi qu'une "
    "quarantaine de pétroliers. Pour Kaja Kallas, le coût de la guerre pour la Russie ne cessera d'augmenter. "
    "Le Kremlin dénonce des sanctions illégales et promet de répondre."
)


def doc(doc_id: str, text: str, source: str | None = None) -> Document:
    return Document(doc_id=doc_id, text=text, source=source, published="2026-02-23")


def test_shingles_ignore_case_accents_and_punctuation():
    assert shingles("Le Kremlin a DÉNONCÉ, hier, des mesures.") == shingles("le kremlin a denonce hier des mesures")
    assert len(shingles("un deux trois")) == 0


def test_a_republished_story_is_a_duplicate_and_a_rewrite_is_not():
    index = DuplicateIndex()
    original, copy, other = doc("afp", WIRE), doc("parisien", REPUBLISHED), doc("monde", REWRITTEN)
    assert index.check(original) is None and len(index) == 1
    assert index.check(copy) == "afp" and copy.duplicate_of == "afp"
    assert index.check(other) is None and other.duplicate_of is None
    assert len(index) == 2  # duplicates are not indexed: a copy of a copy points to the original
    assert index.check(doc("afp", WIRE)) is None  # an article is never its own duplicate


def test_short_and_failed_documents_are_never_duplicates():
    index = DuplicateIndex()
    index.check(doc("a", "Le Kremlin dénonce des mesures illégitimes."))
    assert index.check(doc("b", "Le Kremlin dénonce des mesures illégitimes.")) is None
    failed = doc("c", WIRE)
    failed.status = "skipped:not-french"
    assert index.check(failed) is None and len(index) == 0


def test_index_from_stored_originals(db: str):
    store = Store(db)
    store.save(doc("afp", WIRE), [])
    stored_copy = doc("parisien", REPUBLISHED)
    stored_copy.duplicate_of = "afp"
    store.save(stored_copy, [])
    index = DuplicateIndex.from_store(store)
    assert len(index) == 1  # the stored copy is not an original
    assert index.check(doc("ouest", WIRE + " Mis à jour à 18 heures.")) == "afp"
    assert store.duplicates() == {"parisien": "afp"}
    store.close()


def test_pipeline_flags_a_republished_story_and_counts_it_once(tmp_path: Path, db: str):
    from veille.pipeline import run

    lines = [{"id": "afp", "text": WIRE, "published": "2026-02-23", "source": "AFP"},
             {"id": "parisien", "text": REPUBLISHED, "published": "2026-02-23", "source": "Le Parisien"},
             {"id": "monde", "text": REWRITTEN, "published": "2026-02-23", "source": "Le Monde"}]
    path = tmp_path / "wire.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    store = Store(db)
    run([str(path)], store)
    assert store.duplicates() == {"parisien": "afp"}
    stored = list(store.iter_events())
    assert any(e.doc_id == "parisien" for e in stored)  # its events are kept
    sources = {d["doc_id"]: d["source"] for d in store.documents()}
    for group in build_groups(stored, sources, store.duplicates()):
        docs = {e.doc_id for e in stored if e.group_id == group.group_id}
        assert group.num_articles == len({d if d != "parisien" else "afp" for d in docs})
    run([str(path)], store)  # unchanged on a second run
    assert store.duplicates() == {"parisien": "afp"}
    store.close()
