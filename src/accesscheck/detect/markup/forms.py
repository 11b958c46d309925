"""Labels and required fields (3.3.2 Labels or Instructions, 1.4.1 Use of Color).

A placeholder vanishes as soon as one types and a title shows only on hover, so neither is a
visible label; but a field can also be labelled by the button beside it (G167: a search box),
which markup cannot tell, so these are review. A required-field asterisk needs a visible
explanation (G83) and a required field marked only by its label's colour fails 1.4.1 (F81) for
the many people who cannot see the difference; both are review, for colour is judged from the
computed style of the labels only.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from accesscheck.detect.markup import Problem, phrases, problem

_CONTROLS = ("//input[not(@type='hidden' or @type='submit' or @type='button' or @type='reset' or @type='image')]"
             " | //select | //textarea")


def _label_text(control: Any, root: Any) -> str | None:
    """The text of the control's label element or aria-labelledby, None when it has neither."""
    texts = []
    ident = control.get("id")
    if ident:
        texts += [label.text_content() for label in root.xpath("//label[@for=$i]", i=ident)]
    texts += [label.text_content() for label in control.iterancestors("label")]
    for ref in (control.get("aria-labelledby") or "").split():
        texts += [e.text_content() for e in root.xpath("//*[@id=$i]", i=ref)]
    joined = " ".join(t.strip() for t in texts if t.strip())
    return joined or None


def form_problems(root: Any, lang: str | None, styles: dict[str, Any] | None) -> list[Problem]:
    required_words = phrases(lang, "required_words")
    found: list[Problem] = []
    starred = []
    for control in root.xpath(_CONTROLS):
        if control.xpath("ancestor-or-self::*[@hidden or @aria-hidden='true']"):
            continue
        label = _label_text(control, root)
        if label is None and not (control.get("aria-label") or "").strip():
            if (control.get("placeholder") or "").strip():
                found.append(problem("label-placeholder-only", "review",
                                     f"This field's only label is its placeholder ('{control.get('placeholder')}'), "
                                     "which disappears as soon as someone types and is often too faint to read. Give "
                                     "it a visible <label>.", control))
            elif (control.get("title") or "").strip():
                found.append(problem("label-title-only", "review",
                                     f"This field is labelled only by its title ('{control.get('title')}'), which is "
                                     "shown only on mouse hover. Give it a visible <label>.", control))
        elif label and "*" in label:
            starred.append(control)
    page_text = re.sub(r"\s+", " ", root.text_content()).lower()
    if starred and not _asterisk_explained(page_text, required_words):
        found.append(problem("required-asterisk-unexplained", "review",
                             f"{len(starred)} field label{'s are' if len(starred) > 1 else ' is'} marked with an "
                             "asterisk (*) but the page never says what the asterisk means. Say 'Fields marked * are "
                             "required' before the form, or write 'required' in the label.", starred[0]))
    found += _colour_only(styles, required_words)
    return found


def _asterisk_explained(text: str, required_words: frozenset[str]) -> bool:
    alternatives = "|".join(re.escape(w) for w in sorted(required_words, key=len, reverse=True)) or r"(?!x)x"
    return re.search(rf"\*[^*]{{0,80}}?(?:{alternatives})|(?:{alternatives})[^*]{{0,80}}?\*", text) is not None


def _colour_only(styles: dict[str, Any] | None, required_words: frozenset[str]) -> list[Problem]:
    by_form: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for label in (styles or {}).get("labels", []):
        by_form[label["form"]].append(label)
    found = []
    for labels in by_form.values():
        required = [item for item in labels if item["required"]]
        optional = {item["color"] for item in labels if not item["required"]}
        if not required or not optional or {item["color"] for item in required} & optional:
            continue
        if any("*" in item["label"] or any(w in item["label"].lower() for w in required_words) for item in required):
            continue
        first = required[0]
        found.append(problem("required-colour-only", "review",
                             f"{len(required)} required field{'s are' if len(required) > 1 else ' is'} shown as required "
                             f"only by the colour of {'their labels' if len(required) > 1 else 'its label'} "
                             f"({first['color']}, other labels {', '.join(sorted(optional))}). People who cannot see the "
                             "difference do not know which fields they must fill in.", where=first["selector"],
                             snippet=first["label"]))
    return found
