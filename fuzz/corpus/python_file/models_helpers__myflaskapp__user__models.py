"""User models."""

import datetime as dt

from flask_login import UserMixin
from sqlalchemy.ext.hybrid import hybrid_property
from werkzeug.security import check_password_hash, generate_password_hash

from myflaskapp.database import Column, PkModel, db, reference_col, relationship


class Role(PkModel):
    """A role for a user."""

    __tablename__ = "roles"
    name = Column(db.String(80), unique=True, nullable=False)
    user_id = reference_col("users", nullable=True)
    user = relationship("User", backref="roles")

    def __init__(self, name, **kwargs):
        """Create instance."""
        super().__init__(name=name, **kwargs)

    def __repr__(self):
        """Represent instance as a unique string."""
        return f"<Role({self.name})>"


class User(UserMixin, PkModel):
    """A user of the app."""

    __tablename__ = "users"
    username = Column(db.String(80), unique=True, nullable=False)
    email = Column(db.String(80), unique=True, nullable=False)
    _password = Column("password", db.LargeBinary(128), nullable=True)
    created_at = Column(db.DateTime, nullable=False, default=dt.datetime.now(dt.timezone.utc))
    first_name = Column(db.String(30), nullable=True)
    last_name = Column(db.String(30), nullable=True)
    active = Column(db.Boolean(), default=False)
    is_admin = Column(db.Boolean(), default=False)

    @hybrid_property
    def password(self):
        """Hashed password."""
        return self._password

    @password.setter
    def password(self, value):
        """Set password."""
        self._password = generate_password_hash(value).encode()

    def check_password(self, value):
        """Check password."""
        return check_password_hash(self._password.decode(), value)

    @property
    def full_name(self):
        """Full user name."""
        return f"{self.first_name} {self.last_name}"

    def __repr__(self):
        """Represent instance as a unique string."""
        return f"<User({self.username!r})>"


class Team(PkModel):
    """A team; the foreign keys are made by ``reference_col`` with its keyword arguments."""

    __tablename__ = "teams"
    name = Column(db.String(80), unique=True, nullable=False)
    owner_id = reference_col("users", foreign_key_kwargs={"ondelete": "CASCADE"}, column_kwargs={"index": True})
    parent_id = reference_col("teams", nullable=True, foreign_key_kwargs={"ondelete": "SET NULL"})
    lead_username = reference_col(
        "users", nullable=True, pk_name="username", column_kwargs={"name": "lead", "unique": True}
    )

    owner = relationship("User", foreign_keys=[owner_id], backref="owned_teams")
    parent = relationship("Team", remote_side="Team.id", backref="subteams")
