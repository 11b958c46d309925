"""accesscheck.store.Store on a real SQLite file."""

from __future__ import annotations

import pytest

from accesscheck.errors import StoreError
from accesscheck.model import DocumentResult, Finding, PageResult
from accesscheck.store import Store

FAIL = Finding(check="axe/image-alt", pillar="accessibility", outcome="fail",
               message="Images must have alternative text. Fix any of the following: …",
               fingerprint="0123456789abcdef0123", impact="critical", wcag=("1.1.1", "4.1.2"),
               selector="main > img", snippet='<img src="/family.jpg">',
               help_url="https://dequeuniversity.com/rules/axe/4.12/image-alt")
REVIEW = Finding(check="axe/color-contrast", pillar="accessibility", outcome="review",
                 message="Elements must meet minimum color contrast ratio thresholds",
                 fingerprint="fedcba9876543210fedc")

PAGE = PageResult(url="http://127.0.0.1:9/", site="http://127.0.0.1:9", outcome="scanned",
                  final_url="http://127.0.0.1:9/home", status=200, title="Home – Gemeente Ëxample",
                  lang="nl", depth=0, found_via="seed",
                  metrics={"html_bytes": 12345, "requests": 17, "timings": {"load": 812.5}},
                  findings=[FAIL, REVIEW], check_errors={"links": "TimeoutError"})
SKIPPED = PageResult(url="http://127.0.0.1:9/private", site="http://127.0.0.1:9", outcome="skipped",
                     reason="disallowed by robots.txt", depth=1, found_via="link")
DOC = DocumentResult(url="http://127.0.0.1:9/form.pdf", site="http://127.0.0.1:9", kind="pdf",
                     found_on="http://127.0.0.1:9/", status=200, content_type="application/pdf",
                     bytes=482133)
DOC_SKIPPED = DocumentResult(url="http://127.0.0.1:9/x.docx", site="http://127.0.0.1:9", kind="docx",
                             found_on="http://127.0.0.1:9/", reason="not fetched: document limit (1) reached")


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite:///{tmp_path}/x.db"


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    yield s
    s.close()


def test_full_run_round_trip(store):
    store.start_run("run-1", {"max_pages": 5, "include": []}, {"accesscheck": "0.1.0", "axe-core": "4.12.0"})
    store.add_page("run-1", PAGE)
    store.add_page("run-1", SKIPPED)
    store.add_document("run-1", DOC)
    store.add_document("run-1", DOC_SKIPPED)
    store.finish_run("run-1", "completed")

    run = store.load_run("run-1")
    assert run.id == "run-1"
    assert run.status == "completed" and run.error is None
    assert run.started and run.finished and run.finished >= run.started
    assert run.config == {"max_pages": 5, "include": []}
    assert run.versions == {"accesscheck": "0.1.0", "axe-core": "4.12.0"}
    assert run.pages == [PAGE, SKIPPED]
    assert run.documents == [DOC, DOC_SKIPPED]


def test_findings_fields_survive(store):
    store.start_run("r", {}, {})
    store.add_page("r", PAGE)
    (page,) = store.load_run("r").pages
    assert page.findings == [FAIL, REVIEW]
    assert page.findings[0].wcag == ("1.1.1", "4.1.2")          # a tuple again, not a list
    assert page.findings[1].impact is None and page.findings[1].wcag == ()


def test_findings_stay_with_their_page(store):
    other = PageResult(url="http://127.0.0.1:9/b", site="http://127.0.0.1:9", outcome="scanned",
                       findings=[REVIEW])
    store.start_run("r", {}, {})
    store.add_page("r", PAGE)
    store.add_page("r", other)
    pages = store.load_run("r").pages
    assert [p.findings for p in pages] == [[FAIL, REVIEW], [REVIEW]]


def test_runs_are_kept_apart(store):
    store.start_run("a", {}, {})
    store.start_run("b", {}, {})
    store.add_page("a", PAGE)
    store.add_document("b", DOC)
    assert store.load_run("a").documents == [] and store.load_run("a").pages == [PAGE]
    assert store.load_run("b").pages == [] and store.load_run("b").documents == [DOC]
    assert sorted(store.run_ids()) == ["a", "b"]


def test_unfinished_run_is_visible_as_running(store):
    store.start_run("r", {}, {})
    run = store.load_run("r")
    assert run.status == "running" and run.finished is None


def test_finish_with_error(store):
    store.start_run("r", {}, {})
    store.finish_run("r", "error", "no browser")
    run = store.load_run("r")
    assert (run.status, run.error) == ("error", "no browser")


def test_page_readable_from_a_second_store_right_after_add_page(db_url, store):
    store.start_run("r", {}, {})
    store.add_page("r", PAGE)
    reader = Store(db_url)
    try:
        assert reader.load_run("r").pages == [PAGE]
        store.add_page("r", SKIPPED)
        assert reader.load_run("r").pages == [PAGE, SKIPPED]
    finally:
        reader.close()


def test_data_survives_reopening(db_url):
    first = Store(db_url)
    first.start_run("r", {"depth": 1}, {})
    first.add_page("r", PAGE)
    first.close()
    second = Store(db_url)
    try:
        assert second.load_run("r").pages == [PAGE]
    finally:
        second.close()


def test_creates_missing_parent_directories(tmp_path):
    s = Store(f"sqlite:///{tmp_path}/reports/nested/results.db")
    try:
        s.start_run("r", {}, {})
        assert (tmp_path / "reports" / "nested" / "results.db").is_file()
    finally:
        s.close()


@pytest.mark.parametrize("url", ["not a url", ""])
def test_bad_url_is_a_store_error(url):
    with pytest.raises(StoreError, match="not a database URL"):
        Store(url)


def test_unknown_backend_is_a_store_error():
    with pytest.raises(StoreError, match="Cannot open the results store"):
        Store("nosuchdb://localhost/x")


def test_unknown_run_is_a_store_error(store):
    with pytest.raises(StoreError, match="nope"):
        store.load_run("nope")


def test_duplicate_run_id_is_a_store_error(store):
    store.start_run("r", {}, {})
    with pytest.raises(StoreError, match="Cannot write"):
        store.start_run("r", {}, {})
