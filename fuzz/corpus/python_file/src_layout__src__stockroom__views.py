from flask import Blueprint, jsonify, request

bp = Blueprint("stock", __name__)

STOCK = {"tea": 12, "cups": 40}


@bp.route("/stock")
def list_stock():
    return jsonify(STOCK)


@bp.route("/stock/<item>", methods=["GET", "POST"])
def item(item):
    if request.method == "POST":
        STOCK[item] = STOCK.get(item, 0) + int(request.form["count"])
    return jsonify(item=item, count=STOCK.get(item, 0))
