from flask_restful import Resource, abort, reqparse

TODOS = {
    1: {"task": "build an API"},
    2: {"task": "?????"},
}

parser = reqparse.RequestParser()
parser.add_argument("task", type=str, required=True, help="The task to do")


def abort_if_todo_doesnt_exist(todo_id):
    if todo_id not in TODOS:
        abort(404, message=f"Todo {todo_id} doesn't exist")


class HelloWorld(Resource):
    def get(self):
        return {"hello": "world"}


class Todo(Resource):
    def get(self, todo_id):
        abort_if_todo_doesnt_exist(todo_id)
        return TODOS[todo_id]

    def delete(self, todo_id):
        abort_if_todo_doesnt_exist(todo_id)
        del TODOS[todo_id]
        return "", 204

    def put(self, todo_id):
        args = parser.parse_args()
        TODOS[todo_id] = {"task": args["task"]}
        return TODOS[todo_id], 201


class TodoList(Resource):
    def get(self):
        return TODOS

    def post(self):
        args = parser.parse_args()
        todo_id = max(TODOS) + 1
        TODOS[todo_id] = {"task": args["task"]}
        return TODOS[todo_id], 201


class Thing(Resource):
    def get(self, id=None):
        return {"id": id}

    def patch(self, id=None):
        return {"id": id, "patched": True}
