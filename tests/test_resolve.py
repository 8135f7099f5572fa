"""Dates resolved against the publication date, and event places."""

from __future__ import annotations

import math
from datetime import date

import pytest

from veille.dictionaries import fold, read_tsv
from veille.models import Actor, Event
from veille.resolve import ResolveContext, place_table, resolve_date, resolve_event, resolve_place

MONDAY = date(2025, 2, 24)
WEDNESDAY = date(2025, 2, 26)


def span(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


@pytest.mark.parametrize("text,future,expected", [
    ("Poutine a parlé lundi.", False, ("2025-02-24", "day", "relative")),
    ("Trump a répondu mardi.", False, ("2025-02-18", "day", "relative")),
    ("Les délégués se réuniront mardi.", True, ("2025-02-25", "day", "relative")),
    ("Il a signé vendredi dernier.", False, ("2025-02-21", "day", "relative")),
    ("Le 27 février, Moscou a répondu.", False, ("2024-02-27", "day", "explicit")),
    ("Le 3 mars 2024, Kiev a répondu.", False, ("2024-03-03", "day", "explicit")),
    ("Hier, Pékin a protesté.", False, ("2025-02-23", "day", "relative")),
    ("Il y a deux jours, Ankara a protesté.", False, ("2025-02-22", "day", "relative")),
    ("La semaine dernière, Rome a protesté.", False, ("2025-02-17", "day", "relative")),
    ("En janvier, Paris a protesté.", False, ("2025-01-01", "month", "explicit")),
    ("Paris a protesté.", False, ("2025-02-24", "day", "publication")),
])
def test_dates(text, future, expected):
    assert resolve_date(text, MONDAY, future) == expected


@pytest.mark.parametrize("text,trigger,expected", [
    # future weekdays: the cue or the verb's tense says so, even when the modality does not
    ("Ottawa imposera dès lundi des contre-tarifs.", "contre-tarifs", ("2025-03-03", "day", "relative")),
    ("Le Conseil se réunira mardi à Bruxelles.", "réunira", ("2025-02-25", "day", "relative")),
    ("Les ministres signeront le mois prochain un accord.", "signeront", ("2025-03-01", "month", "relative")),
    ("L'accord entrerait en vigueur jeudi, selon Axios.", "accord", ("2025-02-27", "day", "relative")),
    # a past verb before the weekday wins over a future event ("débloquera …, a annoncé jeudi")
    ("Ottawa débloquera une aide, a annoncé jeudi le ministère.", "débloquera", ("2025-02-20", "day", "relative")),
    ("Il a signé mardi dernier.", "signé", ("2025-02-18", "day", "relative")),
    ("Il a signé lundi dernier.", "signé", ("2025-02-17", "day", "relative")),  # written on a Monday
    ("Ils se sont vus ce lundi.", "vus", ("2025-02-24", "day", "relative")),
    ("Il y a trois semaines, Rome a protesté.", "protesté", ("2025-02-03", "day", "relative")),
    ("Le mois dernier, Rome a protesté.", "protesté", ("2025-01-01", "month", "relative")),
    ("L'an dernier, Rome a protesté.", "protesté", ("2024-01-01", "year", "relative")),
    ("Le commando avait attaqué en 2023.", "attaqué", ("2023-01-01", "year", "explicit")),
    ("Une rencontre pourrait avoir lieu fin juin.", "rencontre", ("2025-06-30", "month", "explicit")),
    ("Le 7 avril 2018, l'armée a largué du chlore.", "largué", ("2018-04-07", "day", "explicit")),
    ("Le texte a été adopté le 24/02/2025.", "adopté", ("2025-02-24", "day", "explicit")),
    ("Le 1er novembre, Kiev a répondu.", "répondu", ("2024-11-01", "day", "explicit")),
    ("Les droits de douane seront relevés le 1er novembre.", "relevés", ("2025-11-01", "day", "explicit")),
    ("Dans la nuit de samedi à dimanche, la Russie a lancé 200 drones.", "lancé",
     ("2025-02-23", "day", "relative")),
])
def test_date_classes(text, trigger, expected):
    assert resolve_date(text, MONDAY, trigger=span(text, trigger)) == expected


def test_the_date_nearest_the_trigger_is_the_events():
    text = "Washington a repris mercredi l'aide, après que Kiev a accepté le 11 février à Djeddah un cessez-le-feu."
    assert resolve_date(text, date(2025, 2, 27), trigger=span(text, "repris"))[0] == "2025-02-26"
    assert resolve_date(text, date(2025, 2, 27), trigger=span(text, "accepté"))[0] == "2025-02-11"
    threat = "Trump a menacé vendredi d'imposer à partir du 1er novembre des droits de douane."
    assert resolve_date(threat, date(2025, 10, 11), trigger=span(threat, "menacé"))[0] == "2025-10-10"


def test_dates_that_are_not_the_events():
    dateline = "ISTANBUL, 12 nov. 2025 (AFP) - Trois journalistes ont été interpellés mardi à l'aube."
    assert resolve_date(dateline, date(2025, 11, 12), trigger=span(dateline, "interpellés"))[0] == "2025-11-11"
    since = "L'Iran a expulsé un million d'Afghans depuis janvier."
    assert resolve_date(since, MONDAY, trigger=span(since, "expulsé"))[2] == "publication"
    participle = "Pékin a accepté de suspendre les restrictions annoncées en octobre."
    assert resolve_date(participle, MONDAY, trigger=span(participle, "accepté"))[2] == "publication"
    relative = ("Kurti a accusé jeudi Belgrade d'avoir armé le commando qui avait attaqué en 2023, "
                "et a demandé des sanctions.")
    assert resolve_date(relative, MONDAY, trigger=span(relative, "demandé"))[0] == "2025-02-20"


def test_dates_counted_from_another_date():
    text = "Macron a reconnu lundi la Palestine, après Londres qui l'avait fait la veille."
    assert resolve_date(text, WEDNESDAY, trigger=span(text, "fait"))[0] == "2025-02-23"
    nominal = "Ruto a ordonné mercredi de tirer, au lendemain de heurts meurtriers."
    assert resolve_date(nominal, date(2025, 2, 27), trigger=span(nominal, "heurts"))[0] == "2025-02-25"
    context = ResolveContext(anchor=date(2025, 2, 20))
    same_day = "Le même jour, Israël a frappé un dépôt."
    assert resolve_date(same_day, MONDAY, trigger=span(same_day, "frappé"), context=context) == (
        "2025-02-20", "day", "relative")
    later = "Par la suite, Moscou a riposté."
    assert resolve_date(later, MONDAY, trigger=span(later, "riposté"), context=context)[0] == "2025-02-20"
    earlier = "Washington avait précédemment imposé des sanctions."
    assert resolve_date(earlier, MONDAY, trigger=span(earlier, "imposé"), context=context) == (
        "2025-02-01", "month", "relative")
    without = resolve_date(later, MONDAY, trigger=span(later, "riposté"))
    assert without == ("2025-02-24", "day", "relative")  # no earlier date: the publication's


def test_publication_on_a_monday():
    assert resolve_date("Lundi, Séoul a protesté.", MONDAY)[0] == "2025-02-24"
    assert resolve_date("Dimanche, Séoul a protesté.", MONDAY)[0] == "2025-02-23"
    assert resolve_date("Séoul protestera lundi.", MONDAY, future=True)[0] == "2025-03-03"
    assert resolve_date("Séoul a protesté la semaine dernière.", MONDAY)[0] == "2025-02-17"


def test_year_boundary():
    assert resolve_date("Le 30 décembre, Séoul a protesté.", date(2025, 1, 2))[0] == "2024-12-30"
    assert resolve_date("Lundi, Séoul a protesté.", date(2025, 1, 1))[0] == "2024-12-30"
    assert resolve_date("En décembre, Séoul a protesté.", date(2025, 1, 2)) == ("2024-12-01", "month", "explicit")
    assert resolve_date("Séoul répondra le 3 janvier.", date(2024, 12, 30), future=True)[0] == "2025-01-03"
    assert resolve_date("Séoul répondra en janvier.", date(2024, 12, 30), future=True)[0] == "2025-01-01"
    assert resolve_date("Hier, Séoul a protesté.", date(2025, 1, 1))[0] == "2024-12-31"


def test_no_publication_date():
    assert resolve_date("Le 3 mars 2024, Kiev a répondu.", None) == ("2024-03-03", "day", "explicit")
    assert resolve_date("Lundi, Kiev a répondu.", None) == (None, None, None)


def test_places():
    assert resolve_place("Les pourparlers ont eu lieu en Arabie saoudite.").country == "SAU"
    assert resolve_place("Ils se sont réunis à Genève mardi.").country == "CHE"
    assert resolve_place("La Russie a parlé.") is None


@pytest.mark.parametrize("text,name,country", [
    ("Les délégations se sont retrouvées à Riyad.", "Riyad", "SAU"),
    ("Moscou et Washington coopèrent dans l'Arctique.", "Arctique", None),
    ("Il l'a dit lors d'une conférence à la Maison Blanche.", "Maison Blanche", "USA"),
    ("Israël a mené des frappes sur la banlieue sud de Beyrouth.", "Beyrouth", "LBN"),
    ("L'aviation a frappé un dépôt près de Damas.", "Damas", "SYR"),
    ("La cour d'assises spéciale de Paris a condamné trois hommes.", "Paris", "FRA"),
    ("Les forces russes progressent dans le Donbass.", "Donbass", "UKR"),
    ("Des navires patrouillent en mer de Chine méridionale.", "mer de Chine méridionale", None),
    ("Vance s'est rendu sur la base de Pituffik, dans le nord-ouest du Groenland.", "Pituffik", "GRL"),
    ("Les délégations ont négocié au palais de Çırağan, à Istanbul.", "Istanbul", "TUR"),
    ("Aliyev ne se rendra pas à Moscou pour le défilé.", "Moscou", "RUS"),
])
def test_where_the_event_happened(text, name, country):
    place = resolve_place(text)
    assert place is not None and place.name == name and place.country == country


@pytest.mark.parametrize("text", [
    "Trump a reproché au Kazakhstan d'avoir dépassé son quota.",  # the one reproached
    "Khamenei a promis un châtiment à Israël.",
    "C'est une première depuis le début de la guerre en Ukraine.",  # a place that qualifies a noun
    "L'ambassadeur de Russie aux États-Unis a protesté.",
    "Trump a demandé l'accès aux ressources minérales en Ukraine.",
    "Un drone a frappé Kiev dans la nuit.",  # no locative
])
def test_places_that_are_not_where(text):
    assert resolve_place(text) is None


def test_place_nearest_the_trigger_and_clauses():
    text = "Reçus à Paris, les ministres ont signé à Bruxelles un accord."
    assert resolve_place(text, trigger=span(text, "signé")).name == "Bruxelles"
    statement = "À Paris, le Quai d'Orsay a rappelé que la France reconnaîtrait la Palestine en septembre."
    assert resolve_place(statement, trigger=span(statement, "reconnaîtrait"), reported_future=True) is None
    assert resolve_place(statement, trigger=span(statement, "rappelé")).name == "Paris"
    after = "Washington a repris l'aide, après que Kiev a accepté à Djeddah un cessez-le-feu."
    assert resolve_place(after, trigger=span(after, "repris")) is None
    apposition = "Washington a levé des sanctions, a annoncé l'émissaire, reçu à Minsk par le président."
    assert resolve_place(apposition, trigger=span(apposition, "levé")) is None


def test_places_have_coordinates_and_geonames_ids():
    riyadh = resolve_place("Les délégations se sont retrouvées à Riyad.")
    assert riyadh.geonameid == 108410 and math.isclose(riyadh.lat, 24.69, abs_tol=0.05)
    saudi = resolve_place("Les pourparlers ont eu lieu en Arabie saoudite.")
    assert saudi.geonameid == 102358 and 15 < saudi.lat < 30 and 35 < saudi.lon < 55
    arctic = resolve_place("Ils coopèrent dans l'Arctique.")
    assert arctic.lat is not None and arctic.geonameid is None


def actor(text: str, code: str, start: int) -> Actor:
    return Actor(text=text, name=text, code=code, country=code[:3], span=(start, start + len(text)))


def test_resolve_event_uses_document_offsets():
    sentence = "Les Vingt-Sept ont décidé lundi d'accorder à Kiev un prêt, a annoncé vendredi Bruxelles."
    offset = 500  # the sentence's place in its document
    kiev = sentence.index("Kiev")
    event = Event(doc_id="d", sentence_index=3, evidence=sentence, evidence_span=(offset, offset + len(sentence)),
                  trigger="accorder", trigger_span=(offset + sentence.index("accorder"),
                                                    offset + sentence.index("accorder") + 8),
                  actor1=actor("Vingt-Sept", "EUR", offset + 4), actor2=actor("Kiev", "UKRGOV", offset + kiev),
                  cameo="071")
    context = ResolveContext()
    resolve_event(event, MONDAY, sentence, offset, context)
    assert (event.date, event.date_basis) == ("2025-02-24", "relative")  # lundi, not vendredi
    assert event.location is None  # Kiev is the one given the loan
    assert context.anchor == MONDAY


def test_gazetteer_file():
    rows = read_tsv("lexicon/gazetteer.tsv")
    codes = {r["code"] for r in read_tsv("actors/countries.tsv")}
    assert len(rows) > 2000
    names = [fold(r["name_fr"]) for r in rows]
    assert len(names) == len(set(names))
    for row in rows:
        assert row["country"] in codes
        assert -90 <= float(row["lat"]) <= 90 and -180 <= float(row["lon"]) <= 180
        assert row["geonameid"].isdigit()
    french = {r["name_fr"] for r in rows}
    assert {"Moscou", "Pékin", "Londres", "Riyad", "Busan", "Tbilissi", "Bruxelles"} <= french


def test_regions_file():
    rows = {r["name"]: r for r in read_tsv("lexicon/places.tsv")}
    for name in ("Arctique", "Moyen-Orient", "Sahel", "mer Noire", "mer de Chine méridionale", "Donbass", "Gaza",
                 "Crimée"):
        assert rows[name]["lat"] and rows[name]["lon"], name
    assert rows["Crimée"]["country"] == "UKR" and rows["mer Noire"]["country"] == ""
    assert place_table()["arctique"].kind == "region"
