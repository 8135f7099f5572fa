"""Every dictionary loads, has its columns filled and uses codes that exist in the ontology."""

from __future__ import annotations

import pytest

from veille.coding.lexicon import FRAMES, load_predicates
from veille.dictionaries import list_files, read_tsv, split_list
from veille.ontology import event_codes, is_valid_actor_code

ACTOR_FILES = {
    "actors/countries.tsv": ("code", "name"),
    "actors/metonyms.tsv": ("form", "code"),
    "actors/organisations.tsv": ("forms", "code", "kind"),
    "actors/media.tsv": ("forms", "name"),
    "actors/people.tsv": ("names", "code", "country", "role", "start"),
    "actors/roles.tsv": ("forms", "role", "kind"),
    "actors/bloc_adjectives.tsv": ("form", "code"),
}


@pytest.mark.parametrize("path,required", ACTOR_FILES.items())
def test_actor_files_have_required_columns(path: str, required: tuple[str, ...]):
    rows = read_tsv(path)
    assert len(rows) >= 10
    for row in rows:
        for column in required:
            assert row.get(column), f"{path}: empty {column} in {row}"


def test_actor_codes_are_valid():
    for path, column in [("actors/countries.tsv", "code"), ("actors/metonyms.tsv", "code"),
                         ("actors/organisations.tsv", "code"), ("actors/people.tsv", "code"),
                         ("actors/bloc_adjectives.tsv", "code")]:
        bad = [r[column] for r in read_tsv(path) if not is_valid_actor_code(r[column])]
        assert not bad, f"{path}: invalid codes {sorted(set(bad))[:10]}"
    roles = {r["role"] for r in read_tsv("actors/roles.tsv")}
    assert all(len(r) == 3 and r.isupper() for r in roles)


def test_dictionary_breadth():
    assert len(read_tsv("actors/countries.tsv")) >= 240
    assert len(read_tsv("actors/people.tsv")) >= 300
    assert len(read_tsv("actors/organisations.tsv")) >= 250
    adjectives = sum(len(split_list(r["adjectives"])) for r in read_tsv("actors/countries.tsv"))
    assert adjectives >= 600


def test_predicate_codes_exist_and_ids_are_unique():
    codes = event_codes()
    ids: set[str] = set()
    files = [*list_files("predicates", "verbs*.tsv"), "predicates/nouns.tsv", "predicates/adjectives.tsv"]
    for path in files:
        for row in read_tsv(path):
            assert row["code"] in codes, f"{path}: unknown code {row['code']} ({row['id']})"
            assert row["id"] not in ids, f"duplicate id {row['id']}"
            ids.add(row["id"])
            assert row.get("frame", "") in ("", *FRAMES), f"{path}: bad frame in {row['id']}"
    for row in read_tsv("predicates/families.tsv"):
        for column, value in row.items():
            if column != "note" and value:
                assert value in codes, f"families.tsv: unknown code {value}"


def test_every_root_has_verbs():
    lex = load_predicates()
    roots = {p.code[:2] for entries in lex.verbs.values() for p in entries}
    assert roots >= {f"{i:02d}" for i in range(1, 21)}
    assert sum(len(v) for v in lex.verbs.values()) >= 800
    assert sum(len(v) for v in lex.nouns.values()) >= 250


def test_frame_mapping():
    lex = load_predicates()
    assert lex.frame_code("demand", "085") == "1054"
    assert lex.frame_code("intent", "061") == "0311"
