from flask import Blueprint, jsonify


def create_health_blueprint():
    """Build a fresh blueprint; each app that wants health checks registers its own."""
    bp = Blueprint("health", __name__)

    @bp.route("/healthz")
    def healthz():
        return jsonify(status="ok")

    @bp.route("/readyz")
    def readyz():
        return jsonify(ready=True)

    return bp
