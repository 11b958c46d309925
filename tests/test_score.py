"""The scoring model on hand-built results, no browser: share of pages, review vs fail,
not assessed vs not scored, hooks of pillars that land later."""

from __future__ import annotations

from accesscheck.checks import pillar_modules
from accesscheck.model import Finding, PageResult
from accesscheck.score import page_scorecard, scoring_model, site_scorecard
from accesscheck.store import RunRecord
from pillars import broken, hooked, plain

ORIGIN = "http://127.0.0.1:9"


def _finding(check: str = "axe/image-alt", impact: str = "critical", outcome: str = "fail",
             pillar: str = "accessibility", n: int = 0) -> Finding:
    return Finding(check=check, pillar=pillar, outcome=outcome, message="m", fingerprint=f"fp{check}{n}",
                   impact=impact)


def _page(i: int, findings: list[Finding] = (), outcome: str = "scanned", reason: str | None = None,
          errors: dict | None = None) -> PageResult:
    return PageResult(url=f"{ORIGIN}/p{i}", site=ORIGIN, outcome=outcome, reason=reason,
                      final_url=f"{ORIGIN}/p{i}", status=200, findings=list(findings),
                      check_errors=errors or {})


def _run(pages: list[PageResult], sites: list[dict] | None = None, checks: dict | None = None) -> RunRecord:
    return RunRecord(id="r", started="2026-11-02T09:00:00+00:00", finished="2026-11-02T09:30:00+00:00", status="completed", error=None, config={},
                     versions={"checks": checks if checks is not None else {"axe": 1}},
                     sites=sites or [{"origin": ORIGIN, "robots": "read"}], pages=pages)


def _template_bug_site(n_pages: int) -> RunRecord:
    return _run([_page(i, [_finding(n=i)]) for i in range(n_pages)])


def test_site_size_does_not_change_the_score_for_the_same_template_bug():
    small, large = site_scorecard(_template_bug_site(20), ORIGIN), site_scorecard(_template_bug_site(2000), ORIGIN)
    assert small.pillars["accessibility"].score == large.pillars["accessibility"].score == 50.0
    assert small.grade == large.grade == "E"


def test_share_of_pages_affected_matters():
    one_in_ten = _run([_page(0, [_finding()])] + [_page(i) for i in range(1, 10)])
    assert site_scorecard(one_in_ten, ORIGIN).pillars["accessibility"].score == round(100 * 0.5 ** 0.1, 1)


def test_impact_weights_order_the_scores():
    scores = [site_scorecard(_run([_page(0, [_finding(impact=i)])]), ORIGIN).score
              for i in ("critical", "serious", "moderate", "minor")]
    assert scores == sorted(scores) and len(set(scores)) == 4


def test_needs_review_is_not_a_failure():
    card = site_scorecard(_run([_page(0, [_finding(outcome="review")])]), ORIGIN)
    assert card.pillars["accessibility"].score == 100.0 and card.grade == "A"


def test_elements_of_one_check_on_one_page_count_once():
    many = _run([_page(0, [_finding(n=k) for k in range(30)])])
    one = _run([_page(0, [_finding()])])
    assert site_scorecard(many, ORIGIN).score == site_scorecard(one, ORIGIN).score


def test_pillars_without_checks_are_not_assessed_and_left_out_of_the_overall_score():
    card = site_scorecard(_run([_page(0)]), ORIGIN)
    for pillar in ("bandwidth", "channels", "inclusion"):
        assert card.pillars[pillar].score is None and card.pillars[pillar].reason
    assert card.score == card.pillars["accessibility"].score == 100.0


def test_a_site_that_could_not_be_scanned_is_not_scored_with_the_reason():
    blocked = _run([], sites=[{"origin": ORIGIN, "robots": "disallowed by robots.txt"}])
    card = site_scorecard(blocked, ORIGIN)
    assert card.score is None and card.grade is None and "robots.txt" in card.reason
    down = _run([_page(0, outcome="failed", reason="HTTP 503")])
    assert "HTTP 503" in site_scorecard(down, ORIGIN).reason


def test_checks_that_failed_everywhere_leave_the_pillar_not_assessed():
    run = _run([_page(0, errors={"axe": "TimeoutError: axe"}), _page(1, errors={"axe": "TimeoutError"})])
    card = site_scorecard(run, ORIGIN)
    assert card.pillars["accessibility"].score is None and card.score is None
    half = _run([_page(0, errors={"axe": "boom"}), _page(1, [_finding()])])
    pillar = site_scorecard(half, ORIGIN).pillars["accessibility"]
    assert pillar.coverage == 0.5 and pillar.score == 50.0  # the failure is on every working page


def test_page_scorecard():
    page = _page(0, [_finding(impact="serious"), _finding(impact="serious", n=1), _finding("axe/x", "minor")])
    card = page_scorecard(page, ["axe"])
    assert card.pillars["accessibility"].score == scoring_model().from_penalty(7 + 1)
    assert page_scorecard(_page(1, outcome="skipped", reason="robots.txt"), ["axe"]).reason.endswith("robots.txt")


def test_grades_follow_the_data_file():
    model = scoring_model()
    assert [model.grade(s) for s in (100, 90, 89.9, 80, 70, 60, 50, 49.9, 0)] == \
        ["A", "A", "B", "B", "C", "D", "E", "F", "F"]
    assert model.grade(None) is None and model.version.startswith("accesscheck/score/")


def _with(pillar) -> list:
    """Accessibility's own modules and a small bandwidth pillar of the tests (tests/pillars/)."""
    return [*(m for m in pillar_modules() if m.__name__ == "accesscheck.checks.accessibility"), pillar]


def test_a_pillar_hook_is_used_when_the_module_has_one():
    run = _run([_page(0)], checks={"axe": 1, "bandwidth/weight": 1})
    card = site_scorecard(run, ORIGIN, modules=_with(hooked))
    assert card.pillars["bandwidth"].score == 61.0 and card.pillars["bandwidth"].method == "hook"
    assert card.score == round((100 + 61) / 2, 1)
    page_card = page_scorecard(run.pages[0], ["axe", "bandwidth/weight"], modules=_with(hooked))
    assert page_card.pillars["bandwidth"].score == 42.0


def test_a_broken_hook_is_a_reason_not_a_crash():
    card = site_scorecard(_run([_page(0)], checks={"axe": 1, "bandwidth/weight": 1}), ORIGIN, modules=_with(broken))
    assert card.pillars["bandwidth"].score is None and "ZeroDivisionError" in card.pillars["bandwidth"].reason


def test_without_hook_and_without_findings_a_new_pillar_is_not_assessed():
    run = _run([_page(0)], checks={"axe": 1, "bandwidth/weight": 1})
    assert site_scorecard(run, ORIGIN, modules=_with(plain)).pillars["bandwidth"].score is None
    run = _run([_page(0, [_finding("bandwidth/weight", "moderate", pillar="bandwidth")])],
               checks={"axe": 1, "bandwidth/weight": 1})
    assert site_scorecard(run, ORIGIN, modules=_with(plain)).pillars["bandwidth"].score == scoring_model().from_penalty(3)
