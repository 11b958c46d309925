"""What the channels and inclusion page checks cost per page, as a ratio to parsing the page once
with lxml (the floor any HTML check pays), measured in the same run on the demo portal's pages.

    PYTHONPATH=src python tests/detect/bench_checks.py
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import lxml.html

from accesscheck.checks.channels import page_channels
from accesscheck.checks.inclusion import page_inclusion
from accesscheck.demo import site_root
from accesscheck.model import PageSnapshot

ROUNDS = 5


def _snapshots() -> list[PageSnapshot]:
    snaps = []
    for path in sorted(site_root().rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        lang = html.split('lang="', 1)[1].split('"', 1)[0] if 'lang="' in html else None
        url = "http://127.0.0.1/" + path.relative_to(site_root()).as_posix()
        snaps.append(PageSnapshot(url=url, final_url=url, status=200, html=html, lang=lang, title=path.stem))
    return snaps


def _per_page_ms(work: Callable[[PageSnapshot], object], snaps: list[PageSnapshot]) -> float:
    rounds = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for snap in snaps:
            work(snap)
        rounds.append((time.perf_counter() - start) * 1000 / len(snaps))
    return statistics.median(rounds)


def main() -> None:
    snaps = _snapshots()
    page_inclusion(snaps[0])  # load the language models and the pronouncing dictionary once
    floor = _per_page_ms(lambda s: lxml.html.document_fromstring(s.html), snaps)
    channels = _per_page_ms(page_channels, snaps)
    inclusion = _per_page_ms(page_inclusion, snaps)
    print(f"{len(snaps)} demo pages, median of {ROUNDS} rounds")
    print(f"lxml parse (reference)  {floor:7.2f} ms/page  1.0x")
    print(f"channels page check     {channels:7.2f} ms/page  {channels / floor:.1f}x")
    print(f"inclusion page check    {inclusion:7.2f} ms/page  {inclusion / floor:.1f}x")


if __name__ == "__main__":
    main()
