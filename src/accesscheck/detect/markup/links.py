"""Link purpose (WCAG 2.4.4) and links that open new windows (G201).

A link's purpose may come from its name alone or from its *programmatically determined context*
(WCAG's definition: the same sentence, paragraph, list or table cell; technique H80 adds the
heading before it). So a vague name ("click here", F84) is a certain 2.4.4 failure only when no
such context can tell it apart (F63): nothing in its block explains it, and there is no heading
before it or that heading also stands before another link of the same name going elsewhere.
With context it is left for a person to judge (and it still fails 2.4.9, AAA).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from urllib.parse import urldefrag, urljoin

from accesscheck.detect.dom import HEADINGS
from accesscheck.detect.markup import Problem, normalise, phrases, problem
from accesscheck.detect.markup.accname import name_of, text_near

_CONTEXT_BLOCKS = ("p", "li", "td", "th", "dd", "dt", "blockquote", "figcaption", "caption", "label", "legend")
_SAME_WINDOW = ("", "_self", "_parent", "_top")


def _visible_links(root: Any) -> list[Any]:
    return [a for a in root.xpath("//a[@href] | //area[@href]")
            if not a.xpath("ancestor-or-self::*[@hidden or @aria-hidden='true']")]


def _block_context(link: Any, root: Any) -> str:
    """The link's sentence, paragraph, list or cell (and aria-describedby), without its own text."""
    parts = []
    described = link.get("aria-describedby")
    if described:
        parts += [" ".join(e.text_content() for e in root.xpath("//*[@id=$i]", i=i)) for i in described.split()]
    own = normalise(link.text_content())
    for block in (a for a in link.iterancestors() if a.tag in _CONTEXT_BLOCKS):
        if block.tag == "li":
            block = next((a for a in block.iterancestors() if a.tag in ("ul", "ol", "menu")), block)
        text = normalise(block.text_content()).replace(own, " ", 1)
        if block.tag in ("td", "th") and block.xpath("ancestor::table[1]//th"):
            text += " (table headers)"
        if any(c.isalnum() for c in text):
            parts.append(text)
            break  # the innermost block that says something (a paragraph inside a list item: the list)
    return " ".join(p.strip() for p in parts if any(c.isalnum() for c in p))


def _heading_before(link: Any) -> Any:
    """The nearest heading before the link among its and its containers' earlier siblings (H80)."""
    node = link
    for _ in range(3):
        for sibling in node.itersiblings(preceding=True):
            if isinstance(sibling.tag, str) and (sibling.tag in HEADINGS or sibling.get("role") == "heading"):
                return sibling
        node = node.getparent()
        if node is None:
            return None
    return None


def _destination(link: Any, base: str) -> str:
    url = urldefrag(urljoin(base, link.get("href", "").strip()))[0]
    return url.rstrip("/")


def link_problems(root: Any, lang: str | None, base_url: str) -> list[Problem]:
    generic = phrases(lang, "generic_link_text")
    warnings = phrases(lang, "new_window_words")
    found: list[Problem] = []
    by_name: dict[str, list[tuple[Any, str, str]]] = defaultdict(list)
    vague: list[tuple[Any, str, str, Any]] = []
    for link in _visible_links(root):
        name = name_of(link, root)
        key = normalise(name)
        if not key:
            continue  # no name at all is axe's link-name
        if key in generic:
            vague.append((link, name, _block_context(link, root), _heading_before(link)))
        else:
            by_name[key].append((link, name, _block_context(link, root)))
        target = (link.get("target") or "").strip().lower()
        if target not in _SAME_WINDOW:
            told = " ".join([name, link.get("title") or "", text_near(link)]).lower()
            if not any(w in told for w in warnings):
                found.append(problem("new-window-unannounced", "review",
                                     f"The link '{name}' opens a new window or tab (target=\"{target}\") without saying "
                                     "so. People using screen readers or magnification may not notice the new window "
                                     "and find the Back button does nothing.", link))
    found += _vague_links(vague, base_url)
    for links in by_name.values():
        destinations = {_destination(link, base_url) for link, _, _ in links}
        contexts = [context for _, _, context in links]
        if len(destinations) < 2 or len(set(contexts)) == len(contexts) and all(contexts):
            continue  # one destination, or each link explained by its own context
        link, name, _ = links[1]
        shown = ", ".join(sorted(destinations)[:3])
        found.append(problem("link-text-ambiguous", "review",
                             f"{len(links)} links on this page are called '{name}' but go to {len(destinations)} "
                             f"different places ({shown}{', …' if len(destinations) > 3 else ''}). People who list the "
                             "links cannot tell them apart.", link))
    return found


def _vague_links(vague: list[tuple[Any, str, str, Any]], base_url: str) -> list[Problem]:
    destinations_under: dict[tuple[Any, str], set[str]] = defaultdict(set)
    for link, name, _, heading in vague:
        if heading is not None:
            destinations_under[(heading, normalise(name))].add(_destination(link, base_url))
    found = []
    for link, name, context, heading in vague:
        shared = heading is not None and len(destinations_under[(heading, normalise(name))]) > 1
        if not context and (heading is None or shared):
            why = (f"the heading '{heading.text_content().strip()[:60]}' before it also stands before other "
                   f"'{name}' links going elsewhere") if shared else "there is no heading before it"
            found.append(problem("link-text-generic", "fail",
                                 f"The link text '{name}' does not say where the link goes, and nothing around it "
                                 f"explains it: it is alone in its block and {why}.", link))
        else:
            found.append(problem("link-text-generic", "review",
                                 f"The link text '{name}' does not say where the link goes. Its surroundings may explain "
                                 "it, but people who list a page's links (as screen-reader users do) hear only the link "
                                 "text; check it, and prefer text that names the destination.", link))
    return found
