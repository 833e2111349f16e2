from flask import Flask, abort, jsonify

from .database import db_session, init_db
from .models import Order, User

app = Flask(__name__)
init_db()


@app.teardown_appcontext
def shutdown_session(exception=None):
    db_session.remove()


@app.route("/users/<name>")
def user_detail(name):
    user = User.query.filter(User.name == name).first()
    if user is None:
        abort(404)
    return jsonify(name=user.name, email=user.email, orders=[o.id for o in user.orders])


@app.route("/orders/<int:order_id>")
def order_detail(order_id):
    order = db_session.get(Order, order_id)
    if order is None:
        abort(404)
    return jsonify(id=order.id, customer=order.customer.name, quantity=order.quantity)
