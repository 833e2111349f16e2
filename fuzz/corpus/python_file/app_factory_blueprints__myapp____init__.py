"""Application factory: everything is wired up inside ``create_app``."""

from flask import Flask

from .config import Config


def create_app(config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(Config)
    if config is not None:
        app.config.from_mapping(config)

    # Imported here so that the blueprints never see a half-built app.
    from . import main
    from .auth.views import auth_bp
    from .blog import blog

    app.register_blueprint(main.bp)
    # url_prefix comes from the Blueprint(...) call in auth/views.py
    app.register_blueprint(auth_bp)
    # url_prefix only given at registration
    app.register_blueprint(blog, url_prefix="/blog")
    # the same blueprint a second time, under another name and prefix
    app.register_blueprint(blog, url_prefix="/news", name="news")

    return app
