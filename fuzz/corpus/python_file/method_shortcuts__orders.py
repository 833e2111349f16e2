from flask import Blueprint, jsonify, request

orders_bp = Blueprint("orders", __name__, url_prefix="/orders")


@orders_bp.get("/")
def list_orders():
    return jsonify(orders=[])


@orders_bp.post("/")
def create_order():
    return jsonify(request.get_json()), 201


@orders_bp.put("/<int:order_id>")
def replace_order(order_id):
    return jsonify(id=order_id)


@orders_bp.patch("/<int:order_id>")
def update_order(order_id):
    return jsonify(id=order_id)


@orders_bp.delete("/<int:order_id>")
def cancel_order(order_id):
    return "", 204
