from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange


class AddToCartForm(FlaskForm):
    quantity = IntegerField(
        "Quantity", default=1, validators=[DataRequired(), NumberRange(min=1, max=20)]
    )
    submit = SubmitField("Add to cart")


class CheckoutForm(FlaskForm):
    full_name = StringField("Full name", validators=[DataRequired(), Length(max=120)])
    address = TextAreaField("Address", validators=[DataRequired(), Length(max=500)])
    city = StringField("City", validators=[DataRequired(), Length(max=64)])
    postcode = StringField("Postcode", validators=[DataRequired(), Length(max=16)])
    submit = SubmitField("Place order")
