"""Models whose columns use SQLAlchemy-Utils types."""

import enum
import uuid

import arrow
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy_utils import ArrowType, ChoiceType, EmailType, JSONType, PasswordType, URLType, UUIDType

db = SQLAlchemy()


class Plan(enum.Enum):
    FREE = 1
    PRO = 2


class Customer(db.Model):
    TIERS = [
        ("bronze", "Bronze"),
        ("silver", "Silver"),
        ("gold", "Gold"),
    ]

    id = db.Column(UUIDType(binary=False), primary_key=True, default=uuid.uuid4)
    name = db.Column(db.Unicode(100), nullable=False)
    email = db.Column(EmailType, unique=True, nullable=False)
    homepage = db.Column(URLType)
    tier = db.Column(ChoiceType(TIERS), nullable=False, default="bronze")
    plan = db.Column(ChoiceType(Plan, impl=db.Integer()), nullable=False, default=Plan.FREE)
    password = db.Column(PasswordType(schemes=["pbkdf2_sha512"]), nullable=False)
    preferences = db.Column(JSONType, default=dict)
    signed_up_at = db.Column(ArrowType, nullable=False, default=arrow.utcnow)

    subscriptions = db.relationship("Subscription", back_populates="customer")


class Subscription(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    customer_id = db.Column(UUIDType(binary=False), db.ForeignKey("customer.id"), nullable=False)
    feed_url = db.Column(URLType, nullable=False)
    starts_at = db.Column(ArrowType(timezone=True), nullable=False)
    ends_at = db.Column(ArrowType(timezone=True))

    customer = db.relationship("Customer", back_populates="subscriptions")
