"""The interaction probes and how much of them a scan runs (`--probes none|fast|all`).

"fast" probes cost one or two `page.evaluate` calls on the page already loaded (motion,
orientation, text spacing, text zoom). The others press keys or load the page again: the
keyboard walk (a key press per focus stop, screenshots of suspect stops) and the changes-of-
context probe (a throw-away second load of pages that have form controls) and the contrast probe
(a clipped screenshot of each text over a background image or gradient). `make bench` prints
what each one adds per page (tests/benchmarks/probe_cost.py).
"""

from __future__ import annotations

PROBE_LEVELS = ("none", "fast", "all")

#: Probe gatherer -> the lowest level that runs it.
PROBES: dict[str, str] = {
    "motion": "fast",
    "keyboard": "all",
    "context_changes": "all",
    "text_spacing": "fast",
    "text_zoom": "fast",
    "orientation": "fast",
    "contrast": "all",
}


def probes_left_out(level: str) -> frozenset[str]:
    """The probe gatherers a scan at `level` does not run."""
    rank = PROBE_LEVELS.index(level)
    return frozenset(name for name, needs in PROBES.items() if PROBE_LEVELS.index(needs) > rank)
