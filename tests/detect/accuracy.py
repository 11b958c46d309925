"""Precision and recall of the channel detectors on the labelled set (tests/detect/labelled/).

ground_truth.json holds the pages the detectors were tuned on; setaside.json the 40 pages written
and labelled before the detectors of issue 13 were changed, scored once when they were final
and reported apart (never tuned on). Each page is scanned as a portfolio user scans it: at its
URL (whose host implies a country) and with the portal country the user gave, if any.

    PYTHONPATH=src python tests/detect/accuracy.py            # the tuned pages
    PYTHONPATH=src python tests/detect/accuracy.py --setaside # the 40 set aside as well
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accesscheck.checks.channels import page_channels
from accesscheck.detect.statement import ELEMENTS
from accesscheck.model import PageSnapshot

LABELLED = Path(__file__).parent / "labelled"
BINARY = ("postal_address", "office", "textphone", "opening_hours", "statement_link")
SIGNALS = ("phone", *BINARY, *ELEMENTS, "statement_elements")
# Targets of issue 13: phones, statement elements (pooled), postal address recall, office
# precision, and no signal below 0.85 precision.
TARGETS = {"phone": (0.95, 0.90), "statement_elements": (0.95, 0.90), "postal_address": (0.85, 0.80),
           "office": (0.90, 0.0)}
MIN_PRECISION = 0.85


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def add(self, found: bool, truth: bool) -> None:
        self.tp += found and truth
        self.fp += found and not truth
        self.fn += truth and not found


def pages(which: str) -> dict[str, dict[str, Any]]:
    """`tuned`, `setaside` or `all` labelled pages, by file name."""
    chosen: dict[str, dict[str, Any]] = {}
    for name in {"tuned": ("ground_truth.json",), "setaside": ("setaside.json",),
                 "all": ("ground_truth.json", "setaside.json")}[which]:
        chosen.update(json.loads((LABELLED / name).read_text(encoding="utf-8"))["pages"])
    return chosen


def facts_of(name: str, expected: dict[str, Any]) -> dict[str, Any]:
    html = (LABELLED / name).read_text(encoding="utf-8")
    lang = html.split('lang="', 1)[1].split('"', 1)[0]
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    url = expected["url"]
    snapshot = PageSnapshot(url=url, final_url=url, status=200, html=html, lang=lang, title=title,
                            country=expected.get("country", ""))
    return page_channels(snapshot).facts


def measure(which: str = "tuned") -> tuple[dict[str, Tally], list[str]]:
    """Run the page check on each chosen page; tally each signal; list every mistake."""
    tallies = {signal: Tally() for signal in SIGNALS}
    mistakes = []
    for name, expected in sorted(pages(which).items()):
        facts = facts_of(name, expected)
        found_phones = {p["e164"] for p in facts["phone"]}
        wanted = set(expected["phones"])
        tallies["phone"].tp += len(found_phones & wanted)
        tallies["phone"].fp += len(found_phones - wanted)
        tallies["phone"].fn += len(wanted - found_phones)
        for e164 in sorted(found_phones ^ wanted):
            mistakes.append(f"{name}: phone {e164} {'invented' if e164 in found_phones else 'missed'}")
        binary = {kind: (bool(facts[kind]), expected[kind]) for kind in BINARY if kind != "statement_link"}
        binary["statement_link"] = (bool(facts["statement_links"]), expected["statement_link"])
        if expected["statement_elements"] is not None:
            elements = facts.get("statement") or {}
            for element in ELEMENTS:
                binary[element] = (elements.get(element) is not None, expected["statement_elements"][element])
                tallies["statement_elements"].add(*binary[element])
        for signal, (found, wanted_flag) in binary.items():
            tallies[signal].add(found, wanted_flag)
            if found != wanted_flag:
                mistakes.append(f"{name}: {signal} {'invented' if found else 'missed'}")
    return tallies, mistakes


def shortfalls(tallies: dict[str, Tally]) -> list[str]:
    """Each target the figures miss, in words."""
    missed = []
    for signal, tally in tallies.items():
        precision, recall = TARGETS.get(signal, (MIN_PRECISION, 0.0))
        if tally.precision < precision:
            missed.append(f"{signal} precision {tally.precision:.3f} < {precision}")
        if tally.recall < recall:
            missed.append(f"{signal} recall {tally.recall:.3f} < {recall}")
    return missed


def report(tallies: dict[str, Tally]) -> str:
    lines = [f"{'signal':26} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>7}"]
    for signal, t in tallies.items():
        lines.append(f"{signal:26} {t.tp:4} {t.fp:4} {t.fn:4} {t.precision:10.3f} {t.recall:7.3f}")
    return "\n".join(lines)


if __name__ == "__main__":
    for title, which in (("tuned pages", "tuned"), ("all pages", "all"), ("the 40 pages set aside", "setaside")):
        if which != "tuned" and "--setaside" not in sys.argv:
            continue
        measured, errors = measure(which)
        print(f"{title} ({len(pages(which))})\n{report(measured)}")
        print("targets missed: " + ("; ".join(shortfalls(measured)) or "none"))
        print("\n".join(errors) + "\n")
