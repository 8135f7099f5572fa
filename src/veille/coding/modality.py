"""Modality of a predicate (asserted, negated, conditional, hypothetical, future, question).

A negated or hypothetical event is still an event; what changes is what the text commits to.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from veille.dictionaries import fold

NEGATORS = {"pas", "jamais", "plus", "guere", "nullement", "aucunement", "point"}
HYPOTHETICAL_GOVERNORS = {"pouvoir", "envisager", "risquer", "sembler", "paraitre", "songer", "souhaiter",
                          "esperer", "craindre", "vouloir"}
FUTURE_GOVERNORS = {"aller", "devoir"}
CONDITION_MARKERS = ("si ", "s'il", "s'ils", "a condition", "pourvu qu", "une fois", "sous reserve", "en echange de",
                     "avant de pouvoir", "tant que", "au cas ou", "dans le cas ou", "qu'une fois")
CONDITIONAL_ENDINGS = ("rait", "raient", "rais", "rions", "riez")
FUTURE_SUFFIXES = ("a", "ai", "as", "ons", "ez", "ont")


def _is_future(token: Token) -> bool:
    if "Fut" in token.morph.get("Tense"):
        return True
    text, lemma = fold(token.text), fold(token.lemma_)
    stem = lemma[:-1] if lemma.endswith("re") else lemma
    if len(stem) > 3 and text.startswith(stem):
        return text[len(stem) :] in FUTURE_SUFFIXES
    return False


def _has_conditional_form(token: Token) -> bool:
    return "Cnd" in token.morph.get("Mood") or (token.pos_ in {"VERB", "AUX"}
                                                 and fold(token.text).endswith(CONDITIONAL_ENDINGS))


def _is_conditional_mood(token: Token) -> bool:
    return _has_conditional_form(token) or any(c.dep_.startswith("aux") and _has_conditional_form(c)
                                               for c in token.children)


def _reported(token: Token, speech_lemmas: frozenset[str]) -> bool:
    """A conditional in reported speech is a future in the past ('a annoncé qu'il s'entretiendrait')."""
    current = token
    for _ in range(4):
        if current.dep_ in {"ccomp", "parataxis"} and fold(current.head.lemma_) in speech_lemmas:
            return True
        if current.head is current:
            return False
        current = current.head
    return False


def _negated(token: Token) -> bool:
    for child in token.children:
        if child.dep_ == "advmod" and fold(child.text) in NEGATORS:
            return True
        if child.dep_ == "mark" and fold(child.text) == "sans":
            return True
        if child.dep_ in {"obj", "nsubj", "obl:arg"} and any(
            fold(d.text) in {"aucun", "aucune", "nul", "nulle"} for d in child.children
        ):
            return True
    return False


def condition_of(token: Token) -> str | None:
    """The text of a 'si …', 'une fois …', 'à condition que …' clause attached to the predicate."""
    for child in token.children:
        if child.dep_ not in {"advcl", "obl:mod", "obl", "advmod", "ccomp"}:
            continue
        subtree = list(child.subtree)
        text = " ".join(t.text for t in subtree)
        key = fold(text)
        if key.startswith(CONDITION_MARKERS) or any(fold(t.text) in {"si", "s'"} and t.dep_ == "mark"
                                                    for t in child.children):
            return token.doc[subtree[0].i : subtree[-1].i + 1].text
    return None


def modality_of(token: Token, sent: Span, speech_lemmas: frozenset[str] = frozenset(),
                embedded: Token | None = None) -> tuple[str, str | None]:
    """Modality and condition text, looking at the predicate and the verbs that govern it."""
    chain = [token]
    head = token
    while head.dep_ in {"xcomp", "ccomp", "obl:arg", "obj"} and head.head is not head and len(chain) < 4:
        head = head.head
        chain.append(head)
        if head.pos_ == "VERB" and head.dep_ not in {"xcomp"}:
            break
    if any(_negated(t) for t in chain[:3]):
        return "negated", None
    for t in [*chain[:3], *([embedded] if embedded is not None else [])]:
        condition = condition_of(t)
        if condition:
            return "conditional", condition
    if sent.text.rstrip().endswith("?"):
        return "question", None
    for t in chain[1:]:
        lemma = fold(t.lemma_)
        if lemma in HYPOTHETICAL_GOVERNORS and (lemma != "pouvoir" or _is_conditional_mood(t) or _is_future(t)):
            return "hypothetical", None
        if lemma == "pouvoir":
            return "hypothetical", None
    if _is_conditional_mood(token) or (len(chain) > 1 and _is_conditional_mood(chain[1])):
        return ("future" if _reported(token, speech_lemmas) else "hypothetical"), None
    for t in chain[:2]:
        if _is_future(t) or any(c.dep_.startswith("aux") and _is_future(c) for c in t.children):
            return "future", None
    for t in chain[1:]:
        if fold(t.lemma_) in FUTURE_GOVERNORS and t.morph.get("Tense") != ["Past"] and (
                fold(t.lemma_) == "aller" or _is_future(t)):
            return "future", None
    return "asserted", None
