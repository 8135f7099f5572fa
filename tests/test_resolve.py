"""Dates resolved against the publication date, and event places."""

from __future__ import annotations

from datetime import date

import pytest

from veille.resolve import resolve_date, resolve_place

MONDAY = date(2025, 2, 24)


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


def test_year_boundary():
    assert resolve_date("Le 30 décembre, Séoul a protesté.", date(2025, 1, 2))[0] == "2024-12-30"
    assert resolve_date("Lundi, Séoul a protesté.", date(2025, 1, 1))[0] == "2024-12-30"


def test_places():
    assert resolve_place("Les pourparlers ont eu lieu en Arabie saoudite.").country == "SAU"
    assert resolve_place("Ils se sont réunis à Genève mardi.").country == "CHE"
    assert resolve_place("La Russie a parlé.") is None
