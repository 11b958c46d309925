"""The conformance target (`--standard`): which WCAG criteria a scan checks and scores.

An accessibility finding is kept when one of its WCAG criteria is in the target, or when it names
none (best practice); one whose criteria are all outside the target is dropped. Findings of the
other pillars stay whatever the target: their criteria are references (plain language cites 3.1.5,
a AAA criterion; reflow on a cheap phone cites 1.4.10), not the conformance being claimed.
So checks only declare correct `wcag`, and know nothing of targets.

    wcag22aa   WCAG 2.2 A and AA (default)
    wcag21aa   WCAG 2.1 A and AA: EN 301 549 V3.2.1 clause 9, the EU's harmonised standard
    wcag20aa   WCAG 2.0 A and AA: the US Section 508 standards (36 CFR 1194, E205.4)
    wcag22aaa, wcag21aaa, wcag20aaa   the same versions with AAA

4.1.1 Parsing is in 2.0 and 2.1 only (removed from 2.2 as obsolete); data/catalogue/wcag.toml
says which version introduced each criterion.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from accesscheck.catalogue import criteria
from accesscheck.errors import ConfigError
from accesscheck.model import Finding

_LEVELS = {"AA": ("A", "AA"), "AAA": ("A", "AA", "AAA")}
_NAMED_BY = {"wcag21aa": "EN 301 549", "wcag20aa": "Section 508"}
#: axe-core's tags per version (axe tags a criterion with the version and level that added it)
_AXE_VERSION_TAGS = {"2.0": "wcag2", "2.1": "wcag21", "2.2": "wcag22"}
#: axe rules that are off by default but test a criterion of an AAA target
_AXE_AAA_RULES = ("color-contrast-enhanced", "meta-refresh-no-exceptions", "identical-links-same-purpose")


@dataclass(frozen=True, slots=True)
class Standard:
    id: str          # "wcag22aa"
    version: str     # "2.2"
    level: str       # "AA" | "AAA"

    @property
    def label(self) -> str:
        named = _NAMED_BY.get(self.id)
        return f"WCAG {self.version} {self.level}" + (f" ({named})" if named else "")

    @property
    def criteria(self) -> frozenset[str]:
        return _criteria_of(self.version, self.level)

    def covers(self, finding: Finding) -> bool:
        """Kept by this target: another pillar's finding, or a criterion in it, or no criterion."""
        return finding.pillar != "accessibility" or not finding.wcag or any(c in self.criteria for c in finding.wcag)

    def axe_options(self, base: dict[str, Any]) -> dict[str, Any]:
        """axe's run options with runOnly tags for this target's versions and levels (plus best
        practice), and the AAA rules axe keeps off by default turned on for an AAA target."""
        versions = [v for v in _AXE_VERSION_TAGS if v <= self.version]
        tags = [f"{_AXE_VERSION_TAGS[v]}{level.lower()}" for v in versions for level in _LEVELS[self.level]]
        rules = dict(base.get("rules", {}))
        if self.version < "2.2":
            rules.pop("target-size", None)  # 2.5.8 is new in 2.2
        if self.level == "AAA":
            rules.update({rule: {"enabled": True} for rule in _AXE_AAA_RULES})
        return {**base, "runOnly": {"type": "tag", "values": [*tags, "best-practice"]}, "rules": rules}

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "label": self.label, "version": self.version, "level": self.level}


STANDARDS = {f"wcag{v.replace('.', '')}{level.lower()}": Standard(f"wcag{v.replace('.', '')}{level.lower()}", v, level)
             for v in ("2.2", "2.1", "2.0") for level in ("AA", "AAA")}
DEFAULT_STANDARD = "wcag22aa"


@cache
def _criteria_of(version: str, level: str) -> frozenset[str]:
    return frozenset(c.id for c in criteria().values()
                     if c.introduced <= version and not (c.removed and c.removed <= version)
                     and c.level in _LEVELS[level])


def standard(name: str) -> Standard:
    try:
        return STANDARDS[name]
    except KeyError:
        raise ConfigError(f"standard must be one of {', '.join(STANDARDS)}, not {name!r}.") from None


def of_run(config: dict[str, Any]) -> Standard:
    """The target a stored run was scanned against (runs from before targets existed: the default)."""
    return standard(config.get("standard") or DEFAULT_STANDARD)


def in_target(findings: list[Finding], target: Standard) -> list[Finding]:
    return [f for f in findings if target.covers(f)]
