"""gather/probes.py: the probe levels and the `probes` option that chooses one."""

from __future__ import annotations

import pytest

from accesscheck.config import SiteConfig, build_config
from accesscheck.errors import ConfigError
from accesscheck.gather.probes import PROBES, probes_left_out

SITE = SiteConfig(seeds=("http://127.0.0.1:9/",))


def test_levels_leave_out_the_right_probes():
    assert probes_left_out("all") == frozenset()
    assert probes_left_out("none") == frozenset(PROBES)
    assert probes_left_out("fast") == {"keyboard", "context_changes", "contrast"}


def test_probes_option_is_checked():
    assert build_config([SITE], {"probes": "fast"}).probes == "fast"
    assert build_config([SITE], {}).probes == "all"
    with pytest.raises(ConfigError, match="probes must be one of none, fast, all"):
        build_config([SITE], {"probes": "some"})
