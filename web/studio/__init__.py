"""The service studio for agency admins (``/admin/services``): start a service from a blank
form, edit it in a form with the lint's messages beside each input, try it on its samples and
on any file, publish versions, and re-check the submissions still in flight.

Only admins: everyone else signed in is refused (403), and anyone signed out is sent to the
staff sign-in page.
"""

from flask import Blueprint, abort
from flask.typing import ResponseReturnValue
from flask_login import current_user

bp = Blueprint("studio", __name__, url_prefix="/admin/services", template_folder="../templates/studio")


@bp.before_request
def _admins_only() -> ResponseReturnValue | None:
    from web.logins import login_manager

    if not current_user.is_authenticated:
        sent: ResponseReturnValue = login_manager.unauthorized()
        return sent
    if current_user.role != "admin":
        abort(403)
    return None


from web.studio import views  # noqa: E402,F401  (the routes of this blueprint, in one visible place)
