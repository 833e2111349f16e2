from app import app


def helper():
    return "helper"


@app.route("/views")
def listing():
    return "views"
