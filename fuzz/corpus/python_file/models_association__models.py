"""Many-to-many relationships: two association tables and one association object."""

from datetime import datetime

from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()

# The Flask-SQLAlchemy documentation's example: only the two foreign keys, which form the primary key.
tags = db.Table(
    "tags",
    db.Column("tag_id", db.Integer, db.ForeignKey("tag.id"), primary_key=True),
    db.Column("page_id", db.Integer, db.ForeignKey("page.id"), primary_key=True),
)

# An association table that also records when the row was made.
group_members = db.Table(
    "group_members",
    db.Column("user_id", db.Integer, db.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    db.Column("group_id", db.Integer, db.ForeignKey("group.id", ondelete="CASCADE"), primary_key=True),
    db.Column("created_at", db.DateTime, nullable=False, default=datetime.utcnow),
)


class Page(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    tags = db.relationship("Tag", secondary=tags, lazy="subquery", backref=db.backref("pages", lazy=True))


class Tag(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50), unique=True, nullable=False)


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(80), unique=True, nullable=False)
    groups = db.relationship("Group", secondary=group_members, back_populates="members")
    enrollments = db.relationship("Enrollment", back_populates="user", cascade="all, delete-orphan")


class Group(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), unique=True, nullable=False)
    members = db.relationship("User", secondary=group_members, back_populates="groups")


class Course(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(120), nullable=False)
    enrollments = db.relationship("Enrollment", back_populates="course", cascade="all, delete-orphan")


class Enrollment(db.Model):
    """An association object: the link between a user and a course, with data of its own."""

    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), primary_key=True)
    course_id = db.Column(db.Integer, db.ForeignKey("course.id"), primary_key=True)
    enrolled_on = db.Column(db.Date, nullable=False)
    grade = db.Column(db.String(2))
    progress = db.Column(db.Float, nullable=False, default=0.0)

    user = db.relationship("User", back_populates="enrollments")
    course = db.relationship("Course", back_populates="enrollments")
