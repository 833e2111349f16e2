import os

import arrow
from flask import Flask, abort, jsonify, request

from models import Customer, Subscription, db

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DATABASE_URL", "sqlite://")
db.init_app(app)


@app.post("/customers")
def sign_up():
    customer = Customer(
        name=request.form["name"],
        email=request.form["email"],
        password=request.form["password"],
        homepage=request.form.get("homepage"),
    )
    db.session.add(customer)
    db.session.commit()
    return jsonify(id=str(customer.id), tier=customer.tier.value), 201


@app.post("/customers/<uuid:customer_id>/subscriptions")
def subscribe(customer_id):
    customer = db.get_or_404(Customer, customer_id)
    if customer.password != request.form["password"]:
        abort(403)
    subscription = Subscription(customer=customer, feed_url=request.form["feed_url"], starts_at=arrow.utcnow())
    db.session.add(subscription)
    db.session.commit()
    return jsonify(id=subscription.id, starts=subscription.starts_at.humanize()), 201
