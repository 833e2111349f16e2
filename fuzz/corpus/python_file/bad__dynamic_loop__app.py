import os

from flask import Flask

app = Flask(__name__)


def make_page(name):
    def page():
        return name

    return page


for name in os.listdir("pages"):
    app.add_url_rule(f"/pages/{name}", name, make_page(name))


@app.route("/")
def index():
    return "index"
