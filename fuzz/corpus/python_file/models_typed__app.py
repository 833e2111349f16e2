import os

from flask import Flask, jsonify, request

from models import Account, Post, db

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DATABASE_URL", "sqlite://")
db.init_app(app)

with app.app_context():
    db.create_all()


@app.get("/accounts/<int:account_id>")
def account_detail(account_id):
    account = db.get_or_404(Account, account_id)
    return jsonify(login=account.login, posts=[p.title for p in account.posts])


@app.post("/accounts/<int:account_id>/posts")
def add_post(account_id):
    account = db.get_or_404(Account, account_id)
    post = Post(account=account, title=request.form["title"], body=request.form.get("body", ""))
    db.session.add(post)
    db.session.commit()
    return jsonify(id=post.id), 201
