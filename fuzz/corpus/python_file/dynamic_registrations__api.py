from flask import Blueprint, jsonify

api_bp = Blueprint("api", __name__)


@api_bp.route("/users")
def users():
    return jsonify(users=[])


@api_bp.route("/users/<int:user_id>")
def user(user_id):
    return jsonify(id=user_id)
