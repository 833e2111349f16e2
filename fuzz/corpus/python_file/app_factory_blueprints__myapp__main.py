from flask import Blueprint, jsonify, redirect, url_for

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    return redirect(url_for("blog.index"))


@bp.route("/health")
def health():
    return jsonify(status="ok")
