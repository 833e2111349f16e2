"""Routes whose registration is driven by data: loops, conditions, computed rules."""

import os

from flask import Flask, jsonify

from api import api_bp
from config import Config
from health import create_health_blueprint

app = Flask(__name__)
app.config.from_object(Config)

# The prefix is read back from the config class loaded just above.
app.register_blueprint(api_bp, url_prefix=app.config["API_PREFIX"])
app.register_blueprint(create_health_blueprint())


def home():
    return "home"


def about():
    return "about"


def faq():
    return "faq"


# A literal table of pages, registered in a loop.
PAGES = [
    ("/", home),
    ("/about", about),
    ("/faq", faq),
]

for rule, view in PAGES:
    app.add_url_rule(rule, view_func=view)


# One page per Markdown file found in content/ when the app starts.
CONTENT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "content")


def make_doc_view(path):
    def show_doc():
        with open(path, encoding="utf-8") as f:
            return f.read()

    return show_doc


for filename in sorted(os.listdir(CONTENT_DIR)):
    if filename.endswith(".md"):
        slug = filename.removesuffix(".md")
        app.add_url_rule(
            f"/docs/{slug}",
            endpoint=f"doc_{slug}",
            view_func=make_doc_view(os.path.join(CONTENT_DIR, filename)),
        )


# Export formats named in the environment.
def make_export_view(fmt):
    def export():
        return jsonify(format=fmt)

    return export


for fmt in os.environ.get("EXPORT_FORMATS", "csv").split(","):
    app.add_url_rule(f"/export.{fmt}", endpoint=f"export_{fmt}", view_func=make_export_view(fmt))


if app.config.get("FEATURE_BETA"):

    @app.route("/beta")
    def beta():
        return "beta features"


def versioned(path, version=2):
    return f"/v{version}/{path.strip('/')}"


@app.route(versioned("status"))
def status_v2():
    return jsonify(status="ok", version=2)


def ping():
    return "pong"


# A rule read from the environment: known only at run time.
app.add_url_rule(os.environ.get("PING_URL", "/ping"), "ping", ping)
