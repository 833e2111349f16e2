"""A library catalogue: every common way of relating two tables."""

from datetime import datetime

from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Country(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    # Other tables point at this unique code rather than at the primary key.
    code = db.Column(db.String(2), unique=True, nullable=False)
    name = db.Column(db.String(80), nullable=False)


class Author(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(120), nullable=False)
    # A foreign key to a unique column that is not the primary key.
    country_code = db.Column(db.String(2), db.ForeignKey("country.code"))

    country = db.relationship("Country", backref="authors")
    books = db.relationship("Book", back_populates="author", cascade="all, delete-orphan")
    profile = db.relationship("AuthorProfile", back_populates="author", uselist=False)


class AuthorProfile(db.Model):
    """One-to-one: a unique foreign key plus ``uselist=False`` on the other side."""

    id = db.Column(db.Integer, primary_key=True)
    author_id = db.Column(db.Integer, db.ForeignKey("author.id", ondelete="CASCADE"), unique=True, nullable=False)
    biography = db.Column(db.Text)
    photo_url = db.Column(db.String(255))

    author = db.relationship("Author", back_populates="profile")


class Publisher(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(120), unique=True, nullable=False)

    # Declared only here, on the side without the foreign key; Book.publisher comes from the backref.
    books = db.relationship("Book", backref="publisher", lazy=True)


class Book(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    isbn = db.Column(db.String(13), unique=True)
    author_id = db.Column(db.Integer, db.ForeignKey("author.id", ondelete="CASCADE"), nullable=False)
    publisher_id = db.Column(db.Integer, db.ForeignKey("publisher.id", ondelete="SET NULL"))
    category_id = db.Column(db.Integer, db.ForeignKey("category.id"), nullable=False, index=True)

    author = db.relationship("Author", back_populates="books")
    category = db.relationship("Category", back_populates="books")
    reviews = db.relationship("Review", order_by="Review.posted_at", cascade="all, delete-orphan")


class Category(db.Model):
    """Self-referential: ``parent_id`` points back at this table."""

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), nullable=False)
    parent_id = db.Column(db.Integer, db.ForeignKey("category.id"))

    children = db.relationship("Category", backref=db.backref("parent", remote_side=[id]))
    books = db.relationship("Book", back_populates="category")


class Review(db.Model):
    """Only ``Book.reviews`` knows about this relationship; there is no backref."""

    id = db.Column(db.Integer, primary_key=True)
    book_id = db.Column(db.Integer, db.ForeignKey("book.id"), nullable=False)
    reviewer_id = db.Column(db.Integer, db.ForeignKey("author.id", ondelete="SET NULL"))
    rating = db.Column(db.SmallInteger, nullable=False)
    posted_at = db.Column(db.DateTime, nullable=False, default=datetime.utcnow)

    reviewer = db.relationship("Author", foreign_keys=[reviewer_id])
