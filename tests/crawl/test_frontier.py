"""accesscheck.crawl.frontier.Frontier: ordering, de-duplication, limits, robots, redirects and
per-host politeness. Nothing is fetched: the frontier only hands out URLs."""

from __future__ import annotations

import asyncio

import pytest

from accesscheck.config import ScanConfig, SiteConfig
from accesscheck.crawl.frontier import Frontier
from accesscheck.crawl.priority import IMPORTANT, ORDINARY
from accesscheck.crawl.robots import parse_robots
from accesscheck.model import DocumentResult, PageResult

O = "http://127.0.0.1:9"


def make(*seeds: str, site_max_pages: int | None = None, **options) -> tuple[Frontier, object]:
    options.setdefault("per_host_concurrency", 50)
    config = ScanConfig(sites=(SiteConfig(seeds=seeds or (f"{O}/",), max_pages=site_max_pages),), **options)
    frontier = Frontier(config)
    return frontier, frontier.sites[0]


def drain(frontier: Frontier) -> list:
    """Take everything the frontier hands out, marking each done at once."""
    async def go():
        items = []
        while (item := await asyncio.wait_for(frontier.take(), 5)) is not None:
            items.append(item)
            await frontier.done(item)
        return items
    return asyncio.run(go())


def link(frontier, site, path, *, depth=1, rank=ORDINARY, found_on=f"{O}/"):
    frontier.offer(site, f"{O}{path}", depth=depth, found_via="link", rank=rank, found_on=found_on)


# -- ordering and de-duplication --------------------------------------------------------------

def test_seed_first_then_priority_rank_then_depth():
    frontier, site = make(depth=5)
    link(frontier, site, "/ordinary-shallow", depth=1, rank=ORDINARY)
    link(frontier, site, "/important-deep", depth=3, rank=IMPORTANT)
    link(frontier, site, "/ordinary-deep", depth=2, rank=ORDINARY)
    link(frontier, site, "/important-shallow", depth=1, rank=IMPORTANT)
    frontier.add_seeds(site)            # seeds added last still go first
    order = [item.url for item in drain(frontier)]
    assert order == [f"{O}/", f"{O}/important-shallow", f"{O}/important-deep",
                     f"{O}/ordinary-shallow", f"{O}/ordinary-deep"]


def test_equal_rank_and_depth_keep_discovery_order():
    frontier, site = make()
    for name in ("c", "a", "b"):
        link(frontier, site, f"/{name}")
    assert [item.url for item in drain(frontier)] == [f"{O}/c", f"{O}/a", f"{O}/b"]


def test_seed_item_fields():
    frontier, site = make()
    frontier.add_seeds(site)
    (item,) = drain(frontier)
    assert (item.url, item.depth, item.found_via, item.kind, item.site) == (f"{O}/", 0, "seed", "page", site)


def test_spellings_of_one_url_are_queued_once():
    frontier, site = make()
    for url in (f"{O}/about", f"{O}/about/", f"{O}/about#team", f"{O}/about?utm_source=mail",
                "HTTP://127.0.0.1:9/about", f"{O}/about/?fbclid=x#y"):
        frontier.offer(site, url, depth=1, found_via="link", rank=ORDINARY)
    items = drain(frontier)
    assert [item.url for item in items] == [f"{O}/about"]
    assert frontier.pop_skipped() == []


def test_query_order_spellings_are_one_url():
    frontier, site = make()
    link(frontier, site, "/s?b=2&a=1")
    link(frontier, site, "/s?a=1&b=2")
    assert [item.url for item in drain(frontier)] == [f"{O}/s?a=1&b=2"]


def test_non_http_and_out_of_scope_links_are_not_pages_of_the_scan():
    frontier, site = make()
    for url in ("mailto:help@example.gov", "javascript:void(0)", "https://other.gov/page"):
        frontier.offer(site, url, depth=1, found_via="link", rank=ORDINARY)
    assert drain(frontier) == []
    assert frontier.pop_skipped() == []


# -- depth and page budget --------------------------------------------------------------------

def test_depth_limit():
    frontier, site = make(depth=1)
    link(frontier, site, "/one", depth=1)
    link(frontier, site, "/two", depth=2)
    assert [item.url for item in drain(frontier)] == [f"{O}/one"]
    assert frontier.pop_skipped() == []     # beyond the depth: not a page of this scan


def test_too_deep_first_does_not_block_a_shallower_find():
    frontier, site = make(depth=1)
    link(frontier, site, "/page", depth=2)
    link(frontier, site, "/page", depth=1)
    items = drain(frontier)
    assert [(item.url, item.depth) for item in items] == [(f"{O}/page", 1)]


def test_depth_zero_means_only_the_seeds():
    frontier, site = make(f"{O}/", f"{O}/contact", depth=0)
    frontier.add_seeds(site)
    link(frontier, site, "/found", depth=1)
    assert [item.url for item in drain(frontier)] == [f"{O}/", f"{O}/contact"]


def test_max_pages_turns_the_rest_into_skipped_results():
    frontier, site = make(max_pages=2)
    frontier.add_seeds(site)
    for name in ("a", "b", "c"):
        link(frontier, site, f"/{name}")
    taken = [item.url for item in drain(frontier)]
    assert taken == [f"{O}/", f"{O}/a"]
    skipped = frontier.pop_skipped()
    assert sorted(r.url for r in skipped) == [f"{O}/b", f"{O}/c"]
    for result in skipped:
        assert isinstance(result, PageResult)
        assert result.outcome == "skipped"
        assert "page limit" in result.reason and "2" in result.reason
        assert (result.depth, result.found_via, result.site) == (1, "link", O)
    assert frontier.pop_skipped() == []     # popped once


def test_link_found_after_the_budget_is_spent_is_skipped_too():
    frontier, site = make(max_pages=1)
    frontier.add_seeds(site)
    items = drain(frontier)
    assert len(items) == 1
    link(frontier, site, "/late")
    assert drain(frontier) == []
    (result,) = frontier.pop_skipped()
    assert result.url == f"{O}/late" and "page limit" in result.reason


def test_site_max_pages_overrides_the_scan_budget():
    frontier, site = make(max_pages=10, site_max_pages=1)
    frontier.add_seeds(site)
    link(frontier, site, "/a")
    assert len(drain(frontier)) == 1
    (result,) = frontier.pop_skipped()
    assert "page limit (1)" in result.reason


# -- robots and traps --------------------------------------------------------------------------

def test_robots_disallowed_page_recorded_with_reason():
    frontier, site = make()
    frontier.set_robots(site, parse_robots("User-agent: *\nDisallow: /private/\n"))
    link(frontier, site, "/private/report", depth=1)
    link(frontier, site, "/public")
    assert [item.url for item in drain(frontier)] == [f"{O}/public"]
    (result,) = frontier.pop_skipped()
    assert (result.url, result.outcome, result.reason) == (f"{O}/private/report", "skipped",
                                                          "disallowed by robots.txt")


def test_robots_ignored_when_not_respected():
    frontier, site = make(respect_robots=False)
    frontier.set_robots(site, parse_robots("User-agent: *\nDisallow: /\n"))
    link(frontier, site, "/private/report")
    assert [item.url for item in drain(frontier)] == [f"{O}/private/report"]
    assert frontier.pop_skipped() == []


def test_robots_skip_is_recorded_once():
    frontier, site = make()
    frontier.set_robots(site, parse_robots("User-agent: *\nDisallow: /private/\n"))
    link(frontier, site, "/private/x")
    link(frontier, site, "/private/x/")
    assert len(frontier.pop_skipped()) == 1


def test_crawl_delay_from_robots_is_capped():
    frontier, site = make()
    frontier.set_robots(site, parse_robots("User-agent: *\nCrawl-delay: 2\n"))
    assert site.delay == 2
    frontier.set_robots(site, parse_robots("User-agent: *\nCrawl-delay: 3600\n"))
    assert site.delay == 30.0


def test_crawler_trap_recorded_with_reason():
    frontier, site = make(max_query_variants=2)
    for day in (1, 2, 3):
        link(frontier, site, f"/calendar?day={day}")
    assert len(drain(frontier)) == 2
    (result,) = frontier.pop_skipped()
    assert result.url == f"{O}/calendar?day=3" and result.reason.startswith("crawler trap")


# -- documents -----------------------------------------------------------------------------------

def test_documents_queued_as_documents_and_not_counted_as_pages():
    frontier, site = make(max_pages=1, depth=1)
    frontier.add_seeds(site)
    link(frontier, site, "/forms/a.pdf", found_on=f"{O}/forms")
    link(frontier, site, "/forms/b.DOCX", found_on=f"{O}/forms")
    link(frontier, site, "/forms/deep.pdf", depth=7)      # documents are recorded at any depth
    items = drain(frontier)
    kinds = {item.url: item.kind for item in items}
    assert kinds == {f"{O}/": "page", f"{O}/forms/a.pdf": "document",
                     f"{O}/forms/b.DOCX": "document", f"{O}/forms/deep.pdf": "document"}
    assert next(i for i in items if i.url.endswith("a.pdf")).found_on == f"{O}/forms"
    assert site.pages_taken == 1
    assert frontier.pop_skipped() == []      # no page limit reached by documents


def test_max_documents_limit():
    frontier, site = make(max_documents=2)
    for name in ("a", "b", "c", "d"):
        link(frontier, site, f"/{name}.pdf")
    items = drain(frontier)
    assert [i.url for i in items] == [f"{O}/a.pdf", f"{O}/b.pdf"]
    skipped = frontier.pop_skipped()
    assert [r.url for r in skipped] == [f"{O}/c.pdf", f"{O}/d.pdf"]
    for result in skipped:
        assert isinstance(result, DocumentResult)
        assert result.kind == "pdf"
        assert result.reason == "not fetched: document limit (2) reached"


def test_robots_disallowed_document_recorded():
    frontier, site = make()
    frontier.set_robots(site, parse_robots("User-agent: *\nDisallow: /internal/\n"))
    link(frontier, site, "/internal/memo.pdf", found_on=f"{O}/news")
    assert drain(frontier) == []
    (result,) = frontier.pop_skipped()
    assert isinstance(result, DocumentResult)
    assert result.reason == "not fetched: disallowed by robots.txt"
    assert result.found_on == f"{O}/news"


# -- after redirects ---------------------------------------------------------------------------

def test_claim_final_url_without_redirect():
    frontier, site = make()
    link(frontier, site, "/a")
    (item,) = drain(frontier)
    assert frontier.claim_final_url(item, f"{O}/a/") is None     # same page, another spelling


def test_redirect_to_an_already_claimed_page():
    frontier, site = make()
    for name in ("old", "new", "other-old"):
        link(frontier, site, f"/{name}")
    old, new, other_old = drain(frontier)
    assert frontier.claim_final_url(old, f"{O}/new") is None           # /old -> /new: checked once
    assert frontier.claim_final_url(new, f"{O}/new") == "already scanned (reached earlier through a redirect)"
    reason = frontier.claim_final_url(other_old, f"{O}/new")
    assert reason == f"redirects to {O}/new, which is already scanned"


def test_redirect_target_is_not_queued_again():
    frontier, site = make()
    link(frontier, site, "/old")
    (old,) = drain(frontier)
    assert frontier.claim_final_url(old, f"{O}/moved") is None
    link(frontier, site, "/moved")
    assert drain(frontier) == []


def test_redirect_out_of_scope():
    frontier, site = make()
    link(frontier, site, "/leave")
    (item,) = drain(frontier)
    reason = frontier.claim_final_url(item, "https://login.other.gov/sso")
    assert reason == "redirected out of scope to https://login.other.gov/sso"


def test_redirect_to_www_variant_is_in_scope():
    frontier, site = make("http://example.gov/")
    frontier.add_seeds(site)
    (item,) = drain(frontier)
    assert frontier.claim_final_url(item, "https://www.example.gov/") is None


# -- take(): end of crawl and per-host concurrency ---------------------------------------------

def test_take_returns_none_when_empty_and_nothing_in_flight():
    frontier, _ = make()
    assert asyncio.run(asyncio.wait_for(frontier.take(), 1)) is None


def test_take_waits_while_a_page_is_in_flight_then_ends():
    """A page in flight may still discover links, so an empty queue is not yet the end."""
    async def go():
        frontier, site = make()
        frontier.add_seeds(site)
        first = await frontier.take()
        waiting = asyncio.create_task(frontier.take())
        await asyncio.sleep(0.1)
        assert not waiting.done()
        link(frontier, site, "/discovered")
        await frontier.done(first)
        second = await asyncio.wait_for(waiting, 5)
        assert second.url == f"{O}/discovered"
        await frontier.done(second)
        assert await asyncio.wait_for(frontier.take(), 5) is None
    asyncio.run(go())


def test_per_host_concurrency_one():
    async def go():
        frontier, site = make(f"{O}/", f"{O}/second", per_host_concurrency=1)
        frontier.add_seeds(site)
        first = await asyncio.wait_for(frontier.take(), 5)
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(frontier.take(), 0.2)
        waiting = asyncio.create_task(frontier.take())
        await asyncio.sleep(0.1)
        assert not waiting.done()
        await frontier.done(first)
        second = await asyncio.wait_for(waiting, 5)
        assert (first.url, second.url) == (f"{O}/", f"{O}/second")
        await frontier.done(second)
    asyncio.run(go())


def test_per_host_concurrency_two_allows_two_at_once():
    async def go():
        frontier, site = make(f"{O}/", f"{O}/second", f"{O}/third", per_host_concurrency=2)
        frontier.add_seeds(site)
        a = await asyncio.wait_for(frontier.take(), 5)
        b = await asyncio.wait_for(frontier.take(), 5)
        assert {a.url, b.url} == {f"{O}/", f"{O}/second"}
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(frontier.take(), 0.2)
    asyncio.run(go())


def test_per_host_limit_does_not_block_another_site():
    async def go():
        config = ScanConfig(sites=(SiteConfig(seeds=(f"{O}/",)), SiteConfig(seeds=("http://127.0.0.1:10/",))),
                            per_host_concurrency=1)
        frontier = Frontier(config)
        for site in frontier.sites:
            frontier.add_seeds(site)
        a = await asyncio.wait_for(frontier.take(), 5)
        b = await asyncio.wait_for(frontier.take(), 5)
        assert {a.url, b.url} == {f"{O}/", "http://127.0.0.1:10/"}
    asyncio.run(go())
