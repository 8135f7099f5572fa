"""The spaCy French pipeline: loaded once, run on the cleaned segments of a document."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from veille.models import Document

MODEL = "fr_core_news_md"
TERMINAL = {".", "!", "?", "…", "»", '"', ":", ";"}
ABBREVIATIONS = {"janv.", "fév.", "févr.", "avr.", "juil.", "sept.", "oct.", "nov.", "déc.", "M.", "MM.", "Mme.",
                 "Dr.", "St.", "av.", "env.", "cf.", "etc.", "n°.", "art.", "p.", "vol.", "Gén.", "Mgr."}


@Language.component("veille_sentence_hints")
def sentence_hints(doc: Doc) -> Doc:
    """Forbid sentence breaks the parser likes to make inside a sentence ('Selon Reuters, le ministre …'):
    no break after a token that cannot end a sentence, before a lower-case word or after a function word."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        joined = previous.text
        if previous.text == "." and token.i >= 2:
            joined = doc[token.i - 2].text + "."
        if joined in ABBREVIATIONS or (len(joined) == 2 and joined[0].isupper() and joined.endswith(".")) or (
                previous.text == "." and token.text[:1].isdigit()):
            token.is_sent_start = False  # '23 fév. 2026', 'M. Dupont', 'J. D. Vance'
            continue
        if previous.text in TERMINAL or previous.text.endswith(tuple(TERMINAL)):
            continue
        if (token.text[:1].islower() or token.is_punct or previous.text == ","
                or previous.pos_ in {"DET", "ADP", "CCONJ", "SCONJ", "VERB", "AUX"}):
            token.is_sent_start = False
    return doc


@cache
def load_nlp(model: str = MODEL) -> Language:
    import spacy

    nlp = spacy.load(model)
    nlp.add_pipe("veille_sentence_hints", before="parser")
    return nlp


@dataclass(slots=True)
class ParsedSentence:
    """A spaCy sentence and where it starts in the document text."""

    index: int
    span: Span
    offset: int  # character offset of the segment in the document text

    @property
    def start(self) -> int:
        return self.offset + self.span.start_char

    @property
    def end(self) -> int:
        return self.offset + self.span.end_char

    @property
    def text(self) -> str:
        return self.span.text


def parse_documents(
    docs: Iterable[Document], nlp: Language | None = None, batch_size: int = 32
) -> Iterator[tuple[Document, list[ParsedSentence]]]:
    """Parse every segment of every document in one ``nlp.pipe`` stream."""
    nlp = nlp or load_nlp()

    def segments() -> Iterator[tuple[str, tuple[int, int, int]]]:
        for doc_index, doc in enumerate(buffer):
            for seg_index, (start, end) in enumerate(doc.segments):
                yield doc.text[start:end], (doc_index, seg_index, start)

    buffer: list[Document] = []
    for doc in docs:
        buffer.append(doc)
        if len(buffer) >= batch_size:
            yield from _flush(buffer, nlp, segments)
            buffer = []
    if buffer:
        yield from _flush(buffer, nlp, segments)


def _flush(buffer, nlp, segments):  # type: ignore[no-untyped-def]
    parsed: dict[int, list[tuple[int, int, Doc]]] = {i: [] for i in range(len(buffer))}
    for spacy_doc, (doc_index, seg_index, start) in nlp.pipe(segments(), as_tuples=True):
        parsed[doc_index].append((seg_index, start, spacy_doc))
    for doc_index, doc in enumerate(buffer):
        sentences: list[ParsedSentence] = []
        for _, start, spacy_doc in sorted(parsed[doc_index], key=lambda item: item[0]):
            for sent in spacy_doc.sents:
                if sent.text.strip():
                    sentences.append(ParsedSentence(len(sentences), sent, start))
        yield doc, sentences


def parse_text(text: str, nlp: Language | None = None) -> list[ParsedSentence]:
    """One piece of text, for ``veille explain`` and tests."""
    nlp = nlp or load_nlp()
    spacy_doc = nlp(text)
    return [ParsedSentence(i, s, 0) for i, s in enumerate(spacy_doc.sents)]
