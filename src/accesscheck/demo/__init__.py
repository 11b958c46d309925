"""The bundled demo portal: a fictional council site with deliberate defects and a ground truth."""

from importlib.resources import files
from pathlib import Path
import json


def site_root() -> Path:
    return Path(str(files("accesscheck.demo").joinpath("site")))


def ground_truth() -> dict:
    return json.loads(files("accesscheck.demo").joinpath("ground_truth.json").read_text(encoding="utf-8"))


def redirects() -> dict[str, str]:
    return json.loads(files("accesscheck.demo").joinpath("redirects.json").read_text(encoding="utf-8"))
