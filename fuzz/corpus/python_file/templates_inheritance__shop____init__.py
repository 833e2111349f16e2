from flask import Blueprint, render_template

shop_bp = Blueprint("shop", __name__, template_folder="templates", url_prefix="/shop")

PRODUCTS = {1: {"id": 1, "name": "Teapot", "price": 18.5}, 2: {"id": 2, "name": "Cup", "price": 4}}


@shop_bp.route("/")
def products():
    return render_template("shop/list.html", products=PRODUCTS.values())


@shop_bp.route("/<int:id>")
def product(id):
    return render_template("shop/product.html", product=PRODUCTS[id])
