"""Load the language models (lingua) and the English pronouncing dictionary (textstat) before the
first page needs them.

Loading them takes seconds on a busy machine; done inside the first page's checks it would make
that page look that much slower. Each check worker process (accesscheck.evaluate) calls this once
when it starts, while the scan is still starting its browser. Nothing is loaded on import.
"""

from __future__ import annotations

_SAMPLE = ("The council collects your bins every week, and you can check your collection day online "
           "at any time of the day or night. ") * 10


def load_models() -> None:
    from accesscheck.detect.language import detect_language
    from accesscheck.detect.readability import measure
    try:
        detect_language(_SAMPLE)
        measure([_SAMPLE], "en")
    except Exception:  # noqa: BLE001 - the first page check loads again and records any error
        return
