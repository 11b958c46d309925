"""The public API and the catalogue of checks."""

import re

import accesscheck
from accesscheck.checks import PILLARS, all_checks
from accesscheck.gather import ALWAYS
from accesscheck.gather.visit import OPTIONAL_GATHERERS


def test_public_api_is_pinned():
    assert sorted(accesscheck.__all__) == sorted([
        "__version__", "AccesscheckError", "BrowserError", "ConfigError", "StoreError",
        "Finding", "PageResult", "PageSnapshot", "ScanConfig", "SiteConfig", "load_scan_file",
        "Store", "scan"])
    for name in accesscheck.__all__:
        assert hasattr(accesscheck, name)


def test_exception_tree_has_one_root():
    for name in ("BrowserError", "ConfigError", "StoreError"):
        assert issubclass(getattr(accesscheck, name), accesscheck.AccesscheckError)


def test_check_catalogue_is_well_formed():
    checks = all_checks()
    ids = [c.id for c in checks]
    assert len(ids) == len(set(ids))
    for check in checks:
        assert check.pillar in PILLARS
        assert re.fullmatch(r"[a-z0-9-]+(/[a-z0-9-]+)?", check.id)
        assert check.version >= 1
        assert set(check.requires) <= ALWAYS | set(OPTIONAL_GATHERERS), check.id
        assert len(check.explanation) > 80 and check.title
