import os

from flask import Flask, jsonify

from models import Document, Employee, Folder, db

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DATABASE_URL", "sqlite://")
db.init_app(app)


@app.route("/staff")
def staff():
    people = db.session.scalars(db.select(Employee).order_by(Employee.name)).all()
    return jsonify([{"name": person.name, "kind": person.kind} for person in people])


@app.route("/users/<int:user_id>/documents")
def documents(user_id):
    docs = db.session.scalars(db.select(Document).filter_by(owner_id=user_id)).all()
    folders = db.session.scalars(db.select(Folder).filter_by(owner_id=user_id)).all()
    return jsonify(documents=[doc.to_dict() | {"type": doc.type} for doc in docs], folders=[f.name for f in folders])
