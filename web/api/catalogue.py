"""The public, stateless part of the API: the services and their checklists, and a check
that stores nothing."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, jsonify
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from intake import search
from intake.services import Service
from web import jobs
from web.api import bp, errors, schemas, uploads
from web.api.problems import ApiProblem
from web.api.shapes import service as service_shape
from web.api.shapes import service_summary
from web.citizen import packets
from web.limits import limiter


def known_service(service_id: str, field: str = "service") -> Service:
    service = jobs.services().get(service_id)
    if service is None:
        raise ApiProblem(404, "service.unknown", _("There is no service %(id)s. GET /api/v1/services lists them.",
                                                   id=service_id[:80]),
                         [{"field": field, "code": "service.unknown", "message": _("Choose a service from the list.")}])
    return service


@bp.get("/services")
@bp.doc(tags=["services"], security=[])
@bp.arguments(schemas.ServiceSearchArgs, location="query", as_kwargs=True)
@bp.response(200, schemas.ServiceListSchema)
@errors(422)
def services(q: str = "", **_args: Any) -> dict[str, Any]:
    """The services.

    Every service this office checks, in the requested language; with `q`, only those the
    words find (the home page's search, which also uses it to filter the list as people type)."""
    return {"lang": g.lang, "services": [service_summary(s, g.lang)
                                         for s in search.search(jobs.services().values(), q)]}


@bp.get("/services/<service_id>")
@bp.doc(tags=["services"], security=[])
@bp.arguments(schemas.LangArgs, location="query", as_kwargs=True)
@bp.response(200, schemas.ServiceSchema)
@errors(404, 422)
def service(service_id: str, **_args: Any) -> dict[str, Any]:
    """One service's checklist.

    The checklist: forms and their fields (labels, types, limits), documents, the conditions
    that make an item needed, what to bring to the visit, and the upload limits."""
    return service_shape(known_service(service_id, "service_id"), g.lang)


@bp.post("/checks")
@bp.doc(tags=["checks"], security=[])
@bp.arguments(schemas.LangArgs, location="query", as_kwargs=True)
@bp.arguments(schemas.CheckForm, location="form", content_type="multipart/form-data", as_kwargs=True)
@bp.response(200, schemas.ReportSchema)
@errors(404, 413, 415, 422, 429)
@limiter.limit(lambda: current_app.config["RATELIMIT_UPLOAD"])
def check(**form: Any) -> ResponseReturnValue:
    """Check files without storing them.

    The report for a service and files (status, forms with their values and problems,
    documents, what is missing, files we could not place, what to bring), exactly as the
    library, the CLI and the web form give it. Nothing is stored."""
    service = known_service(str(form.get("service", "")))
    incoming = uploads.read(service)
    report = packets.check_new(service, incoming)
    response = jsonify(report.to_dict(g.lang))
    response.headers["Content-Language"] = g.lang
    return response
