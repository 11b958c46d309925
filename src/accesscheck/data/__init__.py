"""The data files of accesscheck (keyword tables, budgets, weights, the catalogue), read through
one loader each for text and TOML, so every table is parsed once per process."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from functools import cache
from importlib.resources import files
from typing import Any


def data_text(*path: str) -> str:
    """A file under accesscheck/data/, as text."""
    return files("accesscheck.data").joinpath(*path).read_text(encoding="utf-8")


@cache
def load_toml(*path: str) -> dict[str, Any]:
    """A TOML file under accesscheck/data/ (read once; callers must not change what they get)."""
    return tomllib.loads(data_text(*path))


def language_files() -> Iterator[tuple[str, dict[str, Any]]]:
    """(language code, table) of every file in data/languages/, in name order."""
    names = sorted(e.name for e in files("accesscheck.data").joinpath("languages").iterdir() if e.name.endswith(".toml"))
    for name in names:
        yield name.removesuffix(".toml"), load_toml("languages", name)
