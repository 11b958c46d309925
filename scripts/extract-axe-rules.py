"""Write src/accesscheck/data/catalogue/axe_rules.json from the axe-core script that the installed
axe-playwright-python ships, read by axe itself in Chromium (`axe.getRules()`).

Run it after upgrading axe-playwright-python (tests/test_catalogue.py fails until the file matches):
    .venv/bin/python scripts/extract-axe-rules.py
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from accesscheck.gather.axe import installed_axe_rules

TARGET = Path(__file__).resolve().parent.parent / "src" / "accesscheck" / "data" / "catalogue" / "axe_rules.json"


def main() -> None:
    data = asyncio.run(installed_axe_rules())
    TARGET.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(data['rules'])} axe-core {data['version']} rules written to {TARGET.name}")


if __name__ == "__main__":
    main()
