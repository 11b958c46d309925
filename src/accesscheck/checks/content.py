"""Content and markup: what a page says and how its markup carries it, beyond axe-core.

Page check `content` (the rendered DOM and the `text_styles` gatherer):
    content/link-text-generic          "click here", "read more": fail with no context (F63/F84), else review (2.4.4)
    content/link-text-ambiguous        one link text, different destinations (2.4.4, review)
    content/new-window-unannounced     target=_blank with no warning (G201, review)
    content/alt-file-name              alt is a file name (1.1.1, F30)
    content/alt-placeholder            alt is "image", "photo", "spacer"... (1.1.1, F30)
    content/alt-redundant              alt repeats the text beside it (1.1.1, review)
    content/image-of-text              a raster image whose name says it is words (1.4.5, review)
    content/fake-heading               text styled as a heading, not marked up as one (1.3.1, F2, review)
    content/layout-table               a table laying out the page, exposed as a data table (1.3.1, review)
    content/presentational-markup      <font>, <center>... (1.3.1, review)
    content/label-placeholder-only     a field labelled only by its placeholder (3.3.2, review)
    content/label-title-only           a field labelled only by its title (3.3.2, review)
    content/required-asterisk-unexplained  "*" on labels, never explained (3.3.2, G83, review)
    content/required-colour-only       required fields shown only by label colour (1.4.1, F81, review)
    content/sensory-instructions       "the green button", "on the right" (1.3.3, F14/F26, review)
Page check `content/parsing` (the document as sent; WCAG 2.0/2.1 only, the standard filter drops
4.1.1 for 2.2 targets):
    content/parse-error                an element left open, misnested or with a duplicate attribute (F70)
    content/duplicate-id               a duplicated id that a label, ARIA or focus relies on (F77)

Detection lives in accesscheck.detect.markup; words by language in data/languages/*.toml
[content], thresholds in data/content.toml.
"""

from __future__ import annotations

from collections import Counter

from accesscheck.catalogue import Entry
from accesscheck.checks import Check, Evaluation
from accesscheck.detect.dom import parse
from accesscheck.detect.markup import Problem
from accesscheck.detect.markup.forms import form_problems
from accesscheck.detect.markup.images import image_problems
from accesscheck.detect.markup.links import link_problems
from accesscheck.detect.markup.parsing import duplicate_ids, parse_errors
from accesscheck.detect.markup.sensory import sensory_problems
from accesscheck.detect.markup.structure import fake_headings, layout_tables, presentational_markup
from accesscheck.fingerprint import element_identity, fingerprint
from accesscheck.model import Finding, PageSnapshot

_PILLAR = "accessibility"
_UNDERSTANDING = "https://www.w3.org/WAI/WCAG22/Understanding/"
_TECHNIQUES = "https://www.w3.org/WAI/WCAG22/Techniques/"


def _entry(name: str, title: str, explanation: str, fix: str, impact: str, outcomes: tuple[str, ...],
           wcag: tuple[str, ...], help_url: str, act: tuple[str, ...] = ()) -> Entry:
    return Entry(id=f"content/{name}", pillar=_PILLAR, title=title, explanation=explanation, fix=fix, impact=impact,
                 outcomes=outcomes, wcag=wcag, act=act, help_url=help_url)


CONTENT_ENTRIES = (
    _entry("link-text-generic", "Link text does not say where the link goes",
           "Screen-reader users often move through a page's links as a list; 'click here' or 'read more' on "
           "its own tells them nothing.", "Write link text that names the destination ('Pay your council tax').",
           "serious", ("fail", "review"), ("2.4.4",), _TECHNIQUES + "failures/F63"),
    _entry("link-text-ambiguous", "The same link text leads to different places",
           "Links with the same text sound the same in a list of links; people cannot tell which one to follow.",
           "Give each destination its own link text, or make links to one place share one text.",
           "moderate", ("review",), ("2.4.4",), _UNDERSTANDING + "link-purpose-in-context"),
    _entry("new-window-unannounced", "A link opens a new window without warning",
           "A window that opens unannounced disorients people using screen readers or magnifiers: the Back "
           "button stops working and they may not know where they are.",
           "Say '(opens in a new tab)' in the link text, or open the link in the same window.",
           "minor", ("review",), (), _TECHNIQUES + "general/G201"),
    _entry("alt-file-name", "An image's text alternative is a file name",
           "A blind person hears 'IMG_2041.jpg' instead of what the picture shows.",
           "Describe what the image shows or does; give decorative images alt=\"\".",
           "serious", ("fail",), ("1.1.1",), _TECHNIQUES + "failures/F30", act=("qt1vmo",)),
    _entry("alt-placeholder", "An image's text alternative is a placeholder word",
           "'Image' or 'photo' says there is a picture but not what it shows or does.",
           "Describe what the image shows or does; give decorative images alt=\"\".",
           "serious", ("fail",), ("1.1.1",), _TECHNIQUES + "failures/F30", act=("qt1vmo",)),
    _entry("alt-redundant", "An image's text alternative repeats the text beside it",
           "Screen readers say the same words twice, which slows people down and confuses them.",
           "Give the image alt=\"\" when the text beside it already says what it says.",
           "minor", ("review",), ("1.1.1",), _TECHNIQUES + "html/H2"),
    _entry("image-of-text", "Text shown as a picture",
           "Words in an image cannot be enlarged, recoloured, spaced or reflowed, so people with low vision or "
           "dyslexia cannot adapt them; they blur when zoomed.",
           "Use real text styled with CSS; keep images of text for logos.",
           "moderate", ("review",), ("1.4.5",), _UNDERSTANDING + "images-of-text", act=("0va7u6",)),
    _entry("fake-heading", "Text looks like a heading but is not marked up as one",
           "Screen-reader users jump between headings to find their way; text that only looks like a heading is "
           "invisible to them.", "Mark headings up with h1–h6 in their order.",
           "moderate", ("review",), ("1.3.1",), _TECHNIQUES + "failures/F2"),
    _entry("layout-table", "A table is used for layout",
           "Screen readers announce a layout table's rows and columns, so the content is read as a grid of "
           "cells that have nothing to do with each other.",
           "Lay the page out with CSS; if a table must stay, give it role=\"presentation\" and no header cells.",
           "minor", ("review",), ("1.3.1",), _TECHNIQUES + "failures/F46"),
    _entry("presentational-markup", "Markup that only changes how text looks",
           "Emphasis, warnings or structure shown with <font> or <center> are lost to people who do not see the "
           "page.", "Use structural markup (headings, strong, em) and CSS.",
           "minor", ("review",), ("1.3.1",), _TECHNIQUES + "failures/F43"),
    _entry("label-placeholder-only", "A form field is labelled only by its placeholder",
           "The placeholder disappears as soon as someone types, so people who lose track (memory, attention, "
           "magnification) no longer know what the field is for; it is often too faint to read.",
           "Give every field a visible <label>.", "serious", ("review",), ("3.3.2",),
           _UNDERSTANDING + "labels-or-instructions"),
    _entry("label-title-only", "A form field is labelled only by its title",
           "A title is shown only on mouse hover: keyboard, touch and screen-magnifier users never see it.",
           "Give every field a visible <label>.", "serious", ("review",), ("3.3.2",),
           _UNDERSTANDING + "labels-or-instructions"),
    _entry("required-asterisk-unexplained", "Required fields are marked with an unexplained asterisk",
           "Not everyone knows that * means required; people send the form, get errors and may give up.",
           "Say 'Fields marked * are required' before the form, or write 'required' in each label.",
           "moderate", ("review",), ("3.3.2",), _TECHNIQUES + "general/G83"),
    _entry("required-colour-only", "Required fields are shown only by colour",
           "People who are colour-blind or cannot see the page cannot tell which fields they must fill in.",
           "Add a text mark ('required', or * explained before the form) and set the required attribute.",
           "serious", ("review",), ("1.4.1",), _TECHNIQUES + "failures/F81"),
    _entry("sensory-instructions", "Instructions rely on colour, shape or position",
           "'Press the green button' or 'see the box on the right' cannot be followed by people who cannot see "
           "colour or layout, or who see the page rearranged on a phone or magnified.",
           "Name controls by their text as well ('press Continue').", "moderate", ("review",), ("1.3.3",),
           _TECHNIQUES + "failures/F14"),
)

PARSING_ENTRIES = (
    _entry("parse-error", "Markup is not closed or nested as HTML requires",
           "Browsers and assistive technology repair broken markup each in their own way, so a screen reader "
           "may present a different structure from the one the page shows (WCAG 2.0/2.1 4.1.1).",
           "Close every element in order and drop duplicate attributes; an HTML validator lists them.",
           "minor", ("fail",), ("4.1.1",), _TECHNIQUES + "failures/F70"),
    _entry("duplicate-id", "A duplicated id is used by a label, ARIA or focus",
           "When two elements share an id, a label or description may be attached to the wrong one and a "
           "screen reader announces the wrong name (WCAG 2.0/2.1 4.1.1).",
           "Give every element a unique id.", "serious", ("fail",), ("4.1.1",), _TECHNIQUES + "failures/F77"),
)
_ENTRY = {e.id: e for e in (*CONTENT_ENTRIES, *PARSING_ENTRIES)}


def _findings(snapshot: PageSnapshot, problems: list[Problem]) -> list[Finding]:
    findings = []
    occurrences: Counter[tuple[str, str]] = Counter()
    for item in problems:
        entry = _ENTRY[f"content/{item.name}"]
        identity = (entry.id, element_identity(item.selector, item.snippet))
        occurrence = occurrences[identity]
        occurrences[identity] += 1
        findings.append(Finding(check=entry.id, pillar=_PILLAR, outcome=item.outcome, message=item.message,  # type: ignore[arg-type]
                                impact=entry.impact, wcag=entry.wcag, selector=item.selector, snippet=item.snippet,
                                help_url=entry.help_url,
                                fingerprint=fingerprint(entry.id, snapshot.final_url, item.selector, item.snippet,
                                                        occurrence)))
    return findings


def page_content(snapshot: PageSnapshot) -> Evaluation:
    root = parse(snapshot.html)
    lang = snapshot.lang
    problems = [*link_problems(root, lang, snapshot.final_url), *image_problems(root, lang),
                *fake_headings(snapshot.text_styles), *layout_tables(root), *presentational_markup(root),
                *form_problems(root, lang, snapshot.text_styles), *sensory_problems(root, lang)]
    return Evaluation(findings=_findings(snapshot, problems))


def page_parsing(snapshot: PageSnapshot) -> Evaluation:
    return Evaluation(findings=_findings(snapshot, [*parse_errors(snapshot.source), *duplicate_ids(parse(snapshot.html))]))


CHECKS = [
    Check(id="content", pillar=_PILLAR, version=1, requires=("text_styles",),
          title="Content and markup: link text, text alternatives, structure, labels, instructions",
          explanation=("What a page says and how its markup carries it: links that do not say where they go, "
                       "images described by a file name, headings and required fields shown only by their look, "
                       "instructions that need sight. Most are for a person to confirm ('needs review')."),
          evaluate=page_content, entries=CONTENT_ENTRIES),
    Check(id="content/parsing", pillar=_PILLAR, version=1, requires=("source",),
          title="HTML parsing errors that matter (WCAG 2.0/2.1 4.1.1)",
          explanation=("Markup left open or misnested, duplicate attributes and duplicated ids that labels or ARIA "
                       "rely on, from an HTML5 parser's own error list. WCAG 2.2 retired 4.1.1; it is checked for "
                       "WCAG 2.0 and 2.1 targets, as the EU and US accessibility laws still require."),
          evaluate=page_parsing, entries=PARSING_ENTRIES),
]
