from flask import Flask

import empty

app = Flask(__name__)


@app.route("/")
def index():
    return "index"
