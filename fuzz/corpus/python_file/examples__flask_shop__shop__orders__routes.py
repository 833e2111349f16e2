from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..email import send_order_confirmation
from ..extensions import db
from ..forms import EmptyForm
from ..models import Order, OrderItem, Product
from . import bp
from .cart import Cart
from .forms import AddToCartForm, CheckoutForm


@bp.before_request
@login_required
def require_login():
    """Every page of the orders blueprint needs a signed-in user."""


@bp.route("/cart")
def cart():
    cart = Cart.from_session()
    return render_template(
        "orders/cart.html",
        title="Your cart",
        lines=cart.lines(),
        total=cart.total(),
        form=EmptyForm(),
    )


@bp.route("/cart/add/<int:product_id>", methods=["POST"])
def add_to_cart(product_id):
    product = db.get_or_404(Product, product_id)
    form = AddToCartForm()
    if form.validate_on_submit():
        if form.quantity.data > product.stock:
            flash(f"Only {product.stock} left of {product.name}.", "warning")
        else:
            Cart.from_session().add(product.id, form.quantity.data)
            flash(f"Added {product.name} to your cart.", "success")
    return redirect(url_for("catalog.product", slug=product.slug))


@bp.route("/cart/remove/<int:product_id>", methods=["POST"])
def remove_from_cart(product_id):
    if EmptyForm().validate_on_submit():
        Cart.from_session().remove(product_id)
    return redirect(url_for(".cart"))


@bp.route("/checkout", methods=["GET", "POST"])
def checkout():
    cart = Cart.from_session()
    lines = cart.lines()
    if not lines:
        flash("Your cart is empty.", "info")
        return redirect(url_for("catalog.index"))

    form = CheckoutForm()
    if form.validate_on_submit():
        order = Order(customer=current_user)
        form.populate_obj(order)
        db.session.add(order)
        for product, quantity, _ in lines:
            if quantity > product.stock:
                db.session.rollback()
                flash(f"Sorry, only {product.stock} left of {product.name}.", "warning")
                return redirect(url_for(".cart"))
            product.stock -= quantity
            order.items.append(
                OrderItem(product=product, quantity=quantity, unit_price=product.price)
            )
        db.session.commit()
        cart.clear()
        send_order_confirmation(order)
        current_app.logger.info("order %s placed by %s", order.id, current_user.email)
        flash(f"Thank you! Your order #{order.id} has been placed.", "success")
        return redirect(url_for(".detail", order_id=order.id))

    if not form.is_submitted():
        form.full_name.data = current_user.username
    return render_template(
        "orders/checkout.html",
        title="Checkout",
        form=form,
        lines=lines,
        total=cart.total(),
    )


@bp.route("/")
def history():
    orders = current_user.orders.order_by(Order.created_at.desc()).all()
    return render_template("orders/history.html", title="Your orders", orders=orders)


@bp.route("/<int:order_id>")
def detail(order_id):
    order = db.get_or_404(Order, order_id)
    if order.user_id != current_user.id and not current_user.is_admin:
        abort(403)
    return render_template(
        "orders/detail.html", title=f"Order #{order.id}", order=order, form=EmptyForm()
    )


@bp.route("/<int:order_id>/cancel", methods=["POST"])
def cancel(order_id):
    order = db.get_or_404(Order, order_id)
    if order.user_id != current_user.id:
        abort(403)
    if EmptyForm().validate_on_submit() and order.can_cancel:
        for item in order.items:
            item.product.stock += item.quantity
        order.status = "cancelled"
        db.session.commit()
        flash(f"Order #{order.id} has been cancelled.", "info")
    return redirect(url_for(".detail", order_id=order.id))
