from flask import Blueprint, jsonify

from .v1 import v1_bp

api_bp = Blueprint("api", __name__)
api_bp.register_blueprint(v1_bp, url_prefix="/v1")


@api_bp.route("/")
def versions():
    return jsonify(versions=["v1"])
