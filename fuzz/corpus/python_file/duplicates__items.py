from flask import Blueprint, jsonify

items_bp = Blueprint("items", __name__, url_prefix="/items")


@items_bp.route("/")
def list_items():
    return jsonify(items=[])


@items_bp.route("/<int:item_id>")
def get_item(item_id):
    return jsonify(id=item_id)


# Same rule as the app's own /about once this blueprint is mounted at the root.
@items_bp.route("/about")
def about_items():
    return "About the catalogue"
