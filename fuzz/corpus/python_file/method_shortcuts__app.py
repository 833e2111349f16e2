from flask import Flask, abort, jsonify, request

from orders import orders_bp

app = Flask(__name__)
app.register_blueprint(orders_bp)

ITEMS = {}


@app.get("/items")
def list_items():
    return jsonify(items=list(ITEMS.values()))


@app.post("/items")
def create_item():
    item = request.get_json()
    item_id = len(ITEMS) + 1
    ITEMS[item_id] = item
    return jsonify(id=item_id), 201


@app.get("/items/<int:item_id>")
def get_item(item_id):
    return jsonify(ITEMS.get(item_id) or abort(404))


@app.put("/items/<int:item_id>")
def replace_item(item_id):
    ITEMS[item_id] = request.get_json()
    return jsonify(ITEMS[item_id])


@app.patch("/items/<int:item_id>")
def update_item(item_id):
    ITEMS.setdefault(item_id, {}).update(request.get_json())
    return jsonify(ITEMS[item_id])


@app.delete("/items/<int:item_id>")
def delete_item(item_id):
    ITEMS.pop(item_id, None)
    return "", 204


@app.get("/version", endpoint="api_version", strict_slashes=False)
def version():
    return jsonify(version="2.1")
