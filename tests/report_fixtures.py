"""A results store built by hand (no browser): three runs of a portal whose pages carry hostile
titles, URLs, selectors and snippets, and a portal robots.txt kept out. Used by the report tests."""

from __future__ import annotations

from pathlib import Path

from accesscheck.model import Finding, PageResult
from accesscheck.store import Store

GOOD = "http://127.0.0.1:9"
BLOCKED = "http://127.0.0.1:10"
HOSTILE_TITLE = '<script>alert("title")</script><img src=x onerror=alert(1)>{{ 7*7 }}\x01'
HOSTILE_URL = GOOD + '/search?q="><script>alert(2)</script>'
JAVASCRIPT_URL = "javascript:alert(3)"
HOSTILE_SNIPPET = '<svg onload=alert(4)><a href="javascript:alert(5)">x</a>'
HOSTILE_SELECTOR = 'a[href="</code><script>alert(6)</script>"]'
HOSTILE_NAME = "<b>Northvale</b> & <i>Co</i>"
# what the page must show as text (the control character is dropped by HTML parsers as well)
MARKERS = ('<script>alert("title")</script>', '<script>alert(2)</script>', "<svg onload=alert(4)>",
           "{{ 7*7 }}", "<b>Northvale</b> & <i>Co</i>")


def _finding(check: str, impact: str, page: str, n: int, outcome: str = "fail") -> Finding:
    return Finding(check=check, pillar="accessibility", outcome=outcome, impact=impact, wcag=("1.1.1",),
                   message=f'Images must have alternative text. Fix any of the following:\n  Element has no alt <img src=x onerror=alert({n})>',
                   fingerprint=f"fp-{check}-{page}-{n}", selector=HOSTILE_SELECTOR, snippet=HOSTILE_SNIPPET,
                   help_url="https://dequeuniversity.com/rules/axe/4.12/image-alt?application=axeAPI")


def hostile_history(db_path: Path, runs: int = 3) -> Store:
    """`runs` runs; the portal fixes one problem per run (link-name, then label), so its score rises."""
    store = Store(f"sqlite:///{db_path}")
    for r in range(runs):
        run_id = f"2026010{r + 1}T000000Z-00000{r}"
        store.start_run(run_id, {}, {"accesscheck": "0.1.0", "checks": {"axe": 1}})
        store.update_run(run_id, started=f"2026-01-0{r + 1}T00:00:00+00:00", sites=[
            {"origin": GOOD, "name": HOSTILE_NAME, "organisation": "<script>org</script>", "country": "GB",
             "robots": "read"},
            {"origin": BLOCKED, "name": "Blocked portal", "robots": "disallowed by robots.txt"}])
        pages = [
            PageResult(url=GOOD + "/", site=GOOD, outcome="scanned", final_url=GOOD + "/", status=200,
                       title=HOSTILE_TITLE, lang="en",
                       findings=[_finding("axe/image-alt", "critical", "home", n) for n in range(2)]),
            PageResult(url=HOSTILE_URL, site=GOOD, outcome="scanned", final_url=HOSTILE_URL, status=200,
                       title="Search", findings=[_finding("axe/image-alt", "critical", "search", 2)] +
                       [_finding("axe/label", "serious", "search", 0)] * (r < 2) +
                       [_finding("axe/color-contrast", "serious", "search", 1, "review")]),
            PageResult(url=GOOD + "/js", site=GOOD, outcome="scanned", final_url=JAVASCRIPT_URL, status=200,
                       title="Redirected", findings=[_finding("axe/image-alt", "critical", "js", 3)] +
                       [_finding("axe/link-name", "minor", "js", 0)] * (r < 1)),
            PageResult(url=GOOD + "/down", site=GOOD, outcome="failed", reason='HTTP 500 <script>alert(7)</script>'),
            PageResult(url=BLOCKED + "/", site=BLOCKED, outcome="skipped", reason="disallowed by robots.txt"),
        ]
        for page in pages:
            store.add_page(run_id, page)
        store.add_site_result(run_id, GOOD, [], {}, {})
        store.finish_run(run_id, "completed")
    return store
