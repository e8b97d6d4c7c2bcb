"""Language: English and Spanish, chosen by a link on every page and remembered in a cookie,
otherwise taken from the browser's Accept-Language. The JSON API keeps no cookies: there the
language is only ``?lang=`` or Accept-Language."""

from __future__ import annotations

from flask import Flask, current_app, g, has_request_context, request
from flask_babel import Babel

COOKIE = "intake_lang"
babel = Babel()


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return str(languages[0])
    asked = request.args.get("lang") or (None if _stateless() else request.cookies.get(COOKIE))
    if asked in languages:
        return str(asked)
    return request.accept_languages.best_match(languages) or languages[0]


def _stateless() -> bool:
    return request.path.startswith("/api/")


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)

    @app.before_request
    def _language() -> None:
        g.lang = select_locale()

    @app.after_request
    def _remember(response):  # type: ignore[no-untyped-def]
        asked = request.args.get("lang")
        if asked in app.config["LANGUAGES"] and not _stateless():
            response.set_cookie(COOKIE, asked, max_age=60 * 60 * 24 * 365, samesite="Lax", httponly=True,
                                secure=app.config["SESSION_COOKIE_SECURE"])
        return response

    @app.context_processor
    def _languages() -> dict[str, object]:
        return {"lang": g.get("lang", "en"), "other_lang": "es" if g.get("lang", "en") == "en" else "en"}
