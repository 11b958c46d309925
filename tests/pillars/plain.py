"""A bandwidth pillar with a check and no score hooks (tests/test_score.py): the generic formula
scores it, and with no findings it is not assessed."""

from __future__ import annotations

from pillars.hooked import CHECKS, PILLAR

__all__ = ["CHECKS", "PILLAR"]
