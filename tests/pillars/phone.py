"""A channels pillar as it might have landed after the accessibility one: one site check with its
catalogue entry and a site score hook (tests/report/test_new_pillar.py installs it in
accesscheck.checks.PILLAR_MODULES in place of checks/channels.py)."""

from __future__ import annotations

from accesscheck.catalogue import Entry
from accesscheck.checks import SiteCheck, SiteEvaluation, SiteView, site_finding

PILLAR = "channels"
EXPLANATION = ("People who cannot use the web - many older people, people without a connection - "
               "need a phone number to reach the service; without one they are shut out.")


def no_phone(view: SiteView) -> SiteEvaluation:
    """Every site of the test lacks a phone number; the evidence carries hostile page text."""
    return SiteEvaluation(findings=[site_finding(
        view, "channels/phone", PILLAR, impact="serious", outcome="fail", message="No phone number on any page",
        evidence=({"page": view.origin + "/contact", "text": "Email us <script>x</script>"},))])


def site_score(view: SiteView) -> float | None:
    return 40.0


SITE_CHECKS = [SiteCheck(id="channels/phone", pillar=PILLAR, version=1, title="A phone number",
                         explanation=EXPLANATION, evaluate=no_phone,
                         entries=(Entry(id="channels/phone", pillar=PILLAR, title="A phone number",
                                        explanation=EXPLANATION, fix="Publish a phone number.",
                                        impact="serious", outcomes=("fail",)),))]
