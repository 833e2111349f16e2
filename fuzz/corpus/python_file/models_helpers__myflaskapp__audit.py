"""Audit trail, kept apart from the application models on a declarative base of its own."""

import datetime as dt

from sqlalchemy import Column, DateTime, Integer, String, Text
from sqlalchemy.orm import Session, as_declarative, declared_attr

from .extensions import db


@as_declarative()
class AuditBase:
    id = Column(Integer, primary_key=True)

    @declared_attr
    def __tablename__(cls):
        return "audit_" + cls.__name__.lower()


class Event(AuditBase):
    name = Column(String(100), nullable=False, index=True)
    subject = Column(String(255))
    payload = Column(Text)
    recorded_at = Column(DateTime, nullable=False, default=dt.datetime.utcnow)


def create_tables(engine):
    AuditBase.metadata.create_all(engine)


def record(name, subject=None, payload=None):
    with Session(db.engine) as session:
        session.add(Event(name=name, subject=subject, payload=payload))
        session.commit()
