from flask import Blueprint

blog = Blueprint("blog", __name__, template_folder="templates")

# The views need ``blog`` to exist, so they are imported last.
from . import routes  # noqa: E402,F401
