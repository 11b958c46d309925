"""The contrast probe's arithmetic and its check, as pure functions (the browser part is in
tests/checks/test_interaction_fixtures.py)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from accesscheck.checks.contrast import contrast_findings
from accesscheck.gather.contrast import contrast_range, contrast_ratio
from accesscheck.model import PageSnapshot


def _png(*colours: tuple[int, int, int]) -> bytes:
    image = Image.new("RGB", (len(colours), 1))
    for x, colour in enumerate(colours):
        image.putpixel((x, 0), colour)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_wcag_contrast_ratios():
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast_ratio((119, 119, 119), (255, 255, 255)) == pytest.approx(4.48, abs=0.01)  # #777 on white
    assert contrast_ratio((255, 255, 255), (255, 255, 255)) == 1.0


def test_range_over_the_background_pixels_blends_translucent_text():
    low, high = contrast_range([0, 0, 0, 1], _png((255, 255, 255), (128, 128, 128)))
    assert (round(low, 2), round(high, 2)) == (5.32, 21.0)
    # black at 50 % over white is mid grey: far less than black on white
    _, blended = contrast_range([0, 0, 0, 0.5], _png((255, 255, 255)))
    assert blended < 5


def _snapshot(**text) -> PageSnapshot:
    base = {"selector": "#t", "html": "<p id=t>x</p>", "text": "x", "color": [0, 0, 0, 1], "font_px": 16,
            "weight": 400, "background": "linear-gradient(red, blue)", "measured": True, "lowest": 2.0}
    return PageSnapshot(url="http://127.0.0.1/", final_url="http://127.0.0.1/", status=200,
                        contrast={"texts": [{**base, **text}]})


@pytest.mark.parametrize(("highest", "font_px", "weight", "expected"), [
    (4.4, 16, 400, {"contrast/text-over-image", "contrast/text-over-image-enhanced"}),
    (4.6, 16, 400, {"contrast/text-over-image-enhanced"}),
    (7.2, 16, 400, set()),
    (4.4, 24, 400, {"contrast/text-over-image-enhanced"}),    # large: 3:1 and 4.5:1
    (4.4, 18.7, 700, {"contrast/text-over-image-enhanced"}),  # 14 pt bold is large
    (4.4, 18.7, 400, {"contrast/text-over-image", "contrast/text-over-image-enhanced"}),
    (2.9, 24, 400, {"contrast/text-over-image", "contrast/text-over-image-enhanced"}),
])
def test_fails_only_when_even_the_best_pixel_is_too_faint(highest, font_px, weight, expected):
    found = contrast_findings(_snapshot(highest=highest, font_px=font_px, weight=weight)).findings
    assert {f.check for f in found} == expected
    assert all(f.outcome == "fail" for f in found)


def test_unmeasured_text_gives_nothing():
    assert contrast_findings(_snapshot(measured=False, highest=None)).findings == []
