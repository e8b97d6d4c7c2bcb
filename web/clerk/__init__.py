"""The clerk side: a completeness queue per service, the detail of a submission, actions, audit."""

from typing import Any

from flask import Blueprint
from jinja2 import pass_context

bp = Blueprint("clerk", __name__, url_prefix="/clerk", template_folder="../templates/clerk")


@bp.app_template_filter("status_label")
@pass_context
def _status_label(context: Any, status: str, by_mail: bool | None = None) -> str:
    """``by_mail`` unless given is the page's: its ``status_by_mail``, or its one service's mode;
    a page listing services sent by mail beside ones visited says so (``status_mixed``)."""
    from web.clerk.labels import label

    if by_mail is None:
        if context.get("status_mixed"):
            return label(status, mixed=True)
        visit = getattr(context.get("service"), "visit", None)
        by_mail = bool(context.get("status_by_mail") or getattr(visit, "by_mail", False))
    return label(status, by_mail)


from web.clerk import oversight, views  # noqa: E402,F401  (the routes of this blueprint, in one visible place)
