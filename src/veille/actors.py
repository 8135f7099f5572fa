"""Actors: who is named in a sentence, and which CAMEO actor code each noun phrase stands for.

Two layers. The lexicon (data files under ``data/actors``) finds names: countries, demonyms,
capitals and seats of power, organisations, media, people, role nouns. The resolver reads the
dependency parse around a noun phrase to compose a code: a role noun with a demonym or a ``de``
complement ("le ministre russe", "le porte-parole du Kremlin"), appositions that name a person,
coordinations ("la France et l'Allemagne"), and pronouns resolved to the last compatible actor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from spacy.tokens import Span, Token

from veille.dictionaries import fold, read_tsv, split_list
from veille.models import Actor
from veille.ontology import country_codes

NON_STATE = {"EUR", "UNO", "NAT", "WST", "IGO", "IAE", "AFU", "OPC", "ICC", "IMF"}
PRONOUNS = {"il", "elle", "ils", "elles", "lui", "leur", "celui-ci", "celle-ci", "ceux-ci", "celles-ci"}
ARTICLES = {"le", "la", "les", "l'", "l", "un", "une", "des", "du", "de", "d'"}
COUNTRY_NOUNS = {"pays", "etat", "nation", "royaume", "republique", "federation"}


@dataclass(frozen=True, slots=True)
class Entry:
    """One lexicon entry; ``kind``: state, population, metonym, organisation, media, person, role."""

    code: str
    country: str | None
    name: str
    kind: str
    rule: str
    role: str | None = None
    title: str | None = None
    start: str | None = None
    end: str | None = None


@dataclass(slots=True)
class Lexicon:
    phrases: dict[tuple[str, ...], list[Entry]] = field(default_factory=dict)
    adjectives: dict[str, str] = field(default_factory=dict)
    prefixes: dict[str, str] = field(default_factory=dict)
    caps_only: set[tuple[str, ...]] = field(default_factory=set)
    max_len: int = 1

    def add_form(self, form: str, entry: Entry) -> None:
        """Index a form, its spaced variant ('Royaume Uni'), and mark short acronyms as case-sensitive."""
        variants = {form}
        if "-" in form:
            variants.add(form.replace("-", " "))
        for variant in variants:
            tokens = tokenize_form(variant)
            if len(tokens) == 1 and variant.isupper() and len(variant) <= 3:
                self.caps_only.add(tokens)
            self.add(tokens, entry)

    def add(self, tokens: tuple[str, ...], entry: Entry) -> None:
        if not tokens:
            return
        bucket = self.phrases.setdefault(tokens, [])
        if entry not in bucket:
            bucket.append(entry)
        self.max_len = max(self.max_len, len(tokens))


def tokenize_form(form: str) -> tuple[str, ...]:
    """Split a dictionary form the way spaCy's French tokenizer splits running text."""
    from veille.nlp import load_nlp

    tokens = [fold(t.text) for t in load_nlp().tokenizer(form.strip())]
    while tokens and tokens[0] in ARTICLES and len(tokens) > 1:
        tokens = tokens[1:]
    return tuple(t for t in tokens if t)


def _role_of(code: str) -> str | None:
    return code[3:6] if len(code) >= 6 else None


def _plural_capitalised(adjective: str) -> str | None:
    """'russes' -> 'Russes', 'burkinabè' -> 'Burkinabè': population nouns derived from demonyms."""
    if (adjective.endswith(("s", "x", "è", "é")) or adjective.endswith("be")) and " " not in adjective:
        return adjective[:1].upper() + adjective[1:]
    return None


@cache
def load_lexicon() -> Lexicon:
    lex = Lexicon()
    for row in read_tsv("actors/countries.tsv"):
        code = row["code"]
        for name in [row["name"], *split_list(row["names"])]:
            lex.add_form(name, Entry(code, code, row["name"], "state", f"country:{code}"))
        for adj in split_list(row["adjectives"]):
            lex.adjectives[fold(adj)] = code
            population = _plural_capitalised(adj)
            if population:
                rule = f"population:{code}"
                lex.add_form(population, Entry(code, code, row["name"], "population", rule))
        for prefix in split_list(row["prefixes"]):
            lex.prefixes[fold(prefix)] = code
    for row in read_tsv("actors/bloc_adjectives.tsv"):
        lex.adjectives[fold(row["form"])] = row["code"]
        population = _plural_capitalised(row["form"])
        if population:  # 'les Européens', 'les Occidentaux'
            lex.add_form(population, Entry(row["code"], row["code"], row["form"], "population",
                                           f"population:{row['code']}"))
    for row in read_tsv("actors/metonyms.tsv"):
        code = row["code"]
        entry = Entry(code, code[:3], row["form"], "metonym", f"metonym:{fold(row['form'])}", _role_of(code))
        lex.add_form(row["form"], entry)
    for row in read_tsv("actors/organisations.tsv"):
        forms = split_list(row["forms"])
        name = row["name"] or (forms[0] if forms else "")
        code = row["code"]
        entry = Entry(code, row["country"] or code[:3], name, "organisation", f"org:{code}:{fold(name)}",
                      _role_of(code), row["kind"])
        for form in forms:
            lex.add_form(form, entry)
    for row in read_tsv("actors/media.tsv"):
        forms = split_list(row["forms"])
        name = row["name"] or forms[0]
        entry = Entry("MED", row["country"] or None, name, "media", f"media:{fold(name)}", "MED")
        for form in forms:
            lex.add_form(form, entry)
    for row in read_tsv("actors/people.tsv"):
        names = split_list(row["names"])
        if not names:
            continue
        code = row["code"]
        entry = Entry(code, row["country"] or code[:3], names[0], "person", f"person:{fold(names[0])}",
                      row["role"] or _role_of(code), row["title"] or None, row["start"] or None,
                      row["end"] or None)
        for name in names:
            lex.add_form(name, entry)
    for row in read_tsv("lexicon/places.tsv"):
        # seas, regions, landmarks: 'la mer de Chine méridionale' names a place, not China
        if " " in row["name"].strip():
            country = row.get("country", "").strip()
            if country and row.get("kind", "region") == "region":  # 'la bande de Gaza' stands for its territory
                lex.add_form(row["name"], Entry(country, country, row["name"], "state", f"place:{fold(row['name'])}"))
            else:
                lex.add_form(row["name"], Entry("", None, row["name"], "place", f"place:{fold(row['name'])}"))
    for row in read_tsv("actors/roles.tsv"):
        for form in split_list(row["forms"]):
            entry = Entry(row["role"], None, form, "role", f"role:{fold(form)}", row["role"], form)
            lex.add_form(form, entry)
    return lex


@cache
def city_countries() -> dict[str, str]:
    """Folded city name -> country code, from the offline gazetteer (cities are places, not actors)."""
    table: dict[str, str] = {}
    for row in read_tsv("lexicon/gazetteer.tsv"):
        if row.get("name_fr") and row.get("country"):
            table.setdefault(fold(row["name_fr"]), row["country"])
    return table


def _entry_valid_on(entry: Entry, date: str | None) -> bool:
    if not date or entry.kind != "person":
        return True
    return (not entry.start or entry.start <= date) and (not entry.end or date <= entry.end)


@dataclass(slots=True)
class Mention:
    """A lexicon match in a sentence: token range and the chosen entry."""

    start: int  # token index in the spaCy doc
    end: int
    entry: Entry
    text: str
    char_start: int
    char_end: int


def find_mentions(sent: Span, lex: Lexicon | None = None, date: str | None = None) -> list[Mention]:
    """Greedy longest matches of lexicon phrases over the sentence tokens."""
    lex = lex or load_lexicon()
    tokens = list(sent)
    folded = [fold(t.text) for t in tokens]
    mentions: list[Mention] = []
    i = 0
    while i < len(tokens):
        found = None
        for length in range(min(lex.max_len, len(tokens) - i), 0, -1):
            key = tuple(folded[i : i + length])
            entries = lex.phrases.get(key)
            if not entries:
                continue
            entries = [e for e in entries if _entry_valid_on(e, date)] or entries
            if length == 1 and not _single_token_ok(tokens[i], entries[0]):
                continue
            if key in lex.caps_only and not tokens[i].text.isupper():
                continue
            found = (length, _prefer(entries))
            break
        if found:
            length, entry = found
            first, last = tokens[i], tokens[i + length - 1]
            mentions.append(
                Mention(first.i, last.i + 1, entry, sent.doc[first.i : last.i + 1].text, first.idx,
                        last.idx + len(last.text))
            )
            i += length
        else:
            i += 1
    return mentions


def _prefer(entries: list[Entry]) -> Entry:
    """Kind order, then the most recent office for people (undated text is most often current news)."""
    order = {"person": 0, "organisation": 1, "media": 2, "state": 3, "metonym": 4, "population": 5, "role": 6,
             "place": 7}
    return sorted(entries, key=lambda e: (order.get(e.kind, 9), e.end is not None, "".join(
        chr(0x10FFFF - ord(c)) for c in (e.start or ""))))[0]


def _single_token_ok(token: Token, entry: Entry) -> bool:
    """Guards for one-word matches that are also common words ('Nice', 'Chine' are fine, 'US' is not)."""
    text = token.text
    if entry.kind == "population":
        return text[:1].isupper()
    if entry.kind in {"state", "metonym", "organisation", "media", "person"}:
        if text.isupper() and len(text) <= 3 and entry.kind == "state" and text in {"US", "EU"}:
            return token.i > 0 and token.doc[token.i - 1].lower_ in {"les", "des", "aux"}
        if entry.kind == "media" and "." in text:
            return True  # outlets named by their site: 'fr.de', 'krone.at'
        return text[:1].isupper() or text[:1].isdigit()
    return True


def adjective_countries(token: Token, lex: Lexicon | None = None) -> list[str]:
    """Countries named by a demonym adjective, including compounds ('russo-américains')."""
    lex = lex or load_lexicon()
    text = fold(token.text)
    codes: list[str] = []
    doc = token.doc
    if text in lex.prefixes and token.i + 2 < len(doc) and doc[token.i + 1].text == "-":
        following = fold(doc[token.i + 2].text)  # 'russo', '-', 'américains'
        if following in lex.adjectives:
            return list(dict.fromkeys([lex.prefixes[text], lex.adjectives[following]]))
    if text in lex.adjectives:
        codes.append(lex.adjectives[text])
    elif "-" in text:
        for part in text.split("-"):
            code = lex.prefixes.get(part) or lex.adjectives.get(part)
            if code:
                codes.append(code)
    # spaCy sometimes splits 'russo-américains' into 'russo', '-', 'américains'
    j = token.i - 1
    while j >= 1 and doc[j].text == "-" and fold(doc[j - 1].text) in lex.prefixes:
        codes.insert(0, lex.prefixes[fold(doc[j - 1].text)])
        j -= 2
    return list(dict.fromkeys(codes))


def compose_code(country: str | None, role: str | None) -> str | None:
    if not country:
        return None
    if not role or country in NON_STATE or country not in country_codes():
        return country
    return country + role


DATELINE_RE = re.compile(r"^\s*[A-ZÀ-Ý][A-ZÀ-Ý' .-]+(?:\([^)]*\))?,[^-–—]{0,40}?\([^)]{2,30}\)\s*[-–—]\s*")


def dateline_end(sent: Span) -> int:
    """End offset (in the segment) of a wire dateline ('VIENNE, 22 août 2025 (AFP) - '): its city is not an actor."""
    match = DATELINE_RE.match(sent.text)
    return sent.start_char + match.end() if match else -1


class SentenceActors:
    """Resolves noun phrases of one sentence to actors; remembers actors for later pronouns."""

    def __init__(self, sent: Span, offset: int, context: DocumentContext, date: str | None = None):
        self.sent = sent
        self.offset = offset
        self.context = context
        self.lex = load_lexicon()
        self.mentions = [m for m in find_mentions(sent, self.lex, date) if m.char_start >= dateline_end(sent)]
        self.by_token: dict[int, Mention] = {}
        for m in self.mentions:
            for i in range(m.start, m.end):
                self.by_token[i] = m
            if m.entry.kind not in {"role", "media", "place"}:
                context.remember(self._from_entry(m))

    # -- building blocks -------------------------------------------------------------
    def _span(self, start_char: int, end_char: int) -> tuple[int, int]:
        return (self.offset + start_char, self.offset + end_char)

    def _from_entry(self, m: Mention) -> Actor:
        e = m.entry
        if e.kind == "media":
            return Actor(text=m.text, name=e.name, code="MED" if not e.country else f"{e.country}MED",
                         country=e.country, role="MED", kind="media", span=self._span(m.char_start, m.char_end),
                         rule=e.rule)
        kind = {"state": "state", "population": "state", "metonym": "state", "person": "person"}.get(
            e.kind, "organisation")
        return Actor(text=m.text, name=e.name, code=e.code, country=e.country, role=e.role, kind=kind,
                     span=self._span(m.char_start, m.char_end), rule=e.rule, title=e.title)

    def mention_at(self, token: Token) -> Mention | None:
        return self.by_token.get(token.i)

    def is_media(self, token: Token) -> bool:
        m = self.mention_at(token)
        return bool(m and m.entry.kind == "media")

    # -- resolution ------------------------------------------------------------------
    def actors_for(self, token: Token, depth: int = 0) -> list[Actor]:
        """Actors for the phrase headed by ``token``, one per coordinated member."""
        first = self.actor_for(token, depth)
        result = [first] if first else []
        mention = self.mention_at(token)
        span_tokens = [token]
        if mention:
            span_tokens += [self.sent.doc[i] for i in range(mention.start, mention.end) if i != token.i]
        for tok in span_tokens:
            for child in tok.children:
                if child.dep_ == "conj" and any(c.dep_ == "cc" for c in child.children) and child.i > token.i:
                    result.extend(a for a in self.actors_for(child, depth + 1) if a)
        if first and mention and mention.entry.kind == "role":
            # 'les délégations russe et ukrainienne': one actor per coordinated demonym
            for child in token.children:
                if child.dep_ == "amod":
                    for conj in child.children:
                        if conj.dep_ == "conj":
                            for code in adjective_countries(conj, self.lex):
                                result.append(Actor(text=conj.text, name=code, code=compose_code(code, first.role)
                                                    or code, country=code, role=first.role, kind=first.kind,
                                                    span=first.span, rule="coordinated-demonym"))
        return result

    def actor_for(self, token: Token, depth: int = 0) -> Actor | None:
        if depth > 4:
            return None
        mention = self.mention_at(token)
        if mention and mention.entry.kind == "place":
            return None
        if mention and mention.entry.kind != "role":
            actor = self._from_entry(mention)
            if actor.kind == "person":
                self.context.remember(actor)
                return actor
            if mention.entry.kind in {"state", "population"}:
                role_child = self._role_in_children(token)
                if role_child:
                    actor.code = compose_code(actor.country, role_child) or actor.code
            self.context.remember(actor)
            return actor
        if mention and mention.entry.kind == "role":
            actor = self._resolve_role(token, mention, depth)
            if actor:
                self.context.remember(actor)
            return actor
        if token.pos_ == "PRON" and token.lower_ in PRONOUNS:
            antecedent = self.context.last(before=self.offset + token.idx)
            if antecedent:
                antecedent.text = token.text
                antecedent.span = self._span(token.idx, token.idx + len(token.text))
            return antecedent
        if token.pos_ == "PROPN":
            return self._unknown_person(token, depth)
        if fold(token.lemma_) in COUNTRY_NOUNS and any(fold(c.text) in {"le", "la", "l'"} for c in token.children):
            last = self.context.last_state()
            return last
        return None

    def _role_in_children(self, token: Token) -> str | None:
        for child in token.children:
            m = self.mention_at(child)
            if m and m.entry.kind == "role" and child.dep_ in {"amod", "nmod", "appos"}:
                return m.entry.role
        return None

    def _country_from_modifiers(self, head: Token, mention: Mention, depth: int) -> Actor | None:
        """A demonym, a 'de X' complement or a compound adjective on the role phrase."""
        tokens = [head] + [self.sent.doc[i] for i in range(mention.start, mention.end) if i != head.i]
        for tok in tokens:
            for child in tok.children:
                if child.dep_ in {"amod", "nmod", "flat:name"} and child.pos_ in {"ADJ", "NOUN", "PROPN", "VERB"}:
                    codes = adjective_countries(child, self.lex)
                    if codes:
                        return Actor(text=child.text, name=codes[0], code=codes[0], country=codes[0],
                                     kind="state", rule="adjective")
        for tok in tokens:
            for child in tok.children:
                if child.dep_.startswith("nmod") and child.i not in range(mention.start, mention.end):
                    inner = self.actor_for(child, depth + 1)
                    if inner and inner.kind != "media":
                        return inner
        return None

    def _resolve_role(self, token: Token, mention: Mention, depth: int) -> Actor | None:
        role = mention.entry.role
        person = self._person_near(token)
        if person and person.kind == "person" and person.country and (person.rule or "").startswith("person:"):
            person.title = person.title or mention.text
            return person
        source = self._country_from_modifiers(token, mention, depth)
        if source is None and person is None:
            return self.context.last_with_role(role)
        country = source.country if source else None
        if source is not None and source.kind == "organisation" and source.code not in NON_STATE:
            country = source.country
        code = compose_code(country, role)
        if code is None:
            return self.context.last_with_role(role) if person is None else None
        name = person.name if person else (f"{mention.text} ({source.name})" if source else mention.text)
        start = min(token.left_edge.idx, mention.char_start)
        text_end = max(mention.char_end, source.span[1] - self.offset if source and source.span else 0)
        return Actor(text=self.sent.doc.text[start:text_end] if text_end > start else mention.text, name=name,
                     code=code, country=country, role=role if code != country else None,
                     kind="person" if person else ("group" if role in {"MIL", "BUS", "COP", "REB"} else "person"),
                     span=self._span(start, text_end) if text_end > start else None,
                     rule=f"{mention.entry.rule}+{source.rule if source else 'apposition'}",
                     title=mention.text)

    def _person_near(self, token: Token) -> Actor | None:
        """A named person in apposition to a role noun ('le porte-parole du Kremlin, Dmitri Peskov')."""
        for child in token.children:
            if child.dep_ in {"appos", "conj", "flat:name", "nmod"} and child.pos_ == "PROPN":
                if child.dep_ == "conj" and any(c.dep_ == "cc" for c in child.children):
                    continue
                m = self.mention_at(child)
                if m and m.entry.kind == "person":
                    return self._from_entry(m)
                if m is None and child.ent_type_ == "PER":
                    name = " ".join(t.text for t in child.subtree if t.pos_ == "PROPN")
                    return Actor(text=name, name=name, code="", country=None, kind="person", rule="ner:PER")
        # 'le président russe Vladimir Poutine' parsed with Poutine as sibling
        mention = self.mention_at(token)
        nxt = mention.end if mention else token.i + 1
        while nxt < self.sent.end and (self.sent.doc[nxt].pos_ == "ADJ" or self.sent.doc[nxt].text == ","):
            nxt += 1
        if nxt < self.sent.end:
            m = self.mention_at(self.sent.doc[nxt])
            if m and m.entry.kind == "person":
                return self._from_entry(m)
        return None

    def _unknown_person(self, token: Token, depth: int) -> Actor | None:
        """A name not in the dictionary, coded from its apposed role ('John Mbadi, ministre kényan')."""
        for child in token.children:
            m = self.mention_at(child)
            if m and m.entry.kind == "role" and child.dep_ in {"appos", "nmod", "conj", "acl"}:
                actor = self._resolve_role(child, m, depth + 1)
                if actor:
                    name = " ".join(t.text for t in token.subtree if t.pos_ == "PROPN" and t.i < child.i)
                    actor.name = name or actor.name
                    actor.kind = "person"
                    return actor
        head = token.head
        m = self.mention_at(head)
        if m and m.entry.kind == "role" and token.dep_ in {"appos", "conj", "flat:name"}:
            return self._resolve_role(head, m, depth + 1)
        return None


class DocumentContext:
    """Actors seen so far in the document, for pronouns and bare role nouns."""

    def __init__(self) -> None:
        self.seen: list[Actor] = []

    def remember(self, actor: Actor) -> None:
        if actor.kind != "media" and actor.code:
            self.seen.append(actor)
            if len(self.seen) > 200:
                del self.seen[:100]

    def last(self, before: int | None = None) -> Actor | None:
        for actor in reversed(self.seen):
            if before is None or actor.span is None or actor.span[0] < before:
                return _copy(actor, "coref:pronoun")
        return None

    def main_country(self) -> str | None:
        """The country the document is mostly about so far: the default for bare role nouns ('la police')."""
        counts: dict[str, int] = {}
        for position, actor in enumerate(self.seen):
            if actor.country and actor.country in country_codes() and actor.country not in NON_STATE:
                counts[actor.country] = counts.get(actor.country, 0) + 1000 + position
        return max(counts, key=lambda c: counts[c]) if counts else None

    def last_state(self) -> Actor | None:
        for actor in reversed(self.seen):
            if actor.kind == "state":
                return _copy(actor, "coref:country-noun")
        return None

    def last_with_role(self, role: str | None) -> Actor | None:
        for actor in reversed(self.seen[-30:]):
            if role and actor.role == role and actor.kind == "person" and actor.country:
                return _copy(actor, "coref:role")
        return None


def _copy(actor: Actor, rule: str) -> Actor:
    return Actor(text=actor.text, name=actor.name, code=actor.code, country=actor.country, role=actor.role,
                 kind=actor.kind, span=actor.span, rule=f"{rule}<{actor.rule}", title=actor.title)
