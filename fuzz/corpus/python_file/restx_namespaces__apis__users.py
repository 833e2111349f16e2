from flask_restx import Namespace, Resource

# No path given here; the Api mounts it under /people.
ns = Namespace("users", description="User accounts")


@ns.route("/")
class UserList(Resource):
    def get(self):
        return {"users": []}


@ns.route("/<string:username>", "/by-name/<string:username>")
class User(Resource):
    def get(self, username):
        return {"username": username}
