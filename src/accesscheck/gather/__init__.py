"""Gatherers: everything that needs the live browser, collected once per page into a PageSnapshot.

    network  the CDP network log, with encoded bytes per request      (gather/network.py)
    dom      title, lang, rendered HTML, visible text, links          (gather/dom.py)
    axe      axe-core results for the page and its frames             (gather/axe.py)

A check names the gatherers it needs in `requires`; the scan runs only the ones some enabled
check needs (dom and network always run: the crawl needs links, every page reports its weight).
"""

GATHERERS = ("network", "dom", "axe")
ALWAYS = frozenset({"network", "dom"})
