"""The public site. Run with ``flask run`` (see .flaskenv)."""

from flask import Flask, jsonify

from common import health_bp

app = Flask(__name__)
app.register_blueprint(health_bp)


@app.route("/")
def home():
    return "Welcome"


@app.route("/products")
def products():
    return jsonify(products=["tea", "cups"])


@app.route("/products/<int:product_id>")
def product(product_id):
    return jsonify(id=product_id)
