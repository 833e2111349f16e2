import os

from flask import Flask


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SECRET_KEY="dev",
        DATABASE=os.path.join(app.instance_path, "stockroom.sqlite"),
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)

    from . import views
    from .plugins.reports import reports_bp

    app.register_blueprint(views.bp)
    app.register_blueprint(reports_bp, url_prefix="/reports")
    app.add_url_rule("/", endpoint="index")

    return app
