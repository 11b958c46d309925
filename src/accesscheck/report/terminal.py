"""The summary table printed at the end of a scan. Page text is untrusted: it is shown as plain
`Text`, never parsed as rich markup."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from accesscheck.conformance import of_run
from accesscheck.model import IMPACTS
from accesscheck.score import stored_site_scorecard
from accesscheck.store import RunRecord


def print_summary(run: RunRecord, console: Console, *, worst: int = 10) -> None:
    sites = list(dict.fromkeys([s["origin"] for s in run.sites] + [p.site for p in run.pages]))
    overview = Table(title=f"accesscheck run {run.id} ({run.status}), checked against {of_run(run.config).label}",
                     title_justify="left")
    for column in ("site", "score", "grade", "scanned", "failed", "skipped", "documents", *IMPACTS, "review"):
        overview.add_column(column, justify="left" if column == "site" else "right")
    cards = {site: stored_site_scorecard(run, site) for site in sites}
    for site in sites:
        pages = [p for p in run.pages if p.site == site]
        outcomes = Counter(p.outcome for p in pages)
        fails = Counter(f.impact for p in pages for f in p.findings if f.outcome == "fail")
        reviews = sum(1 for p in pages for f in p.findings if f.outcome == "review")
        docs = sum(1 for d in run.documents if d.site == site)
        card = cards[site]
        score = f"{card.score:.0f}" if card.score is not None else "not scored"
        overview.add_row(Text(site), score, card.grade or "–", *(str(outcomes.get(k, 0)) for k in ("scanned", "failed", "skipped")),
                         str(docs), *(str(fails.get(k, 0)) for k in IMPACTS), str(reviews))
    console.print(overview)
    for site, card in cards.items():
        if card.score is None:
            console.print(Text(f"{site}: {card.reason}"))
        else:
            parts = [f"{name} {p.score:.0f}" if p.score is not None else f"{name} not assessed"
                     for name, p in card.pillars.items()]
            console.print(Text(f"{site}: score {card.score:.0f} ({card.grade}) - {', '.join(parts)}"))
    _print_channels(run, sites, console)

    rules: dict[str, set[str]] = defaultdict(set)
    nodes: Counter[str] = Counter()
    impact: dict[str, str] = {}
    for page in run.pages:
        for f in page.findings:
            if f.outcome == "fail":
                rules[f.check].add(page.url)
                nodes[f.check] += 1
                impact[f.check] = f.impact or ""
    if rules:
        table = Table(title="Worst failing checks (by pages affected)", title_justify="left")
        for column in ("check", "impact", "pages", "elements"):
            table.add_column(column, justify="right" if column in ("pages", "elements") else "left")
        order = sorted(rules, key=lambda c: (-_rank(impact[c]), -len(rules[c]), -nodes[c], c))
        for check in order[:worst]:
            table.add_row(Text(check), impact[check], str(len(rules[check])), str(nodes[check]))
        console.print(table)

    _print_bandwidth(run, sites, console)

    failed = [p for p in run.pages if p.outcome == "failed"]
    if failed:
        table = Table(title="Pages that could not be checked", title_justify="left")
        table.add_column("url")
        table.add_column("reason")
        for page in failed[:worst]:
            table.add_row(Text(page.url), Text(page.reason or ""))
        if len(failed) > worst:
            table.add_row(Text(f"... and {len(failed) - worst} more"), "")
        console.print(table)


def _print_channels(run: RunRecord, sites: list[str], console: Console) -> None:
    """The channels and inclusion pillars per site: which ways in were found, the statement, the
    languages (site data from checks/channels.py and checks/inclusion.py)."""
    table = Table(title="Channels and inclusion (automated checks)", title_justify="left")
    for column in ("site", "found", "not found", "statement", "languages"):
        table.add_column(column)
    rows = 0
    for site in sites:
        data = run.site_data.get(site, {})
        channels = data.get("channels")
        if channels is None:
            continue
        found = [k for k, items in channels.items() if items]
        if any(p.get("premium_rate") for p in channels.get("phone", [])):
            found = [f"{k} (premium rate!)" if k == "phone" else k for k in found]
        statement = data.get("statement")
        if statement:
            missing = [k for k, v in statement["elements"].items() if v is None]
            summary = f"linked from {statement['linked_from_share']:.0%} of pages"
            summary += f"; missing: {', '.join(missing)}" if missing else "; all required parts"
        else:
            summary = "not found"
        langs = ", ".join(item["lang"] for item in data.get("languages", []))
        table.add_row(Text(site), ", ".join(found) or "-", ", ".join(k for k, items in channels.items() if not items) or "-",
                      summary, Text(langs or "-"))
        rows += 1
    if rows:
        console.print(table)


def _rank(impact: str) -> int:
    return len(IMPACTS) - IMPACTS.index(impact) if impact in IMPACTS else 0


def _print_bandwidth(run: RunRecord, sites: list[str], console: Console) -> None:
    """The bandwidth pillar per site: score, typical weight and estimated waits, cost of the
    service path, pages failing without JavaScript or at 320 px, tap targets (axe target-size)."""
    rows: list[tuple[str, dict[str, Any]]] = [
        (site, data) for site in sites if (data := run.site_data.get(site, {}).get("bandwidth"))]
    if not rows:
        return
    table = Table(title="Bandwidth: slow connections, data costs, cheap phones (estimates)", title_justify="left")
    for column in ("site", "score", "median page", "Slow 4G / 3G / 2G load", "service path",
                   "cost (USD, share of a day's income)", "no-JS", "reflow", "small targets"):
        table.add_column(column, justify="left" if column in ("site", "cost (USD, share of a day's income)") else "right")
    for site, data in rows:
        estimates = data.get("median_estimates", {})
        waits = " / ".join(f"{estimates[p]['load_ms'] / 1000:.1f}" for p in ("slow-4g", "3g", "2g") if p in estimates)
        path = data.get("service_path", {})
        countries = ((path.get("cost") or {}).get("countries") or {})
        cost = "; ".join(_cost_text(code, figure) for code, figure in list(countries.items())[:3])
        found = data.get("pages_with_findings", {})
        score = data.get("score")
        table.add_row(Text(site), "–" if score is None else f"{score:.0f}",
                      _kb(data.get("median_transfer_bytes")), f"{waits} s" if waits else "–",
                      _kb(path.get("transfer_bytes")), Text(cost),
                      str(data.get("pages_failing_no_js", 0)),
                      str(found.get("bandwidth/reflow", 0)),
                      str(len(data.get("small_screens", {}).get("pages_failing_target_size", []))))
    console.print(table)
    source = rows[0][1].get("sources", {})
    console.print(Text(f"Prices: {source.get('prices', '')}; income: ITU ICT Price Baskets where known "
                       f"(see {source.get('attribution', '')}). Load times are simulated from one fast load."))


def _kb(value: object) -> str:
    return f"{value / 1000:,.0f} KB" if isinstance(value, (int, float)) else "–"


def _cost_text(code: str, figure: dict) -> str:
    if figure.get("usd") is None:
        return f"{code} –"
    share = figure.get("share_daily_income_pct")
    return f"{code} ${figure['usd']:.4f}" + (f" ({share:.3f}%)" if share is not None else "")
