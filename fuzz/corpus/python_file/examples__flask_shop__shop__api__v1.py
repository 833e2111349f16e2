from flask import Blueprint, abort, current_app, jsonify, request, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..models import Category, Order, OrderItem, Product

bp = Blueprint("v1", __name__)


@bp.get("/products")
def list_products():
    page = request.args.get("page", 1, type=int)
    query = db.select(Product).filter_by(is_active=True).order_by(Product.id)
    if category := request.args.get("category"):
        query = query.join(Product.category).filter(Category.slug == category)
    pagination = db.paginate(
        query,
        page=page,
        per_page=current_app.config["PRODUCTS_PER_PAGE"],
        error_out=False,
    )
    return jsonify(
        products=[product.to_dict() for product in pagination.items],
        page=pagination.page,
        pages=pagination.pages,
        total=pagination.total,
        next=url_for(".list_products", page=pagination.next_num, _external=True)
        if pagination.has_next
        else None,
    )


@bp.get("/products/<int:product_id>")
def get_product(product_id):
    product = db.get_or_404(Product, product_id)
    return jsonify(product.to_dict())


@bp.get("/categories")
def list_categories():
    categories = db.session.scalars(db.select(Category).order_by(Category.name)).all()
    return jsonify([{"slug": c.slug, "name": c.name} for c in categories])


@bp.route("/orders", methods=["GET", "POST"])
@login_required
def orders():
    if request.method == "GET":
        return jsonify(
            [order.to_dict() for order in current_user.orders.order_by(Order.id)]
        )

    payload = request.get_json(silent=True) or {}
    items = payload.get("items") or []
    if not items:
        abort(400, description="An order needs at least one item.")

    order = Order(
        customer=current_user,
        full_name=payload.get("full_name", current_user.username),
        address=payload.get("address", ""),
        city=payload.get("city", ""),
        postcode=payload.get("postcode", ""),
    )
    db.session.add(order)
    for entry in items:
        product = db.session.get(Product, entry.get("product_id"))
        quantity = int(entry.get("quantity", 1))
        if product is None or not product.is_active:
            abort(400, description=f"Unknown product {entry.get('product_id')!r}.")
        if quantity < 1 or quantity > product.stock:
            abort(409, description=f"Not enough stock for {product.name}.")
        product.stock -= quantity
        order.items.append(
            OrderItem(product=product, quantity=quantity, unit_price=product.price)
        )
    db.session.commit()
    response = jsonify(order.to_dict())
    response.status_code = 201
    response.headers["Location"] = url_for(".get_order", order_id=order.id)
    return response


@bp.get("/orders/<int:order_id>")
@login_required
def get_order(order_id):
    order = db.get_or_404(Order, order_id)
    if order.user_id != current_user.id:
        abort(404)
    return jsonify(order.to_dict())
