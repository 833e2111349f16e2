"""Print the tables that a Django project's models describe, as JSON.

Usage: python tests/py/django_schema.py PROJECT_DIR [--models]

PROJECT_DIR holds ``manage.py``, whose
``os.environ.setdefault("DJANGO_SETTINGS_MODULE", "...")`` names the settings
module (a ``DJANGO_SETTINGS_MODULE`` already in the environment wins, as with
``manage.py`` itself). PROJECT_DIR goes first on ``sys.path``, ``django.setup()``
runs, and every model of the project's own apps (apps whose folder is inside
PROJECT_DIR: ``django.contrib`` and other installed packages are left out) is
read from ``_meta``, auto-created many-to-many tables included, proxy and swapped
models left out, unmanaged models kept. The database is never opened.

The output has the shape and the families of ``sqla_schema.py``, so that the two
can be compared as they are::

    {"tables": {TABLE: {"primary_key": [...], "columns": {COLUMN: {...}},
                        "unique_together": [[...], ...], "indexes": [[...], ...],
                        "partial_indexes": [[[...], unique, where], ...]}}}

How a field becomes a column entry:

* ``type``: the family of ``get_internal_type()`` (``AutoField`` → ``integer``,
  ``BigAutoField`` → ``bigint``, ``CharField``/``EmailField``/``SlugField``/
  ``URLField`` → ``string``, ``DurationField`` → ``interval``,
  ``PositiveIntegerField`` → ``integer``…); a ``ForeignKey``/``OneToOneField`` has
  the family (and length, precision, scale) of the field it points at;
* ``length``: ``max_length`` for the ``string`` family;
  ``precision``/``scale``: ``max_digits``/``decimal_places`` for ``decimal``;
* ``nullable``: ``null`` (a ``GeneratedField``'s output field's);
* ``unique``: not part of the primary key, and ``unique=True`` (a ``OneToOneField``
  is unique) or a one-field ``UniqueConstraint``/``unique_together`` entry without
  condition or expressions;
* ``index``: not part of the primary key, not unique, and ``db_index=True``
  (a ``ForeignKey``'s default) or a one-field ``Meta.indexes`` entry;
* ``foreign_key``: ``"<target db_table>.<target column>"``;
* ``server_default``: ``db_default`` is set, or the field is a ``GeneratedField``.

``primary_key`` lists the pk's column, or a ``CompositePrimaryKey``'s columns in
order. ``unique_together`` holds multi-field ``unique_together`` entries and
``UniqueConstraint``s (without condition or expressions), ``indexes`` the
multi-field ``Meta.indexes``; fields become their columns and the lists are sorted.

With ``--models``, a ``"models"`` key maps each model (``app_label.ModelName``) to
its table. Exit status: 0 on success, 1 when the project cannot be set up or
two models use the same table, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
import traceback

sys.dont_write_bytecode = True

FAMILIES = {
    "AutoField": "integer",
    "BigAutoField": "bigint",
    "SmallAutoField": "smallint",
    "IntegerField": "integer",
    "BigIntegerField": "bigint",
    "SmallIntegerField": "smallint",
    "PositiveIntegerField": "integer",
    "PositiveBigIntegerField": "bigint",
    "PositiveSmallIntegerField": "smallint",
    "CharField": "string",
    "EmailField": "string",
    "SlugField": "string",
    "URLField": "string",
    "FileField": "string",
    "ImageField": "string",
    "FilePathField": "string",
    "GenericIPAddressField": "string",
    "IPAddressField": "string",
    "TextField": "text",
    "BooleanField": "boolean",
    "NullBooleanField": "boolean",
    "DateField": "date",
    "DateTimeField": "datetime",
    "TimeField": "time",
    "DurationField": "interval",
    "FloatField": "float",
    "DecimalField": "decimal",
    "BinaryField": "binary",
    "JSONField": "json",
    "UUIDField": "uuid",
}

SETTINGS_RE = re.compile(r"""os\.environ\.setdefault\(\s*["']DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w.]+)["']""")


class SetupError(Exception):
    """The Django project could not be set up; the message says why."""


def settings_module(project_dir: str) -> str:
    """The settings module named in PROJECT_DIR/manage.py."""
    manage = os.path.join(project_dir, "manage.py")
    try:
        with open(manage, encoding="utf-8") as f:
            text = f.read()
    except OSError as exc:
        raise SetupError(f"cannot read {manage}: {exc}") from exc
    match = SETTINGS_RE.search(text)
    if match is None:
        raise SetupError(f"{manage} does not set DJANGO_SETTINGS_MODULE with os.environ.setdefault")
    return match.group(1)


def setup_django(project_dir: str, settings: str | None = None) -> str:
    """Put PROJECT_DIR on sys.path and run django.setup(); return the project's real path."""
    root = os.path.realpath(project_dir)
    if not os.path.isdir(root):
        raise SetupError(f"not a directory: {project_dir}")
    name = settings or os.environ.get("DJANGO_SETTINGS_MODULE") or settings_module(root)
    os.environ["DJANGO_SETTINGS_MODULE"] = name
    sys.path.insert(0, root)
    try:
        import django

        with contextlib.redirect_stdout(sys.stderr):
            django.setup()
    except BaseException as exc:
        detail = "".join(traceback.format_exception(exc))
        raise SetupError(f"django.setup() failed for {project_dir} ({name}):\n{detail}") from exc
    return root


def project_models(root: str) -> list:
    """Models of the apps inside ``root``, auto-created through models included, by db_table."""
    from django.apps import apps

    prefix = root.rstrip(os.sep) + os.sep
    models = []
    for config in apps.get_app_configs():
        path = os.path.realpath(config.path)
        if not (path + os.sep).startswith(prefix):
            continue
        for model in config.get_models(include_auto_created=True):
            meta = model._meta
            if meta.proxy or meta.abstract or meta.swapped:
                continue
            models.append(model)
    return sorted(models, key=lambda m: (m._meta.db_table, m._meta.label))


def pk_columns(model) -> list[str]:
    pk = model._meta.pk
    fields = getattr(pk, "fields", None)
    if fields is not None:  # CompositePrimaryKey
        return [f.column for f in fields]
    return [pk.column]


def field_type(field) -> tuple[str, int | None, int | None, int | None]:
    """(family, length, precision, scale) of a concrete field; relations follow their target."""
    if field.is_relation and (field.many_to_one or field.one_to_one):
        return field_type(field.target_field)
    internal = field.get_internal_type()
    family = FAMILIES.get(internal, f"unknown:{internal}")
    length = field.max_length if family == "string" else None
    precision = field.max_digits if family == "decimal" else None
    scale = field.decimal_places if family == "decimal" else None
    return family, length, precision, scale


def _plain_unique(constraint) -> list[str] | None:
    """The field names of a UniqueConstraint on plain fields, or None."""
    from django.db.models import UniqueConstraint

    if not isinstance(constraint, UniqueConstraint):
        return None
    if constraint.condition is not None or constraint.expressions or not constraint.fields:
        return None
    return list(constraint.fields)


def describe_model(model) -> dict:
    meta = model._meta
    pk = pk_columns(model)
    pk_set = set(pk)

    def column_of(name: str) -> str:
        return meta.get_field(name.lstrip("-")).column

    unique_sets = [list(fields) for fields in meta.unique_together]
    for constraint in meta.constraints:
        fields = _plain_unique(constraint)
        if fields is not None:
            unique_sets.append(fields)
    index_sets = [
        list(index.fields)
        for index in meta.indexes
        if index.fields and not index.expressions and index.condition is None
    ]
    # Partial indexes and unique constraints: their WHERE as the database gets it.
    from django.db import connection
    from django.db.models import Index, UniqueConstraint

    partial = []
    with connection.schema_editor() as editor:
        for item in [*meta.constraints, *meta.indexes]:
            if isinstance(item, (Index, UniqueConstraint)) and item.condition is not None and item.fields:
                where = item._get_condition_sql(model, editor)
                partial.append(
                    [[column_of(f) for f in item.fields], isinstance(item, UniqueConstraint), normalize_where(where)]
                )

    single_unique = {column_of(fields[0]) for fields in unique_sets if len(fields) == 1}
    single_index = {column_of(fields[0]) for fields in index_sets if len(fields) == 1}

    columns = {}
    for field in meta.local_concrete_fields:
        family, length, precision, scale = field_type(field)
        column = field.column
        unique = column not in pk_set and (bool(field.unique) or column in single_unique)
        index = column not in pk_set and not unique and (bool(field.db_index) or column in single_index)
        foreign_key = None
        if field.is_relation and (field.many_to_one or field.one_to_one):
            foreign_key = f"{field.related_model._meta.db_table}.{field.target_field.column}"
        columns[column] = {
            "type": family,
            "length": length,
            "precision": precision,
            "scale": scale,
            # A GeneratedField's column is its output field's; the database computes its value.
            "nullable": bool(getattr(field, "output_field", field).null if field.generated else field.null),
            "unique": unique,
            "index": index,
            "foreign_key": foreign_key,
            "server_default": field.has_db_default() or field.generated,
        }
    return {
        "primary_key": pk,
        "columns": columns,
        "unique_together": sorted([column_of(f) for f in fields] for fields in unique_sets if len(fields) > 1),
        "indexes": sorted([column_of(f) for f in fields] for fields in index_sets if len(fields) > 1),
        "partial_indexes": sorted(partial),
    }


def normalize_where(sql: str) -> str:
    """A WHERE clause lower-cased, without quotes or parentheses, its spaces collapsed."""
    for c in "\"`()[]":
        sql = sql.replace(c, "")
    return " ".join(sql.lower().split())


def schema_of(models) -> dict:
    tables = {}
    owners = {}
    for model in models:
        table = model._meta.db_table
        if table in tables:
            raise SetupError(f"{model._meta.label} and {owners[table]} both use the table {table!r}")
        tables[table] = describe_model(model)
        owners[table] = model._meta.label
    return {"tables": tables}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project_dir", help="folder of the Django project (with manage.py)")
    parser.add_argument("--models", action="store_true", help="also map each model to its table")
    args = parser.parse_args(argv)

    real_stdout = sys.stdout
    try:
        with contextlib.redirect_stdout(sys.stderr):
            root = setup_django(args.project_dir)
            models = project_models(root)
            result = schema_of(models)
            if args.models:
                result["models"] = {m._meta.label: m._meta.db_table for m in models}
    except SetupError as exc:
        print(f"django_schema: {exc}", file=sys.stderr)
        return 1
    json.dump(result, real_stdout, indent=2, sort_keys=True)
    real_stdout.write("\n")
    real_stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
