"""The clerk side: a completeness queue per service, the detail of a submission, actions, audit."""

from flask import Blueprint

bp = Blueprint("clerk", __name__, url_prefix="/clerk", template_folder="../templates/clerk")


@bp.app_template_filter("status_label")
def _status_label(status: str) -> str:
    from web.clerk.labels import label

    return label(status)


from web.clerk import oversight, views  # noqa: E402,F401  (the routes of this blueprint, in one visible place)
