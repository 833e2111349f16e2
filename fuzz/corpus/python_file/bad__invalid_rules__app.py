from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return "index"


@app.route("/item/<unknown:x>")
def item(x):
    return x


@app.route("/user/<int:id")
def user(id):
    return str(id)
