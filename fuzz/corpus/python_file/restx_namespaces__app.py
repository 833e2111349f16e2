from flask import Flask
from flask_restx import Api, Resource

from apis.todos import ns as todos_ns
from apis.users import ns as users_ns

app = Flask(__name__)
app.config["RESTX_MASK_SWAGGER"] = False

api = Api(
    app,
    version="1.0",
    title="Todo API",
    description="A simple TodoMVC API",
    doc="/docs/",
)
api.add_namespace(todos_ns)
api.add_namespace(users_ns, path="/people")


# Straight on the Api: the default namespace, whose endpoints carry no prefix.
@api.route("/health")
class HealthCheck(Resource):
    def get(self):
        return {"status": "ok"}
