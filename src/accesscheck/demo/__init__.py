"""The bundled demo portal: a fictional council site with deliberate defects and a ground truth."""

from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path
import json

from accesscheck.demo.generated import GENERATED
from accesscheck.demo.server import SiteServer, serve


def site_root() -> Path:
    return Path(str(files("accesscheck.demo").joinpath("site")))


def ground_truth() -> dict:
    return json.loads(files("accesscheck.demo").joinpath("ground_truth.json").read_text(encoding="utf-8"))


def redirects() -> dict[str, str]:
    return json.loads(files("accesscheck.demo").joinpath("redirects.json").read_text(encoding="utf-8"))


@contextmanager
def serve_demo(*, port: int = 0) -> Iterator[SiteServer]:
    """The demo portal on 127.0.0.1: its files, redirects and generated files (demo/generated.py)."""
    with serve(site_root(), redirects=redirects(), generated=GENERATED, port=port) as server:
        yield server
