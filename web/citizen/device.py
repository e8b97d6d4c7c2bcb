"""What this browser keeps of a citizen, and the two ways to keep less of it.

The session cookie holds the reference codes this browser may open (and, for a moment, a new
secret link and the files an upload refused); a second cookie remembers the language. On a
shared computer (a library, a friend's phone) the citizen ticks "This is a shared computer"
when uploading or typing the reference code, or, having come in by a private link, presses it
in the footer: the session then ends when the browser closes (a cookie with no expiry date)
and the language lives in that session instead of a cookie of its own. Once chosen, the
choice holds for every other way in (a private link opened later keeps the short session). "Forget this device"
empties it all at once, and the citizen comes back with the reference code.
"""

from __future__ import annotations

from typing import Any

from flask import after_this_request, current_app, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from web import i18n
from web.citizen import bp

ACCESS = "access"  # the session's list of the reference codes this browser may open
FIELD = "shared_device"


def shared() -> bool:
    """Whether the citizen said this browser is shared."""
    return bool(session.get(i18n.SHARED))


def grant(reference: str) -> None:
    """Let this browser open ``reference`` (the 20 latest are kept): for 30 days on the
    citizen's own device, until the browser closes on a shared one."""
    granted = [r for r in session.get(ACCESS, []) if r != reference][-19:]
    session[ACCESS] = [*granted, reference]
    session.permanent = not shared()


def share() -> None:
    """The citizen ticked "This is a shared computer": from now on the session ends with the
    browser, and the language cookie goes (the language is kept in the session instead)."""
    session[i18n.SHARED] = True
    session[i18n.LANG] = g.get("lang") or current_app.config["LANGUAGES"][0]
    session.permanent = False

    @after_this_request
    def _drop_language_cookie(response: WerkzeugResponse) -> WerkzeugResponse:
        if i18n.COOKIE in request.cookies:
            i18n.forget(response)
        return response


def chose_shared() -> bool:
    """Whether the form sent says this is a shared computer."""
    return request.form.get(FIELD) == "1"


@bp.app_context_processor
def _device() -> dict[str, Any]:
    return {"remembers_packet": bool(session.get(ACCESS)), "shared_device": shared()}


@bp.post("/shared")
def mark_shared() -> WerkzeugResponse:
    """The footer's "This is a shared computer", for a browser that came in by a private link
    (which cannot carry the choice): from now on the session ends with the browser."""
    share()
    back = request.form.get("next", "")
    local = back.startswith("/") and not back.startswith("//") and "\\" not in back
    return redirect(back if local else url_for("citizen.index"), 303)


@bp.post("/forget")
def forget() -> WerkzeugResponse:
    """Forget this device: the session (every reference code this browser could open) and the
    language cookie go, and the browser is asked to drop anything a script stored for this site.
    Not ``"cookies"`` there: browsers clear those for the whole registrable domain, which would
    sign the citizen out of the agency's other sites too."""
    session.clear()
    response = redirect(url_for("citizen.forgotten"), 303)
    i18n.forget(response)
    response.headers["Clear-Site-Data"] = '"storage"'
    return response


@bp.get("/forgotten")
def forgotten() -> str:
    return render_template("citizen/forgotten.html")
