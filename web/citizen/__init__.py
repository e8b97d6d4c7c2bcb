"""The citizen side: find a service, upload, read the result, come back with a reference."""

from flask import Blueprint

bp = Blueprint("citizen", __name__, template_folder="../templates/citizen")

from web.citizen import device, trust, views  # noqa: E402,F401  (the routes of this blueprint, in one visible place)
