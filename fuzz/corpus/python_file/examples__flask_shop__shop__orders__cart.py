"""The shopping cart lives in the session as ``{"<product id>": quantity}``."""

from decimal import Decimal

from flask import session

from ..extensions import db
from ..models import Product

SESSION_KEY = "cart"


class Cart:
    def __init__(self, items):
        self.items = items

    @classmethod
    def from_session(cls):
        return cls(dict(session.get(SESSION_KEY, {})))

    def save(self):
        session[SESSION_KEY] = self.items
        session.permanent = True

    def add(self, product_id, quantity=1):
        key = str(product_id)
        self.items[key] = self.items.get(key, 0) + quantity
        self.save()

    def remove(self, product_id):
        self.items.pop(str(product_id), None)
        self.save()

    def clear(self):
        session.pop(SESSION_KEY, None)
        self.items = {}

    @property
    def count(self):
        return sum(self.items.values())

    def lines(self):
        """(product, quantity, subtotal) for each product still on sale."""
        if not self.items:
            return []
        ids = [int(key) for key in self.items]
        products = db.session.scalars(
            db.select(Product).filter(Product.id.in_(ids), Product.is_active.is_(True))
        ).all()
        return [
            (
                product,
                self.items[str(product.id)],
                product.price * self.items[str(product.id)],
            )
            for product in sorted(products, key=lambda p: p.name)
        ]

    def total(self):
        return sum((subtotal for _, _, subtotal in self.lines()), Decimal("0.00"))
