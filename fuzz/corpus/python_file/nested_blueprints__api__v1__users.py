from flask import Blueprint, jsonify, request

users_bp = Blueprint("users", __name__)

USERS = {1: "ada", 2: "linus"}


@users_bp.route("/", methods=["GET", "POST"])
def list_users():
    if request.method == "POST":
        new_id = max(USERS) + 1
        USERS[new_id] = request.get_json()["name"]
        return jsonify(id=new_id), 201
    return jsonify(users=USERS)


@users_bp.route("/<int:user_id>")
def get_user(user_id):
    return jsonify(id=user_id, name=USERS.get(user_id))
