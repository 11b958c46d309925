"""The CI gate with a baseline, through the real CLI and Chromium: harmless churn (a CSS class
renamed, unrelated elements inserted above and between) keeps every fingerprint, so the build
passes; a genuinely new problem gets a new fingerprint and fails it. Exit codes: 0 / 2 / 1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accesscheck.baseline import load_baseline
from accesscheck.demo.server import serve
from accesscheck.errors import ConfigError
from conftest import run_cli

pytestmark = pytest.mark.browser

PAGE = """<!doctype html><html lang="en"><head><title>Bins</title></head><body>
<header><nav aria-label="Main"><a href="/page.html">Home</a></nav></header>
<main><h1>Bin collections</h1>
{notice}
<img src="/hero.png" class="{hero}" width="40" height="40">
<p>Find your collection day.</p>
<a href="/a.html"><img src="/icon.png" class="{icon}" width="24" height="24"></a>
{between}
<a href="/b.html"><img src="/icon.png" class="{icon}" width="24" height="24"></a>
{new}
</main></body></html>"""

ORIGINAL = PAGE.format(notice="", hero="hero", icon="icon", between="", new="")
# Class names renamed, a notice inserted above everything, a paragraph inserted between the two
# identical icon links: the same problems on the same elements.
CHURNED = PAGE.format(notice='<div class="notice-v2"><p>Offices closed on Monday.</p></div>',
                      hero="hero-banner--large", icon="icon-sm", between="<p>Or call us.</p>", new="")
# The same churn plus one genuinely new problem: a third icon link without alt text.
WITH_NEW = CHURNED.replace("{new}", "").replace(
    "</main>", '<a href="/c.html"><img src="/icon.png" class="icon-sm" width="24" height="24"></a>\n</main>')


def _scan(root: Path, tmp: Path, html: str, name: str, *args: str):
    (root / "page.html").write_text(html, encoding="utf-8")
    with serve(root) as server:
        done = run_cli("scan", f"{server.origin}/page.html", "--depth", "0", "--quiet",
                       "--db", f"sqlite:///{tmp}/gate.db", "--json", str(tmp / f"{name}.json"), *args)
    document = json.loads((tmp / f"{name}.json").read_text(encoding="utf-8")) if (tmp / f"{name}.json").exists() else None
    return done, document


def _failing(document: dict) -> dict[str, tuple[str, str]]:
    return {f["fingerprint"]: (f["check"], f["snippet"]) for p in document["sites"][0]["pages"]
            for f in p["findings"] if f["outcome"] == "fail"}


def test_churn_keeps_fingerprints_and_only_a_new_problem_fails_the_build(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    baseline = tmp_path / "a11y-baseline.json"

    done, original = _scan(root, tmp_path, ORIGINAL, "original", "--baseline", str(baseline), "--update-baseline")
    assert done.returncode == 0, done.stderr
    before = _failing(original)
    assert sorted(check for check, _ in before.values()) == ["axe/image-alt"] * 3 + ["axe/link-name"] * 2
    assert load_baseline(baseline) == frozenset(before)

    done, churned = _scan(root, tmp_path, CHURNED, "churned", "--baseline", str(baseline))
    assert done.returncode == 0, done.stderr
    assert _failing(churned).keys() == before.keys()
    assert any("hero-banner--large" in snippet for _, snippet in _failing(churned).values())  # it did churn

    done, grown = _scan(root, tmp_path, WITH_NEW, "grown", "--baseline", str(baseline))
    assert done.returncode == 2
    assert "2 new failing finding" in done.stderr  # the icon's missing alt and its nameless link
    new = _failing(grown).keys() - before.keys()
    assert sorted(_failing(grown)[k][0] for k in new) == ["axe/image-alt", "axe/link-name"]
    assert before.keys() <= _failing(grown).keys()

    done, _ = _scan(root, tmp_path, WITH_NEW, "no-baseline")
    assert done.returncode == 2  # without a baseline every failing finding counts
    done, _ = _scan(root, tmp_path, WITH_NEW, "serious-only", "--baseline", str(baseline), "--fail-on", "serious")
    assert done.returncode == 2  # image-alt is critical: at or above serious


def test_min_score_gate(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    done, document = _scan(root, tmp_path, ORIGINAL, "scored", "--fail-on", "none", "--min-score", "100")
    score = document["sites"][0]["scorecard"]["score"]
    assert score < 100 and done.returncode == 2 and "min-score" in done.stderr
    done, _ = _scan(root, tmp_path, ORIGINAL, "scored2", "--fail-on", "none", "--min-score", str(score))
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("content", ["not json", '{"format": "other", "findings": []}', None])
def test_a_bad_baseline_is_one_sentence_and_exit_1(tmp_path, content):
    baseline = tmp_path / "b.json"
    if content is not None:
        baseline.write_text(content, encoding="utf-8")
    done = run_cli("scan", "http://127.0.0.1:9/", "--baseline", str(baseline), "--db", f"sqlite:///{tmp_path}/x.db")
    assert done.returncode == 1
    assert done.stderr.strip().startswith("accesscheck: The baseline file") and done.stderr.strip().count("\n") == 0
    with pytest.raises(ConfigError):
        load_baseline(baseline)
