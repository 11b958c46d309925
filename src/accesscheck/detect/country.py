"""The country a page speaks for: the portal's own, else the one its host name implies, else its
language's. Phone numbers written without a country code and postal addresses are read for it.

The host table is data (data/channels.toml [countries], with its sources). Every guess says where
it came from, and the page facts carry it into the JSON, so a wrong guess can be seen and fixed
by giving the portal's `country` in the scan file.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from accesscheck.detect.lexicon import channels_data, primary


@dataclass(frozen=True, slots=True)
class Country:
    code: str                    # ISO 3166-1 alpha-2, the country numbers and addresses are read for
    source: str                  # "portal", "host .gov.uk", "language fr-CA", "language de", "default"
    regions: tuple[str, ...]     # code first, then other countries the host or language suggests

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "source": self.source, "regions": list(self.regions)}


def infer_country(page_url: str, portal_country: str = "", lang: str | None = None) -> Country:
    """The portal's country when the scan file gives one (alone: the user said so); otherwise the
    host's suffix and the region part of html[lang], in that order, each a candidate region for
    matching; failing both, the main country of the page's language, then the default."""
    data = channels_data()["countries"]
    if portal_country.strip():
        code = portal_country.strip().upper()
        return Country(code, "portal", (code,))
    candidates: list[tuple[str, str]] = []
    host = (urlsplit(page_url).hostname or "").lower().rstrip(".")
    labels = host.split(".")
    for size in range(min(3, len(labels) - 1), 0, -1):  # the longest known suffix wins: gc.ca before ca
        suffix = ".".join(labels[-size:])
        code = data["host_suffixes"].get(suffix)
        if code is None and size == 1 and len(suffix) == 2 and suffix.isalpha() and suffix not in data["not_countries"]:
            code = suffix.upper()
        if code:
            candidates.append((code, f"host .{suffix}"))
            break
    parts = (lang or "").replace("_", "-").split("-")
    if len(parts) > 1 and len(parts[1]) == 2 and parts[1].isalpha():
        candidates.append((parts[1].upper(), f"language {lang}"))
    by_language = data["by_language"].get(primary(lang))
    if by_language and not candidates:  # "fr" says France only when nothing nearer says Canada
        candidates.append((by_language, f"language {primary(lang)}"))
    if not candidates:
        candidates.append((data["default"], "default"))
    regions = tuple(dict.fromkeys(code for code, _ in candidates))
    return Country(candidates[0][0], candidates[0][1], regions)
