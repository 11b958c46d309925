"""detect/readability.py: each language's formula, and textstat's constants."""

from __future__ import annotations

import textstat


from accesscheck.detect.readability import measure


def test_each_language_gets_its_own_formula():
    german = ["Die Stadt sammelt den Müll jede Woche. Sie können Ihren Termin online prüfen. " * 10]
    assert measure(german, "de")["formula"] == "flesch_reading_ease"
    assert measure(["Il comune raccoglie i rifiuti ogni settimana. Potete controllare il giorno online. " * 10], "it")["formula"] == "gulpease_index"
    assert measure(["Y cyngor sy'n casglu eich biniau bob wythnos. Gallwch wirio eich diwrnod ar-lein. " * 10], "cy")["formula"] == "lix"


def test_textstat_spanish_and_italian_constants_are_fixed():
    """Old textstat releases had 0.6 instead of 60.0 for es/it (methodology 5.1): a regression test."""
    text = "El ayuntamiento recoge la basura cada semana. Puede consultar el día en internet. " * 5
    textstat.set_lang("es")
    assert 40 < textstat.flesch_reading_ease(text) < 120
    textstat.set_lang("en")
