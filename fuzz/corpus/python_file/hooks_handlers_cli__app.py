"""Request hooks, error handlers, template helpers, CLI commands, config and extensions."""

import time

import click
from flask import Flask, g, jsonify, render_template_string, request
from flask.cli import AppGroup, with_appcontext
from flask_cors import CORS
from flask_migrate import Migrate

from admin import admin_bp
from config import Config
from extensions import cache, csrf, db, login_manager, mail
from models import User

app = Flask(__name__)
app.config.from_object(Config)
app.config.from_mapping(ITEMS_PER_PAGE=20, FEATURE_SEARCH=False)
app.config.from_envvar("HOOKS_APP_SETTINGS", silent=True)
app.config.from_pyfile("local_settings.cfg", silent=True)
app.config["JSON_SORT_KEYS"] = False
app.config.update(
    SESSION_COOKIE_SECURE=True,
    SESSION_COOKIE_SAMESITE="Lax",
)

db.init_app(app)
login_manager.init_app(app)
cache.init_app(app)
mail.init_app(app)
csrf.init_app(app)
migrate = Migrate(app, db)

CORS(app, resources={r"/api/*": {"origins": "*"}})

app.register_blueprint(admin_bp)


@login_manager.user_loader
def load_user(user_id):
    return db.session.get(User, int(user_id))


# Request hooks


@app.before_request
def start_timer():
    g.started = time.perf_counter()


@app.after_request
def add_timing_header(response):
    response.headers["X-Elapsed"] = f"{time.perf_counter() - g.started:.4f}"
    return response


@app.teardown_request
def log_failure(exc):
    if exc is not None:
        app.logger.error("request failed: %s", exc)


@app.teardown_appcontext
def shutdown_session(exc=None):
    db.session.remove()


# Error handlers


@app.errorhandler(404)
def not_found(error):
    return jsonify(error="not found"), 404


@app.errorhandler(ValueError)
def bad_value(error):
    return jsonify(error=str(error)), 400


def internal_error(error):
    return jsonify(error="internal error"), 500


app.register_error_handler(500, internal_error)


# Template helpers


@app.context_processor
def inject_site():
    return {"site_name": "Hooks demo"}


@app.template_filter("datetimeformat")
def format_datetime(value, fmt="%Y-%m-%d %H:%M"):
    return value.strftime(fmt)


@app.template_filter()
def reverse(s):
    return s[::-1]


@app.template_global()
def current_year():
    return time.localtime().tm_year


@app.template_test("even_number")
def is_even(n):
    return n % 2 == 0


def shout(s):
    return s.upper() + "!"


app.add_template_filter(shout)
app.add_template_global(len, name="length_of")


# CLI


@app.cli.command("seed")
@click.option("--count", default=10, help="How many users to create.")
def seed(count):
    """Fill the database with demo users."""
    for i in range(count):
        db.session.add(User(email=f"user{i}@example.com"))
    db.session.commit()
    click.echo(f"Created {count} users.")


user_cli = AppGroup("user", help="Manage users.")


@user_cli.command("create")
@click.argument("email")
def create_user(email):
    db.session.add(User(email=email))
    db.session.commit()


@user_cli.command("promote")
@click.argument("email")
def promote_user(email):
    User.query.filter_by(email=email).update({"is_admin": True})
    db.session.commit()


app.cli.add_command(user_cli)


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create all tables."""
    db.create_all()
    click.echo("Initialized the database.")


app.cli.add_command(init_db_command)


# Views


@app.route("/")
@cache.cached(timeout=60)
def index():
    return render_template_string("{{ site_name }} {{ 'abc'|reverse }} {{ current_year() }}")


@app.route("/api/users")
def list_users():
    return jsonify(users=[u.email for u in User.query.limit(app.config["ITEMS_PER_PAGE"])])


@app.route("/search")
def search():
    if not app.config["FEATURE_SEARCH"]:
        raise ValueError("search is disabled")
    return jsonify(q=request.args.get("q"))
