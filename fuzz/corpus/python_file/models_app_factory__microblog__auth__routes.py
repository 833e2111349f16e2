from flask import abort, jsonify, request

from microblog.extensions import db
from microblog.models import User

from . import bp


@bp.route("/register", methods=["POST"])
def register():
    user = User(username=request.form["username"], email=request.form["email"])
    user.set_password(request.form["password"])
    db.session.add(user)
    db.session.commit()
    return jsonify(id=user.id), 201


@bp.route("/login", methods=["POST"])
def login():
    user = db.session.scalar(db.select(User).where(User.username == request.form["username"]))
    if user is None or not user.check_password(request.form["password"]):
        abort(401)
    return jsonify(id=user.id)
