"""Cleaning before NLP: decide which parts of the text are article prose.

Cleaning never rewrites the text; it keeps a list of (start, end) segments of the original, so
that every sentence and evidence span found later points into what the user gave. Character
normalisation is one-for-one (same length) for the same reason.
"""

from __future__ import annotations

import re
from functools import cache

from veille.dictionaries import read_tsv
from veille.models import Document

# One-for-one replacements: the text keeps its length, offsets stay valid.
CHAR_MAP = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u200b": " ",
        "\u200c": " ",
        "\u200d": " ",
        "\ufeff": " ",
        "\u2028": "\n",
        "\u2029": "\n",
        "\t": " ",
        "\r": "\n",
    }
)
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MIN_WORDS_FOR_LANGID = 6
MAX_SEGMENT_CHARS = 5_000
# About 15,000 words, several times the longest news article. Analysis runs at some 10,000 characters a
# second, so a book or a site dump given as one document (10,000 sentences: 65 s) is cut, with a reason.
MAX_DOC_CHARS = 100_000


@cache
def furniture_patterns() -> tuple[re.Pattern[str], ...]:
    patterns = []
    for row in read_tsv("lexicon/furniture.tsv"):
        flags = 0 if "case-sensitive" in row.get("note", "") else re.IGNORECASE
        patterns.append(re.compile(row["pattern"], flags))
    return tuple(patterns)


def normalize(text: str) -> str:
    """Same-length normalisation: typographic apostrophes, odd spaces, control characters."""
    return CONTROL_RE.sub(" ", text.translate(CHAR_MAP))


def detect_language(text: str) -> tuple[str, float]:
    import py3langid

    lang, score = py3langid.classify(text)
    return str(lang), float(score)


def is_furniture(line: str) -> bool:
    stripped = line.strip()
    return any(p.search(stripped) for p in furniture_patterns())


def _is_caps_heading(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    words = line.split()
    return bool(letters) and len(words) <= 8 and sum(c.isupper() for c in letters) / len(letters) > 0.8


def _line_key(line: str) -> str:
    return re.sub(r"\W+", " ", line.lower()).strip()


def _split_long(start: int, end: int, text: str) -> list[tuple[int, int]]:
    """Cut very long blocks at spaces so that spaCy never sees an unbounded string."""
    pieces = []
    while end - start > MAX_SEGMENT_CHARS:
        cut = text.rfind(". ", start, start + MAX_SEGMENT_CHARS)
        if cut <= start:
            cut = text.rfind(" ", start, start + MAX_SEGMENT_CHARS)
        cut = cut + 1 if cut > start else start + MAX_SEGMENT_CHARS
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def clean_document(doc: Document, lang: str = "fr") -> Document:
    """Fill ``doc.segments`` and set the status for empty or non-French documents."""
    if doc.status != "ok":
        return doc
    if len(doc.text) > MAX_DOC_CHARS:
        cut = doc.text.rfind("\n", MAX_DOC_CHARS // 2, MAX_DOC_CHARS)  # at a line end: no half sentence
        cut = cut if cut > 0 else MAX_DOC_CHARS
        doc.reason = "; ".join(filter(None, [doc.reason, f"text cut to the first {cut} characters of {len(doc.text)}"]))
        doc.text = doc.text[:cut]
    text = normalize(doc.text)
    doc.text = text
    if not text.strip():
        doc.status, doc.reason = "skipped:empty", "no text"
        return doc
    segments: list[tuple[int, int]] = []
    seen: set[str] = set()
    foreign = 0
    pos = 0
    for raw_line in text.split("\n"):
        start, end = pos, pos + len(raw_line)
        pos = end + 1
        line = raw_line.strip()
        if not line:
            continue
        start += len(raw_line) - len(raw_line.lstrip())
        end = start + len(line)
        if is_furniture(line):
            continue
        key = _line_key(line)
        if key in seen and len(key) < 300:
            continue  # a headline or paragraph repeated verbatim
        seen.add(key)
        if _is_caps_heading(line) and len(line.split()) <= 3:
            continue
        if len(line.split()) >= MIN_WORDS_FOR_LANGID:
            line_lang, _ = detect_language(line)
            if line_lang != lang:
                foreign += 1
                continue
        segments.extend(_split_long(start, end, text))
    if not segments:
        doc.status = "skipped:empty" if not foreign else "skipped:not-french"
        doc.reason = "nothing left after cleaning" if not foreign else f"no {lang} text found"
        return doc
    kept = " ".join(text[s:e] for s, e in segments)
    doc_lang, _ = detect_language(kept[:5000])
    doc.lang = doc.lang or doc_lang
    if doc_lang != lang and len(kept.split()) >= MIN_WORDS_FOR_LANGID:
        doc.status, doc.reason = "skipped:not-french", f"language detected: {doc_lang}"
        doc.segments = []
        return doc
    doc.segments = segments
    return doc
