"""detect/language.py: language tags."""

from __future__ import annotations

from accesscheck.detect.language import tag_is_valid


def test_language_tags():
    assert tag_is_valid("en-GB") and tag_is_valid("cy") and tag_is_valid("zh-Hant-TW")
    assert not tag_is_valid("polish") and not tag_is_valid("") and not tag_is_valid(None)
