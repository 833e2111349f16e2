from flask import Blueprint, abort, g, jsonify

admin_bp = Blueprint("admin", __name__, url_prefix="/admin")


@admin_bp.before_app_request
def load_feature_flags():
    g.flags = {"new_dashboard": False}


@admin_bp.before_request
def require_admin():
    if not getattr(g, "user_is_admin", False):
        abort(403)


@admin_bp.app_errorhandler(403)
def forbidden(error):
    return jsonify(error="forbidden"), 403


@admin_bp.errorhandler(KeyError)
def missing_key(error):
    return jsonify(error=f"missing {error}"), 400


@admin_bp.route("/")
def dashboard():
    return jsonify(flags=g.flags)
