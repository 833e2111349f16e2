"""Application configuration, read from the environment."""

import os

SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite://")
SECRET_KEY = os.environ.get("SECRET_KEY", "not-so-secret")
SQLALCHEMY_TRACK_MODIFICATIONS = False
