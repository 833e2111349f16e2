# plugins/ has no __init__.py: it is a namespace package.
from flask import Blueprint, jsonify

reports_bp = Blueprint("reports", __name__)


@reports_bp.route("/")
def summary():
    return jsonify(report="summary")


@reports_bp.route("/low-stock")
def low_stock():
    return jsonify(report="low-stock")
