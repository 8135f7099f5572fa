"""Properties of cleaning and offsets, for arbitrary input (hypothesis).

Evidence is only worth something if its offsets point at what it quotes: normalisation keeps the
length, cleaning keeps segments inside the text, and every event's spans read back as its evidence
and trigger, whatever odd characters the text carries. Example counts stay modest for CI (2 cores).
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from veille.clean import CONTROL_RE, MAX_DOC_CHARS, MAX_SEGMENT_CHARS, clean_document, normalize
from veille.models import Document
from veille.pipeline import process

ODD = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u200f", "\u202a", "\u202b",
       "\u202c", "\u202e", "\u2066", "\u2067", "\u2069", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\r", "\r\n",
       "\n", "\n\n", "\t", "\x00", "\x07", "\x1b[1m", "\x7f", "\u00a0", "\u202f", "\u2009", "’", "‘", "ʼ", "🇫🇷",
       "👩🏽‍💼", "❤️‍🔥", "😀", "e\u0301", "\u0308", "الشعب", "הארץ", "北京", "Ⅻ", "ﬁ", "\U0010fffd"]
WORDS = ["le", "la", "Japon", "France", "a", "condamné", "l'Iran", "Corée", "du", "Nord", "mardi", "accord", "et",
         "Partager", "Lire aussi :", "Kommentare (0)", "POLITIQUE", "Die Regierung hat sich nicht geäußert"]
ACTORS = ["le Japon", "la France", "l'Iran", "la Corée du Nord", "le Canada", "la Russie", "l'Allemagne",
          "la Chine", "le Mali", "Israël", "la Turquie", "les États-Unis"]
VERBS = ["a condamné", "a critiqué", "a accusé", "a menacé", "a salué", "a félicité", "a soutenu", "a sanctionné"]
WHEN = ["", "mardi ", "lundi soir ", "le 3 mars ", "hier "]
NOISE = [" ", "\n", "\n\n", "\r\n", "\u00a0", "\u200b", "\ufeff", "\u2028", "🇯🇵 ", " 💥", "\x07", "\x0c",
         "\u200f", "\u202bالسلام\u202c ", "Partager\n", "Lire aussi : la crise\n", "Startseite > Politik\n",
         "Alle Rechte vorbehalten. Nachdruck nur mit Genehmigung der Redaktion.\n", "\t", "   "]

pieces = st.one_of(
    st.text(max_size=40),  # any code point but surrogates
    st.sampled_from(ODD),
    st.sampled_from(WORDS).map(lambda w: w + " "),
    st.integers(min_value=1_000, max_value=1_600).map(lambda n: "la France et " * n),  # lines over a segment
)
noisy_text = st.lists(pieces, max_size=30).map("".join)


@given(st.one_of(st.text(), noisy_text))
@settings(max_examples=300, deadline=None)
def test_normalize_keeps_the_length(text: str):
    normal = normalize(text)
    assert len(normal) == len(text)
    assert normalize(normal) == normal
    assert not CONTROL_RE.search(normal) and "\r" not in normal and "\t" not in normal


@given(noisy_text)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_segments_lie_within_the_text(text: str):
    doc = clean_document(Document(doc_id="p", text=text))
    if len(text) <= MAX_DOC_CHARS:
        assert doc.text == normalize(text)
    else:  # cut, at a line end when there is one
        assert len(doc.text) <= MAX_DOC_CHARS and normalize(text).startswith(doc.text)
    assert doc.status in {"ok", "skipped:empty", "skipped:not-french"}
    assert doc.segments or doc.status != "ok"
    event(f"status {doc.status}")
    previous_end = 0
    for start, end in doc.segments:
        assert previous_end <= start < end <= len(doc.text)
        assert normalize(text[start:end]) == doc.text[start:end]
        assert "\n" not in doc.text[start:end] and end - start <= MAX_SEGMENT_CHARS
        previous_end = end


def _sentence(actor1: str, verb: str, when: str, actor2: str, curly: bool) -> str:
    text = f"{actor1[0].upper()}{actor1[1:]} {verb} {when}{actor2}."
    return text.replace("'", "’") if curly else text


sentences = st.builds(_sentence, st.sampled_from(ACTORS), st.sampled_from(VERBS), st.sampled_from(WHEN),
                      st.sampled_from(ACTORS), st.booleans())
articles = st.lists(st.tuples(st.lists(st.sampled_from(NOISE), max_size=3).map("".join), sentences),
                    min_size=1, max_size=6).map(lambda parts: "".join(noise + s for noise, s in parts))


@given(articles)
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_event_spans_point_at_their_evidence(nlp: Any, text: str):
    [(doc, events)] = list(process([Document(doc_id="p", text=text)], nlp))
    event(f"status {doc.status}, {'some' if events else 'no'} events")
    for ev in events:
        start, end = ev.evidence_span
        assert doc.text[start:end] == ev.evidence
        assert normalize(text[start:end]) == ev.evidence  # the offsets hold in what the user gave too
        assert ev.trigger_span is not None
        t_start, t_end = ev.trigger_span
        assert start <= t_start < t_end <= end
        assert doc.text[t_start:t_end] == ev.trigger.split(" … ")[0]
        for actor in (ev.actor1, ev.actor2):
            if actor is not None and actor.span is not None:
                assert 0 <= actor.span[0] < actor.span[1] <= len(doc.text)
