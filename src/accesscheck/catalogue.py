"""The catalogue: one entry per finding id, the single source for reports, SARIF, JUnit and EARL.

A check declares the entries of every id it can emit (`Check.entries`); the axe check's entries
are built from axe's own metadata (data/catalogue/axe_rules.json, extracted from the installed axe script by
scripts/extract-axe-rules.py). Reporters look an id up here and never guess from a prefix.

Three data tables stand behind it, each with its source in the file:
    data/catalogue/wcag.toml         every WCAG 2.x criterion: level, version that introduced it
    data/catalogue/act_rules.toml    the 37 approved W3C ACT rules and the axe rules that implement them
    data/catalogue/axe_categories.toml  what each axe category means for people, and the fix
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from accesscheck.data import data_text, load_toml
from typing import Any


@dataclass(frozen=True, slots=True)
class Entry:
    """What a reader needs to know about one finding id, whatever page it was found on."""

    id: str                        # the finding id, e.g. "keyboard/trap" or "axe/image-alt"
    pillar: str
    title: str                     # one line, what is wrong
    explanation: str               # what it means for people, in plain language
    fix: str                       # what to change
    impact: str                    # default impact: critical | serious | moderate | minor
    outcomes: tuple[str, ...]      # the outcomes it can give: ("fail",), ("review",) or both
    wcag: tuple[str, ...] = ()     # WCAG success criteria, e.g. ("2.1.2",)
    act: tuple[str, ...] = ()      # W3C ACT rule ids it implements, e.g. ("80af7b",)
    help_url: str | None = None


@dataclass(frozen=True, slots=True)
class Criterion:
    """A WCAG 2.x success criterion as the catalogue and the conformance target know it."""

    id: str                        # "1.4.3"
    name: str
    level: str                     # A | AA | AAA
    introduced: str                # "2.0" | "2.1" | "2.2"
    removed: str | None = None     # "2.2" for 4.1.1 Parsing

    @property
    def url(self) -> str:
        return f"https://www.w3.org/WAI/WCAG22/Understanding/{_understanding_slug(self.name)}"


@dataclass(frozen=True, slots=True)
class ActRule:
    id: str
    name: str
    wcag: tuple[str, ...]          # the criteria it tests for conformance (may be none: ARIA rules)
    axe: tuple[str, ...]           # axe-core rule ids that implement it consistently

    @property
    def url(self) -> str:
        return f"https://www.w3.org/WAI/standards-guidelines/act/rules/{self.id}/"


class CatalogueError(Exception):
    """The catalogue contradicts itself (an id declared twice, an unknown criterion or ACT rule)."""


CRITERION_ID = re.compile(r"^[1-4]\.\d{1,2}\.\d{1,2}$")
_AXE_CRITERION_TAG = re.compile(r"^wcag(\d)(\d)(\d{1,2})$")


def _data(name: str) -> str:
    return data_text("catalogue", name)


def _understanding_slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace("(", "").replace(")", "")).strip("-")


def criterion_key(criterion: str) -> tuple[int, ...]:
    """Sort key: 1.4.10 after 1.4.9."""
    return tuple(int(part) for part in criterion.split("."))


@cache
def criteria() -> dict[str, Criterion]:
    table = load_toml("catalogue", "wcag.toml")["criteria"]
    return {cid: Criterion(id=cid, **row) for cid, row in table.items()}


@cache
def act_rules() -> dict[str, ActRule]:
    table = load_toml("catalogue", "act_rules.toml")["rules"]
    return {rid: ActRule(id=rid, name=row["name"], wcag=tuple(row["wcag"]), axe=tuple(row["axe"]))
            for rid, row in table.items()}


def wcag_criteria(tags: list[str]) -> tuple[str, ...]:
    """axe's criterion tags as criteria: `wcag111` -> 1.1.1, `wcag1410` -> 1.4.10; level tags
    such as `wcag21aa` are not criteria."""
    found = {".".join(m.groups()) for tag in tags if (m := _AXE_CRITERION_TAG.match(tag))}
    return tuple(sorted(found, key=criterion_key))


@cache
def axe_metadata() -> dict[str, Any]:
    """axe-core's own rule metadata: {"version": ..., "rules": [{id, help, description, ...}]}."""
    return json.loads(_data("axe_rules.json"))


def axe_entries() -> list[Entry]:
    categories = load_toml("catalogue", "axe_categories.toml")["categories"]
    implements: dict[str, list[str]] = {}
    for rule in act_rules().values():
        for axe_rule in rule.axe:
            implements.setdefault(axe_rule, []).append(rule.id)
    entries = []
    for rule in axe_metadata()["rules"]:
        category = categories[next(t for t in rule["tags"] if t.startswith("cat."))]
        entries.append(Entry(
            id=f"axe/{rule['id']}", pillar="accessibility", title=rule["help"],
            explanation=f"{rule['description']}. {category['explanation']}", fix=category["fix"],
            impact=rule["impact"] or "moderate", outcomes=("fail", "review"),
            wcag=wcag_criteria(rule["tags"]), act=tuple(sorted(implements.get(rule["id"], []))),
            help_url=rule["helpUrl"]))
    return entries


@dataclass(frozen=True, slots=True)
class Catalogue:
    entries: dict[str, Entry]
    families: dict[str, str]       # finding id -> the check that declares it ("axe" for axe rules)

    def get(self, finding_id: str) -> Entry | None:
        return self.entries.get(finding_id)

    def family(self, finding_id: str) -> str | None:
        return self.families.get(finding_id)

    def implementing(self, act_id: str) -> list[Entry]:
        """The entries that implement an ACT rule (own checks and the axe rules mapped to it)."""
        return [e for e in self.entries.values() if act_id in e.act]


_built: dict[tuple[int, ...], Catalogue] = {}


def catalogue() -> Catalogue:
    """Every finding id the checks can emit, checked for consistency once per set of checks (a
    pillar module loaded later, or replaced in a test, gives a new catalogue)."""
    from accesscheck.checks import all_checks, all_site_checks
    checks = [*all_checks(), *all_site_checks()]
    key = tuple(id(check) for check in checks)
    if key not in _built:
        _built.clear()
        _built[key] = _build(checks)
    return _built[key]


def _build(checks: list[Any]) -> Catalogue:
    entries: dict[str, Entry] = {}
    families: dict[str, str] = {}
    declared = [(entry, check.id) for check in checks for entry in check.entries]
    for entry, family in declared:
        if entry.id in entries:
            raise CatalogueError(f"The finding id {entry.id} is declared twice ({families[entry.id]} and {family}).")
        entries[entry.id] = entry
        families[entry.id] = family
    _validate(entries.values())
    return Catalogue(entries=entries, families=families)


def _validate(entries: Any) -> None:
    known_criteria, known_rules = criteria(), act_rules()
    for entry in entries:
        unknown = [c for c in entry.wcag if c not in known_criteria] + [a for a in entry.act if a not in known_rules]
        if unknown:
            raise CatalogueError(f"The catalogue entry {entry.id} names unknown WCAG criteria or ACT rules: {unknown}.")
        if not entry.outcomes or set(entry.outcomes) - {"fail", "review"}:
            raise CatalogueError(f"The catalogue entry {entry.id} has outcomes {entry.outcomes}; use fail and/or review.")


def lookup(finding_id: str) -> Entry | None:
    """The catalogue entry of a finding id, or None for an id no check declares."""
    return catalogue().get(finding_id)
