"""Mixins, an abstract base model and both kinds of mapped inheritance."""

from datetime import datetime

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import declared_attr

db = SQLAlchemy()


class TimestampMixin:
    created_at = db.Column(db.DateTime, nullable=False, default=datetime.utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=datetime.utcnow, onupdate=datetime.utcnow)


class OwnedMixin:
    """Adds an owner; a foreign key column in a mixin has to come from ``declared_attr``."""

    @declared_attr
    def owner_id(cls):
        return db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False, index=True)

    @declared_attr
    def owner(cls):
        return db.relationship("User")


class PluralTableMixin:
    @declared_attr
    def __tablename__(cls):
        return cls.__name__.lower() + "s"


class BaseModel(db.Model):
    __abstract__ = True

    id = db.Column(db.Integer, primary_key=True)

    def to_dict(self):
        return {column.key: getattr(self, column.key) for column in self.__table__.columns}


class User(TimestampMixin, BaseModel):
    email = db.Column(db.String(255), unique=True, nullable=False)


class Folder(PluralTableMixin, OwnedMixin, TimestampMixin, BaseModel):
    name = db.Column(db.String(100), nullable=False)


class Tagline(PluralTableMixin, BaseModel):
    text = db.Column(db.String(140), nullable=False)


# Single-table inheritance: the subclasses have no table of their own.
class Employee(TimestampMixin, BaseModel):
    name = db.Column(db.String(100), nullable=False)
    kind = db.Column(db.String(20), nullable=False)

    __mapper_args__ = {"polymorphic_on": kind, "polymorphic_identity": "employee"}


class Manager(Employee):
    budget = db.Column(db.Numeric(12, 2))

    __mapper_args__ = {"polymorphic_identity": "manager"}


class Engineer(Employee):
    primary_language = db.Column(db.String(30))

    __mapper_args__ = {"polymorphic_identity": "engineer"}


# Joined-table inheritance: each subclass has a table whose primary key is a foreign key to the parent.
class Document(OwnedMixin, TimestampMixin, BaseModel):
    title = db.Column(db.String(200), nullable=False)
    type = db.Column(db.String(30))

    __mapper_args__ = {"polymorphic_on": type, "polymorphic_identity": "document"}


class Invoice(Document):
    id = db.Column(db.Integer, db.ForeignKey("document.id", ondelete="CASCADE"), primary_key=True)
    amount = db.Column(db.Numeric(10, 2), nullable=False)
    due_on = db.Column(db.Date)

    __mapper_args__ = {"polymorphic_identity": "invoice"}


class Contract(Document):
    __tablename__ = "legal_contract"

    document_id = db.Column(db.Integer, db.ForeignKey("document.id"), primary_key=True)
    signed = db.Column(db.Boolean, nullable=False, default=False)

    __mapper_args__ = {"polymorphic_identity": "contract"}
