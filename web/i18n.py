"""Language: English and Spanish, chosen by a link on every page and remembered in a cookie,
otherwise taken from the browser's Accept-Language. On a computer the citizen said is shared,
the choice is kept in the session instead, which ends when the browser closes, and no language
cookie is set. The JSON API keeps no cookies: there the language is only ``?lang=`` or
Accept-Language."""

from __future__ import annotations

from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import Babel
from werkzeug.wrappers import Response

COOKIE = "intake_lang"
SHARED = "shared_device"  # the session key set when the citizen says this computer is shared
LANG = "lang"  # the session key that holds the language on a shared computer
babel = Babel()


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return str(languages[0])
    asked = request.args.get("lang") or (None if _stateless() else request.cookies.get(COOKIE) or _in_session())
    if asked in languages:
        return str(asked)
    return request.accept_languages.best_match(languages) or languages[0]


def _stateless() -> bool:
    return request.path.startswith("/api/")


def _in_session() -> str | None:
    """The language kept in the session of a shared computer; the session is opened only when
    the browser sent one."""
    if current_app.config["SESSION_COOKIE_NAME"] not in request.cookies:
        return None
    return session.get(LANG) if session.get(SHARED) else None


def forget(response: Response) -> None:
    """Delete the language cookie."""
    response.delete_cookie(COOKIE, samesite="Lax", httponly=True, secure=current_app.config["SESSION_COOKIE_SECURE"])


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)

    @app.before_request
    def _language() -> None:
        g.lang = select_locale()

    @app.after_request
    def _remember(response):  # type: ignore[no-untyped-def]
        asked = request.args.get("lang")
        if asked in app.config["LANGUAGES"] and not _stateless():
            if _in_session() is not None:
                session[LANG] = asked
            else:
                response.set_cookie(COOKIE, asked, max_age=60 * 60 * 24 * 365, samesite="Lax", httponly=True,
                                    secure=app.config["SESSION_COOKIE_SECURE"])
        return response

    @app.context_processor
    def _languages() -> dict[str, object]:
        return {"lang": g.get("lang", "en"), "other_lang": "es" if g.get("lang", "en") == "en" else "en"}
