from flask_restx import Namespace, Resource, fields

ns = Namespace("todos", path="/todos", description="TODO operations")

todo = ns.model(
    "Todo",
    {
        "id": fields.Integer(readonly=True, description="The task unique identifier"),
        "task": fields.String(required=True, description="The task details"),
    },
)

TODOS = {1: {"id": 1, "task": "Build an API"}}


@ns.route("/")
class TodoList(Resource):
    @ns.marshal_list_with(todo)
    def get(self):
        return list(TODOS.values())

    @ns.expect(todo)
    @ns.marshal_with(todo, code=201)
    def post(self):
        new_id = max(TODOS) + 1
        TODOS[new_id] = {"id": new_id, **ns.payload}
        return TODOS[new_id], 201


@ns.route("/<int:id>")
@ns.param("id", "The task identifier")
@ns.response(404, "Todo not found")
class Todo(Resource):
    @ns.marshal_with(todo)
    def get(self, id):
        return TODOS.get(id) or ns.abort(404, f"Todo {id} doesn't exist")

    def delete(self, id):
        TODOS.pop(id, None)
        return "", 204

    @ns.expect(todo)
    @ns.marshal_with(todo)
    def put(self, id):
        TODOS[id] = {"id": id, **ns.payload}
        return TODOS[id]


@ns.route("/<int:id>/done", endpoint="todo_done")
class TodoDone(Resource):
    def post(self, id):
        return {"id": id, "done": True}
