"""Models of a small publishing site, written against Flask-SQLAlchemy's ``db.Model``."""

import enum
import uuid
from datetime import datetime

from sqlalchemy import event
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import column_property, validates

from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Role(enum.Enum):
    READER = "reader"
    EDITOR = "editor"
    ADMIN = "admin"


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    # The attribute and the column have different names.
    username = db.Column("user_name", db.String(80), unique=True, nullable=False)
    email = db.Column(db.String(120), unique=True, nullable=False)
    first_name = db.Column(db.String(30))
    last_name = db.Column(db.String(30))
    display_name = db.Column(db.Unicode(100))
    bio = db.Column(db.UnicodeText)
    role = db.Column(db.Enum(Role), nullable=False, default=Role.READER)
    is_active = db.Column(db.Boolean, nullable=False, default=True)
    login_count = db.Column(db.Integer, nullable=False, server_default="0")
    created_at = db.Column(db.DateTime, nullable=False, default=datetime.utcnow)
    updated_at = db.Column(db.DateTime, default=datetime.utcnow, onupdate=datetime.utcnow)
    last_seen = db.Column(db.DateTime(timezone=True), server_default=db.func.now())

    api_keys = db.relationship("APIKey", backref="user", lazy="dynamic")

    @hybrid_property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    @full_name.expression
    def full_name(cls):
        return cls.first_name + " " + cls.last_name

    @validates("email")
    def validate_email(self, key, address):
        if "@" not in address:
            raise ValueError("invalid email address")
        return address.lower()

    def promote(self):
        self.role = Role.EDITOR

    def __repr__(self):
        return f"<User {self.username}>"


class UserProfile(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), unique=True, nullable=False)
    public_id = db.Column(db.Uuid, unique=True, nullable=False, default=uuid.uuid4)
    age = db.Column(db.SmallInteger)
    follower_count = db.Column(db.BigInteger, nullable=False, default=0)
    height = db.Column(db.Float)
    balance = db.Column(db.Numeric(10, 2), nullable=False, default=0)
    avatar = db.Column(db.LargeBinary)
    settings = db.Column(db.JSON, default=dict)
    website = db.Column(db.String, comment="Home page shown on the profile")

    user = db.relationship("User", backref=db.backref("profile", uselist=False))


class HTMLPage(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    slug = db.Column(db.String(100), nullable=False, unique=True)
    title = db.Column(db.String(200), nullable=False, index=True)
    body = db.Column(db.Text, nullable=False, default="")
    status = db.Column(db.Enum("draft", "published", "archived", name="page_status"), default="draft")
    published_on = db.Column(db.Date)
    publish_time = db.Column(db.Time)
    reading_time = db.Column(db.Interval)
    author_id = db.Column(db.Integer, db.ForeignKey("user.id"), index=True)

    author = db.relationship("User", backref="pages")
    word_count = column_property(db.func.length(body))

    def publish(self):
        self.status = "published"
        self.published_on = datetime.utcnow().date()


class APIKey(db.Model):
    # A string primary key: the key itself.
    key = db.Column(db.String(64), primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)
    label = db.Column(db.String(50), comment="Shown in the key list")
    scopes = db.Column(db.JSON, nullable=False, default=list)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, server_default=db.func.now())
    revoked = db.Column(db.Boolean, nullable=False, server_default=db.false())


class AuditEntry(db.Model):
    __tablename__ = "audit_log"

    id = db.Column(db.BigInteger().with_variant(db.Integer, "sqlite"), primary_key=True)
    action = db.Column(db.String(20), nullable=False)
    table_name = db.Column(db.String(64), nullable=False)
    row_id = db.Column(db.String(64))
    happened_at = db.Column(db.DateTime, nullable=False, default=datetime.utcnow)


@event.listens_for(User, "before_update")
def touch_user(mapper, connection, target):
    target.updated_at = datetime.utcnow()


@event.listens_for(HTMLPage, "after_insert")
def log_page_insert(mapper, connection, target):
    connection.execute(
        AuditEntry.__table__.insert().values(
            action="insert", table_name="html_page", row_id=str(target.id), happened_at=datetime.utcnow()
        )
    )
