"""Engine, session and declarative base, as in Flask's "SQLAlchemy in Flask" pattern."""

import os

from sqlalchemy import create_engine
from sqlalchemy.orm import declarative_base, scoped_session, sessionmaker

engine = create_engine(os.environ.get("DATABASE_URL", "sqlite://"))
db_session = scoped_session(sessionmaker(autocommit=False, autoflush=False, bind=engine))
Base = declarative_base()
Base.query = db_session.query_property()


def init_db():
    # Import every module that defines models so that they are registered on the metadata.
    from . import models  # noqa: F401

    Base.metadata.create_all(bind=engine)
