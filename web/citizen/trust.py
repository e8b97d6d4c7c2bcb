"""The pages that say who runs this site and how it treats what citizens send: privacy,
accessibility and contact. Their words come from the deployment's configuration and from each
service file, so a new office needs no template change."""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template

from web import jobs
from web.citizen import bp


def agency() -> dict[str, Any]:
    """The deployment's name and contact lines, for every citizen page (title, banner, footer)."""
    cfg = current_app.config
    return {
        "name": str(cfg.get("AGENCY_NAME") or ""),
        "email": str(cfg.get("AGENCY_CONTACT_EMAIL") or ""),
        "phone": str(cfg.get("AGENCY_CONTACT_PHONE") or ""),
        "url": str(cfg.get("AGENCY_CONTACT_URL") or ""),
        "banner": bool(cfg.get("OFFICIAL_BANNER")),
    }


@bp.app_context_processor
def _trust() -> dict[str, Any]:
    return {"agency": agency()}


@bp.get("/privacy")
def privacy() -> str:
    services = sorted(jobs.services().values(), key=lambda s: s.id)
    return render_template("citizen/privacy.html", services=services)


@bp.get("/accessibility")
def accessibility() -> str:
    return render_template("citizen/accessibility.html")


@bp.get("/contact")
def contact_page() -> str:
    return render_template("citizen/contact_page.html")
