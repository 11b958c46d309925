"""Which browser binary each engine launches: a scan takes the headless shell, WebDriver the desktop build."""

from __future__ import annotations

from pathlib import Path

import pytest

from accesscheck.engine import playwright as playwright_engine
from accesscheck.engine.playwright import find_chromium, find_full_chromium


def _executable(folder: Path, name: str) -> str:
    path = folder / name
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return str(path)


@pytest.fixture
def bin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("ACCESSCHECK_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    return tmp_path


def test_a_scan_prefers_the_headless_shell_and_webdriver_the_desktop_browser(bin_dir: Path) -> None:
    shell = _executable(bin_dir, "chromium-headless-shell")
    desktop = _executable(bin_dir, "chromium")
    assert find_chromium() == shell
    assert find_full_chromium() == desktop


def test_without_the_shell_a_scan_takes_the_desktop_browser(bin_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    desktop = _executable(bin_dir, "chromium")
    monkeypatch.setattr(playwright_engine, "_HEADLESS_SHELL_PATHS", (str(bin_dir / "not-installed"),))
    assert find_chromium() == desktop


def test_the_configured_browser_wins_for_both(bin_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _executable(bin_dir, "chromium-headless-shell")
    mine = _executable(bin_dir, "my-chromium")
    monkeypatch.setenv("ACCESSCHECK_CHROMIUM", mine)
    assert find_chromium() == mine == find_full_chromium()
