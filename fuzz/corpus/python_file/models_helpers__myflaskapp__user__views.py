"""User views."""

from flask import Blueprint, abort, jsonify, request
from flask_login import login_required

from myflaskapp.audit import record
from myflaskapp.user.models import Role, User

blueprint = Blueprint("user", __name__, url_prefix="/users", static_folder="../static")


@blueprint.route("/<int:user_id>")
@login_required
def members(user_id):
    """Show one user."""
    user = User.get_by_id(user_id) or abort(404)
    return jsonify(username=user.username, name=user.full_name, roles=[role.name for role in user.roles])


@blueprint.route("/", methods=["POST"])
def register():
    """Register a new user."""
    user = User.create(username=request.form["username"], email=request.form["email"], active=True)
    user.password = request.form["password"]
    Role.create(name=f"member:{user.username}", user=user)
    record("user.registered", user.username)
    return jsonify(id=user.id), 201
