"""Text contrast over background images and gradients, judged from the pixels the contrast probe
measured (gather/contrast.py).

WCAG 1.4.3 asks 4.5:1 (3:1 for large text) and 1.4.6 asks 7:1 (4.5:1); large is 18 pt, or 14 pt
bold (WCAG 2.2 definition of "large scale"; 1 pt = 4/3 CSS px). As in W3C's ACT rules afw4f7 and
09o5cg, the text passes when the *highest* contrast against the pixels behind it reaches the ratio;
so when even that is too low the failure is certain (`fail`), and anything else is left to axe's
"needs review".
"""

from __future__ import annotations

from accesscheck.catalogue import Entry
from accesscheck.checks import Check, Evaluation
from accesscheck.fingerprint import fingerprint
from accesscheck.model import Finding, PageSnapshot

LARGE_PX, LARGE_BOLD_PX, BOLD = 24.0, 18.66, 700
#: finding id -> (WCAG criterion, ratio for normal text, ratio for large text)
RATIOS = {"contrast/text-over-image": ("1.4.3", 4.5, 3.0),
          "contrast/text-over-image-enhanced": ("1.4.6", 7.0, 4.5)}


def _large(text: dict) -> bool:
    return text["font_px"] >= LARGE_PX or (text["font_px"] >= LARGE_BOLD_PX and text["weight"] >= BOLD)


def contrast_findings(snapshot: PageSnapshot) -> Evaluation:
    if not snapshot.contrast:
        return Evaluation()
    findings = []
    for i, text in enumerate(snapshot.contrast.get("texts", [])):
        if not text.get("measured"):
            continue
        large = _large(text)
        for check, (criterion, normal, big) in RATIOS.items():
            needed = big if large else normal
            if text["highest"] >= needed:
                continue
            findings.append(Finding(
                check=check, pillar="accessibility", outcome="fail", impact="serious", wcag=(criterion,),
                selector=text["selector"], snippet=text["html"],
                message=(f"The text \"{text['text']}\" reaches at most {text['highest']:g}:1 against the "
                         f"{'image' if 'url(' in text['background'] else 'gradient'} behind it "
                         f"(lowest {text['lowest']:g}:1); WCAG {criterion} asks {needed:g}:1 for "
                         f"{'large' if large else 'normal'} text."),
                fingerprint=fingerprint(check, snapshot.final_url, text["selector"], text["html"], i)))
    return Evaluation(findings=findings)


def _entry(id: str, act: str, understanding: str, level: str) -> Entry:
    criterion, normal, big = RATIOS[id]
    return Entry(
        id=id, pillar="accessibility", title=f"Text too faint over its background image or gradient ({level})",
        explanation=(f"Even where the picture or gradient behind it is most favourable, this text stays below "
                     f"{normal:g}:1 ({big:g}:1 when large), so people with low vision or a screen in sunlight "
                     "cannot read it."),
        fix="Darken or lighten the text, put a solid background behind it, or dim the image under the text.",
        impact="serious", outcomes=("fail",), wcag=(criterion,), act=(act,),
        help_url=f"https://www.w3.org/WAI/WCAG22/Understanding/{understanding}.html")


CHECKS = [
    Check(
        id="contrast", pillar="accessibility", version=1, requires=("contrast",),
        title="Text contrast over background images and gradients, from the pixels",
        explanation=("axe-core cannot know the colour behind text that sits on a photo or gradient and leaves it "
                     "for review; this check measures the rendered pixels behind the letters, so text that no "
                     "part of its background makes readable is named as a failure."),
        evaluate=contrast_findings,
        entries=(_entry("contrast/text-over-image", "afw4f7", "contrast-minimum", "AA"),
                 _entry("contrast/text-over-image-enhanced", "09o5cg", "contrast-enhanced", "AAA")),
    ),
]
