"""Rules registered more than once. Flask accepts all of them; the first match wins."""

from flask import Flask, jsonify

from items import items_bp

app = Flask(__name__)


@app.route("/")
def index():
    return "index"


@app.route("/")
def new_index():
    # Never reached: "/" (GET) already maps to index.
    return "new index"


@app.route("/about")
def about():
    return "about"


def ping():
    return "pong"


app.add_url_rule("/ping", view_func=ping)
# The same rule, endpoint and view again: harmless, and unreachable.
app.add_url_rule("/ping", view_func=ping)


@app.route("/things", methods=["GET", "POST"])
def things():
    return jsonify(things=[])


@app.post("/things")
def create_thing():
    # Shadowed: POST /things is handled by things().
    return jsonify(created=True), 201


app.register_blueprint(items_bp)
# The same blueprint again, under a second name: a valid way to mount it twice.
app.register_blueprint(items_bp, name="catalogue", url_prefix="/catalogue")
# And once more with no prefix at all, so its /about collides with the app's.
app.register_blueprint(items_bp, name="root_items", url_prefix="/")
