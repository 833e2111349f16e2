from flask import current_app, render_template
from flask_mail import Message

from .extensions import mail


def send_order_confirmation(order):
    msg = Message(
        subject=f"[{current_app.config['SHOP_NAME']}] Order #{order.id} confirmed",
        recipients=[order.customer.email],
        bcc=current_app.config["SHOP_ADMINS"],
    )
    msg.body = render_template("email/order_confirmation.txt", order=order)
    msg.html = render_template("email/order_confirmation.html", order=order)
    mail.send(msg)
