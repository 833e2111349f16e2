from flask import Blueprint, jsonify

items_bp = Blueprint("items", __name__, url_prefix="/items")


# An empty rule is the blueprint's prefix itself: /api/v1/items
@items_bp.route("")
def list_items():
    return jsonify(items=[])


@items_bp.route("/<slug>")
def get_item(slug):
    return jsonify(slug=slug)
