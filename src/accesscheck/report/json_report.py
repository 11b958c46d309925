"""The JSON results (`--json`), schema `accesscheck/results/1`, documented in the README and
validated by report/results.schema.json."""

from __future__ import annotations

import json
from collections import Counter
from importlib.resources import files
from pathlib import Path
from typing import Any

from accesscheck.catalogue import lookup
from accesscheck.conformance import of_run
from accesscheck.model import Finding
from accesscheck.score import Scorecard, scoring_model, stored_page_scorecard, stored_site_scorecard
from accesscheck.settings import SCHEMA_VERSION
from accesscheck.store import RunRecord


def results_document(run: RunRecord) -> dict[str, Any]:
    versions = dict(run.versions)
    sites = []
    target = of_run(run.config)
    notes = run.sites or [{"origin": origin} for origin in dict.fromkeys(p.site for p in run.pages)]
    for note in notes:
        origin = note["origin"]
        site_pages = [p for p in run.pages if p.site == origin]
        sites.append({
            **run.site_data.get(origin, {}),  # what site checks report; the keys below win
            "origin": origin,
            "name": note.get("name") or origin,
            "organisation": note.get("organisation", ""),
            "country": note.get("country", ""),
            "language": note.get("language", ""),
            "crawl": {"robots": note.get("robots"), "sitemap_urls": note.get("sitemap_urls", 0),
                      "sitemap_problems": note.get("sitemap_problems", [])},
            "blocked": note.get("blocked"),
            "summary": _summary(site_pages),
            "scorecard": {**stored_site_scorecard(run, origin).to_dict(), "standard": target.to_dict()},
            "findings": [finding_json(f) for f in run.site_findings.get(origin, [])],
            "check_errors": run.site_errors.get(origin, {}),
            "documents": [_document(d) for d in run.documents if d.site == origin],
            "pages": [_page(p, stored_page_scorecard(run, p)) for p in site_pages],
        })
    return {
        "schema": SCHEMA_VERSION,
        "score_version": versions.get("score_model") or scoring_model().version,
        "tool": {"name": "accesscheck", "version": versions.get("accesscheck"),
                 "engines": {"axe-core": versions.get("axe-core"), "chromium": versions.get("chromium")},
                 "checks": versions.get("checks", {})},
        "run": {"id": run.id, "started": run.started, "finished": run.finished, "status": run.status,
                "error": run.error, "config": run.config},
        "sites": sites,
    }


def finding_json(finding: Finding) -> dict[str, Any]:
    """A finding as the JSON gives it: what it says, plus its catalogue entry's ACT rules (and
    guidance link when it has none of its own)."""
    entry = lookup(finding.check)
    data = finding.to_dict()
    data["act"] = list(entry.act) if entry else []
    if entry and not data["help_url"]:
        data["help_url"] = entry.help_url
    return data


def _summary(pages: list) -> dict[str, Any]:
    outcomes = Counter(p.outcome for p in pages)
    failing = [f for p in pages for f in p.findings if f.outcome == "fail"]
    return {
        "pages": {k: outcomes.get(k, 0) for k in ("scanned", "failed", "skipped")},
        "fail_by_impact": {k: sum(1 for f in failing if f.impact == k)
                           for k in ("critical", "serious", "moderate", "minor")},
        "review": sum(1 for p in pages for f in p.findings if f.outcome == "review"),
    }


def _page(page: Any, scorecard: Scorecard) -> dict[str, Any]:
    return {
        "url": page.url, "final_url": page.final_url, "status": page.status, "outcome": page.outcome,
        "reason": page.reason, "title": page.title, "lang": page.lang, "depth": page.depth,
        "found_via": page.found_via, "metrics": page.metrics, "check_errors": page.check_errors,
        "findings": [finding_json(f) for f in page.findings],
        "scorecard": scorecard.to_dict(),
    }


def _document(doc: Any) -> dict[str, Any]:
    return {"url": doc.url, "kind": doc.kind, "found_on": doc.found_on, "status": doc.status,
            "content_type": doc.content_type, "bytes": doc.bytes, "reason": doc.reason}


def results_schema() -> dict[str, Any]:
    return json.loads(files("accesscheck.report").joinpath("results.schema.json").read_text(encoding="utf-8"))


def write_json(run: RunRecord, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results_document(run), indent=2, ensure_ascii=False), encoding="utf-8")
