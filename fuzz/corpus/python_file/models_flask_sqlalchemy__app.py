"""A publishing site in one Flask module; the models live in ``models.py``."""

import os

from flask import Flask, abort, jsonify, request

from models import APIKey, HTMLPage, User, db

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DATABASE_URL", "sqlite://")
db.init_app(app)


@app.cli.command("init-db")
def init_db():
    """Create the tables."""
    db.create_all()


@app.route("/pages/<slug>")
def show_page(slug):
    page = db.session.execute(db.select(HTMLPage).filter_by(slug=slug)).scalar_one_or_none()
    if page is None:
        abort(404)
    return jsonify(title=page.title, body=page.body, words=page.word_count)


@app.route("/users", methods=["POST"])
def create_user():
    user = User(username=request.form["username"], email=request.form["email"])
    db.session.add(user)
    db.session.commit()
    return jsonify(id=user.id), 201


@app.route("/users/<int:user_id>/keys")
def list_keys(user_id):
    user = db.get_or_404(User, user_id)
    keys = user.api_keys.filter(APIKey.revoked.is_(False)).all()
    return jsonify(user=user.full_name, keys=[k.label for k in keys])
