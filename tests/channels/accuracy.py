"""Precision and recall of the channel detectors on the labelled set (tests/channels/labelled/)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from accesscheck.checks.channels import page_channels
from accesscheck.detect.statement import ELEMENTS
from accesscheck.model import PageSnapshot

LABELLED = Path(__file__).parent / "labelled"
SIGNALS = ("phone", "postal_address", "statement_link", *ELEMENTS)


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


def measure(only_heldout: bool = False) -> tuple[dict[str, Tally], list[str]]:
    """Run the page check on every labelled page (or only the held-out ones, written after the
    detectors were tuned); tally each signal; list every mistake."""
    truth = json.loads((LABELLED / "ground_truth.json").read_text(encoding="utf-8"))["pages"]
    tallies = {signal: Tally() for signal in SIGNALS}
    mistakes = []
    for name, expected in sorted(truth.items()):
        if only_heldout and not expected.get("heldout"):
            continue
        html = (LABELLED / name).read_text(encoding="utf-8")
        url = f"http://127.0.0.1/{name}"
        lang = html.split('lang="', 1)[1].split('"', 1)[0]
        title = html.split("<title>", 1)[1].split("</title>", 1)[0]
        facts = page_channels(PageSnapshot(url=url, final_url=url, status=200, html=html, lang=lang, title=title)).facts
        found_phones = {p["e164"] for p in facts["phone"]}
        wanted = set(expected["phones"])
        tallies["phone"].tp += len(found_phones & wanted)
        tallies["phone"].fp += len(found_phones - wanted)
        tallies["phone"].fn += len(wanted - found_phones)
        for e164 in found_phones ^ wanted:
            mistakes.append(f"{name}: phone {e164} {'invented' if e164 in found_phones else 'missed'}")
        binary = {"postal_address": (bool(facts["postal_address"]), expected["postal_address"]),
                  "statement_link": (bool(facts["statement_links"]), expected["statement_link"])}
        if expected["statement_elements"] is not None:
            elements = facts.get("statement") or {}
            for element in ELEMENTS:
                binary[element] = (elements.get(element) is not None, expected["statement_elements"][element])
        for signal, (found, wanted_flag) in binary.items():
            tallies[signal].add(found, wanted_flag)
            if found != wanted_flag:
                mistakes.append(f"{name}: {signal} {'invented' if found else 'missed'}")
    return tallies, mistakes


def report(tallies: dict[str, Tally]) -> str:
    lines = [f"{'signal':26} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>7}"]
    for signal, t in tallies.items():
        lines.append(f"{signal:26} {t.tp:4} {t.fp:4} {t.fn:4} {t.precision:10.3f} {t.recall:7.3f}")
    return "\n".join(lines)


if __name__ == "__main__":
    for title, heldout in (("all pages", False), ("held-out pages only", True)):
        measured, errors = measure(only_heldout=heldout)
        print(f"{title}\n{report(measured)}")
        print("\n".join(errors) + "\n")
