from flask import Flask

app = Flask(__name__)


@app.route("/report")
def report():
    return "report"


@app.route("/report")
def new_report():
    return "new report"
