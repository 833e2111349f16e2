from flask_wtf import FlaskForm
from wtforms import SubmitField


class EmptyForm(FlaskForm):
    """Only a CSRF token: for POST buttons such as sign out, remove and cancel."""

    submit = SubmitField("Submit")
