"""Text alternatives that are not alternatives (1.1.1, F30) and images of text (1.4.5).

An alt that is a file name or a placeholder word ("image", "spacer") tells a blind person nothing:
a certain failure. An alt that repeats the text beside it makes screen readers say it twice: left
for review (it may be the accessible name of a linked image whose text is hidden). An image of
text cannot be told from a photograph without looking, so 1.4.5 findings are review, given when
the file name itself says the picture is of words (banner, heading, button…) or spells out the
alt text, on a raster image (SVG text stays text).
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from accesscheck.detect.markup import Problem, normalise, phrases, problem, thresholds
from accesscheck.detect.markup.accname import text_near

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _file_name(src: str) -> str:
    return PurePosixPath(unquote(urlsplit(src).path)).name.lower()


def _is_file_name(alt: str, src_name: str, extensions: list[str]) -> bool:
    text = alt.strip().lower()
    if src_name and text == src_name:
        return True
    return re.fullmatch(rf"[\w\-. ]+\.(?:{'|'.join(extensions)})", text) is not None or \
        re.fullmatch(r"(?:img|dsc|dscn|pxl|image|photo)[_-]?\d{2,}", text) is not None


def image_problems(root: Any, lang: str | None) -> list[Problem]:
    rules = thresholds()["images"]
    placeholders = phrases(lang, "placeholder_alt")
    found: list[Problem] = []
    for image in root.xpath("//img[@alt] | //input[@type='image'][@alt] | //area[@alt]"):
        if image.xpath("ancestor-or-self::*[@hidden or @aria-hidden='true' or @role='presentation' or @role='none']"):
            continue
        alt = image.get("alt", "")
        key = normalise(alt)
        if not key:
            continue  # empty alt: decorative, or axe's business
        src_name = _file_name(image.get("src", ""))
        if _is_file_name(alt, src_name, rules["file_extensions"]):
            found.append(problem("alt-file-name", "fail",
                                 f"The image's text alternative is a file name ('{alt}'). A blind person hears the "
                                 "file name instead of what the image shows.", image))
            continue
        if key in placeholders:
            found.append(problem("alt-placeholder", "fail",
                                 f"The image's text alternative is only '{alt}', which says that there is a picture "
                                 "but not what it shows or does.", image))
            continue
        beside = normalise(_beside(image))
        if len(key) > 3 and beside and (beside == key or beside.startswith(key + " ") and len(beside) < 2 * len(key)):
            found.append(problem("alt-redundant", "review",
                                 f"The image's text alternative '{alt}' repeats the text next to it, so screen readers "
                                 "say it twice. If the image adds nothing, give it alt=\"\".", image))
        if _looks_like_text(alt, src_name, rules):
            found.append(problem("image-of-text", "review",
                                 f"This image seems to be a picture of words ('{alt}', file {src_name}). Text in an image "
                                 "cannot be enlarged, recoloured or reflowed; use real text styled with CSS unless the "
                                 "exact look is essential (a logo).", image))
    return found


def _beside(image: Any) -> str:
    """The text a reader meets with the image: the rest of its link, button or figure (text_content
    leaves alt out), else its parent's other text."""
    for ancestor in image.iterancestors():
        if ancestor.tag in ("a", "button", "figure"):
            return ancestor.text_content()
        if ancestor.tag not in ("span", "picture"):
            break
    return text_near(image)


def _looks_like_text(alt: str, src_name: str, rules: dict[str, Any]) -> bool:
    stem, _, extension = src_name.rpartition(".")
    if not stem or extension == "svg" or "logo" in stem or "logo" in alt.lower():
        return False  # vector text stays text; logotypes are exempt from 1.4.5
    name_words = set(re.split(r"[-_.\s]+", stem))
    if name_words & set(rules["text_file_words"]):
        return True
    alt_words = [w.lower() for w in _WORD.findall(alt)]
    return len(alt_words) >= rules["text_alt_min_words"] and all(w in name_words for w in alt_words)
