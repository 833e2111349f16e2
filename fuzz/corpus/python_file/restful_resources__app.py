from flask import Flask
from flask_restful import Api

from api_v2 import api_v2_bp
from resources.todos import HelloWorld, Thing, Todo, TodoList

app = Flask(__name__)
api = Api(app)

api.add_resource(HelloWorld, "/")
api.add_resource(TodoList, "/todos", endpoint="todos")
# No endpoint given: Flask-RESTful uses the class name, lower-cased ("todo").
api.add_resource(Todo, "/todos/<int:todo_id>")
# Two URLs for one resource and one endpoint.
api.add_resource(Thing, "/things", "/things/<int:id>", endpoint="thing")

app.register_blueprint(api_v2_bp, url_prefix="/api")
