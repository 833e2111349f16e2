from flask import Blueprint, jsonify

from .items import items_bp
from .users import users_bp

v1_bp = Blueprint("v1", __name__)
v1_bp.register_blueprint(users_bp, url_prefix="/users")
v1_bp.register_blueprint(items_bp)


@v1_bp.get("/ping")
def ping():
    return jsonify(pong=True)
