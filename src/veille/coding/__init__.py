"""The French CAMEO event coder: predicates from dictionaries, arguments from the dependency parse.

For each sentence: find predicate words (verbs, nouns, adjectives in ``data/predicates``), find
their agent and target on the parse (subject/object/obliques, passive, coordination, frames
that embed another action such as "demander à X de lever"), then attach modality, attribution,
quantities and commodities. Every event records the dictionary entry and argument rule used.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from veille.actors import DocumentContext, SentenceActors, adjective_countries, city_countries, compose_code
from veille.coding.attribution import inside_quotes, self_report, source_of
from veille.coding.lexicon import Predicate, PredicateLexicon, load_predicates
from veille.coding.modality import modality_of
from veille.coding.quantities import find_commodities, find_quantities
from veille.dictionaries import fold
from veille.models import Actor, Event
from veille.nlp import ParsedSentence
from veille.ontology import describe

__all__ = ["Candidate", "code_sentence", "load_predicates"]

REFLEXIVE = {"se", "s'", "s", "me", "m'", "te", "t'", "nous", "vous"}
SUBJECT_DEPS = {"nsubj", "nsubj:pass"}
CASE_ALIASES = {"au": "a", "aux": "a", "du": "de", "des": "de", "d'": "de", "a le": "a", "a les": "a",
                "de le": "de", "de les": "de"}
FIRST_PERSON = {"je", "j'", "nous", "on"}
NO_TARGET_OK_ROOTS = {f"{i:02d}" for i in range(2, 21)} - {"04", "06", "17", "19"}
TARGET_PREPS = {"contre", "a", "sur", "envers", "avec", "entre", "a l'encontre de", "vis-a-vis de"}
TEMPORAL_NOUNS = {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "nuit", "matin", "soir",
                  "soiree", "veille", "lendemain", "jour", "semaine", "mois", "annee", "an", "hier", "apres-midi",
                  "matinee", "week-end", "aube"}
SUPPORT_VERBS = {"dire", "declarer", "montrer", "affirmer", "reveler", "estimer"}


@dataclass(slots=True)
class Candidate:
    """A predicate occurrence with its arguments, before it becomes events (``explain`` shows these)."""

    token: Token
    predicate: Predicate
    code: str
    rule: str
    agents: list[Actor] = field(default_factory=list)
    targets: list[Actor] = field(default_factory=list)
    embedded: Token | None = None
    note: str = ""


def _case(token: Token) -> str:
    """The preposition introducing a phrase, multiword ones whole ('à propos de', 'auprès de')."""
    parts = []
    for c in token.children:
        if c.dep_ == "case":
            parts.append(fold(c.text))
            parts += [fold(f.text) for f in c.children if f.dep_ == "fixed"]
    parts += [fold(c.text) for c in token.children if c.dep_ == "fixed" and c.i < token.i]
    key = " ".join(parts)
    return CASE_ALIASES.get(key, key)


def _prep_matches(token: Token, prep: str) -> bool:
    case = _case(token)
    if not case:
        return False
    prep = CASE_ALIASES.get(prep, prep)
    return case == prep or case.replace("'", "") == prep or case.split(" ")[0] == prep.split(" ")[0] == prep


def _is_temporal(token: Token) -> bool:
    return token.pos_ in {"NOUN", "PROPN"} and fold(token.text) in TEMPORAL_NOUNS


def _governor(token: Token) -> Token:
    """The real head when the parser hung a word on a time noun ('a dit mardi prêt à …')."""
    head = token.head
    return head.head if _is_temporal(head) and head.head is not head else head


def _children(token: Token) -> list[Token]:
    """Children, plus those the parser hung on a time noun below this token."""
    result = []
    for child in token.children:
        result.append(child)
        if _is_temporal(child):
            result.extend(g for g in child.children if g.dep_ not in {"det", "case", "amod"} or g.pos_ == "ADJ")
    return result


def _is_reflexive(token: Token) -> bool:
    return any(c.dep_.startswith(("expl", "obj", "iobj")) and fold(c.text) in REFLEXIVE and c.i < token.i
               for c in token.children)


def _is_passive(token: Token) -> bool:
    """Passive voice; 's'est engagée' is reflexive, not passive, whatever the parser says."""
    children = list(token.children)
    if _is_reflexive(token):
        return False
    if any(c.dep_ == "aux:pass" for c in children):
        return True
    has_avoir = any(c.dep_.startswith("aux") and fold(c.lemma_) == "avoir" for c in children)
    return any(c.dep_ == "nsubj:pass" for c in children) and not has_avoir


def _objects(token: Token) -> list[Token]:
    """Direct object (or passive subject) and the nouns it quantifies ('un paquet de sanctions')."""
    result = []
    for child in token.children:
        if child.dep_ in {"obj", "nsubj:pass"} or (child.dep_ == "obl:arg" and not _case(child)):
            result.append(child)
            result.extend(g for g in child.children if g.dep_ == "nmod" and _case(g) == "de" and g.pos_ == "NOUN")
    return result


def _object_keys(obj: Token) -> set[str]:
    keys = {fold(obj.lemma_), fold(obj.text)}
    for child in obj.children:
        if child.dep_ == "amod":
            keys.add(f"{fold(obj.lemma_)} {fold(child.text)}")
            keys.add(f"{fold(obj.lemma_)} {fold(child.lemma_)}")
        if child.dep_ == "nmod" and _case(child) == "de":
            keys.add(f"{fold(obj.lemma_)} de {fold(child.lemma_)}")
            keys.add(f"{fold(obj.lemma_)} de {fold(child.text)}")
    return keys


class SentenceCoder:
    """Codes one parsed sentence; kept as an object so ``explain`` can show each step."""

    def __init__(self, parsed: ParsedSentence, actors: SentenceActors, lex: PredicateLexicon):
        self.parsed = parsed
        self.sent = parsed.span
        self.actors = actors
        self.lex = lex
        self.consumed: set[int] = set()
        self.trace: list[str] = []
        self.default_country: str | None = None
        self.place_targets = False
        self.speech_lemmas = frozenset(k for k, v in lex.speech.items() if v in {"say", "report"})

    # -- predicate lookup --------------------------------------------------------------
    def verb_lemma(self, token: Token) -> str:
        lemma = fold(token.lemma_)
        if lemma in self.lex.verbs:
            return lemma
        return self.lex.verb_forms.get(fold(token.text), lemma)

    def headline_verb(self, token: Token) -> bool:
        """A verb the tagger took for a noun ('Israël frappe l'Iran', 'Houthis saisissent navire')."""
        if token.pos_ not in {"NOUN", "ADJ", "PROPN"} or fold(token.text) not in self.lex.verb_forms:
            return False
        if any(c.dep_ == "det" for c in token.children) or _case(token):
            return False
        before = [t for t in self.sent if t.i < token.i]
        return bool(before) and before[-1].i in self.actors.by_token and not self.actors.is_media(before[-1])

    def idiom_entry(self, token: Token) -> Predicate | None:
        """'a mis en garde Washington', 'ont ouvert le feu sur': the fixed words follow the verb closely."""
        idioms = self.lex.idioms.get(self.verb_lemma(token))
        if not idioms:
            return None
        following = [fold(t.text) for t in token.doc[token.i + 1 : min(token.i + 9, self.sent.end)]]
        following = [w for part in following for w in part.replace("'", "' ").split()]
        for tail, entry in sorted(idioms, key=lambda item: -len(item[0])):
            for start in range(0, 4):
                if tuple(following[start : start + len(tail)]) == tail:
                    return entry
        return None

    def verb_entry(self, token: Token) -> Predicate | None:
        idiom = self.idiom_entry(token)
        if idiom:
            return idiom
        entries = self.lex.verbs.get(self.verb_lemma(token))
        if not entries:
            return None
        reflexive = _is_reflexive(token)
        same = [e for e in entries if e.reflexive == reflexive]
        if not same:
            if reflexive:
                same = [e for e in entries if not e.reflexive]
            else:
                return None
        objs = _objects(token)
        keys = set().union(*(_object_keys(o) for o in objs)) if objs else set()
        with_object = [e for e in same if e.objects and keys.intersection(e.objects)]
        if with_object:  # the most specific object wins ('aide humanitaire' over 'aide')
            return max(with_object, key=lambda e: max(len(k) for k in keys.intersection(e.objects)))
        plain = [e for e in same if not e.objects]
        return plain[0] if plain else None

    def noun_entry(self, token: Token) -> Predicate | None:
        if token.pos_ not in {"NOUN", "PROPN"} or token.dep_ == "amod":
            return None
        keys = [k for k in _object_keys(token) if " " in k] + [fold(token.lemma_), fold(token.text)]
        keys += [k[:-1] for k in keys if k.endswith(("s", "x")) and " " not in k]
        for key in keys:
            if key in self.lex.nouns:
                return self.lex.nouns[key][0]
        return None

    def adjective_entry(self, token: Token) -> Predicate | None:
        if token.pos_ not in {"ADJ", "VERB", "NOUN"}:
            return None
        if token.pos_ == "VERB" and not any(c.dep_ in {"aux:pass", "cop"} for c in token.children) \
                and token.dep_ != "xcomp":
            return None
        text = fold(token.text)
        for key in (fold(token.lemma_), text, text.rstrip("s"), text.rstrip("s").removesuffix("e")):
            if key in self.lex.adjectives:
                return self.lex.adjectives[key][0]
        return None

    def entry_for(self, token: Token) -> Predicate | None:
        if self.headline_verb(token):
            return self.verb_entry(token)
        if token.pos_ == "VERB":
            copular = _is_passive(token) or any(c.dep_ == "cop" for c in token.children)
            return self.adjective_entry(token) if copular and self.adjective_entry(token) \
                else self.verb_entry(token)
        if token.pos_ == "ADJ" or (token.pos_ == "NOUN" and token.dep_ in {"xcomp", "ccomp", "ROOT"} and not any(
                c.dep_ == "det" for c in token.children) and fold(token.text) in self.lex.adjectives):
            return self.adjective_entry(token)  # 's'est dit prêt à signer': 'prêt' is often tagged as a noun
        if token.pos_ == "NOUN" or (token.pos_ == "PROPN" and token.i == self.sent.start):
            return self.noun_entry(token)  # a headline's first word is often tagged as a proper noun
        return None

    # -- arguments ---------------------------------------------------------------------
    def _actors(self, token: Token) -> list[Actor]:
        if fold(token.text) in FIRST_PERSON and token.pos_ == "PRON":
            return []
        found = [a for a in self.actors.actors_for(token) if a and a.code]
        default = self.default_country or self.actors.context.main_country()
        if not found and default:
            mention = self.actors.mention_at(token)
            if mention and mention.entry.kind == "role" and mention.entry.role:
                code = compose_code(default, mention.entry.role) or default
                span = (self.parsed.offset + mention.char_start, self.parsed.offset + mention.char_end)
                found = [Actor(text=mention.text, name=mention.text, code=code, country=default,
                               role=mention.entry.role, kind="group", span=span,
                               rule=f"{mention.entry.rule}+agent-country")]
        if not found and token.pos_ in {"NOUN", "PROPN"}:
            for child in token.children:  # 'dimanche Washington' parsed as one phrase
                if child.dep_ in {"flat:name", "appos"} and child.pos_ == "PROPN":
                    found = [a for a in self.actors.actors_for(child) if a and a.code]
                    if found:
                        break
        return found

    def _state_actor(self, token: Token, code: str, rule: str, name: str | None = None) -> Actor:
        """A state named by one word of the sentence (a demonym, a city), with its document span."""
        start = self.parsed.offset + token.idx
        return Actor(text=token.text, name=name or code, code=code, country=code, kind="state",
                     span=(start, start + len(token.text)), rule=rule)

    def _demonyms(self, token: Token) -> list[Actor]:
        """States named by the demonym adjectives of a noun ('frappes israéliennes', 'russo-américains')."""
        return [self._state_actor(child, code, "demonym") for child in token.children if child.dep_ == "amod"
                for code in adjective_countries(child)]

    def _nominal_agents(self, token: Token, possessive: bool = True) -> list[Actor]:
        """Agent of a noun: a demonym ('frappes israéliennes') or 'de X' ('offre de Moscou')."""
        agents = self._demonyms(token)
        if not agents and token.dep_ == "nmod" and token.head.pos_ == "NOUN" and _case(token) == "de":
            agents = self._demonyms(token.head)  # 'projets de coopération russo-américains'
        if agents:
            return list({a.code: a for a in agents}.values())
        for child in token.children:
            if child.dep_ == "nmod" and _case(child) in {"de", "par"}:
                found = self._actors(child)
                if found and not any(a.kind == "media" for a in found):
                    return found
        for child in token.children:
            if possessive and child.dep_ == "det" and fold(child.text) in {"sa", "son", "ses", "leur", "leurs"}:
                last = self.actors.context.last(before=self.parsed.offset + child.idx)
                return [last] if last else []
        return []

    def agents_of(self, token: Token, entry: Predicate, depth: int = 0) -> tuple[list[Actor], str]:
        if depth > 4:
            return [], "none"
        if entry.pos == "noun" and token.pos_ in {"NOUN", "PROPN"}:
            nominal = self._nominal_agents(token, possessive=False)
            if nominal:
                return nominal, "noun-modifier"
            if _case(token) == "en" and token.head.pos_ == "VERB":  # 'En pourparlers avec X, Dmitriev a déclaré'
                found = self.agents_of(token.head, Predicate("", "", "", ()), depth + 1)[0]
                if found:
                    return found, "en-noun"
            current = token
            for _ in range(3):  # 'tenir une session de pourparlers': climb nouns to the governing light verb
                head = current.head
                if head is current or _case(current) not in {"", "de"}:
                    break
                if head.pos_ in {"VERB", "AUX"}:
                    if fold(head.lemma_) in self.lex.light or head.i in self.consumed:
                        return self.agents_of(head, Predicate("", "", "", ()), depth + 1)[0], "light-verb"
                    break
                if head.pos_ != "NOUN":
                    break
                current = head
            possessive = self._nominal_agents(token, possessive=True)
            return possessive, "possessive" if possessive else "none"
        if entry.pos == "verb" and token.pos_ != "VERB" and depth == 0:
            return self._leftmost_actor(token), "headline-left"
        passive = _is_passive(token) and entry.pos != "adj"
        for child in _children(token):
            if passive and child.dep_ == "nmod" and _case(child) == "par" and _is_temporal(child.head):
                found = self._actors(child) or self._nominal_agents(child, possessive=False)
                if found:
                    return found, "passive-agent"
            if passive and child.dep_ == "obl:agent":
                found = self._actors(child) or (self._nominal_agents(child, possessive=False)
                                                if child.pos_ == "NOUN" else [])
                return found, "passive-agent"  # 'tués par des frappes israéliennes' → ISR
            if not passive and child.dep_ in SUBJECT_DEPS:
                found = self._actors(child)
                if found:
                    head = token.head
                    if token.dep_ == "conj" and head.pos_ in {"PROPN", "NOUN"} and head.i < child.i:
                        first = self._actors(head)  # 'Washington et Kiev signent' parsed as Washington ← signent
                        if first:
                            return first + found, "coordinated-subject"
                    return found, "subject"
                found = self._nominal_agents(child, possessive=False) if child.pos_ == "NOUN" else []
                if found:
                    return found, "subject-demonym"  # 'des drones ukrainiens ont frappé
                if fold(child.text) in FIRST_PERSON:
                    return [], "first-person"
        if passive:
            for child in token.children:  # 'convoqué au Foreign Office', 'reçu à l'Élysée': the host institution
                if child.dep_.startswith("obl") and _case(child) == "a":
                    mention = self.actors.mention_at(child)
                    if mention and mention.entry.kind in {"metonym", "organisation"}:
                        return self._actors(child), "passive-host"
            return [], "passive-no-agent"
        if token.dep_ == "acl" and any(c.dep_ == "aux:tense" for c in token.children):
            found = self._actors(token.head)  # 'Le Guide suprême, Ali Khamenei, a accusé …' parsed as acl
            if found:
                return found, "acl-subject"
        inverted = self._inverted_subject(token)
        if inverted:
            return inverted, "inverted-subject"
        head = token.head
        if token.dep_ in {"xcomp", "conj", "advcl"} and head is not token:
            found, _ = self.agents_of(head, Predicate("", "", "", ()), depth + 1)
            return found, f"{token.dep_}-controller"
        if token.dep_ == "acl:relcl" and head is not token:
            rel = [c for c in token.children if c.dep_ == "nsubj" and fold(c.text) in {"qui", "lequel", "laquelle"}]
            if rel:
                return self._actors(head), "relative"
        if token.dep_ in {"obl:arg", "obj"} and head is not token and fold(head.lemma_) in self.lex.light:
            return self.agents_of(head, Predicate("", "", "", ()), depth + 1)[0], "light-verb"
        if token.pos_ == "VERB" and depth == 0:
            return self._leftmost_actor(token), "fallback-left"
        return [], "none"

    def _inverted_subject(self, token: Token) -> list[Actor]:
        """'« … », a averti la cheffe de la diplomatie' : subject after the verb, parsed as object."""
        if any(c.dep_ in SUBJECT_DEPS for c in token.children):
            return []
        before = [t.text for t in self.sent.doc[max(self.sent.start, token.i - 3) : token.i]]
        if not ("»" in before or '"' in before or "," in before):
            return []
        if fold(token.lemma_) not in self.lex.speech:
            return []
        for child in token.children:
            if child.dep_ in {"obj", "nsubj"} and child.i > token.i:
                return self._actors(child)
        return []

    def _leftmost_actor(self, token: Token) -> list[Actor]:
        """When the parse gives no subject, the first actor of the clause that is not in a prepositional phrase."""
        for tok in self.sent:
            if tok.i >= token.i:
                break
            if tok.i not in self.actors.by_token or self.actors.is_media(tok):
                continue
            if any(c.dep_ == "case" for c in tok.children) or any(
                    c.dep_ == "case" for c in tok.head.children if tok.dep_ in {"flat:name", "amod"}):
                continue
            found = self._actors(tok)
            if found:
                return found
        return []

    def targets_of(self, token: Token, entry: Predicate) -> tuple[list[Actor], str]:
        if entry.pos == "verb" and token.pos_ != "VERB":
            for tok in self.sent:
                if tok.i > token.i and tok.i in self.actors.by_token and not self.actors.is_media(tok):
                    found = self._actors(tok)
                    if found:
                        return found, "headline-right"
            return [], "none"
        passive = _is_passive(token) and entry.pos == "verb"
        scopes = [token] + [o for o in _objects(token) if entry.pos == "verb"]
        for slot in entry.targets:
            for scope in scopes:
                for child in scope.children:
                    if child.i in range(self.sent.start, self.sent.end) and self._slot_matches(child, slot, passive):
                        found = self._actors(child)
                        if not found and slot == "obj" and child.pos_ == "NOUN":
                            found = self._nominal_agents(child)
                        if not found and slot != "obj" and child.pos_ in {"NOUN", "PROPN"}:
                            found = self._place_owner(child)
                        if found:
                            return [a for a in found if a.kind != "media"], slot
        return [], "none"

    def entry_kind(self, token: Token) -> str:
        entry = self.adjective_entry(token) if token.pos_ in {"ADJ", "VERB"} else None
        return "adj-subject" if entry is not None and not entry.targets and entry.frame else ""

    def _subtree_target(self, token: Token, agents: list[Actor]) -> tuple[list[Actor], str]:
        """No target in the expected slot: the nearest actor among the predicate's dependents."""
        agent_countries = {a.country for a in agents}
        skip_deps = SUBJECT_DEPS | {"punct", "parataxis", "obl:agent", "nsubj:pass", "advcl", "conj", "cc"}
        frontier = [c for c in token.children if c.dep_ not in skip_deps]
        for _ in range(4):
            nxt = []
            for tok in frontier:
                if _case(tok) == "selon" or self.actors.is_media(tok):
                    continue
                found = [a for a in self._actors(tok) if a.kind != "media" and a.country not in agent_countries]
                if not found and tok.pos_ in {"NOUN", "PROPN"}:
                    found = [a for a in self._place_owner(tok) if a.country not in agent_countries]
                if found:
                    return found, "subtree"
                nxt.extend(c for c in tok.children if c.dep_ not in {"punct", "acl:relcl", "parataxis"})
            frontier = nxt
        return [], "none"

    def _place_owner(self, token: Token) -> list[Actor]:
        """'sur la banlieue sud de Beyrouth', 'contre des infrastructures ukrainiennes': whose place it is."""
        if token.pos_ == "PROPN" and self.place_targets:
            country = city_countries().get(fold(token.text))
            if country:  # 'a frappé Kharkiv', 's'est rendu à Goma'
                return [self._state_actor(token, country, "place-owner", name=token.text)]
        for child in token.children:
            if child.dep_ == "amod":
                codes = adjective_countries(child)
                if codes:
                    return [self._state_actor(child, codes[0], "demonym")]
            if child.dep_ == "nmod" and _case(child) in {"de", "a", "en"}:
                found = self._actors(child) or (self._place_owner(child) if child.pos_ == "PROPN" else [])
                if found:
                    return found
        return []

    def _object_targets(self, obj: Token) -> tuple[list[Actor], str]:
        """Target named inside a light verb's object ('les sanctions contre la Syrie', '… visant Belavia')."""
        members = [obj, *(c for c in obj.children if c.dep_ == "conj")]
        layer = list(members)
        nested: list[Token] = []
        for _ in range(3):  # 'une attaque massive de drones et de missiles contre Kiev'
            for member in layer:
                for child in member.children:
                    if child.dep_ in {"nmod", "obl", "obl:arg"} and _case(child) in TARGET_PREPS:
                        found = [a for a in self._actors(child) if a.kind != "media"] or self._place_owner(child)
                        if found:
                            return found, f"object-{_case(child)}"
                    if child.dep_ in {"nmod", "conj"}:
                        nested.append(child)
            layer, nested = nested, []
        for child in obj.children:  # 'le contrôle de Goma': the object's owner, when nothing better
            if child.dep_ == "nmod" and _case(child) == "de":
                found = [a for a in self._actors(child) if a.kind != "media" and a.country != self.default_country]
                if found:
                    return found, "object-de"
            if child.dep_ in {"acl", "acl:relcl"} and fold(child.lemma_) in {"viser", "cibler", "frapper", "toucher"}:
                for grand in child.children:
                    if grand.dep_ == "obj":
                        found = self._actors(grand)
                        if found:
                            return found, "object-visant"
        return [], "none"

    def _slot_matches(self, child: Token, slot: str, passive: bool) -> bool:
        dep = child.dep_
        if slot == "obj":  # 'appelle Kiev à négocier' is often parsed with Kiev as xcomp
            if passive:
                return dep == "nsubj:pass"
            return dep == "obj" or (dep == "xcomp" and child.pos_ in {"PROPN", "NOUN"})
        if slot == "iobj":
            return dep == "iobj" or (dep.startswith("obl") and _prep_matches(child, "a"))
        if dep in {"obl", "obl:arg", "obl:mod", "nmod", "iobj"}:
            return _prep_matches(child, slot)
        return False

    # -- frames ------------------------------------------------------------------------
    def embedded_action(self, token: Token) -> tuple[Token, Predicate] | None:
        if self.entry_kind(token) == "adj-subject":  # 'des projets de coopération seront possibles'
            for child in token.children:
                if child.dep_ in SUBJECT_DEPS and child.pos_ == "NOUN":
                    for cand in [child, *(g for g in child.children if g.dep_ == "nmod")]:
                        entry = self.noun_entry(cand)
                        if entry and not entry.frame:
                            return cand, entry
            return None
        for child in token.children:
            if child.dep_ in {"xcomp", "ccomp", "obl:arg", "obj", "advcl", "acl", "nmod"} and child.i != token.i:
                entry = self.entry_for(child)
                if entry and not entry.frame:
                    return child, entry
                if child.pos_ == "NOUN":
                    for grand in child.children:
                        if grand.dep_ in {"nmod", "acl"}:
                            inner = self.entry_for(grand)
                            if inner and not inner.frame:
                                return grand, inner
        return None

    # -- main --------------------------------------------------------------------------
    def candidates(self) -> list[Candidate]:
        found: list[Candidate] = []
        for token in self.sent:
            if token.i in self.consumed:
                continue
            mention = self.actors.mention_at(token)
            if mention and mention.entry.kind != "role":
                continue  # 'soutien' in 'Forces de soutien rapide' is a name, not a predicate
            entry = self.entry_for(token)
            if entry is None:
                continue
            candidate = self.build(token, entry)
            if candidate:
                found.append(candidate)
        kept = []
        heads = {c.token.i: c for c in found}
        for c in found:
            if c.token.i in self.consumed and c.note != "frame":
                continue
            if self._is_content_of(c, heads):
                continue
            kept.append(c)
        return kept

    def _is_content_of(self, cand: Candidate, heads: dict[int, Candidate]) -> bool:
        """An action that is only the content of another predicate ('accuse X de financer',
        'des sanctions imposées à') is not a separate event."""
        token = cand.token
        if any(fold(c.text) in {"si", "s'"} and c.dep_ == "mark" for c in token.children):
            return True  # 'si les États-Unis annulent les sanctions' is a condition, not an event
        if token.dep_ in {"acl", "amod"} and not _is_temporal(token.head) and not any(
                c.dep_.startswith(("aux", "nsubj", "obl:agent")) for c in token.children):
            return True  # participles that describe a noun: 'des hommes armés', 'des sanctions imposées'
        if token.dep_ == "fixed" or (token.pos_ == "ADJ" and token.dep_ == "amod" and not _is_temporal(token.head)):
            return True
        if token.dep_ in {"xcomp", "ccomp"} and token.head.i in heads:
            governor = heads[token.head.i]
            if governor.code[:2] != "01" and self.lex.speech.get(fold(token.head.lemma_)) not in {"say", "report"}:
                own_subject = any(c.dep_ in SUBJECT_DEPS for c in token.children)
                return not own_subject or governor.code[:2] in {"11", "12"}
        return False

    def build(self, token: Token, entry: Predicate) -> Candidate | None:
        code, rule = entry.code, entry.id
        self.default_country = None
        # a city stands for its country only as the target of force or of a visit
        self.place_targets = code[:2] in {"17", "18", "19", "20"} or code[:3] in {"042", "043", "195"}
        agents, agent_rule = self.agents_of(token, entry)
        if self.entry_kind(token) == "adj-subject":
            agents, agent_rule = [], "speaker"  # the subject is the action itself; whoever says it acts
        governor = _governor(token)
        if entry.pos == "adj" and not agents and governor is not token and fold(governor.lemma_) in SUPPORT_VERBS:
            agents, agent_rule = self.agents_of(governor, Predicate("", "", "", ()))
        self.default_country = agents[0].country if agents else None
        targets, target_rule = self.targets_of(token, entry)
        embedded = None
        if token.pos_ == "VERB" and fold(token.lemma_) in self.lex.light and entry.pos == "verb" and not entry.objects:
            for obj in _objects(token):
                noun = self.noun_entry(obj)
                if noun:
                    code, rule = noun.code, f"{entry.id}+{noun.id}"
                    if not targets:
                        targets, target_rule = self.targets_of(obj, noun)
                    self.consumed.add(obj.i)
                    break
        if entry.objects:
            objects = _objects(token)
            objects += [c for c in token.children if c.dep_ == "conj" and c.pos_ == "NOUN"]
            for obj in objects:
                if _object_keys(obj) & set(entry.objects):
                    self.consumed.add(obj.i)  # 'lever les sanctions': the noun is part of this predicate
            for obj in objects:  # '112 drones et six missiles contre l'Ukraine'
                if not targets:
                    targets, target_rule = self._object_targets(obj)
        if entry.frame:
            inner = self.embedded_action(token)
            if inner:
                embedded, inner_entry = inner
                mapped = self.lex.frame_code(entry.frame, inner_entry.code)
                if mapped:
                    code = mapped
                    rule = f"{entry.id}>{inner_entry.id}:{entry.frame}"
                self.consumed.add(embedded.i)
                if not targets:
                    targets, target_rule = self.targets_of(embedded, inner_entry)
        if self.entry_kind(token) == "adj-subject" and embedded is not None and not targets:
            targets, target_rule = self._nominal_agents(embedded, possessive=False), "action-participants"
        speech = self.lex.speech.get(fold(token.lemma_)) in {"say", "report"} and (
            code[:2] == "01" or any(c.dep_ in {"ccomp", "parataxis"} for c in token.children))
        joint = len(agents) >= 2 and any(t in {"avec", "entre"} for t in entry.targets)
        if not targets and entry.targets and code[:2] != "01" and not speech and not joint:
            targets, target_rule = self._subtree_target(embedded or token, agents)
        if entry.frame and embedded is None and not targets and not any(
                c.dep_ == "obj" and c.pos_ == "NOUN" for c in token.children):
            return None  # 'ils veulent réaliser quelque chose': a frame verb without content is not an event
        candidate = Candidate(token, entry, code, f"{rule}[{agent_rule}/{target_rule}]", agents, targets,
                              embedded, "frame" if embedded is not None else "")
        self.trace.append(f"{token.text}: {entry.id} -> {code} agents={[a.code for a in agents]} "
                          f"targets={[a.code for a in targets]} ({agent_rule}/{target_rule})")
        return candidate

    def events(self, doc_id: str) -> list[Event]:
        events: list[Event] = []
        sent_text = self.sent.text
        span = (self.parsed.start, self.parsed.end)
        quantities = find_quantities(sent_text)
        commodities = find_commodities(sent_text)
        for cand in self.candidates():
            source, speaker = source_of(cand.token, self.sent, self.actors, self.lex.speech)
            agents = [a for a in cand.agents if a.kind != "media"]
            if not agents and speaker is not None and cand.predicate.pos != "noun":
                agents = [speaker]
            if speaker is not None and speaker.code and speaker.role:
                # 'Dmitriev a déclaré que la Russie était ouverte…': the official speaking for his state acts
                agents = [speaker if a.code == a.country and a.country == speaker.country else a for a in agents]
            targets = cand.targets
            symmetric = False
            if cand.predicate.pos == "noun":
                between = [a for c in cand.token.children if _case(c) == "entre" for a in self._actors(c)]
                if between:  # 'négociations entre Washington et Kiev' (Kiev sometimes hangs on the noun)
                    between += [a for c in cand.token.children if c.dep_ == "conj" and not _case(c)
                                for a in self._actors(c) if a.code not in {b.code for b in between}]
                if not agents and len(between) >= 2:
                    agents, targets, symmetric = [between[0]], [between[1]], True
                elif agents and between and not targets:
                    targets = [b for b in between if b.country != agents[0].country] or between
            if not agents:
                continue
            if not targets and len(agents) >= 2 and any(t in {"avec", "entre"} for t in cand.predicate.targets):
                targets, agents, symmetric = [agents[1]], [agents[0]], True
            if not targets and cand.predicate.pos == "noun" and len(agents) >= 2:
                targets, agents, symmetric = [agents[1]], [agents[0]], True
            if cand.predicate.pos == "noun" and cand.rule.endswith("/entre]"):
                symmetric = True
            light_agent = "[light-verb" in cand.rule
            if not targets and (cand.code[:2] not in NO_TARGET_OK_ROOTS
                                or (cand.predicate.pos == "noun" and not light_agent)):
                continue
            modality, condition = modality_of(cand.token, self.sent, self.speech_lemmas, cand.embedded)
            details = describe(cand.code)
            for agent in agents:
                for target in targets or [None]:
                    if target is not None and (target.code == agent.code or (
                            "action-participants" in cand.rule and target.country == agent.country)):
                        continue
                    event = Event(
                        doc_id=doc_id,
                        sentence_index=self.parsed.index,
                        evidence=sent_text,
                        evidence_span=span,
                        trigger=cand.token.text if cand.embedded is None
                        else f"{cand.token.text} … {cand.embedded.text}",
                        trigger_span=(self.parsed.offset + cand.token.idx,
                                      self.parsed.offset + cand.token.idx + len(cand.token.text)),
                        actor1=agent,
                        actor2=target,
                        cameo=cand.code,
                        plover=details.plover,
                        goldstein=details.goldstein,
                        quad_class=details.quad_class,
                        modality=modality,
                        condition=condition,
                        source=self_report(source, agent.code, inside_quotes(cand.token)),
                        quantities=list(quantities),
                        commodities=list(commodities),
                        rule=cand.rule,
                        confidence=round(0.45 + 0.25 * (target is not None) + 0.15 * (cand.predicate.pos == "verb")
                                         + 0.1 * (agent.kind != "state" or agent.rule is not None), 2),
                        symmetric=symmetric,
                    )
                    event.compute_id()
                    events.append(event)
        return _dedupe(events)


def _dedupe(events: list[Event]) -> list[Event]:
    seen: dict[tuple[str, str, str], Event] = {}
    for event in events:
        key = (event.actor1.country if event.actor1 else "", event.cameo[:2],
               event.actor2.country if event.actor2 else "")
        if key not in seen or (seen[key].actor2 is None and event.actor2 is not None):
            seen[key] = event
    return list(seen.values())


def code_sentence(parsed: ParsedSentence, doc_id: str, context: DocumentContext, date: str | None = None,
                  lex: PredicateLexicon | None = None) -> list[Event]:
    """All events of one sentence."""
    actors = SentenceActors(parsed.span, parsed.offset, context, date)
    coder = SentenceCoder(parsed, actors, lex or load_predicates())
    return coder.events(doc_id)
