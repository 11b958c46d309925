"""A portfolio: one scan file lists several portals, one run scans them all, and the report site's
league table ranks them, with the portal that could not be scanned listed as not scored."""

from __future__ import annotations

import lxml.html
import pytest

from accesscheck.demo.server import serve
from conftest import run_cli

pytestmark = pytest.mark.browser

CLEAN = '<!doctype html><html lang="en"><head><title>Clean</title></head><body><main><h1>Clean council</h1><p>Call us.</p></main></body></html>'
BROKEN = '<!doctype html><html lang="en"><head><title>Broken</title></head><body><main><h1>Broken council</h1><img src="/x.png"></main></body></html>'


def test_one_run_scans_every_portal_into_one_league_table(tmp_path):
    for name, html in (("clean", CLEAN), ("broken", BROKEN), ("blocked", CLEAN)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.html").write_text(html, encoding="utf-8")
    (tmp_path / "blocked" / "robots.txt").write_text("User-agent: *\nDisallow: /\n", encoding="utf-8")
    with serve(tmp_path / "clean") as clean, serve(tmp_path / "broken") as broken, \
            serve(tmp_path / "blocked") as blocked:
        scan_file = tmp_path / "portfolio.toml"
        scan_file.write_text("\n".join(
            f'[[portal]]\nname = "{name}"\nurl = "{server.origin}/"\norganisation = "Org {name}"\n'
            for name, server in (("Broken council", broken), ("Clean council", clean), ("Blocked council", blocked))),
            encoding="utf-8")
        done = run_cli("scan", str(scan_file), "--depth", "0", "--fail-on", "none", "--quiet",
                       "--db", f"sqlite:///{tmp_path}/p.db", "--html", str(tmp_path / "site"))
    assert done.returncode == 0, done.stderr
    doc = lxml.html.fromstring((tmp_path / "site" / "index.html").read_bytes())
    rows = [row.xpath("./th")[0].text_content() for row in doc.xpath("//table/tbody/tr")]
    assert rows == ["Clean council", "Broken council", "Blocked council"]
    last = doc.xpath("//table/tbody/tr")[-1].text_content()
    assert "not scored" in last
    assert "robots.txt" in doc.xpath("//h2[contains(., 'could not be scored')]/following-sibling::ul[1]")[0].text_content()
