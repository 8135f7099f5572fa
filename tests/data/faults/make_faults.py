"""Build the fault corpus: every kind of bad input a news feed throws at veille, beside good French.

The small files live beside this script and are committed, so that a reader can open them; run
``python tests/data/faults/make_faults.py`` to rewrite them after changing a recipe here (the tests
check that the committed files are what the recipes make). The large ones (a 50 MB text and a
10,000-sentence article) are never committed: ``make_large(folder)`` writes them at test time.

``FAULTS`` says, for every file, the statuses of the documents veille must record from it (``LARGE``
the same for the two large files): tests/test_faults.py compares the database with these tables.
"""

from __future__ import annotations

import gzip
import json
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Sentences the coder turns into events; good documents are built from them so that "processed"
# can be checked as "has events", not only as "status ok".
EVENT_SENTENCES = (
    "Le Japon a condamné mardi le tir d'un missile balistique par la Corée du Nord.",
    "Le Canada a imposé lundi de nouvelles sanctions contre l'Iran, a annoncé Ottawa.",
    "La France a accusé la Russie de mener des cyberattaques contre ses hôpitaux.",
    "L'Allemagne a promis une aide de 500 millions d'euros à l'Ukraine.",
)
FRENCH = "\n\n".join(EVENT_SENTENCES)


@dataclass(frozen=True, slots=True)
class Fault:
    """One file of the corpus and what veille must record for it."""

    name: str
    statuses: tuple[str, ...]  # one per document read from the file (the pipeline may store them in any order)
    events: bool = False  # good French inside: at least one event must come out
    note: str = ""


def _zero_width_and_controls() -> str:
    zw = "\u200b\u200c\u200d\u2060\ufeff"
    return (f"\ufeffBulletin\x07 du jour{zw}\n\n"
            f"{EVENT_SENTENCES[0]}\u200b\x0c\n"
            f"\x1b[1m{EVENT_SENTENCES[1]}\x1b[0m\x0b\n"
            f"\u00adSuite\x7f{zw} : {EVENT_SENTENCES[2]}\x01\x02\x1f\r\n")


def _emoji() -> str:
    return (f"🇯🇵 {EVENT_SENTENCES[0]} 🚀💥\n\n"
            f"👩🏽‍💼 {EVENT_SENTENCES[1]} 👍🏿\n\n"
            "Réactions sur les réseaux : 😡😡😡 🙏 🏳️‍🌈 ❤️‍🔥\n")


def _rtl_in_french() -> str:
    return ("Le porte-parole a cité le slogan \u202bالشعب يريد السلام\u202c devant la presse.\n\n"
            f"\u200f{EVENT_SENTENCES[1]}\u200e\n\n"
            "Le quotidien \u2067הארץ\u2069 a repris l'information, selon le correspondant à \u202eTéhéran\u202c.\n\n"
            f"{EVENT_SENTENCES[0]}\n")


ARABIC = ("أعلنت الحكومة يوم الاثنين عن فرض عقوبات جديدة على إيران، وقال المتحدث باسم وزارة الخارجية إن "
          "القرار جاء بعد مشاورات مع الحلفاء في المنطقة.\n")
ENGLISH = ("The government of Canada announced new sanctions against Iran on Monday, officials said in Ottawa.\n\n"
           "Japan condemned on Tuesday the launch of a ballistic missile by North Korea, the foreign ministry said.\n")
GERMAN = ("Die Bundesregierung hat am Montag neue Sanktionen gegen den Iran angekündigt, teilte ein Sprecher mit.\n\n"
          "Japan verurteilte am Dienstag den Start einer ballistischen Rakete durch Nordkorea.\n")
RUSSIAN = ("Правительство Канады в понедельник объявило о новых санкциях против Ирана, сообщили в Оттаве.\n\n"
           "Япония во вторник осудила запуск баллистической ракеты Северной Кореей.\n")
GERMAN_FURNITURE = ("Startseite > Politik > Ausland\nAnmelden\nNewsletter abonnieren\n"
                    "Wir verwenden Cookies, um Ihnen das beste Nutzererlebnis auf unserer Website zu bieten.\n"
                    "Alle Akzeptieren\n\n{french}\n\n"
                    "Diesen Artikel teilen\nMehr zum Thema\n"
                    "Alle Rechte vorbehalten. Nachdruck nur mit ausdrücklicher Genehmigung der Redaktion.\n"
                    "Impressum | Datenschutz | Kontakt\n")
ARTICLE_HTML = ("<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><title>Missile nord-coréen</title>"
                "</head><body><nav><a href='/'>Accueil</a> | <a href='/monde'>Monde</a></nav><article>"
                "<h1>Missile nord-coréen : Tokyo proteste</h1>"
                + "".join(f"<p>{s} Les diplomates ont rappelé la position de leur pays devant la presse réunie "
                          f"dans la capitale.</p>" for s in EVENT_SENTENCES)
                + "</article><footer>Mentions légales</footer></body></html>")
SCRIPTS_HTML = ("<!DOCTYPE html><html><head><script src='/app.js'></script><script>window.__STATE__ = "
                "{\"article\": \"Le Japon a condamné la Corée du Nord.\"};</script><style>body{color:red}</style>"
                "</head><body><div id='root'></div><script>render(document.getElementById('root'));</script>"
                "<noscript></noscript></body></html>")


def _rss() -> str:
    items = [
        f"<item><title>Tokyo proteste</title><link>https://example.org/a1</link><guid>a1</guid>"
        f"<description>{EVENT_SENTENCES[0]} {EVENT_SENTENCES[3]}</description></item>",
        "<item><title>Sans contenu</title><link>https://example.org/a2</link><guid>a2</guid>"
        "<description></description></item>",
        f"<item><title>Sanctions</title><link>https://example.org/a3</link><guid>a3</guid>"
        f"<description><![CDATA[<p>{EVENT_SENTENCES[1]}</p><p>{EVENT_SENTENCES[2]}</p>]]></description></item>",
        # broken: an entity XML does not know, then an item cut short inside its title
        "<item><title>Entit&eacute; inconnue</title><link>https://example.org/a4</link><guid>a4</guid>"
        "<description>Un texte &nbsp; sans fin",
        "<item><title>Coupé",
    ]
    return ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Flux de test</title>"
            + "".join(items))


def _jsonl() -> str:
    lines = [
        json.dumps({"id": "jl-good", "text": FRENCH, "published": "2025-03-04", "source": "test"},
                   ensure_ascii=False),
        '{"id": "jl-broken", "text": "Le Japon a condamné',  # cut in the middle of a string
        json.dumps({"id": "jl-no-text", "title": "Titre sans texte", "published": "2025-03-04"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "jl-text-null", "text": None}),
        # U+2028, U+0085 and a form feed are legal raw inside a JSON string: the line must not be split there
        json.dumps({"id": "jl-separators", "text": f"{EVENT_SENTENCES[0]}\u2028{EVENT_SENTENCES[1]}\x85Fin."},
                   ensure_ascii=False),
        json.dumps({"id": "jl-odd-types", "text": EVENT_SENTENCES[2], "title": {"fr": "Titre"}, "published": 20250304,
                    "url": ["https://example.org"], "source": 12, "lang": None}),
        json.dumps({"id": "jl-html", "html": ARTICLE_HTML}, ensure_ascii=False),
        "[" * 20_000,  # valid JSON so far, nested deeper than Python's parser recurses
    ]
    return "\n".join(lines) + "\n"


def _long_sentence(length: int) -> str:
    """French words and actors, no punctuation at all: the sentence splitter finds no end."""
    phrase = ("le Japon a condamné la Corée du Nord puis le Canada a critiqué l'Iran tandis que les diplomates "
              "de la région et les observateurs du conflit attendaient que le gouvernement annonce des mesures "
              "car la France a accusé la Russie et ")
    text = phrase * (length // len(phrase) + 2)
    return text[: text.rfind(" ", 0, length + 1)]


def _png() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + bytes(random.Random(1).randrange(256) for _ in range(2048))


def _invalid_utf8() -> bytes:
    good = FRENCH.encode("utf-8")
    return good[:40] + b"\xff\xfe\xc3(" + good[40:] + b"\x80"


def _meta() -> bytes:
    """A meta.jsonl in cp1252 with a broken line, a nested one and badly typed fields: the folder's
    articles must still be read, and the good lines still used."""
    lines = [
        json.dumps({"file": "cp1252.txt", "doc_id": "cp1252-from-meta", "published": "2025-03-04",
                    "title": "Déclaration de l'Élysée"}, ensure_ascii=False),
        '{"file": "latin1.txt", "published": ',
        "[" * 20_000,
        json.dumps({"file": "utf16_bom.txt", "title": ["a", "list"], "published": 20250304, "source": {"x": 1}}),
    ]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


Recipe = bytes | str | Callable[[], bytes | str]
# name -> (recipe, expectation). Text is written as UTF-8.
RECIPES: dict[str, tuple[Recipe, Fault]] = {}


def _add(name: str, content: Recipe, *statuses: str, events: bool = False, note: str = "") -> None:
    RECIPES[name] = (content, Fault(name, statuses, events, note))


_add("empty.txt", b"", "skipped:empty", note="zero bytes")
_add("whitespace.txt", " \n\t\r\n   \n\u00a0\u2003\n", "skipped:empty", note="spaces, tabs and odd blanks only")
_add("image_named_txt.txt", _png, "error:binary", note="a PNG saved with a .txt name")
_add("gzip_named_html.html", lambda: gzip.compress(ARTICLE_HTML.encode("utf-8"), mtime=0), "error:binary",
     note="a compressed page saved without decompressing")
_add("invalid_utf8.txt", _invalid_utf8, "ok", events=True, note="UTF-8 with stray bytes")
_add("cp1252.txt", lambda: ("« L’Élysée » : " + FRENCH + " Coût : 5 €, œuvre.").encode("cp1252"), "ok",
     events=True, note="Windows-1252 French with curly quotes, € and œ")
_add("latin1.txt", lambda: ("L'Élysée déçu : " + FRENCH).encode("latin-1"), "ok", events=True,
     note="ISO-8859-1 French")
_add("utf16_bom.txt", lambda: FRENCH.encode("utf-16"), "ok", events=True, note="UTF-16 little endian with BOM")
_add("utf16_cut.txt", lambda: FRENCH.encode("utf-16")[:-1], "ok", events=True, note="UTF-16 cut at an odd byte")
_add("long_sentence.txt", lambda: _long_sentence(20_000), "ok",
     note="one 20,000-character sentence without punctuation")
_add("scripts_only.html", SCRIPTS_HTML, "skipped:empty", note="a JavaScript page with no article in its HTML")
_add("truncated.html", ARTICLE_HTML[: len(ARTICLE_HTML) * 2 // 3], "ok", events=True,
     note="a page cut in the middle of a paragraph")
# feedparser never sees the last, unterminated item; in a feed that does not parse, an empty entry is an error
_add("broken_feed.xml", _rss, "ok", "error:invalid-feed", "ok", "error:invalid-feed",
     events=True, note="RSS with an entity XML does not know and entries cut short")
_add("broken_lines.jsonl", _jsonl, "ok", "error:invalid-json", "error:missing-text", "error:invalid-json",
     "error:missing-text", "ok", "ok", "ok", "error:invalid-json", events=True,
     note="broken line, missing text, non-object, null text, raw line separators, odd field types, html, "
          "deep nesting")
_add("english.txt", ENGLISH, "skipped:not-french")
_add("german.txt", GERMAN, "skipped:not-french")
_add("russian.txt", RUSSIAN, "skipped:not-french")
_add("arabic_rtl.txt", ARABIC, "skipped:not-french", note="right-to-left text only")
_add("french_german_furniture.txt", GERMAN_FURNITURE.format(french=FRENCH), "ok", events=True,
     note="French article inside German page furniture")
_add("zero_width_controls.txt", _zero_width_and_controls, "ok", events=True,
     note="zero-width characters, BOM, soft hyphen, ANSI escapes, C0 controls, CRLF")
_add("emoji.txt", _emoji, "ok", events=True, note="flags, skin tones and ZWJ sequences")
_add("rtl_in_french.txt", _rtl_in_french, "ok", events=True,
     note="Arabic and Hebrew quotes with bidi embeddings, isolates, overrides and marks")
_add("meta.jsonl", _meta, note="folder metadata: cp1252, CRLF, broken and nested lines, odd types")
_add("nul_byte.txt", lambda: FRENCH.encode("utf-8").replace(b".", b".\x00", 1), "error:binary",
     note="a NUL byte makes a file binary")

FAULTS: dict[str, Fault] = {name: fault for name, (_, fault) in RECIPES.items()}

# Written at test time only.
LARGE: dict[str, Fault] = {
    "huge_50mb.txt": Fault("huge_50mb.txt", ("error:too-large",), note="50 MB of text, over ingest.MAX_BYTES"),
    "ten_thousand_sentences.txt": Fault("ten_thousand_sentences.txt", ("ok",), events=True,
                                        note="10,000 sentences, over clean.MAX_DOC_CHARS"),
}


def content_of(name: str) -> bytes:
    """The bytes of one file of the corpus."""
    recipe = RECIPES[name][0]
    value = recipe() if callable(recipe) else recipe
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


def make_small(folder: Path = HERE) -> list[Path]:
    """Write the committed part of the corpus (a few kilobytes)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in RECIPES:
        path = folder / name
        path.write_bytes(content_of(name))
        paths.append(path)
    return paths


def ten_thousand_sentences() -> str:
    """10,000 different French sentences in paragraphs of five, each a little event."""
    rng = random.Random(10_000)
    subjects = ("Le Japon", "Le Canada", "La France", "L'Allemagne", "Le Brésil", "L'Inde", "Le Kenya")
    verbs = ("a condamné", "a critiqué", "a salué", "a accusé")
    objects = ("la Corée du Nord", "l'Iran", "la Russie", "la Chine", "le Mali", "la Turquie", "l'Argentine")
    days = ("lundi", "mardi", "mercredi", "jeudi", "vendredi")
    sentences = [f"{rng.choice(subjects)} {rng.choice(verbs)} {rng.choice(days)} {rng.choice(objects)} "
                 f"au sujet de l'accord numéro {i}." for i in range(10_000)]
    return "\n\n".join(" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5)) + "\n"


def make_large(folder: Path) -> list[Path]:
    """Write the 50 MB text and the 10,000-sentence article into ``folder`` (never the repository)."""
    folder.mkdir(parents=True, exist_ok=True)
    huge = folder / "huge_50mb.txt"
    block = (FRENCH + "\n\n").encode("utf-8") * 2_000
    with huge.open("wb") as handle:
        while handle.tell() < 50_000_000:
            handle.write(block)
    article = folder / "ten_thousand_sentences.txt"
    article.write_text(ten_thousand_sentences(), encoding="utf-8")
    return [huge, article]


if __name__ == "__main__":
    written = make_small(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
    print(f"{len(written)} files written to {written[0].parent}")
