"""Instructions that rely on colour, shape or position (1.3.3, F14 and F26), found by the
language's patterns (data/languages/*.toml [content] sensory) in the page's text blocks.

Always review: "the button on the right" fails only when nothing else names the button, which
needs a person to judge.
"""

from __future__ import annotations

from typing import Any

from accesscheck.detect.dom import blocks
from accesscheck.detect.lexicon import regex_pattern, words
from accesscheck.detect.markup import Problem, problem


def sensory_problems(root: Any, lang: str | None) -> list[Problem]:
    pattern = regex_pattern(tuple(words(lang, "content", "sensory")))
    found = []
    for block in blocks(root):
        match = pattern.search(block.text)
        if match:
            found.append(problem("sensory-instructions", "review",
                                 f"'{match.group(0)}' tells people to find something by its colour, shape or position. "
                                 "People who cannot see it, or who see the page rearranged or magnified, cannot follow "
                                 "this; name the control by its text as well.", block.element,
                                 snippet=block.text[:300]))
    return found
