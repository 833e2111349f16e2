import os
from datetime import datetime, timezone

from flask import Flask
from flask_login import current_user

from config import config

from .extensions import csrf, db, login_manager, mail, migrate


def create_app(config_name=None):
    """Application factory: ``flask --app shop:create_app run``."""
    if config_name is None:
        config_name = os.environ.get("FLASK_CONFIG", "default")

    app = Flask(__name__)
    app.config.from_object(config[config_name])

    db.init_app(app)
    migrate.init_app(app, db)
    login_manager.init_app(app)
    csrf.init_app(app)
    mail.init_app(app)

    from .api import bp as api_bp
    from .auth import bp as auth_bp
    from .catalog import bp as catalog_bp
    from .orders import bp as orders_bp

    app.register_blueprint(catalog_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(orders_bp, url_prefix="/orders")
    app.register_blueprint(api_bp, url_prefix="/api")

    from . import cli, errors

    errors.register_error_handlers(app)
    cli.init_app(app)

    @app.before_request
    def update_last_seen():
        if current_user.is_authenticated:
            current_user.last_seen = datetime.now(timezone.utc)
            db.session.commit()

    @app.context_processor
    def inject_shop():
        from .orders.cart import Cart

        return {
            "shop_name": app.config["SHOP_NAME"],
            "cart_count": Cart.from_session().count,
        }

    @app.template_filter("currency")
    def currency(value):
        return f"€{value:,.2f}"

    return app
