from flask import Blueprint
from flask_restful import Api, Resource

api_v2_bp = Blueprint("api_v2", __name__)
api = Api(api_v2_bp, prefix="/v2")


class Status(Resource):
    def get(self):
        return {"status": "ok", "version": 2}


class Widget(Resource):
    def get(self, widget_id):
        return {"id": widget_id}

    def delete(self, widget_id):
        return "", 204


api.add_resource(Status, "/status")
api.add_resource(Widget, "/widgets/<int:widget_id>", endpoint="widget_detail")
