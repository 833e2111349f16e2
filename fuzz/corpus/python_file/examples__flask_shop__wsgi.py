"""Entry point for production servers: ``gunicorn wsgi:app``."""

import os

from shop import create_app

app = create_app(os.environ.get("FLASK_CONFIG") or "production")
