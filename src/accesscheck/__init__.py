"""accesscheck: checks government portals for the digital divide.

The public API is small: build a `ScanConfig`, run `scan()`, read the results from the `Store`.
"""

__version__ = "0.1.0"

from accesscheck.config import ScanConfig, SiteConfig, load_scan_file
from accesscheck.errors import AccesscheckError, BrowserError, ConfigError, StoreError
from accesscheck.model import Finding, PageResult, PageSnapshot
from accesscheck.scan import scan
from accesscheck.store import Store

__all__ = [
    "__version__",
    "AccesscheckError", "BrowserError", "ConfigError", "StoreError",
    "Finding", "PageResult", "PageSnapshot",
    "ScanConfig", "SiteConfig", "load_scan_file",
    "Store", "scan",
]
