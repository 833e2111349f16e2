from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return "index"

"""A docstring
spanning
lines."""

@app.route("/about")
def about():
    return "about"
