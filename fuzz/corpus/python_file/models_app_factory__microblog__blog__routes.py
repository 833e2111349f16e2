from flask import current_app, jsonify, request

from microblog.extensions import db
from microblog.models import Post, User

from . import bp


@bp.route("/")
@bp.route("/index")
def index():
    page = request.args.get("page", 1, type=int)
    posts = db.paginate(
        db.select(Post).order_by(Post.timestamp.desc()), page=page, per_page=current_app.config["POSTS_PER_PAGE"]
    )
    return jsonify(posts=[{"author": p.author.username, "body": p.body} for p in posts.items])


@bp.route("/user/<username>")
def user(username):
    user = db.first_or_404(db.select(User).where(User.username == username))
    return jsonify(username=user.username, posts=[p.body for p in user.posts], followers=user.followers.count())
