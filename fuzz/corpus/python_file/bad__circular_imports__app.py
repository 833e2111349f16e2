from flask import Flask

app = Flask(__name__)

import views  # noqa: E402  (views imports app back: the classic Flask circular import)


@app.route("/")
def index():
    return views.helper()
