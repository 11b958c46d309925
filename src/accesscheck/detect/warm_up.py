"""Load the language models (lingua) and the English pronouncing dictionary (textstat) in a
background thread as soon as the inclusion checks are imported, that is when a scan collects its
checks and before the browser starts.

Loading them takes several seconds on a busy machine. Done lazily inside the first page check it
would freeze the scan's event loop (and every page in flight) for that long; done here it
overlaps the browser start. The loaders are guarded by locks, so a page check that comes first
simply waits for the same load instead of doing it twice.
"""

from __future__ import annotations

import threading

_SAMPLE = ("The council collects your bins every week, and you can check your collection day online "
           "at any time of the day or night. ") * 10
_started = threading.Event()


def start() -> None:
    if not _started.is_set():
        _started.set()
        threading.Thread(target=_load, name="accesscheck-warm-up", daemon=True).start()


def _load() -> None:
    from accesscheck.detect.language import detect_language
    from accesscheck.detect.readability import measure
    try:
        detect_language(_SAMPLE)
        measure([_SAMPLE], "en")
    except Exception:  # noqa: BLE001 - the first page check loads again and records any error
        return
