"""An app that sets its own options: a Flask subclass, no static folder, subdomains."""

from flask import Blueprint, Flask, jsonify, render_template


class ShopFlask(Flask):
    """Project-wide defaults live on the application class."""

    jinja_options = {**Flask.jinja_options, "trim_blocks": True, "lstrip_blocks": True}


app = ShopFlask(
    __name__,
    static_folder=None,
    template_folder="views",
    subdomain_matching=True,
)
app.config["SERVER_NAME"] = "shop.test"
# Applies to the rules added from here on.
app.url_map.strict_slashes = False

api = Blueprint("api", __name__, subdomain="api")


@api.route("/orders")
def orders():
    return jsonify(orders=[])


@app.route("/")
def home():
    return render_template("home.html")


@app.route("/status", subdomain="status", strict_slashes=True)
def status():
    return jsonify(status="ok")


@app.route("/<shop>/catalogue", subdomain="<region>")
def regional_catalogue(region, shop):
    return jsonify(region=region, shop=shop)


app.register_blueprint(api)
