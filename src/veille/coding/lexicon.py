"""Predicate dictionaries (verbs, nouns, adjectives, frames) loaded from ``data/predicates``."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from veille.dictionaries import fold, list_files, read_tsv, split_list

FRAMES = ("appeal", "intent", "demand", "reject", "threaten")


@dataclass(frozen=True, slots=True)
class Predicate:
    id: str
    lemma: str
    code: str
    targets: tuple[str, ...]
    objects: tuple[str, ...] = ()
    frame: str = ""
    pos: str = "verb"
    reflexive: bool = False


@dataclass(slots=True)
class PredicateLexicon:
    verbs: dict[str, list[Predicate]] = field(default_factory=dict)
    nouns: dict[str, list[Predicate]] = field(default_factory=dict)
    adjectives: dict[str, list[Predicate]] = field(default_factory=dict)
    families: dict[str, dict[str, str]] = field(default_factory=dict)
    speech: dict[str, str] = field(default_factory=dict)
    light: frozenset[str] = frozenset()
    transparent: frozenset[str] = frozenset()
    verb_forms: dict[str, str] = field(default_factory=dict)
    idioms: dict[str, list[tuple[tuple[str, ...], Predicate]]] = field(default_factory=dict)
    modality: dict[str, tuple[str, str]] = field(default_factory=dict)

    def frame_code(self, frame: str, action: str) -> str | None:
        """The code of ``action`` under a frame ('demand' of 085 is 1054), trying parents."""
        code = action
        while len(code) >= 3:
            row = self.families.get(code)
            if row and row.get(frame):
                return row[frame]
            code = code[:-1]
        return None


def _targets(cell: str) -> tuple[str, ...]:
    if not cell or cell == "-":
        return ()
    return tuple(fold(t) for t in cell.split("|") if t.strip())


def _lemma_key(lemma: str) -> tuple[str, bool]:
    lemma = fold(lemma.strip())
    for prefix in ("se ", "s'"):
        if lemma.startswith(prefix):
            return lemma[len(prefix) :].strip(), True
    return lemma, False


def _predicate(row: dict[str, str], pos: str) -> Predicate:
    lemma, reflexive = _lemma_key(row["lemma"])
    return Predicate(
        id=row["id"],
        lemma=lemma,
        code=row["code"],
        targets=_targets(row.get("target", "")),
        objects=tuple(fold(o) for o in split_list(row.get("object", ""), "|")),
        frame=row.get("frame", "").strip(),
        pos=pos,
        reflexive=reflexive,
    )


ER_ENDINGS = ("e", "es", "ent", "ons", "ez", "e", "ee", "es", "ees", "ait", "aient", "a", "erait", "eraient", "era",
              "eront", "ant")


def conjugated_forms(verbs: dict[str, list[Predicate]]) -> dict[str, str]:
    """Present, participle and future forms of -er verbs, folded, mapped to their infinitive.

    spaCy's French lemmatizer often returns the surface form of present-tense verbs in headlines
    ('réclame', 'menace'); this table lets the coder find the dictionary entry anyway."""
    forms: dict[str, str] = {}
    for lemma in verbs:
        if not lemma.endswith("er") or " " in lemma:
            continue
        stem = lemma[:-2]
        for ending in ER_ENDINGS:
            form = stem + ending
            if ending.startswith(("a", "o")) and stem.endswith("g"):
                form = stem + "e" + ending
            forms.setdefault(form, lemma)
    return forms


@cache
def load_predicates() -> PredicateLexicon:
    lex = PredicateLexicon()
    for path in list_files("predicates", "verbs*.tsv"):
        for row in read_tsv(path):
            p = _predicate(row, "verb")
            if " " in p.lemma:  # 'mettre en garde': the verb, then fixed words
                head, *tail = p.lemma.replace("'", "' ").split()
                lex.idioms.setdefault(head, []).append((tuple(tail), p))
                continue
            lex.verbs.setdefault(p.lemma, []).append(p)
    for row in read_tsv("predicates/nouns.tsv"):
        p = _predicate(row, "noun")
        lex.nouns.setdefault(p.lemma, []).append(p)
    for row in read_tsv("predicates/adjectives.tsv"):
        p = _predicate(row, "adj")
        lex.adjectives.setdefault(p.lemma, []).append(p)
    for row in read_tsv("predicates/families.tsv"):
        lex.families[row["action"]] = {f: row.get(f, "") for f in FRAMES}
    for row in read_tsv("lexicon/speech_verbs.tsv"):
        lex.speech[fold(row["lemma"])] = row.get("kind", "say")
    lex.light = frozenset(fold(r["lemma"]) for r in read_tsv("lexicon/light_verbs.tsv"))
    lex.transparent = frozenset(fold(r["lemma"]) for r in read_tsv("lexicon/transparent_verbs.tsv"))
    for lemma in lex.transparent:
        lex.verbs.pop(lemma, None)
    lex.verb_forms = conjugated_forms(lex.verbs)
    for row in read_tsv("lexicon/modality.tsv"):
        lex.modality[fold(row["cue"])] = (row["modality"], row.get("kind", "word"))
    return lex
