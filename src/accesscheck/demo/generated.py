"""Files of the demo portal made when they are served, not kept in the repository: large and
repetitive, they would only weigh down every checkout.

    /services/online/centre-finder.bundle.js   710,882 bytes of map data the page never shows (the
                                               heavy, render-blocking script of ground_truth_bandwidth.json)
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

POINTS = 6200  # recycling points: the bundle's 710,882 bytes


@cache
def centre_finder_bundle() -> bytes:
    """The same bytes on every call and in every process (the bandwidth ground truth counts them)."""
    rows = ",\n".join(
        f'{{"id":{i},"name":"Recycling point {i}","lat":{51 + (i % 997) / 1000:.3f},'
        f'"lng":{-3 + (i % 991) / 1000:.3f},"accepts":["glass","paper","cans","textiles"]}}'
        for i in range(POINTS))
    return ("/* centre-finder 2.3.1: bundled data for a map the page does not show */\n"
            f"window.recyclingPoints = [\n{rows}\n];\n").encode()


GENERATED: dict[str, Callable[[], bytes]] = {"/services/online/centre-finder.bundle.js": centre_finder_bundle}
