"""CSV (`--csv DIR`): pages.csv and findings.csv, for spreadsheets and data journalism.

Values a spreadsheet would run as a formula (starting with = + - @, tab or carriage return; a
hostile page can put one in its title) are written with a leading apostrophe, as OWASP's "CSV
Injection" guidance recommends; `read_rows` takes it off again, so a file round-trips exactly.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from accesscheck.score import stored_page_scorecard
from accesscheck.store import RunRecord

PAGE_COLUMNS = ("run_id", "site", "url", "final_url", "outcome", "reason", "status", "title", "lang",
                "depth", "found_via", "transfer_bytes", "requests", "score", "grade",
                "fail_critical", "fail_serious", "fail_moderate", "fail_minor", "review")
FINDING_COLUMNS = ("run_id", "site", "page_url", "check", "pillar", "outcome", "impact", "wcag",
                   "selector", "snippet", "message", "help_url", "fingerprint")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _guard(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START + ("'",)):
        return "'" + value
    return value


def _unguard(value: str) -> str:
    return value[1:] if value.startswith("'") else value


def page_rows(run: RunRecord) -> list[dict[str, Any]]:
    rows = []
    for page in run.pages:
        card = stored_page_scorecard(run, page)
        fails = [f.impact for f in page.findings if f.outcome == "fail"]
        rows.append({
            "run_id": run.id, "site": page.site, "url": page.url, "final_url": page.final_url or "",
            "outcome": page.outcome, "reason": page.reason or "", "status": page.status if page.status is not None else "",
            "title": page.title or "", "lang": page.lang or "", "depth": page.depth, "found_via": page.found_via,
            "transfer_bytes": page.metrics.get("transfer_bytes", ""), "requests": page.metrics.get("requests", ""),
            "score": card.score if card.score is not None else "", "grade": card.grade or "",
            **{f"fail_{impact}": fails.count(impact) for impact in ("critical", "serious", "moderate", "minor")},
            "review": sum(1 for f in page.findings if f.outcome == "review"),
        })
    return rows


def finding_rows(run: RunRecord) -> list[dict[str, Any]]:
    located = [(page.site, page.final_url or page.url, f) for page in run.pages for f in page.findings]
    located += [(origin, "", f) for origin, found in run.site_findings.items() for f in found]
    return [{"run_id": run.id, "site": site, "page_url": url, "check": f.check, "pillar": f.pillar,
             "outcome": f.outcome, "impact": f.impact or "", "wcag": " ".join(f.wcag),
             "selector": f.selector or "", "snippet": f.snippet or "", "message": f.message,
             "help_url": f.help_url or "", "fingerprint": f.fingerprint} for site, url, f in located]


def _write(path: Path, columns: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _guard(v) for k, v in row.items()})


def write_csv(run: RunRecord, directory: Path) -> tuple[Path, Path]:
    """Write pages.csv and findings.csv into `directory`; returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    pages_path, findings_path = directory / "pages.csv", directory / "findings.csv"
    _write(pages_path, PAGE_COLUMNS, page_rows(run))
    _write(findings_path, FINDING_COLUMNS, finding_rows(run))
    return pages_path, findings_path


def read_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV written here, as strings, with the formula guard taken off."""
    with path.open(encoding="utf-8", newline="") as fh:
        return [{k: _unguard(v) for k, v in row.items()} for row in csv.DictReader(fh)]
