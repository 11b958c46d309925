"""Key presses for the probes, sent as a batch.

Playwright's `keyboard.press` waits for the browser to answer the key-down, then the key-up, before
the next press: two round trips per key through the driver, most of a keyboard walk's time (about
25 ms a press on a loaded two-core machine, a walk pressing Tab 20 to 100 times). Sent together
over one CDP session, the browser still takes the events in order and the page handles each one,
its listeners and default action (focus moving on), before the next; only the waits in between go.

Only the keys the probes press are described (key, code, key code, text), as Chromium's
`Input.dispatchKeyEvent` wants them; the same values Playwright's US keyboard layout sends.
"""

from __future__ import annotations

import asyncio
from typing import Any

from accesscheck.engine import CdpSession, Page

_SHIFT = 8  # Input.dispatchKeyEvent modifier bit

_KEYS: dict[str, tuple[str, str, int, str]] = {
    "Tab": ("Tab", "Tab", 9, ""),
    "Escape": ("Escape", "Escape", 27, ""),
    "ArrowDown": ("ArrowDown", "ArrowDown", 40, ""),
    "ArrowUp": ("ArrowUp", "ArrowUp", 38, ""),
    "Space": (" ", "Space", 32, " "),
    "1": ("1", "Digit1", 49, "1"),
}


def _events(press: str) -> list[dict[str, Any]]:
    """The key-down and key-up of `press` ("Tab", "Shift+Tab", "1", ...)."""
    shift = press.startswith("Shift+")
    key, code, key_code, text = _KEYS[press.removeprefix("Shift+")]
    common = {"key": key, "code": code, "windowsVirtualKeyCode": key_code, "nativeVirtualKeyCode": key_code,
              "modifiers": _SHIFT if shift else 0}
    # A key with text is a "keyDown" (it types); one without is a "rawKeyDown", as Playwright sends.
    down = {"type": "keyDown", "text": text, "unmodifiedText": text, **common} if text else \
        {"type": "rawKeyDown", **common}
    return [down, {"type": "keyUp", **common}]


async def open_keyboard(page: Page) -> CdpSession:
    """A CDP session to press keys on `page`; detach it when done."""
    return await page.context.new_cdp_session(page)


async def press(keyboard: CdpSession, keys: list[str]) -> None:
    """Press each of `keys` in order, sent as one batch."""
    await asyncio.gather(*(keyboard.send("Input.dispatchKeyEvent", event)
                           for key in keys for event in _events(key)))
