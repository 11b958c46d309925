"""Gatherers: everything that needs the live browser, collected once per page into a PageSnapshot.

    network  the CDP network log, with encoded bytes per request      (gather/network.py)
    dom      title, lang, rendered HTML, visible text, links          (gather/dom.py)
    axe      axe-core results for the page and its frames             (gather/axe.py)
    source   the document as the server sent it, for the HTML parser  (gather/source.py)
    text_styles  font size/weight of stand-alone text, label colours  (gather/text_styles.py)

The interaction probes (gather/probes.py) are optional gatherers that operate the page: keyboard
walk, changes of context, text spacing and zoom, motion, orientation, contrast over images.

Optional gatherers implement `Gatherer` (a hook before navigation, a collection after load) and
are registered in `gather/visit.py` under the name of the PageSnapshot field they fill. A check
names the gatherers it needs in `requires`; the scan runs only the ones some enabled check needs
(dom and network always run: the crawl needs links, every page reports its weight).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from accesscheck.engine import Context, Engine, Page, Tab

ALWAYS = frozenset({"network", "dom"})


@dataclass(frozen=True, slots=True)
class GatherEnv:
    """What a gatherer may use besides the page: the pool (for a second context), the worker's
    warm tab (its JavaScript-off page), the URL being checked and the visit's viewport and
    User-Agent."""

    pool: Engine
    url: str
    viewport: tuple[int, int]
    user_agent: str | None
    standard: str = "wcag22aa"  # the conformance target (accesscheck.conformance): axe's rule tags
    tab: Tab | None = None


class Gatherer(Protocol):
    async def prepare(self, context: Context) -> None:
        """Before navigation (e.g. an init script that installs PerformanceObservers)."""

    async def collect(self, page: Page, env: GatherEnv) -> Any:
        """After load; the value is stored in the PageSnapshot field named like the gatherer."""
