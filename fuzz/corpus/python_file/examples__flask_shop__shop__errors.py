from flask import render_template, request
from flask_wtf.csrf import CSRFError

from .extensions import db


def wants_json():
    return (
        request.path.startswith("/api/")
        or request.accept_mimetypes.best == "application/json"
    )


def register_error_handlers(app):
    @app.errorhandler(403)
    def forbidden(error):
        if wants_json():
            return {"error": "Forbidden"}, 403
        return render_template("errors/403.html"), 403

    @app.errorhandler(404)
    def not_found(error):
        if wants_json():
            return {"error": "Not Found"}, 404
        return render_template("errors/404.html"), 404

    @app.errorhandler(500)
    def internal_error(error):
        db.session.rollback()
        if wants_json():
            return {"error": "Internal Server Error"}, 500
        return render_template("errors/500.html"), 500

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template("errors/400.html", reason=error.description), 400
