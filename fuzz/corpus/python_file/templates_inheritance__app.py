from flask import Flask, flash, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFProtect

from shop import shop_bp

app = Flask(__name__)
app.config["SECRET_KEY"] = "dev"
csrf = CSRFProtect(app)
app.register_blueprint(shop_bp)

POSTS = [
    {"title": "Hello", "body": "First post", "tags": ["intro", "news"]},
    {"title": "Again", "body": "Second post", "tags": []},
]


@app.template_filter("excerpt")
def excerpt(text, length=20):
    return text if len(text) <= length else text[:length] + "..."


@app.route("/")
def index():
    return render_template("index.html", posts=POSTS)


@app.route("/about")
def about():
    return render_template("about.html", title="About us")


@app.route("/contact", methods=["GET", "POST"])
def contact():
    if request.method == "POST":
        flash("Thanks, we will get back to you.", "success")
        return redirect(url_for("contact"))
    return render_template("contact.html")


@app.route("/pages/<name>")
def page(name):
    template_name = f"pages/{name}.html"
    return render_template(template_name)


@app.route("/archive")
def archive():
    # This template does not exist: Flask only notices when the page is requested.
    return render_template("legacy/archive.html", posts=POSTS)
