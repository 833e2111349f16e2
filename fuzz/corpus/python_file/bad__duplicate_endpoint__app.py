from flask import Flask

app = Flask(__name__)


def list_users():
    return "users"


def list_groups():
    return "groups"


app.add_url_rule("/users", "listing", list_users)
app.add_url_rule("/groups", "listing", list_groups)
