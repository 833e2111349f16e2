"""A small notes site kept in one module, the way many Flask projects start."""

import functools

from flask import Flask, abort, jsonify, redirect, render_template_string, request, session, url_for

app = Flask(__name__)
app.config["SECRET_KEY"] = "dev"

API_PREFIX = "/api"
HEALTH_RULE = "/healthz"

NOTES = {1: "Buy milk", 2: "Write the report"}


def login_required(view):
    """Send anonymous visitors to the login page."""

    @functools.wraps(view)
    def wrapped_view(*args, **kwargs):
        if "user" not in session:
            return redirect(url_for("login", next=request.path))
        return view(*args, **kwargs)

    return wrapped_view


@app.route("/")
def index():
    return render_template_string("<h1>{{ count }} notes</h1>", count=len(NOTES))


@app.route("/about/", strict_slashes=False)
def about():
    return "A tiny notes app."


@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        session["user"] = request.form["username"]
        return redirect(request.args.get("next") or url_for("index"))
    return '<form method="post"><input name="username"></form>'


@app.route("/logout", methods=("post",))
def logout():
    session.pop("user", None)
    return redirect(url_for("index"))


@app.route("/profile", methods={"GET", "PUT"})
@login_required
def profile():
    if request.method == "PUT":
        session["display_name"] = request.get_json()["display_name"]
    return jsonify(user=session["user"], display_name=session.get("display_name"))


@app.route("/notes/", defaults={"page": 1})
@app.route("/notes/page/<int:page>")
@login_required
def notes(page):
    return jsonify(page=page, notes=list(NOTES.values()))


@app.route("/notes/<int:note_id>", methods=["GET", "DELETE"])
@login_required
def note(note_id):
    if note_id not in NOTES:
        abort(404)
    if request.method == "DELETE":
        del NOTES[note_id]
        return "", 204
    return jsonify(id=note_id, text=NOTES[note_id])


@app.route("/users/<username>")
@app.route("/u/<username>", endpoint="user_short")
def user(username):
    return f"Profile of {username}"


@app.route(HEALTH_RULE)
def health():
    return "ok"


@app.route(f"{API_PREFIX}/status")
def api_status():
    return jsonify(status="ok", notes=len(NOTES))


@app.route(API_PREFIX + "/version", endpoint="version")
def api_version():
    return jsonify(version="1.0")


if __name__ == "__main__":
    app.run(debug=True)
