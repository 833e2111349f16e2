#!/usr/bin/env python3
"""Write a synthetic Flask monorepo of about N lines of Python, for benchmarks.

    gen_monorepo.py --lines N [--seed S] OUT_DIR

The tree is the shape of a large Flask code base: a package `monorepo` whose `create_app()`
factory calls one `register_blueprints(app)` per domain package, each of which registers its
blueprints. A blueprint is a package of its own:

    monorepo/<domain>/<blueprint>/__init__.py   Blueprint(...) and `from . import views`
                                  views.py      @bp.route/@bp.get/@bp.post, add_url_rule,
                                                MethodView.as_view, converters in the rules
                                  models.py     Flask-SQLAlchemy models: columns, foreign keys,
                                                relationships, association tables
                                  forms.py      Flask-WTF forms
                                  services.py   plain Python: classes, dataclasses, helpers
    monorepo/templates/<blueprint>/*.html       Jinja templates: extends, block, url_for, macros

plus `monorepo/extensions.py`, `config.py` and `wsgi.py`. Modules are 100 to 600 lines; package
`__init__.py` files and the top-level files are short.

The output is deterministic: the same arguments write the same bytes on every run and machine
(every blueprint draws from its own `random.Random` seeded with the seed and its index), so the
blueprints of a smaller tree are the first blueprints of a larger one. OUT_DIR must not exist or
be empty. Python 3.11 stdlib only.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

NOUNS = [
    "account", "address", "alert", "asset", "audit", "badge", "batch", "booking", "budget",
    "campaign", "carrier", "catalog", "channel", "claim", "client", "comment", "contract",
    "coupon", "course", "credit", "customer", "dataset", "delivery", "device", "discount",
    "document", "event", "expense", "feature", "feedback", "invoice", "issue", "job", "ledger",
    "lesson", "listing", "location", "member", "message", "metric", "note", "offer", "order",
    "package", "partner", "payment", "payout", "permit", "plan", "policy", "project", "quote",
    "rating", "receipt", "refund", "region", "release", "report", "request", "reservation",
    "review", "route", "schedule", "seat", "segment", "shipment", "site", "sku", "slot",
    "subscription", "supplier", "survey", "task", "team", "tenant", "ticket", "token", "trip",
    "vendor", "voucher", "warehouse", "webhook", "workflow", "zone",
]

DOMAINS = [
    "billing", "catalog", "crm", "fulfilment", "identity", "insights", "logistics", "marketing",
    "ops", "payments", "platform", "sales", "scheduling", "support", "workspace",
]

# SQLAlchemy type, WTForms field, kind (what the views and services do with it).
FIELD_TYPES = {
    "string": ("db.String({n})", "StringField"),
    "text": ("db.Text", "TextAreaField"),
    "int": ("db.Integer", "IntegerField"),
    "bool": ("db.Boolean", "BooleanField"),
    "datetime": ("db.DateTime", "DateTimeField"),
    "date": ("db.Date", "DateField"),
    "decimal": ("db.Numeric(12, 2)", "DecimalField"),
    "float": ("db.Float", "FloatField"),
    "enum": ("db.Enum({enum})", "SelectField"),
    "json": ("db.JSON", "TextAreaField"),
}

# Column name -> kind.
FIELD_NAMES = {
    "name": "string", "title": "string", "slug": "string", "code": "string", "status": "enum",
    "kind": "enum", "description": "text", "summary": "text", "notes": "text", "amount": "decimal",
    "total": "decimal", "quantity": "int", "priority": "int", "position": "int", "score": "float",
    "weight": "float", "price": "decimal", "starts_at": "datetime", "ends_at": "datetime",
    "due_on": "date", "published_at": "datetime", "is_active": "bool", "is_archived": "bool",
    "is_public": "bool", "external_ref": "string", "currency": "string", "country": "string",
    "email": "string", "phone": "string", "url": "string", "metadata_json": "json", "version": "int",
    "rank": "int", "label": "string", "color": "string", "locale": "string", "timezone": "string",
    "source": "string", "channel_name": "string", "reference": "string",
}


def camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def plural(name: str) -> str:
    if name.endswith("y") and not name.endswith(("ay", "ey", "oy")):
        return name[:-1] + "ies"
    if name.endswith(("s", "x", "ch", "sh")):
        return name + "es"
    return name + "s"


@dataclass
class Column:
    name: str
    sa_type: str
    form_field: str
    kind: str
    nullable: bool
    unique: bool
    index: bool


@dataclass
class Model:
    name: str  # snake_case
    table: str
    columns: list[Column]
    parent: "Model | None" = None
    converter: str = "int"

    @property
    def cls(self) -> str:
        return camel(self.name)

    @property
    def key(self) -> str:
        return f"{self.name}_id"


@dataclass
class BlueprintSpec:
    index: int
    domain: str
    name: str
    url_prefix: str
    models: list[Model] = field(default_factory=list)


class Writer:
    """Collects generated files and counts what was written."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files = 0
        self.py_files = 0
        self.py_lines = 0
        self.other_lines = 0
        self.bytes = 0

    def write(self, rel: str, lines: list[str]) -> None:
        text = "\n".join(lines).rstrip("\n") + "\n"
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        self.files += 1
        self.bytes += len(data)
        n = text.count("\n")
        if rel.endswith(".py"):
            self.py_files += 1
            self.py_lines += n
        else:
            self.other_lines += n


# --------------------------------------------------------------------------------------- specs


def make_blueprint(seed: int, index: int, used: set[str]) -> BlueprintSpec:
    rng = random.Random(f"{seed}:blueprint:{index}")
    domain = DOMAINS[index % len(DOMAINS)]
    base = rng.choice(NOUNS)
    name = plural(base)
    n = 2
    while name in used:
        name = f"{plural(base)}_{n}"
        n += 1
    used.add(name)
    bp = BlueprintSpec(index=index, domain=domain, name=name, url_prefix=f"/{domain}/{name.replace('_', '-')}")
    model_names: list[str] = [base]
    for noun in rng.sample(NOUNS, k=rng.randint(2, 6)):
        if noun not in model_names:
            model_names.append(noun if noun != base else f"{noun}_item")
    # Table names are qualified by the blueprint so that models of different blueprints never clash.
    prefix = name
    for i, mname in enumerate(model_names):
        ncols = rng.randint(5, 12)
        chosen = rng.sample(sorted(FIELD_NAMES), k=ncols)
        columns = []
        for cname in chosen:
            kind = FIELD_NAMES[cname]
            sa_type, form_field = FIELD_TYPES[kind]
            sa_type = sa_type.format(n=rng.choice([32, 64, 120, 255]), enum=f"{camel(mname)}Status")
            columns.append(
                Column(
                    name=cname,
                    sa_type=sa_type,
                    form_field=form_field,
                    kind=kind,
                    nullable=rng.random() < 0.6,
                    unique=cname in ("slug", "code", "reference") and rng.random() < 0.7,
                    index=rng.random() < 0.2,
                )
            )
        parent = bp.models[rng.randrange(i)] if i > 0 and rng.random() < 0.7 else None
        bp.models.append(
            Model(
                name=mname,
                table=f"{prefix}_{plural(mname)}",
                columns=columns,
                parent=parent,
                converter=rng.choice(["int", "int", "int", "uuid", "string"]),
            )
        )
    return bp


# ------------------------------------------------------------------------------------ blueprints


def render_init(bp: BlueprintSpec) -> list[str]:
    return [
        f'"""The {bp.name} blueprint of the {bp.domain} domain."""',
        "",
        "from flask import Blueprint",
        "",
        f'bp = Blueprint("{bp.name}", __name__)',
        "",
        "from . import views  # noqa: E402,F401",
    ]


def render_models(bp: BlueprintSpec, rng: random.Random) -> list[str]:
    out = [
        f'"""Database models of the {bp.name} blueprint."""',
        "",
        "import enum",
        "import uuid",
        "from datetime import datetime, timezone",
        "from decimal import Decimal",
        "",
        "from sqlalchemy.ext.hybrid import hybrid_property",
        "",
        "from ...extensions import db",
        "",
        "",
        "def utcnow():",
        "    return datetime.now(timezone.utc)",
        "",
    ]
    for m in bp.models:
        if any(c.kind == "enum" for c in m.columns):
            out += [
                "",
                f"class {m.cls}Status(enum.Enum):",
                '    DRAFT = "draft"',
                '    ACTIVE = "active"',
                '    SUSPENDED = "suspended"',
                '    CLOSED = "closed"',
                "",
            ]
    if len(bp.models) >= 3:
        a, b = bp.models[0], bp.models[-1]
        out += [
            "",
            f"{a.name}_{plural(b.name)} = db.Table(",
            f'    "{a.table}_{plural(b.name)}",',
            f'    db.Column("{a.key}", db.Integer, db.ForeignKey("{a.table}.id"), primary_key=True),',
            f'    db.Column("{b.key}", db.Integer, db.ForeignKey("{b.table}.id"), primary_key=True),',
            ")",
            "",
        ]
    for m in bp.models:
        out += ["", f"class {m.cls}(db.Model):", f'    __tablename__ = "{m.table}"', ""]
        out.append("    id = db.Column(db.Integer, primary_key=True)")
        if m.converter == "uuid":
            out.append("    public_id = db.Column(db.String(36), unique=True, default=lambda: str(uuid.uuid4()))")
        for c in m.columns:
            opts = []
            if not c.nullable:
                opts.append("nullable=False")
            if c.unique:
                opts.append("unique=True")
            if c.index:
                opts.append("index=True")
            if c.kind == "bool":
                opts.append("default=False")
            if c.kind == "datetime" and rng.random() < 0.5:
                opts.append("default=utcnow")
            args = ", ".join([c.sa_type] + opts)
            out.append(f"    {c.name} = db.Column({args})")
        if m.parent is not None:
            p = m.parent
            out.append(
                f'    {p.key} = db.Column(db.Integer, db.ForeignKey("{p.table}.id", ondelete="CASCADE"), nullable=False)'
            )
        out.append("    created_at = db.Column(db.DateTime, default=utcnow, nullable=False)")
        out.append("    updated_at = db.Column(db.DateTime, default=utcnow, onupdate=utcnow)")
        if m.parent is not None:
            out += [
                "",
                f'    {m.parent.name} = db.relationship("{m.parent.cls}", backref=db.backref("{plural(m.name)}", lazy="dynamic"))',
            ]
        if m is bp.models[0] and len(bp.models) >= 3:
            b = bp.models[-1]
            out.append(
                f'    {plural(b.name)} = db.relationship("{b.cls}", secondary={m.name}_{plural(b.name)}, lazy="subquery")'
            )
        label = next((c.name for c in m.columns if c.kind in ("string", "text")), "id")
        out += [
            "",
            "    def __repr__(self):",
            f'        return f"<{m.cls} {{self.id}}>"',
            "",
            "    def __str__(self):",
            f"        return str(self.{label})",
        ]
        numeric = [c.name for c in m.columns if c.kind in ("int", "decimal", "float")]
        if numeric:
            out += [
                "",
                "    @hybrid_property",
                f"    def {numeric[0]}_or_zero(self):",
                f"        return self.{numeric[0]} or 0",
            ]
        out += [
            "",
            "    def to_dict(self):",
            "        return {",
            '            "id": self.id,',
        ]
        for c in m.columns:
            if c.kind in ("datetime", "date"):
                out.append(f'            "{c.name}": self.{c.name}.isoformat() if self.{c.name} else None,')
            elif c.kind == "decimal":
                out.append(f'            "{c.name}": str(self.{c.name}) if self.{c.name} is not None else None,')
            elif c.kind == "enum":
                out.append(f'            "{c.name}": self.{c.name}.value if self.{c.name} else None,')
            else:
                out.append(f'            "{c.name}": self.{c.name},')
        out += ["        }", ""]
        if rng.random() < 0.5:
            out += [
                "    @classmethod",
                "    def recent(cls, limit=20):",
                "        return cls.query.order_by(cls.created_at.desc()).limit(limit).all()",
                "",
            ]
        if rng.random() < 0.4:
            out += [
                "    def update_from(self, data):",
                "        for key, value in data.items():",
                "            if key in {" + ", ".join(f'"{c.name}"' for c in m.columns[:4]) + "}:",
                "                setattr(self, key, value)",
                "        self.updated_at = utcnow()",
                "        return self",
                "",
            ]
        dec = [c.name for c in m.columns if c.kind == "decimal"]
        if dec:
            out += [
                "    @property",
                f"    def {dec[0]}_display(self):",
                f"        value = self.{dec[0]} or Decimal(0)",
                '        return f"{value:,.2f}"',
                "",
            ]
    return out


def rule_for(m: Model) -> str:
    return f"<{m.converter}:{m.key}>"


def render_views(bp: BlueprintSpec, rng: random.Random) -> list[str]:
    forms = ", ".join(f"{m.cls}Form" for m in bp.models)
    models = ", ".join(m.cls for m in bp.models)
    services = ", ".join(f"{m.cls}Service" for m in bp.models)
    out = [
        f'"""Views of the {bp.name} blueprint: HTML pages and a small JSON API."""',
        "",
        "from functools import wraps",
        "",
        "from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for",
        "from flask.views import MethodView",
        "from flask_login import current_user, login_required",
        "",
        "from ...extensions import db",
        "from . import bp",
        f"from .forms import {forms}",
        f"from .models import {models}",
        f"from .services import {services}",
        "",
        "",
        "def requires_role(role):",
        "    def decorator(view):",
        "        @wraps(view)",
        "        def wrapped(*args, **kwargs):",
        "            if not current_user.is_authenticated or role not in current_user.roles:",
        "                abort(403)",
        "            return view(*args, **kwargs)",
        "",
        "        return wrapped",
        "",
        "    return decorator",
        "",
    ]
    for mi, m in enumerate(bp.models):
        coll = plural(m.name)
        base = f"/{coll.replace('_', '-')}"
        item = f"{base}/{rule_for(m)}"
        tpl = f"{bp.name}/{m.name}"
        svc = f"{m.cls}Service"
        lookup = (
            f"{m.cls}.query.filter_by(public_id={m.key}).first_or_404()"
            if m.converter == "uuid"
            else f"db.get_or_404({m.cls}, {m.key})"
        )
        if mi == 0:
            out += ["", '@bp.route("/")', "def index():"]
            out += [
                '    page = request.args.get("page", 1, type=int)',
                f"    items = {m.cls}.query.order_by({m.cls}.created_at.desc()).paginate(page=page, per_page=25)",
                f'    return render_template("{bp.name}/index.html", items=items)',
                "",
            ]
        style = rng.randrange(3)
        if style == 0:
            out += ["", f'@bp.route("{base}/")', "@login_required", f"def list_{coll}():"]
        else:
            out += ["", f'@bp.get("{base}/")', f"def list_{coll}():"]
        out += [
            '    query = request.args.get("q", "").strip()',
            f"    items = {svc}.search(query) if query else {m.cls}.recent(50)",
            f'    return render_template("{tpl}_list.html", items=items, query=query)',
            "",
            "",
            f'@bp.route("{item}")',
            f"def show_{m.name}({m.key}):",
            f"    obj = {lookup}",
            f'    return render_template("{tpl}_detail.html", obj=obj)',
            "",
        ]
        if style == 2:
            out += [
                "",
                f'@bp.route("{base}/new", methods=["GET", "POST"])',
                "@login_required",
                f"def create_{m.name}():",
                f"    form = {m.cls}Form()",
                "    if form.validate_on_submit():",
                f"        obj = {svc}.create(form.data)",
                f'        flash("{m.cls} created.", "success")',
                f'        return redirect(url_for(".show_{m.name}", {m.key}=obj.id))',
                f'    return render_template("{tpl}_form.html", form=form)',
                "",
            ]
        else:
            out += [
                "",
                f'@bp.get("{base}/new")',
                f"def new_{m.name}():",
                f'    return render_template("{tpl}_form.html", form={m.cls}Form())',
                "",
                "",
                f'@bp.post("{base}/new")',
                f'@requires_role("editor")',
                f"def create_{m.name}():",
                f"    form = {m.cls}Form()",
                "    if not form.validate_on_submit():",
                f'        return render_template("{tpl}_form.html", form=form), 400',
                f"    obj = {svc}.create(form.data)",
                f'    return redirect(url_for(".show_{m.name}", {m.key}=obj.id))',
                "",
            ]
        out += [
            "",
            f'@bp.route("{item}/edit", methods=["GET", "POST"])',
            "@login_required",
            f"def edit_{m.name}({m.key}):",
            f"    obj = {lookup}",
            f"    form = {m.cls}Form(obj=obj)",
            "    if form.validate_on_submit():",
            "        form.populate_obj(obj)",
            "        db.session.commit()",
            '        flash("Saved.", "success")',
            f'        return redirect(url_for(".show_{m.name}", {m.key}={m.key}))',
            f'    return render_template("{tpl}_form.html", form=form, obj=obj)',
            "",
            "",
            f"def delete_{m.name}({m.key}):",
            f"    obj = {lookup}",
            "    db.session.delete(obj)",
            "    db.session.commit()",
            f'    return redirect(url_for(".list_{coll}"))',
            "",
            "",
            f'bp.add_url_rule("{item}/delete", view_func=delete_{m.name}, methods=["POST"])',
            "",
        ]
        if rng.random() < 0.6:
            api = f"{m.cls}API"
            out += [
                "",
                f"class {api}(MethodView):",
                "    decorators = [login_required]",
                "",
                f"    def get(self, {m.key}):",
                f"        return jsonify({lookup}.to_dict())",
                "",
                f"    def put(self, {m.key}):",
                f"        obj = {lookup}",
                "        obj.update_from(request.get_json(force=True) or {})",
                "        db.session.commit()",
                "        return jsonify(obj.to_dict())",
                "",
                f"    def delete(self, {m.key}):",
                f"        {svc}.remove({m.key})",
                '        return "", 204',
                "",
                "",
                f"class {m.cls}ListAPI(MethodView):",
                "    def get(self):",
                '        limit = min(request.args.get("limit", 50, type=int), 500)',
                f"        return jsonify([o.to_dict() for o in {m.cls}.recent(limit)])",
                "",
                "    def post(self):",
                f"        obj = {svc}.create(request.get_json(force=True) or {{}})",
                "        return jsonify(obj.to_dict()), 201",
                "",
                "",
                f'bp.add_url_rule("/api{item}", view_func={api}.as_view("{m.name}_api"))',
                f'bp.add_url_rule("/api{base}/", view_func={m.cls}ListAPI.as_view("{m.name}_list_api"))',
                "",
            ]
        if m.parent is not None and rng.random() < 0.7:
            p = m.parent
            out += [
                "",
                f'@bp.route("/{plural(p.name).replace("_", "-")}/{rule_for(p)}/{coll.replace("_", "-")}/")',
                f"def {coll}_of_{p.name}({p.key}):",
                f"    parent = db.get_or_404({p.cls}, {p.key})",
                f"    items = parent.{coll}.order_by({m.cls}.created_at.desc()).all()",
                f'    return render_template("{tpl}_list.html", items=items, parent=parent)',
                "",
            ]
        if rng.random() < 0.3:
            out += [
                "",
                f'@bp.route("{base}/export.<any(csv, json, xlsx):fmt>")',
                f"def export_{coll}(fmt):",
                f"    rows = [o.to_dict() for o in {m.cls}.query.all()]",
                f"    return {svc}.export(rows, fmt)",
                "",
            ]
        if rng.random() < 0.2:
            out += [
                "",
                f'@bp.route("{base}/files/<path:filename>")',
                f"def {m.name}_file(filename):",
                '    folder = current_app.config["UPLOAD_FOLDER"]',
                f'    return current_app.send_static_file(f"{{folder}}/{coll}/{{filename}}")',
                "",
            ]
    out += [
        "",
        '@bp.route("/stats/<float:threshold>")',
        "def stats(threshold):",
        "    return jsonify({",
    ]
    for m in bp.models:
        out.append(f'        "{plural(m.name)}": {m.cls}.query.count(),')
    out += ["        \"threshold\": threshold,", "    })", ""]
    return out


def render_forms(bp: BlueprintSpec) -> list[str]:
    kinds = sorted({c.form_field for m in bp.models for c in m.columns} | {"BooleanField", "IntegerField", "StringField"})
    out = [
        f'"""Forms of the {bp.name} blueprint."""',
        "",
        "from flask_wtf import FlaskForm",
        "from wtforms import " + ", ".join(kinds + ["SubmitField"]),
        "from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError",
        "",
    ]
    for m in bp.models:
        out += ["", f"class {m.cls}Form(FlaskForm):"]
        for c in m.columns:
            label = c.name.replace("_", " ").capitalize()
            validators = "[Optional()]" if c.nullable else "[DataRequired()]"
            if c.kind == "string":
                validators = "[DataRequired(), Length(max=255)]" if not c.nullable else "[Optional(), Length(max=255)]"
            elif c.kind in ("int", "float", "decimal"):
                validators = "[Optional(), NumberRange(min=0)]"
            elif c.kind == "bool":
                validators = "[]"
            if c.form_field == "SelectField":
                out.append(
                    f'    {c.name} = SelectField("{label}", choices=[("draft", "Draft"), ("active", "Active"), ("closed", "Closed")])'
                )
            else:
                out.append(f'    {c.name} = {c.form_field}("{label}", validators={validators})')
        out += [
            '    submit = SubmitField("Save")',
            "",
            "    def validate(self, extra_validators=None):",
            "        if not super().validate(extra_validators=extra_validators):",
            "            return False",
            "        return True",
            "",
        ]
        strings = [c.name for c in m.columns if c.kind == "string"]
        if strings:
            out += [
                f"    def validate_{strings[0]}(self, field):",
                "        if field.data and field.data != field.data.strip():",
                '            raise ValidationError("Remove the leading and trailing spaces.")',
                "",
            ]
        out += [
            "",
            f"class {m.cls}FilterForm(FlaskForm):",
            '    q = StringField("Search", validators=[Optional(), Length(max=100)])',
            '    page = IntegerField("Page", validators=[Optional(), NumberRange(min=1)])',
            '    per_page = IntegerField("Per page", validators=[Optional(), NumberRange(min=1, max=500)])',
            '    submit = SubmitField("Filter")',
            "",
            "",
            f"class {m.cls}DeleteForm(FlaskForm):",
            '    confirm = BooleanField("I understand this cannot be undone", validators=[DataRequired()])',
            '    submit = SubmitField("Delete")',
            "",
        ]
    return out


def render_services(bp: BlueprintSpec, rng: random.Random) -> list[str]:
    out = [
        f'"""Business logic of the {bp.name} blueprint, kept out of the views."""',
        "",
        "import csv",
        "import io",
        "import json",
        "import logging",
        "from collections import Counter, defaultdict",
        "from dataclasses import dataclass, field",
        "from typing import Iterable",
        "",
        "from flask import Response",
        "",
        "from ...extensions import db",
        "from .models import " + ", ".join(m.cls for m in bp.models),
        "",
        "log = logging.getLogger(__name__)",
        "",
        "",
        "@dataclass",
        "class Page:",
        "    items: list",
        "    total: int",
        "    page: int = 1",
        "    per_page: int = 25",
        "    filters: dict = field(default_factory=dict)",
        "",
        "    @property",
        "    def pages(self):",
        "        return max(1, -(-self.total // self.per_page))",
        "",
        "    def window(self, size=5):",
        "        start = max(1, self.page - size // 2)",
        "        return [n for n in range(start, min(self.pages, start + size) + 1)]",
        "",
        "",
        "def chunked(items: Iterable, size: int):",
        "    batch = []",
        "    for item in items:",
        "        batch.append(item)",
        "        if len(batch) == size:",
        "            yield batch",
        "            batch = []",
        "    if batch:",
        "        yield batch",
        "",
        "",
        "def to_csv(rows):",
        "    buffer = io.StringIO()",
        "    if rows:",
        "        writer = csv.DictWriter(buffer, fieldnames=sorted(rows[0]))",
        "        writer.writeheader()",
        "        writer.writerows(rows)",
        "    return buffer.getvalue()",
        "",
    ]
    for m in bp.models:
        text_cols = [c.name for c in m.columns if c.kind in ("string", "text")] or ["id"]
        num_cols = [c.name for c in m.columns if c.kind in ("int", "float", "decimal")]
        out += [
            "",
            f"class {m.cls}Service:",
            f'    """Create, search and export {plural(m.name)}."""',
            "",
            f"    searchable = ({', '.join(repr(c) for c in text_cols)},)",
            "",
            "    @staticmethod",
            "    def create(data):",
            f"        obj = {m.cls}(**{{k: v for k, v in data.items() if k not in (\"submit\", \"csrf_token\")}})",
            "        db.session.add(obj)",
            "        db.session.commit()",
            f'        log.info("created {m.name} %s", obj.id)',
            "        return obj",
            "",
            "    @staticmethod",
            f"    def remove({m.key}):",
            f"        obj = db.session.get({m.cls}, {m.key})",
            "        if obj is None:",
            "            return False",
            "        db.session.delete(obj)",
            "        db.session.commit()",
            "        return True",
            "",
            "    @classmethod",
            "    def search(cls, text, limit=100):",
            "        terms = [t for t in text.lower().split() if len(t) > 2]",
            "        if not terms:",
            "            return []",
            f"        query = {m.cls}.query",
            "        for term in terms:",
            "            clauses = [getattr(" + m.cls + ", name).ilike(f\"%{term}%\") for name in cls.searchable]",
            "            query = query.filter(db.or_(*clauses))",
            "        return query.limit(limit).all()",
            "",
            "    @staticmethod",
            "    def export(rows, fmt):",
            '        if fmt == "json":',
            '            return Response(json.dumps(rows, default=str), mimetype="application/json")',
            '        return Response(to_csv(rows), mimetype="text/csv")',
            "",
        ]
        if num_cols:
            col = num_cols[0]
            out += [
                "    @staticmethod",
                "    def summary():",
                f"        values = [o.{col} or 0 for o in {m.cls}.query.all()]",
                "        if not values:",
                '            return {"count": 0, "total": 0, "mean": None}',
                "        total = sum(values)",
                '        return {"count": len(values), "total": total, "mean": total / len(values)}',
                "",
            ]
        if rng.random() < 0.6:
            col = text_cols[0]
            out += [
                "    @staticmethod",
                "    def histogram(items):",
                f"        counts = Counter(str(getattr(o, {col!r}, ''))[:1].upper() for o in items)",
                "        return dict(sorted(counts.items()))",
                "",
                "    @staticmethod",
                "    def group_by_day(items):",
                "        groups = defaultdict(list)",
                "        for o in items:",
                "            groups[o.created_at.date().isoformat()].append(o)",
                "        return {day: len(objs) for day, objs in groups.items()}",
                "",
            ]
        if rng.random() < 0.5:
            out += [
                "    @staticmethod",
                "    def import_rows(rows, batch_size=200):",
                "        created = 0",
                "        for batch in chunked(rows, batch_size):",
                f"            objs = [{m.cls}(**row) for row in batch if row]",
                "            db.session.add_all(objs)",
                "            db.session.commit()",
                "            created += len(objs)",
                '        log.info("imported %d rows", created)',
                "        return created",
                "",
            ]
    out += [
        "",
        "def dashboard():",
        "    return {",
    ]
    for m in bp.models:
        out.append(f'        "{plural(m.name)}": {m.cls}.query.count(),')
    out += ["    }", ""]
    return out


def render_templates(bp: BlueprintSpec, w: Writer) -> None:
    base = f"monorepo/templates/{bp.name}"
    w.write(
        f"{base}/layout.html",
        [
            '{% extends "base.html" %}',
            "{% block nav %}",
            "  {{ super() }}",
            '  <nav class="subnav">',
        ]
        + [
            f'    <a href="{{{{ url_for(\'{bp.name}.list_{plural(m.name)}\') }}}}">{camel(plural(m.name))}</a>'
            for m in bp.models
        ]
        + ["  </nav>", "{% endblock %}"],
    )
    w.write(
        f"{base}/index.html",
        [
            f'{{% extends "{bp.name}/layout.html" %}}',
            f"{{% block title %}}{camel(bp.name)}{{% endblock %}}",
            "{% block content %}",
            "  <ul>",
            "  {% for item in items.items %}",
            "    <li>{{ loop.index }}. {{ item }}</li>",
            "  {% else %}",
            "    <li>Nothing yet.</li>",
            "  {% endfor %}",
            "  </ul>",
            '  {% include "_pagination.html" %}',
            "{% endblock %}",
        ],
    )
    for m in bp.models:
        cols = m.columns
        w.write(
            f"{base}/{m.name}_list.html",
            [
                f'{{% extends "{bp.name}/layout.html" %}}',
                '{% from "_macros.html" import render_field %}',
                f"{{% block title %}}{camel(plural(m.name))}{{% endblock %}}",
                "{% block content %}",
                f'  <form method="get" action="{{{{ url_for(\'{bp.name}.list_{plural(m.name)}\') }}}}">',
                '    <input name="q" value="{{ query|default(\'\') }}">',
                "  </form>",
                "  <table>",
                "    <tr>" + "".join(f"<th>{c.name.replace('_', ' ')}</th>" for c in cols[:5]) + "</tr>",
                "    {% for obj in items %}",
                "    <tr class=\"{{ loop.cycle('odd', 'even') }}\">",
            ]
            + [f"      <td>{{{{ obj.{c.name}|default('', true) }}}}</td>" for c in cols[:5]]
            + [
                f'      <td><a href="{{{{ url_for(\'{bp.name}.show_{m.name}\', {m.key}=obj.id) }}}}">open</a></td>',
                "    </tr>",
                "    {% endfor %}",
                "  </table>",
                "{% endblock %}",
            ],
        )
        w.write(
            f"{base}/{m.name}_detail.html",
            [
                f'{{% extends "{bp.name}/layout.html" %}}',
                "{% block title %}{{ obj }}{% endblock %}",
                "{% block content %}",
                "  <h1>{{ obj }}</h1>",
                "  <dl>",
            ]
            + [f"    <dt>{c.name.replace('_', ' ')}</dt><dd>{{{{ obj.{c.name} }}}}</dd>" for c in cols]
            + [
                "  </dl>",
                "  {% if current_user.is_authenticated %}",
                f'    <a href="{{{{ url_for(\'.edit_{m.name}\', {m.key}=obj.id) }}}}">edit</a>',
                "  {% endif %}",
                "{% endblock %}",
            ],
        )
        w.write(
            f"{base}/{m.name}_form.html",
            [
                f'{{% extends "{bp.name}/layout.html" %}}',
                '{% from "_macros.html" import render_field %}',
                "{% block content %}",
                '  <form method="post">',
                "    {{ form.hidden_tag() }}",
            ]
            + [f"    {{{{ render_field(form.{c.name}) }}}}" for c in cols]
            + ["    {{ form.submit() }}", "  </form>", "{% endblock %}"],
        )


# ------------------------------------------------------------------------------------ top level


def render_top(w: Writer, bps: list[BlueprintSpec]) -> None:
    domains: dict[str, list[BlueprintSpec]] = {}
    for bp in bps:
        domains.setdefault(bp.domain, []).append(bp)
    w.write(
        "wsgi.py",
        [
            '"""Entry point for production servers: ``gunicorn wsgi:app``."""',
            "",
            "import os",
            "",
            "from monorepo import create_app",
            "",
            'app = create_app(os.environ.get("MONOREPO_CONFIG") or "production")',
        ],
    )
    w.write(
        "config.py",
        [
            '"""Configuration classes, selected by name in ``create_app``."""',
            "",
            "import os",
            "",
            "BASE_DIR = os.path.abspath(os.path.dirname(__file__))",
            "",
            "",
            "class Config:",
            '    SECRET_KEY = os.environ.get("SECRET_KEY", "dev")',
            '    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite:///" + os.path.join(BASE_DIR, "app.db"))',
            "    SQLALCHEMY_TRACK_MODIFICATIONS = False",
            '    UPLOAD_FOLDER = "uploads"',
            "    ITEMS_PER_PAGE = 25",
            "",
            "",
            "class DevelopmentConfig(Config):",
            "    DEBUG = True",
            "",
            "",
            "class TestingConfig(Config):",
            "    TESTING = True",
            '    SQLALCHEMY_DATABASE_URI = "sqlite://"',
            "    WTF_CSRF_ENABLED = False",
            "",
            "",
            "class ProductionConfig(Config):",
            "    SESSION_COOKIE_SECURE = True",
            "",
            "",
            "config = {",
            '    "development": DevelopmentConfig,',
            '    "testing": TestingConfig,',
            '    "production": ProductionConfig,',
            '    "default": DevelopmentConfig,',
            "}",
        ],
    )
    w.write(
        "monorepo/extensions.py",
        [
            '"""Extension instances, bound to the app in ``create_app``."""',
            "",
            "from flask_caching import Cache",
            "from flask_login import LoginManager",
            "from flask_migrate import Migrate",
            "from flask_sqlalchemy import SQLAlchemy",
            "from flask_wtf.csrf import CSRFProtect",
            "",
            "db = SQLAlchemy()",
            "migrate = Migrate()",
            "login_manager = LoginManager()",
            'login_manager.login_view = "identity_accounts.login"',
            "csrf = CSRFProtect()",
            "cache = Cache()",
        ],
    )
    init = [
        '"""The monorepo application package: ``flask --app monorepo:create_app run``."""',
        "",
        "import os",
        "",
        "from flask import Flask, render_template",
        "",
        "from config import config",
        "",
        "from .extensions import cache, csrf, db, login_manager, migrate",
        "",
        "",
        "def create_app(config_name=None):",
        "    if config_name is None:",
        '        config_name = os.environ.get("MONOREPO_CONFIG", "default")',
        "    app = Flask(__name__)",
        "    app.config.from_object(config[config_name])",
        "",
        "    db.init_app(app)",
        "    migrate.init_app(app, db)",
        "    login_manager.init_app(app)",
        "    csrf.init_app(app)",
        '    cache.init_app(app, config={"CACHE_TYPE": "SimpleCache"})',
        "",
    ]
    for domain in domains:
        init.append(f"    from .{domain} import register_blueprints as register_{domain}")
    init.append("")
    for domain in domains:
        init.append(f"    register_{domain}(app)")
    init += [
        "",
        "    @app.route(\"/\")",
        "    def home():",
        '        return render_template("home.html")',
        "",
        "    @app.errorhandler(404)",
        "    def not_found(error):",
        '        return render_template("errors/404.html"), 404',
        "",
        "    @app.template_filter(\"money\")",
        "    def money(value):",
        '        return f"{value:,.2f}"',
        "",
        "    return app",
    ]
    w.write("monorepo/__init__.py", init)
    for domain, members in domains.items():
        lines = [
            f'"""Blueprints of the {domain} domain."""',
            "",
            "",
            "def register_blueprints(app):",
        ]
        for bp in members:
            lines.append(f"    from .{bp.name} import bp as {bp.name}_bp")
        lines.append("")
        for bp in members:
            lines.append(f'    app.register_blueprint({bp.name}_bp, url_prefix="{bp.url_prefix}")')
        w.write(f"monorepo/{domain}/__init__.py", lines)
    w.write(
        "monorepo/templates/base.html",
        [
            "<!doctype html>",
            "<html>",
            "<head><title>{% block title %}Monorepo{% endblock %}</title>",
            "<link rel=\"stylesheet\" href=\"{{ url_for('static', filename='site.css') }}\"></head>",
            "<body>",
            "{% block nav %}<a href=\"{{ url_for('home') }}\">Home</a>{% endblock %}",
            "{% with messages = get_flashed_messages(with_categories=true) %}",
            "  {% for category, message in messages %}<p class=\"{{ category }}\">{{ message }}</p>{% endfor %}",
            "{% endwith %}",
            "{% block content %}{% endblock %}",
            "</body>",
            "</html>",
        ],
    )
    w.write(
        "monorepo/templates/_macros.html",
        [
            "{% macro render_field(field) %}",
            "  <label>{{ field.label }} {{ field(**kwargs)|safe }}</label>",
            "  {% for error in field.errors %}<span class=\"error\">{{ error }}</span>{% endfor %}",
            "{% endmacro %}",
        ],
    )
    w.write(
        "monorepo/templates/_pagination.html",
        [
            "{% if items.pages > 1 %}",
            "  {% for n in items.iter_pages() %}",
            "    {% if n %}<a href=\"?page={{ n }}\">{{ n }}</a>{% else %}&hellip;{% endif %}",
            "  {% endfor %}",
            "{% endif %}",
        ],
    )
    w.write("monorepo/templates/home.html", ['{% extends "base.html" %}', "{% block content %}<h1>Home</h1>{% endblock %}"])
    w.write(
        "monorepo/templates/errors/404.html",
        ['{% extends "base.html" %}', "{% block content %}<h1>Not found</h1>{% endblock %}"],
    )
    w.write("monorepo/static/site.css", ["body { font-family: sans-serif; }"])


def generate(lines: int, out: Path, seed: int) -> Writer:
    w = Writer(out)
    used: set[str] = set()
    bps: list[BlueprintSpec] = []
    # The top-level files are small; blueprints are added until the budget is spent.
    budget = max(lines - 250, 0)
    index = 0
    # Stop when the next blueprint (of the average size so far) would overshoot by more than half.
    while not bps or budget - w.py_lines > w.py_lines / len(bps) / 2:
        bp = make_blueprint(seed, index, used)
        rng = random.Random(f"{seed}:files:{index}")
        pkg = f"monorepo/{bp.domain}/{bp.name}"
        w.write(f"{pkg}/__init__.py", render_init(bp))
        w.write(f"{pkg}/models.py", render_models(bp, rng))
        w.write(f"{pkg}/views.py", render_views(bp, rng))
        w.write(f"{pkg}/forms.py", render_forms(bp))
        w.write(f"{pkg}/services.py", render_services(bp, rng))
        render_templates(bp, w)
        bps.append(bp)
        index += 1
    render_top(w, bps)
    return w


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, required=True, help="about how many lines of Python to write")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("out_dir", type=Path)
    args = parser.parse_args(argv)
    out: Path = args.out_dir
    if out.exists() and any(out.iterdir()):
        parser.error(f"{out} exists and is not empty")
    w = generate(args.lines, out, args.seed)
    print(
        f"{out}: {w.files} files ({w.py_files} Python), {w.py_lines} lines of Python, "
        f"{w.other_lines} lines of templates, {w.bytes / 1e6:.1f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
