"""The app module, containing the app factory function."""

from flask import Flask

from myflaskapp import audit, user
from myflaskapp.extensions import db, login_manager
from myflaskapp.user.models import User


def create_app(config_object="myflaskapp.settings"):
    """Create application factory, as explained here: http://flask.pocoo.org/docs/patterns/appfactories/."""
    app = Flask(__name__.split(".")[0])
    app.config.from_object(config_object)
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)
    return app


def register_extensions(app):
    """Register Flask extensions."""
    db.init_app(app)
    login_manager.init_app(app)


def register_blueprints(app):
    """Register Flask blueprints."""
    app.register_blueprint(user.views.blueprint)


def register_commands(app):
    """Register Click commands."""

    @app.cli.command("create-db")
    def create_db():
        """Create the application and audit tables."""
        db.create_all()
        audit.create_tables(db.engine)


@login_manager.user_loader
def load_user(user_id):
    """Load user by ID."""
    return User.get_by_id(int(user_id))
