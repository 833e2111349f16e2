"""URL converters: the built-in ones with their arguments, and two custom ones."""

from flask import Flask, jsonify
from werkzeug.routing import BaseConverter


class ListConverter(BaseConverter):
    """Match ``a,b,c`` and hand the view a list of strings."""

    regex = r"[^/]+(?:,[^/]+)*"

    def to_python(self, value):
        return value.split(",")

    def to_url(self, value):
        return ",".join(super(ListConverter, self).to_url(v) for v in value)


class RegexConverter(BaseConverter):
    """``<regex("[a-z]{3}"):code>``: the pattern is given in the rule."""

    def __init__(self, url_map, *items):
        super().__init__(url_map)
        self.regex = items[0]


app = Flask(__name__)
app.url_map.converters["list"] = ListConverter
app.url_map.converters["regex"] = RegexConverter


@app.route("/user/<name>")
def user(name):
    return jsonify(name=name)


@app.route("/items/<int:item_id>")
def item(item_id):
    return jsonify(id=item_id)


@app.route("/price/<float:amount>")
def price(amount):
    return jsonify(amount=amount)


@app.route("/files/<path:subpath>")
def files(subpath):
    return jsonify(path=subpath)


@app.route("/objects/<uuid:object_id>")
def obj(object_id):
    return jsonify(id=str(object_id))


@app.route("/<any(about, help, imprint):page>")
def static_page(page):
    return jsonify(page=page)


@app.route("/lang/<string(length=2):code>")
def language(code):
    return jsonify(code=code)


@app.route("/pages/<int(min=1, max=99):page>")
def page(page):
    return jsonify(page=page)


@app.route("/offset/<int(signed=True):delta>")
def offset(delta):
    return jsonify(delta=delta)


@app.route("/range/<int:start>-<int:end>")
def number_range(start, end):
    return jsonify(start=start, end=end)


@app.route("/archive/<int:year>/<int(fixed_digits=2):month>")
def archive(year, month):
    return jsonify(year=year, month=month)


@app.route("/tags/<list:tags>")
def tags(tags):
    return jsonify(tags=tags)


@app.route('/codes/<regex("[a-z]{3}"):code>')
def code(code):
    return jsonify(code=code)
