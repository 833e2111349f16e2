"""The back office, served separately: ``flask --app admin_app run --port 5001``."""

from flask import Flask, jsonify, request

from common import health_bp

app = Flask(__name__, static_url_path="/assets")
app.register_blueprint(health_bp)


@app.route("/")
def dashboard():
    return "Admin dashboard"


@app.route("/products", methods=["GET", "POST"])
def manage_products():
    if request.method == "POST":
        return jsonify(created=request.get_json()), 201
    return jsonify(products=[])


@app.route("/users/<int:user_id>", methods=["GET", "DELETE"])
def manage_user(user_id):
    return jsonify(id=user_id)
