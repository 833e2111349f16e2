"""SQLAlchemy 2.0 typed declarative models used through Flask-SQLAlchemy 3.1."""

from __future__ import annotations

import datetime
import decimal
import enum
import uuid
from typing import Annotated, Any, List, Optional

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import JSON, BigInteger, ForeignKey, Numeric, String, Text, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry, relationship

intpk = Annotated[int, mapped_column(primary_key=True)]
str50 = Annotated[str, 50]
timestamp = Annotated[datetime.datetime, mapped_column(nullable=False, server_default=func.CURRENT_TIMESTAMP())]


class Base(DeclarativeBase):
    # Flask-SQLAlchemy copies the base's namespace into its own model class, which then has both
    # ``registry`` and ``type_annotation_map``; SQLAlchemy refuses that, so the map goes on the registry.
    registry = registry(
        type_annotation_map={
            str50: String(50),
            dict[str, Any]: JSON,
            decimal.Decimal: Numeric(12, 4),
        }
    )


db = SQLAlchemy(model_class=Base)


class Status(enum.Enum):
    PENDING = "pending"
    RECEIVED = "received"
    COMPLETED = "completed"


class Account(db.Model):
    id: Mapped[intpk]
    login: Mapped[str50] = mapped_column(unique=True)
    fullname: Mapped[Optional[str]]
    nickname: Mapped[str | None] = mapped_column(String(30))
    karma: Mapped[int]
    balance: Mapped[decimal.Decimal]
    rating: Mapped[Optional[float]]
    verified: Mapped[bool] = mapped_column(default=False)
    external_id: Mapped[uuid.UUID] = mapped_column(default=uuid.uuid4, unique=True)
    birthday: Mapped[Optional[datetime.date]]
    preferences: Mapped[dict[str, Any]] = mapped_column(default=dict)
    avatar: Mapped[Optional[bytes]]
    created: Mapped[timestamp]

    posts: Mapped[List["Post"]] = relationship(back_populates="account", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"Account(id={self.id!r}, login={self.login!r})"


class Post(db.Model):
    __tablename__ = "blog_post"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(db.Integer, "sqlite"), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    summary: Mapped[Optional[str]] = mapped_column(String(300))
    status: Mapped[Status] = mapped_column(default=Status.PENDING)
    published_at: Mapped[Optional[datetime.datetime]]
    views: Mapped[int] = mapped_column(server_default="0")

    account: Mapped["Account"] = relationship(back_populates="posts")
