"""Scheduled scans: `schedule = "0 2 * * 1"` (cron: minute hour day-of-month month day-of-week)
on a scan file's `[scan]` table covers its portals; on a `[[portal]]` it gives that portal a run
of its own. A number instead of a cron line means every so many seconds."""

from __future__ import annotations

import dataclasses
import tomllib
from datetime import timedelta
from pathlib import Path
from typing import Any

from celery.schedules import crontab

from accesscheck.config import ScanConfig, build_config, load_scan_file
from accesscheck.errors import ConfigError


@dataclasses.dataclass(frozen=True, slots=True)
class ScheduledScan:
    name: str
    schedule: crontab | timedelta
    config: ScanConfig


def parse_schedule(value: object, where: str) -> crontab | timedelta:
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return timedelta(seconds=float(value))
    fields = value.split() if isinstance(value, str) else []
    if len(fields) != 5:
        raise ConfigError(f"The schedule {value!r} in {where} is not a cron line like \"0 2 * * 1\" "
                          "(minute hour day-of-month month day-of-week) or a number of seconds.")
    minute, hour, day_of_month, month, day_of_week = fields
    try:
        return crontab(minute=minute, hour=hour, day_of_month=day_of_month, month_of_year=month,
                       day_of_week=day_of_week)
    except ValueError as exc:
        raise ConfigError(f"The schedule {value!r} in {where} is not valid cron: {exc}.") from None


def scheduled_scans(path: Path) -> list[ScheduledScan]:
    sites, options = load_scan_file(path)  # validates everything else first
    data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    own = [portal.get("schedule") for portal in data.get("portal", [])]
    found = []
    for site, schedule in zip(sites, own, strict=True):
        if schedule is not None:
            found.append(ScheduledScan(f"{path}:{site.seeds[0]}", parse_schedule(schedule, f"{path} ({site.seeds[0]})"),
                                       build_config([site], options)))
    portfolio = data.get("scan", {}).get("schedule")
    rest = [site for site, schedule in zip(sites, own, strict=True) if schedule is None]
    if portfolio is not None and rest:
        found.insert(0, ScheduledScan(str(path), parse_schedule(portfolio, str(path)), build_config(rest, options)))
    return found
