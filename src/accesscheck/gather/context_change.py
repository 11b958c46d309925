"""Changes of context (WCAG 3.2.1 On Focus, 3.2.2 On Input): focus each form control, then change
it as a person would (the next option with the arrow key, a typed value, Space on a box), and
record what the page did: a navigation, a new window, a form submission, focus moved away.

Safety first: this runs in a throw-away context of its own, never on the page other gatherers
read. Every request that is not GET is aborted; once the probe starts, every navigation is
recorded and cancelled (the Navigation API's `navigate` event, and the request aborted should it
get through); `window.open` is recorded and opens nothing. The probe sends no data anywhere.
Pages without form controls are not loaded again (`collect` returns None at once).

Only a control something listens to can change the context: the browser's own response to focus,
a typed digit, an arrow key or Space navigates nowhere. So a control is probed only when a listener
for one of REACTING (or a handler property such as `onchange`) is on it, on one of its ancestors
(events bubble or are captured on the way), on the document or on the window; the listeners are
noted by an init script before any page script runs (gather/js.py, WATCH_LISTENERS). A page whose
controls nothing listens to is not loaded a second time either. Where the listeners could not be
noted (no init script ran), every control is probed. Not seen this way: a page that polls a
field's value or the focus on a timer.
"""

from __future__ import annotations

from typing import Any

from accesscheck.engine import ENGINE_ERRORS, Context, Page

from accesscheck.gather import GatherEnv
from accesscheck.gather.js import ELEMENT_PATH, LISTENS_TO, WATCH_LISTENERS
from accesscheck.engine.keys import open_keyboard, press

MAX_CONTROLS = 20        # controls probed per page: a long form repeats its kinds of field
LOAD_TIMEOUT_MS = 15_000
TYPED = "1"              # typed until the field's maxlength (at most 4 keys): digits fit most fields

#: Events that focusing or changing a control fires; Space on a checkbox or radio button is a
#: click too (focus, typing and arrow keys fire none: a document's click listener, common for menus
#: and analytics, cannot hear them).
REACTING = ["focus", "focusin", "blur", "focusout", "keydown", "keypress", "keyup", "beforeinput",
            "textInput", "input", "change", "select", "selectionchange"]

_CONTROLS = ("select, textarea, input:not([type=hidden]):not([type=submit]):not([type=button])"
             ":not([type=reset]):not([type=image]):not([type=file])")

# Installed before any page script of the throw-away page. Nothing is blocked until `armed`.
_GUARD = """(() => {
  const state = {armed: false, events: []};
  Object.defineProperty(window, Symbol.for('accesscheck.context'), {value: state});
  const note = (kind, detail) => { if (state.armed) state.events.push({kind, detail: String(detail).slice(0, 300)}); };
  const open = window.open;
  window.open = function (url) { if (!state.armed) return open.apply(this, arguments);
    note('new window', url || 'about:blank'); return null; };
  if (window.navigation) navigation.addEventListener('navigate', (e) => {
    if (!state.armed) return;
    note(e.formData ? 'form submission' : 'navigation', e.destination.url);
    if (e.cancelable) e.preventDefault(); });
  document.addEventListener('submit', (e) => { if (state.armed) { note('form submission', e.target.action); e.preventDefault(); } }, true);
})();"""

# The page's controls a person can change, and which of them something listens to.
_CANDIDATES = """([sel, kinds]) => {
  const listensTo = %s;
  const watched = !!EventTarget.prototype.addEventListener[Symbol.for('accesscheck.listens')];
  const heard = (el) => { const heeds = /^(checkbox|radio)$/.test(el.type) ? [...kinds, 'click'] : kinds;
    for (let n = el; n; n = n.parentNode || n.host) if (listensTo(n, heeds)) return true;
    return listensTo(window, heeds); };
  const controls = [...document.querySelectorAll(sel)].filter((el) => el.getClientRects().length && !el.disabled && !el.readOnly);
  return {controls, reacting: watched ? controls.filter(heard) : controls}; }""" % LISTENS_TO

_COUNT = """(args) => { const found = (%s)(args); return [found.controls.length, found.reacting.length]; }""" % _CANDIDATES

_ARM = """([sel, kinds, max]) => { const s = window[Symbol.for('accesscheck.context')]; s.armed = true;
  const path = %s, found = (%s)([sel, kinds]);
  const controls = found.reacting.slice(0, max);
  s.controls = controls;
  return {unheard: found.controls.length - found.reacting.length,
          controls: controls.map((el) => ({selector: path(el), tag: el.tagName.toLowerCase(), type: el.type || '',
    options: el.tagName === 'SELECT' ? el.options.length : 0, maxlength: el.maxLength > 0 ? el.maxLength : 0,
    html: el.outerHTML.slice(0, 200)}))}; }""" % (ELEMENT_PATH, _CANDIDATES)

# What happened since the last focus, once its handlers and their timers have run: the events, and
# focus moved away from control i.
_SETTLED = """(s, i) => new Promise((done) => setTimeout(() => requestAnimationFrame(() => {
  const el = s.controls[i];
  let active = document.activeElement; while (active && active.shadowRoot && active.shadowRoot.activeElement) active = active.shadowRoot.activeElement;
  const moved = active !== el && !(el.contains(active));
  const events = s.events.splice(0);
  if (moved) events.push({kind: 'focus moved', detail: active ? (active === document.body ? 'to the page body' : active.tagName.toLowerCase() + (active.id ? '#' + active.id : '')) : 'nowhere'});
  done(events); }), 30))"""

# Focus control i (as a Tab would): what happened on focus.
_FOCUS = """(i) => { const s = window[Symbol.for('accesscheck.context')], settled = %s;
  s.events.length = 0; s.controls[i].focus(); return settled(s, i); }""" % _SETTLED

# What happened since the focus (the change made meanwhile).
_OBSERVE = """(i) => (%s)(window[Symbol.for('accesscheck.context')], i)""" % _SETTLED


class ContextChangeGatherer:
    async def prepare(self, context: Context) -> None:
        await context.add_init_script(WATCH_LISTENERS)

    async def collect(self, page: Page, env: GatherEnv) -> dict[str, Any] | None:
        controls, reacting = await page.evaluate(_COUNT, [_CONTROLS, REACTING])
        if not controls:
            return None  # nothing to change: no second load
        if not reacting:
            return {"controls": [], "unheard": controls, "aborted_requests": [], "new_windows": [],
                    "method": _METHOD}
        return await probe_controls(env)


async def probe_controls(env: GatherEnv) -> dict[str, Any]:
    context = await env.pool.new_context(
        viewport={"width": env.viewport[0], "height": env.viewport[1]}, user_agent=env.user_agent,
        service_workers="block")
    requests: list[dict[str, str]] = []
    windows: list[str] = []
    armed = False

    async def guard(route: Any) -> None:
        request = route.request
        try:
            navigating = request.is_navigation_request() and request.frame == page.main_frame
        except ENGINE_ERRORS:  # a new window's first request: its frame does not exist yet
            navigating = False
        if request.method != "GET" or (armed and navigating):
            requests.append({"method": request.method, "url": request.url[:300],
                             "kind": "navigation" if navigating else request.resource_type})
            await route.abort()
        else:
            await route.continue_()

    try:
        await context.add_init_script(WATCH_LISTENERS)
        await context.add_init_script(_GUARD)
        async def popup(opened: Any) -> None:
            windows.append(opened.url)
            await opened.close()

        page = await context.new_page()
        context.on("page", popup)  # after our own page: every later one is a window the page opened
        await context.route("**/*", guard)
        await page.goto(env.url, wait_until="load", timeout=LOAD_TIMEOUT_MS)
        windows.clear()
        armed_with = await page.evaluate(_ARM, [_CONTROLS, REACTING, MAX_CONTROLS])
        controls = armed_with["controls"]
        armed = True
        keyboard = await open_keyboard(page)
        for i, control in enumerate(controls):
            try:
                control["on_focus"] = await page.evaluate(_FOCUS, i)
                if any(e["kind"] == "focus moved" for e in control["on_focus"]):
                    await page.evaluate(_FOCUS, i)  # back to it, to change it
                await press(keyboard, _keys(control))
                control["on_input"] = await page.evaluate(_OBSERVE, i)
            except ENGINE_ERRORS as exc:  # the page replaced itself after all: stop here
                control["error"] = _first_line(exc)
                break
        return {"controls": controls, "unheard": armed_with["unheard"], "aborted_requests": requests,
                "new_windows": windows, "method": _METHOD}
    except ENGINE_ERRORS as exc:
        return {"error": _first_line(exc)}
    finally:
        await context.close()


_METHOD = ("focus() each control something listens to, then ArrowDown (select), Space (checkbox, "
           "radio) or typing digits (text); non-GET requests and navigations aborted")


def _keys(control: dict[str, Any]) -> list[str]:
    if control["tag"] == "select":
        return ["ArrowDown"] if control["options"] > 1 else []
    if control["type"] in ("checkbox", "radio"):
        return ["Space"]  # the arrow keys would move focus to the next radio button
    if control["type"] in ("range", "color", "date", "datetime-local", "month", "time", "week"):
        return ["ArrowUp"] if control["type"] != "color" else []
    count = min(control["maxlength"] or 4, 4)
    return [TYPED] * count


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
