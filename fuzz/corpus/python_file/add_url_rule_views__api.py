from flask import jsonify, request
from flask.views import MethodView


def register_api(app, view, endpoint, url, pk="id", pk_type="int"):
    """Register the usual collection and item routes of a MethodView."""
    view_func = view.as_view(endpoint)
    app.add_url_rule(url, defaults={pk: None}, view_func=view_func, methods=["GET"])
    app.add_url_rule(url, view_func=view_func, methods=["POST"])
    app.add_url_rule(f"{url}<{pk_type}:{pk}>", view_func=view_func, methods=["GET", "PUT", "DELETE"])


class UserAPI(MethodView):
    def get(self, user_id):
        if user_id is None:
            return jsonify(users=[])
        return jsonify(id=user_id)

    def post(self):
        return jsonify(request.get_json()), 201

    def put(self, user_id):
        return jsonify(id=user_id, **request.get_json())

    def delete(self, user_id):
        return "", 204


class PostAPI(MethodView):
    def get(self, slug):
        return jsonify(slug=slug)

    def post(self):
        return jsonify(created=True), 201

    def delete(self, slug):
        return "", 204


class ReadOnlyTodoAPI(MethodView):
    def get(self, todo_id):
        return jsonify(id=todo_id)

    def delete(self, todo_id):
        return "", 204


class TodoAPI(ReadOnlyTodoAPI):
    def put(self, todo_id):
        return jsonify(id=todo_id, **request.get_json())
