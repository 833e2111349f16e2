from datetime import datetime

from sqlalchemy import Boolean, Column, DateTime, Float, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import relationship

from .database import Base


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    name = Column(String(50), unique=True)
    email = Column(String(120), unique=True)
    is_admin = Column(Boolean, default=False)

    orders = relationship("Order", back_populates="customer", order_by="Order.placed_at")

    def __init__(self, name=None, email=None):
        self.name = name
        self.email = email

    def __repr__(self):
        return f"<User {self.name!r}>"


class Product(Base):
    __tablename__ = "products"

    id = Column(Integer, primary_key=True)
    sku = Column("product_code", String(32), nullable=False, unique=True)
    title = Column(String(200), nullable=False)
    description = Column(Text)
    price = Column(Numeric(8, 2), nullable=False)
    weight_kg = Column(Float)


class Order(Base):
    __tablename__ = "orders"

    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("users.id"), nullable=False, index=True)
    product_id = Column(Integer, ForeignKey("products.id"))
    quantity = Column(Integer, nullable=False, default=1)
    placed_at = Column(DateTime, nullable=False, default=datetime.utcnow)
    note = Column(String(255))

    customer = relationship("User", back_populates="orders")
    product = relationship("Product")
