"""Cleaning keeps article prose, drops furniture and foreign lines, and never moves offsets."""

from __future__ import annotations

from veille.clean import clean_document, normalize
from veille.models import Document

ARTICLE = (
    "Le Kenya et l'Éthiopie signent un accord sur l'eau\n\n"
    "Transparenz: Redaktionell erstellt und geprüft.\n"
    "Veröffentlicht am\n\n"
    "Le Kenya et l'Éthiopie signent un accord sur l'eau\n\n"
    "Les deux pays ont signé mardi à Nairobi un accord de partage des eaux du lac Turkana, "
    "a annoncé le gouvernement kényan.\n"
    "Die Regierung in Berlin hat sich bisher nicht zu dem Abkommen geäußert, hieß es.\n"
    "Kommentare (0)\n"
    "Partager\n"
    "Lire aussi : La sécheresse frappe la Corne de l'Afrique\n"
)


def kept(doc: Document) -> list[str]:
    return [doc.text[s:e] for s, e in doc.segments]


def test_furniture_repeats_and_foreign_lines_are_dropped():
    doc = clean_document(Document(doc_id="x", text=ARTICLE))
    lines = kept(doc)
    assert doc.status == "ok"
    assert lines[0] == "Le Kenya et l'Éthiopie signent un accord sur l'eau"
    assert sum("signent un accord" in line for line in lines) == 1
    assert not any("Transparenz" in line or "Veröffentlicht" in line or "Kommentare" in line for line in lines)
    assert not any("Regierung" in line for line in lines)
    assert not any(line.startswith(("Partager", "Lire aussi")) for line in lines)


def test_offsets_point_into_the_original_text():
    text = "L’Iran a rejeté l’offre.\u00a0Téhéran a répondu.\u200b"
    doc = clean_document(Document(doc_id="x", text=text))
    assert len(doc.text) == len(text)
    for start, end in doc.segments:
        assert normalize(text[start:end]) == doc.text[start:end]


def test_non_french_and_empty_documents():
    english = "The United States and China agreed on Monday to resume trade talks in Geneva next month."
    assert clean_document(Document(doc_id="en", text=english)).status == "skipped:not-french"
    assert clean_document(Document(doc_id="e", text=" \n\t ")).status == "skipped:empty"
    german_only = "Kommentare (0)\nVeröffentlicht am\n"
    assert clean_document(Document(doc_id="g", text=german_only)).status == "skipped:empty"


def test_all_caps_short_headings_are_dropped_but_headlines_kept():
    text = "POLITIQUE\nLe Mali expulse l'ambassadeur de France\n\nBamako a ordonné mardi le départ du diplomate."
    lines = kept(clean_document(Document(doc_id="x", text=text)))
    assert "POLITIQUE" not in lines
    assert lines[0] == "Le Mali expulse l'ambassadeur de France"
