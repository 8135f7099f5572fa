"""Who said it and through which outlets: ``source.speaker`` and ``source.via``."""

from __future__ import annotations

from spacy.tokens import Span, Token

from veille.actors import SentenceActors
from veille.dictionaries import fold
from veille.models import Actor, Source


def _case_of(token: Token) -> str:
    return " ".join(fold(c.lemma_) for c in token.children if c.dep_ in {"case", "fixed"})


def speech_head(token: Token, speech_verbs: dict[str, str]) -> Token | None:
    """The verb of saying whose complement holds ``token`` (or which hangs off it, in quotes)."""
    current = token
    for _ in range(6):
        if (current.dep_ in {"ccomp", "parataxis", "xcomp", "advcl", "conj"} and current.head is not current
                and fold(current.head.lemma_) in speech_verbs and current.head.i != token.i):
            return current.head
        if current.head is current:
            break
        current = current.head
    root = token.sent.root if token.doc.has_annotation("DEP") else token
    for child in [*token.children, *root.children]:
        if (child.dep_ in {"parataxis", "ccomp", "advcl", "conj"} and fold(child.lemma_) in speech_verbs
                and child.i != token.i
                and any(c.dep_ in {"nsubj", "obj"} or c.pos_ == "PROPN" for c in child.children)):
            return child
    return None


def _speaker_token(verb: Token) -> Token | None:
    before = {t.text for t in verb.doc[max(verb.sent.start, verb.i - 3) : verb.i]}
    if before & {'"', "»", ","}:  # '« … », a déclaré Trump': the subject follows the verb
        for child in verb.children:
            if child.i > verb.i and (child.dep_ in {"nsubj", "obj"} or child.pos_ == "PROPN"):
                return child
    for child in verb.children:
        if child.dep_ in {"nsubj", "nsubj:pass"}:
            return child
    # inverted subject after a quote is often parsed as an object: '… », a averti la cheffe …'
    for child in verb.children:
        if child.dep_ == "obj" and child.i > verb.i:
            return child
    return None


def _left_actor_token(verb: Token, sent: Span, actors: SentenceActors) -> Token | None:
    """No subject in the parse: the first actor before the speech verb outside a prepositional phrase."""
    for tok in sent:
        if tok.i >= verb.i:
            break
        mention = actors.mention_at(tok)
        if mention and mention.entry.kind != "media" and not any(c.dep_ == "case" for c in tok.children):
            return tok
    return None


def source_of(token: Token, sent: Span, actors: SentenceActors, speech_verbs: dict[str, str]) -> tuple[
        Source, Actor | None]:
    """Speaker code and outlets for the event at ``token``; also returns the speaker actor."""
    via: list[str] = []
    speaker: Actor | None = None
    for tok in sent:
        if tok.pos_ in {"PROPN", "NOUN", "X"} and _case_of(tok) == "selon":
            mention = actors.mention_at(tok)
            inner = [c for c in tok.subtree if c.i != tok.i and actors.is_media(c)]
            if mention and mention.entry.kind == "media":
                via.append(mention.text)
            elif inner:  # 'selon des sources de Bloomberg', 'selon les rapports de fr.de'
                via.append(actors.mention_at(inner[0]).text)  # type: ignore[union-attr]
            else:
                found = actors.actor_for(tok)
                if found and speaker is None:
                    speaker = found
        if fold(tok.lemma_) == "citer" and tok.dep_ in {"advcl", "acl", "xcomp", "conj"}:
            for child in tok.children:
                if child.dep_ == "obj" and actors.is_media(child):
                    via.append(actors.mention_at(child).text)  # type: ignore[union-attr]
    head = speech_head(token, speech_verbs)
    if head is not None:
        subject = _speaker_token(head) or _left_actor_token(head, sent, actors)
        if subject is not None:
            if actors.is_media(subject):
                via.append(actors.mention_at(subject).text)  # type: ignore[union-attr]
            else:
                speaker = actors.actor_for(subject) or speaker
        for child in head.children:  # 'a déclaré à CNN' (sometimes parsed as xcomp or nmod)
            if (child.dep_.startswith(("obl", "iobj", "xcomp", "nmod")) and _case_of(child) in {"a", "à"}
                    and actors.is_media(child)):
                via.append(actors.mention_at(child).text)  # type: ignore[union-attr]
    ordered = list(dict.fromkeys(via))
    return Source(speaker=speaker.code if speaker else None, via=ordered), speaker


def self_report(source: Source, actor1_code: str | None, quoted: bool = False) -> Source:
    """An actor reporting its own action in indirect speech is not attributed to a third party; a quotation
    or a cited outlet keeps the speaker."""
    if source.speaker and source.speaker == actor1_code and not source.via and not quoted:
        return Source(speaker=None, via=[])
    return source


def inside_quotes(token: Token) -> bool:
    """Whether the token stands inside a quotation opened earlier in its sentence."""
    depth = 0
    for tok in token.sent:
        if tok.i >= token.i:
            break
        if tok.text == "«":
            depth += 1
        elif tok.text == "»":
            depth = max(0, depth - 1)
        elif tok.text == '"':
            depth = 0 if depth else 1
    return depth > 0
