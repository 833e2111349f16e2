from flask import abort, render_template, request

from . import blog

POSTS = {1: "Hello, world", 2: "Second post"}


@blog.route("/")
def index():
    return render_template("blog/index.html", posts=POSTS)


@blog.route("/<int:post_id>")
def show(post_id):
    if post_id not in POSTS:
        abort(404)
    return render_template("blog/show.html", post_id=post_id, title=POSTS[post_id])


@blog.route("/<int:post_id>/edit", methods=["GET", "POST"])
def edit(post_id):
    if request.method == "POST":
        POSTS[post_id] = request.form["title"]
    return render_template("blog/show.html", post_id=post_id, title=POSTS.get(post_id))
