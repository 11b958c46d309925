"""The one exception tree of accesscheck.

    AccesscheckError            anything the tool reports as "could not do its job" (exit code 1)
     ├── ConfigError            a bad scan file, option, URL or run to rescore: fix the input and run again
     ├── BrowserError           no Chromium, or Chromium would not start
     └── StoreError             the results store could not be opened or written

Problems with single pages (timeouts, crashes, HTTP errors) are *not* exceptions: they end as a
page outcome `failed` with a reason, and the scan goes on. Every message is one sentence a user can
act on; the CLI prints it without a traceback unless `--debug` is given.
"""


class AccesscheckError(Exception):
    """Base class: the tool itself could not do its job."""


class ConfigError(AccesscheckError):
    """The scan configuration (file, flags or URLs) is invalid."""


class BrowserError(AccesscheckError):
    """Chromium is missing or cannot be started."""


class StoreError(AccesscheckError):
    """The results store could not be opened or written."""
