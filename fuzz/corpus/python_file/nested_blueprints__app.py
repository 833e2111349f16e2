from flask import Flask

from admin import admin_bp
from api import api_bp

app = Flask(__name__)
app.register_blueprint(api_bp, url_prefix="/api")
# The prefix given here replaces the one in Blueprint("admin", ..., url_prefix="/admin").
app.register_blueprint(admin_bp, url_prefix="/backoffice")


@app.route("/")
def index():
    return "See /api/"
