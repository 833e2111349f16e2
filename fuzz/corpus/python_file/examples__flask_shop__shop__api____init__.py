"""JSON API. ``bp`` is mounted at /api; each version is a nested blueprint."""

from flask import Blueprint, jsonify
from werkzeug.exceptions import HTTPException

from ..extensions import csrf
from .v1 import bp as v1_bp

bp = Blueprint("api", __name__)
bp.register_blueprint(v1_bp, url_prefix="/v1")

# The API is used by scripts with session cookies or from the shop's own JavaScript,
# which sends JSON without a form token.
csrf.exempt(v1_bp)


@bp.route("/health")
def health():
    return {"status": "ok"}


@bp.errorhandler(HTTPException)
def json_error(error):
    return jsonify(error=error.name, message=error.description), error.code
