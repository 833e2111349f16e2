from flask import Blueprint, flash, redirect, request, session, url_for

from ..config import Config

auth_bp = Blueprint("auth", __name__, url_prefix="/auth")


@auth_bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        session["user"] = request.form["username"]
        return redirect(url_for("main.index"))
    return '<form method="post"><input name="username"></form>'


@auth_bp.route("/logout")
def logout():
    session.clear()
    flash("Logged out.")
    return redirect(url_for("main.index"))


@auth_bp.route("/register", methods=["GET", "POST"])
def register():
    return f"Registration is closed ({Config.POSTS_PER_PAGE} posts per page)."
