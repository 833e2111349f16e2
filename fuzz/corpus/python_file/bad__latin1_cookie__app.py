# -*- coding: latin-1 -*-
"""Café menu: a Latin-1 file, declared by its coding cookie."""
from flask import Flask

app = Flask(__name__)


@app.route("/café")
def cafe():
    return "crème brûlée"
