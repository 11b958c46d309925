"""JUnit XML (`--junit PATH`), the test-report format every CI system shows.

One <testsuite> per site; one <testcase> per page and check family (the catalogue check that
emitted the findings: `axe` for every axe rule), failing when the family has a failing finding
on the page, an <error> when the check itself broke there. A page that could not be loaded is one
testcase with an <error>; a skipped page is a <skipped> testcase. Site checks are testcases of the
pseudo-page "site". "Needs review" items never fail a testcase.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from accesscheck.catalogue import catalogue
from accesscheck.checks import all_checks
from accesscheck.model import Finding, PageResult
from accesscheck.report.views import families
from accesscheck.store import RunRecord

# Characters XML 1.0 cannot carry at all; a hostile page may put them in its title or HTML.
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: object) -> str:
    return _NOT_XML.sub("\ufffd", str(value))


def junit_tree(run: RunRecord) -> ET.ElementTree:
    ran = [cid for cid in run.versions.get("checks", {}) if cid in families()]
    page_families = [cid for cid in ran if cid in {c.id for c in all_checks()}]
    site_families = [cid for cid in ran if cid not in page_families]
    root = ET.Element("testsuites", name=_text(f"accesscheck {run.id}"))
    origins = list(dict.fromkeys([*(s["origin"] for s in run.sites), *(p.site for p in run.pages)]))
    for origin in origins:
        suite = ET.SubElement(root, "testsuite", name=_text(origin))
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for page in (p for p in run.pages if p.site == origin):
            for case, kind in _page_cases(page, page_families):
                suite.append(case)
                counts["tests"] += 1
                if kind:
                    counts[kind] += 1
        site_found = run.site_findings.get(origin, [])
        # A site finding may carry the id of its pillar's page check (channels/no-phone sits under
        # `channels`): it gets a site testcase of that family too.
        for family in dict.fromkeys([*site_families, *(_family(f.check) for f in site_found)]):
            found = [f for f in site_found if _family(f.check) == family and f.outcome == "fail"]
            error = run.site_errors.get(origin, {}).get(family)
            case, kind = _case(f"{origin} (site)", family, found, error)
            suite.append(case)
            counts["tests"] += 1
            if kind:
                counts[kind] += 1
        for key, value in counts.items():
            suite.set(key, str(value))
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, str(sum(int(s.get(key, "0")) for s in root)))
    return ET.ElementTree(root)


def _family(check_id: str) -> str:
    """The check that declares the finding id in the catalogue (`axe` for `axe/image-alt`)."""
    return catalogue().family(check_id) or check_id


def _page_cases(page: PageResult, page_families: list[str]) -> list[tuple[ET.Element, str | None]]:
    url = page.final_url or page.url
    if page.outcome == "failed":
        case = ET.Element("testcase", classname=_text(url), name="page load")
        ET.SubElement(case, "error", message=_text(page.reason or "failed")).text = _text(page.reason or "")
        return [(case, "errors")]
    if page.outcome == "skipped":
        case = ET.Element("testcase", classname=_text(url), name="page load")
        ET.SubElement(case, "skipped", message=_text(page.reason or "skipped"))
        return [(case, "skipped")]
    cases = []
    for family in page_families:
        found = [f for f in page.findings if _family(f.check) == family and f.outcome == "fail"]
        cases.append(_case(url, family, found, page.check_errors.get(family)))
    return cases


def _case(classname: str, family: str, failing: list[Finding], error: str | None) -> tuple[ET.Element, str | None]:
    case = ET.Element("testcase", classname=_text(classname), name=_text(family))
    if error:
        ET.SubElement(case, "error", message=_text(error)).text = _text(error)
        return case, "errors"
    if failing:
        rules = sorted({f.check for f in failing})
        failure = ET.SubElement(case, "failure", type=_text(", ".join(rules)),
                                message=_text(f"{len(failing)} failing finding(s): {', '.join(rules)}"))
        failure.text = _text("\n".join(
            f"[{f.impact or 'unrated'}] {f.check} {f.selector or ''}\n  {f.message}" for f in failing))
        return case, "failures"
    return case, None


def write_junit(run: RunRecord, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tree = junit_tree(run)
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)
