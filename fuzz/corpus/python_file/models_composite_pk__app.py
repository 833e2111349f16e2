import os

from flask import Flask, abort, jsonify

from models import Order, Translation, db

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DATABASE_URL", "sqlite://")
db.init_app(app)


@app.route("/orders/<int:order_id>")
def order_detail(order_id):
    order = db.get_or_404(Order, order_id)
    return jsonify(
        placed_at=order.placed_at.isoformat(),
        lines=[
            {"line": line.line_no, "sku": line.product.sku, "quantity": line.quantity, "price": str(line.unit_price)}
            for line in order.lines
        ],
    )


@app.route("/i18n/<locale>/<path:msgid>")
def translate(locale, msgid):
    translation = db.session.get(Translation, (locale, msgid))
    if translation is None:
        abort(404)
    return jsonify(msgstr=translation.msgstr, fuzzy=translation.fuzzy)
