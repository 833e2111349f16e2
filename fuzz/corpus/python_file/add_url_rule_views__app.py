"""Views registered without route decorators: add_url_rule, View and MethodView."""

from flask import Flask, jsonify, request
from flask.views import View

from api import PostAPI, TodoAPI, UserAPI, register_api

app = Flask(__name__)


def index():
    return "index"


def about():
    return "about"


def contact():
    if request.method == "POST":
        return "thanks", 201
    return "write to us"


app.add_url_rule("/", "index", index)
app.add_url_rule("/about", view_func=about)
app.add_url_rule("/contact", endpoint="contact", view_func=contact, methods=["GET", "POST"])


class ListView(View):
    """A generic list page, configured per model when the view is created."""

    methods = ["GET", "POST"]

    def __init__(self, model):
        self.model = model

    def dispatch_request(self):
        if request.method == "POST":
            return jsonify(created=self.model), 201
        return jsonify(model=self.model, items=[])


app.add_url_rule("/tags/", view_func=ListView.as_view("tag_list", "tag"))
app.add_url_rule("/labels/", view_func=ListView.as_view("label_list", model="label"))


class ReportView(View):
    def dispatch_request(self, year):
        return f"report {year}"


app.add_url_rule("/reports/<int:year>", view_func=ReportView.as_view("report"))

# Handlers inherited from TodoAPI (get, delete) plus its own put.
app.add_url_rule("/todos/<int:todo_id>", view_func=TodoAPI.as_view("todo"))

register_api(app, UserAPI, "user_api", "/users/", pk="user_id")
register_api(app, PostAPI, "post_api", "/posts/", pk="slug", pk_type="string")


# One URL, two functions, split by method.
@app.get("/subscriptions")
def list_subscriptions():
    return jsonify(subscriptions=[])


@app.post("/subscriptions")
def create_subscription():
    return jsonify(created=True), 201
