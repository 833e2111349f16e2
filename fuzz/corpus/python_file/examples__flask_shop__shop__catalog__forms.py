from flask import request
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class SearchForm(FlaskForm):
    q = StringField("Search", validators=[DataRequired(), Length(max=100)])

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formdata", request.args)
        kwargs.setdefault("meta", {"csrf": False})
        super().__init__(*args, **kwargs)
