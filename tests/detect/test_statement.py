"""detect/statement.py: the dates of an accessibility statement, in each language."""

from __future__ import annotations

from datetime import date

import pytest

from accesscheck.detect.statement import parse_dates


@pytest.mark.parametrize("text, lang, expected", [
    ("prepared on 14 September 2026", "en", date(2026, 9, 14)),
    ("établie le 18 juin 2025", "fr", date(2025, 6, 18)),
    ("am 20. Mai 2025 erstellt", "de", date(2025, 5, 20)),
    ("preparada el 15 de marzo de 2025", "es", date(2025, 3, 15)),
    ("zuletzt am 10.10.2025 überprüft", "de", date(2025, 10, 10)),
    ("reviewed 2025-07-01", "en", date(2025, 7, 1)),
    ("last reviewed March 3, 2025", "en", date(2025, 3, 3)),
    ("Paratowyd y datganiad hwn ar 4 Mawrth 2025", "cy", date(2025, 3, 4)),
    ("opgesteld op 1 juli 2025", "nl", date(2025, 7, 1)),
    ("redatta il 22 settembre 2025", "it", date(2025, 9, 22)),
    ("preparada em 10 de abril de 2025", "pt", date(2025, 4, 10)),
])
def test_dates_in_each_language(text, lang, expected):
    assert parse_dates(text, lang) == [expected]


def test_impossible_dates_are_not_dates():
    assert parse_dates("on 31 February 2025 and 45/13/2025", "en") == []
