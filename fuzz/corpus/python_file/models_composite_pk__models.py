"""An order book whose tables use composite keys and table-level constraints."""

from datetime import datetime

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import CheckConstraint, Index, PrimaryKeyConstraint, UniqueConstraint

db = SQLAlchemy()


class Vendor(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(100), nullable=False)


class Product(db.Model):
    __table_args__ = (
        UniqueConstraint("vendor_id", "sku", name="uq_product_vendor_sku"),
        UniqueConstraint("barcode"),
        Index("ix_product_name_price", "name", "price"),
        Index("ix_product_released", "released_on"),
        CheckConstraint("price >= 0", name="ck_product_price_positive"),
        CheckConstraint("stock >= 0"),
    )

    id = db.Column(db.Integer, primary_key=True)
    vendor_id = db.Column(db.Integer, db.ForeignKey("vendor.id"), nullable=False)
    sku = db.Column(db.String(40), nullable=False)
    barcode = db.Column(db.String(14))
    name = db.Column(db.String(200), nullable=False)
    price = db.Column(db.Numeric(10, 2), nullable=False)
    stock = db.Column(db.Integer, nullable=False, default=0)
    released_on = db.Column(db.Date)

    vendor = db.relationship("Vendor", backref="products")


class Order(db.Model):
    __tablename__ = "orders"

    id = db.Column(db.Integer, primary_key=True)
    placed_at = db.Column(db.DateTime, nullable=False, default=datetime.utcnow)
    lines = db.relationship("OrderLine", back_populates="order", order_by="OrderLine.line_no")


class OrderLine(db.Model):
    """Two ``primary_key=True`` columns: the order and the line number within it."""

    __tablename__ = "order_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="ck_order_lines_quantity"),)

    order_id = db.Column(db.Integer, db.ForeignKey("orders.id"), primary_key=True)
    line_no = db.Column(db.Integer, primary_key=True, autoincrement=False)
    product_id = db.Column(db.Integer, db.ForeignKey("product.id"), nullable=False)
    quantity = db.Column(db.Integer, nullable=False, default=1)
    unit_price = db.Column(db.Numeric(10, 2), nullable=False)

    order = db.relationship("Order", back_populates="lines")
    product = db.relationship("Product")


class Translation(db.Model):
    """The primary key is declared in ``__table_args__`` rather than on the columns."""

    __table_args__ = (
        PrimaryKeyConstraint("locale", "msgid", name="pk_translation"),
        Index("ix_translation_domain_locale", "domain", "locale"),
        {"comment": "Translated interface strings"},
    )

    locale = db.Column(db.String(10), nullable=False)
    msgid = db.Column(db.String(255), nullable=False)
    domain = db.Column(db.String(50), nullable=False, default="messages")
    msgstr = db.Column(db.Text, nullable=False)
    fuzzy = db.Column(db.Boolean, nullable=False, default=False)
