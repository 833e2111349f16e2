import os

from flask import Flask, jsonify

from models import Author, Book, Category, db

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DATABASE_URL", "sqlite://")
db.init_app(app)


@app.route("/authors/<int:author_id>")
def author_detail(author_id):
    author = db.get_or_404(Author, author_id)
    return jsonify(
        name=author.name,
        country=author.country.name if author.country else None,
        books=[book.title for book in author.books],
        biography=author.profile.biography if author.profile else None,
    )


@app.route("/categories/<int:category_id>")
def category_detail(category_id):
    category = db.get_or_404(Category, category_id)
    books = db.session.scalars(db.select(Book).filter_by(category=category)).all()
    return jsonify(
        name=category.name,
        parent=category.parent.name if category.parent else None,
        children=[child.name for child in category.children],
        books=[(book.title, book.publisher.name if book.publisher else None) for book in books],
    )
