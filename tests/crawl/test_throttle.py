"""crawl/throttle.py: how a host that says "slow down" is slowed down, and how good answers speed it up again."""

from __future__ import annotations

from accesscheck.crawl.throttle import HostThrottle


def test_a_429_grows_the_host_delay_and_good_answers_decay_it_to_the_floor():
    throttle = HostThrottle(floor=0.5)
    throttle.slow_down()
    first = throttle.delay
    throttle.slow_down()
    assert first >= 1.0 and throttle.delay == 2 * first
    throttle.slow_down(asked=30)
    assert throttle.delay == 30
    for _ in range(20):
        throttle.answered()
    assert throttle.delay == 0.5          # never below the user's --delay
    for _ in range(20):
        throttle.slow_down()
    assert throttle.delay == throttle.ceiling
