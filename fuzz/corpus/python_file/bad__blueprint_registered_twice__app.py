from flask import Blueprint, Flask

app = Flask(__name__)
shop = Blueprint("shop", __name__)


@shop.route("/cart")
def cart():
    return "cart"


app.register_blueprint(shop, url_prefix="/shop")
app.register_blueprint(shop, url_prefix="/v2/shop")
