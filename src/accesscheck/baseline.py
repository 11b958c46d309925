"""The CI gate: which failing findings should fail a build, and the baseline of accepted ones.

A baseline file lists the fingerprints of the failing findings a team has accepted for now; with
`--baseline FILE` only findings *not* in it fail the build, so a team can adopt the gate on a site
with known problems and still stop new ones. Fingerprints survive harmless churn (fingerprint.py),
so a class rename or a new banner above an old problem does not turn it into a "new" one.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from accesscheck.errors import ConfigError
from accesscheck.history import DiffEntry, failing_by_fingerprint
from accesscheck.model import IMPACTS
from accesscheck.store import RunRecord

BASELINE_FORMAT = "accesscheck/baseline/1"


def load_baseline(path: Path) -> frozenset[str]:
    """The fingerprints in a baseline file; a missing or malformed file is a ConfigError."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"The baseline file {path} does not exist; create it with --update-baseline.") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"The baseline file {path} cannot be read as JSON ({exc}).") from None
    if not isinstance(data, dict) or data.get("format") != BASELINE_FORMAT or \
            not isinstance(data.get("findings"), list):
        raise ConfigError(f"The baseline file {path} is not an accesscheck baseline ({BASELINE_FORMAT}).")
    try:
        return frozenset(str(item["fingerprint"]) for item in data["findings"])
    except (TypeError, KeyError):
        raise ConfigError(f"The baseline file {path} has a finding without a fingerprint.") from None


def write_baseline(run: RunRecord, path: Path) -> int:
    """Write every failing finding of `run` as the new baseline; returns how many. Sorted and
    indented, so the file diffs well in version control."""
    entries = sorted(failing_by_fingerprint(run).values(), key=lambda e: (e.check, e.url, e.fingerprint))
    document = {"format": BASELINE_FORMAT, "run": run.id,
                "written": datetime.now(UTC).isoformat(timespec="seconds"),
                "findings": [{"fingerprint": e.fingerprint, "check": e.check, "impact": e.impact, "url": e.url,
                              "selector": e.selector} for e in entries]}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(entries)


def gate_failures(run: RunRecord, fail_on: str, baseline: frozenset[str] = frozenset()) -> list[DiffEntry]:
    """Failing findings at `fail_on` impact or worse that are not in the baseline ("none": none).
    "Needs review" never fails a build."""
    if fail_on == "none":
        return []
    allowed = IMPACTS[: IMPACTS.index(fail_on) + 1]
    return [e for fp, e in failing_by_fingerprint(run).items() if e.impact in allowed and fp not in baseline]
