"""Round-trip data between a Flask project's SQLAlchemy tables and a Django project's models.

Usage: python tests/py/db_roundtrip.py FIXTURE_DIR PROJECT_DIR WORKDIR
           [--rows N] [--create-in TABLE] [--expect-mismatch TABLE.COLUMN ...]

1. The Flask project is imported as ``sqla_schema.py`` does, and every table of
   every metadata it defines is created with ``metadata.create_all`` in the SQLite
   file ``WORKDIR/db.sqlite3`` (replaced if it exists).
2. ``--rows`` rows (default 3) are inserted into every table through SQLAlchemy
   Core, in ``metadata.sorted_tables`` order. Values follow each column's type
   (enum members, SQLAlchemy-Utils choices, e-mail addresses…); row *i* of a table
   refers to row *i* of the table its foreign key names (a self-reference to row
   *i - 1*), so one-to-one and composite keys stay unique. What SQLAlchemy then
   reads back is the expected data.
3. PROJECT_DIR is copied to ``WORKDIR/project`` (PROJECT_DIR itself is never
   written), ``WORKDIR/roundtrip_settings.py`` does ``from <settings> import *``
   and points ``DATABASES`` at the SQLite file, then ``manage.py makemigrations
   <project apps>`` and ``manage.py migrate --fake-initial`` run in the copy.
4. In a Django subprocess, every model of the project's apps (auto-created
   many-to-many tables included) is read with ``_base_manager.values(<attnames>)``
   and compared, column by column and row by row (matched on the SQLAlchemy
   primary key), with the expected data. A column Django cannot read is a
   mismatch that carries Django's error.
5. The same subprocess creates one row through Django in a table whose model
   has no required foreign key (``--create-in`` picks it; default: the first such
   table by name), and SQLAlchemy reads it back for the same comparison.

Values are compared after normalisation: datetimes as naive UTC ISO strings,
decimals without trailing zeros, UUIDs as canonical strings, bytes as hex, JSON
documents as sorted JSON text, intervals as microseconds; a Python enum stored
by SQLAlchemy's ``Enum`` as its name, a SQLAlchemy-Utils ``Choice`` as its code,
a ``Password`` as its hash.

``--expect-mismatch TABLE.COLUMN`` accepts mismatches in that column (they are
listed under ``expected_mismatches``); it is itself an error if no mismatch occurs
there, so the list cannot go stale. ``--expect-schema-difference TABLE.COLUMN`` expects
only ``check_legacy_schema`` to report that column (its values round-trip).

Output: a JSON summary on stdout ``{"database", "tables": {TABLE: {"model",
"rows"}}, "created": {"table", "model", "row"}, "mismatches": [...],
"expected_mismatches": [...], "ok"}``; each mismatch is ``{"table", "column",
"row", "sqlalchemy", "django"}`` or ``{"table", "problem"}``. Exit status: 0
when everything matches, 1 on a mismatch or when a step fails (the step and its
output are printed on stderr), 2 on bad usage.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import decimal
import enum
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import traceback
import uuid

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

NEW_ROW_INDEX = 100


class StepError(Exception):
    """A step of the round trip failed; the message names the step and carries its output."""


# --- values ---------------------------------------------------------------------------------------


def sample_value(family: str, name: str, i: int, length=None, precision=None, scale=None):
    """A value of the family for row ``i``: distinct per row, positive, within length and scale."""
    if family == "integer":
        return 10 + i
    if family == "smallint":
        return i
    if family == "bigint":
        return 2**40 + i
    if family == "string":
        text = f"{name}-{i}"
        if length is not None and len(text) > length:
            text = f"{name[:1]}{i}"
            if len(text) > length:
                text = str(i)[-length:]
        return text
    if family == "text":
        return f"{name} {i}: a longer text"
    if family == "boolean":
        return i % 2 == 1
    if family == "date":
        return dt.date(2024, 1, 1) + dt.timedelta(days=i)
    if family == "datetime":
        return dt.datetime(2024, 1, 1, 12, 30, 15, 123000) + dt.timedelta(days=i, minutes=i)
    if family == "time":
        return dt.time(9, i % 60, 30)
    if family == "interval":
        return dt.timedelta(hours=i, minutes=5)
    if family == "float":
        return i + 0.25
    if family == "decimal":
        if scale:
            return decimal.Decimal(f"{i}.{'0' * (scale - 1)}5")
        return decimal.Decimal(i)
    if family == "binary":
        return bytes([i % 256, 0, 255]) + name.encode()
    if family == "json":
        return {"n": i, "name": name, "tags": ["a", "b"], "ok": True}
    if family == "uuid":
        return uuid.UUID(int=(0x5EED << 64) + i)
    return None


def normalize(value):
    """A JSON-able form of a value read from either side, equal when the stored data is equal."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, decimal.Decimal):
        text = format(value.normalize(), "f")
        return f"decimal:{text}"
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return f"datetime:{value.isoformat()}"
    if isinstance(value, dt.date):
        return f"date:{value.isoformat()}"
    if isinstance(value, dt.time):
        return f"time:{value.replace(tzinfo=None).isoformat()}"
    if isinstance(value, dt.timedelta):
        return f"interval:{value // dt.timedelta(microseconds=1)}us"
    if isinstance(value, uuid.UUID):
        return f"uuid:{value}"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"hex:{bytes(value).hex()}"
    if isinstance(value, (dict, list)):
        return f"json:{json.dumps(value, sort_keys=True)}"
    if isinstance(value, enum.Enum):
        return normalize(value.value)
    return f"{type(value).__name__}:{value}"


# --- SQLAlchemy side ------------------------------------------------------------------------------


def _utils_type(sqltype) -> str | None:
    module = type(sqltype).__module__ or ""
    return type(sqltype).__name__ if module.startswith("sqlalchemy_utils") else None


def sqla_stored(column, value):
    """What SQLAlchemy's read value stands for in the database, before ``normalize``."""
    import sqlalchemy as sa

    if value is None:
        return None
    sqltype = column.type
    kind = _utils_type(sqltype)
    if isinstance(sqltype, sa.Enum) and isinstance(value, enum.Enum):
        return value.name  # SQLAlchemy's Enum stores the member's name
    if kind == "ChoiceType":
        return getattr(value, "code", getattr(value, "value", value))
    if kind == "PasswordType":
        return value.hash
    if kind == "ArrowType":
        return value.datetime
    if kind == "URLType":
        return str(value)
    return value


def polymorphic_identities() -> dict:
    """``{id(column): [identity, ...]}`` for the discriminator columns of mapped class hierarchies."""
    from sqlalchemy.orm.mapper import _mapper_registries

    found = {}
    for reg in list(_mapper_registries):
        for mapper in reg.mappers:
            if mapper.polymorphic_on is not None and mapper.polymorphic_identity is not None:
                found.setdefault(id(mapper.polymorphic_on), set()).add(mapper.polymorphic_identity)
    return {column: sorted(values) for column, values in found.items()}


def sqla_value(column, i: int, identities: dict):
    """A value for ``column`` in row ``i`` (foreign keys are filled in separately)."""
    import sqlalchemy as sa
    from sqla_schema import _storage_type, type_family

    sqltype = column.type
    kind = _utils_type(sqltype)
    if id(column) in identities:
        values = identities[id(column)]
        return values[(i - 1) % len(values)]
    if isinstance(sqltype, sa.Enum):
        if sqltype.enum_class is not None:
            members = list(sqltype.enum_class)
            return members[(i - 1) % len(members)]
        return sqltype.enums[(i - 1) % len(sqltype.enums)]
    if kind == "ChoiceType":
        choices = sqltype.choices
        if isinstance(choices, type) and issubclass(choices, enum.Enum):
            members = list(choices)
            return members[(i - 1) % len(members)]
        return list(choices)[(i - 1) % len(choices)][0]
    if kind == "PasswordType":
        return f"password-{i}"
    if kind == "EmailType":
        return f"user{i}@example.com"
    if kind == "URLType":
        return f"https://example.com/{column.name}/{i}"
    family = type_family(sqltype, column)
    storage = _storage_type(sqltype, column)
    value = sample_value(
        family,
        column.name,
        i,
        getattr(storage, "length", None),
        getattr(storage, "precision", None),
        getattr(storage, "scale", None),
    )
    if value is None and not column.nullable:
        raise StepError(f"insert: no sample value for {column.table.fullname}.{column.name} ({sqltype!r})")
    return value


def generate_rows(table, count: int, inserted: dict, identities: dict) -> list[dict]:
    rows = [{} for _ in range(count)]
    for column in table.columns:
        # The database computes a `Computed` column: nothing inserts it.
        if column.foreign_keys or column.computed is not None:
            continue
        for index, row in enumerate(rows):
            row[column.name] = sqla_value(column, index + 1, identities)
    for column in table.columns:
        if column.computed is not None:
            continue
        fks = sorted(column.foreign_keys, key=lambda fk: fk.target_fullname)
        if not fks:
            continue
        target = fks[0].column
        for index, row in enumerate(rows):
            if target.table is table:
                # Self-reference: each row points at the one before; the first at nothing or itself.
                source = rows[index - 1] if index else (None if column.nullable else row)
                row[column.name] = None if source is None else source[target.name]
                continue
            targets = inserted.get(target.table.fullname)
            if not targets:
                raise StepError(
                    f"insert: {table.fullname}.{column.name} refers to {target.table.fullname}, which has no rows"
                )
            row[column.name] = targets[index % len(targets)][target.name]
    return rows


def row_key(values: dict, key_columns: list[str]) -> str:
    return json.dumps([values.get(c) for c in key_columns])


def key_columns_of(table) -> list[str]:
    pk = [c.name for c in table.primary_key.columns]
    return pk or sorted(c.name for c in table.columns)


def sqla_read(engine, table) -> dict:
    """``{row key: {column: normalized value}}`` of a table as SQLAlchemy reads it."""
    import sqlalchemy as sa

    keys = key_columns_of(table)
    result = {}
    with engine.connect() as conn:
        for row in conn.execute(sa.select(table)).mappings():
            values = {c.name: normalize(sqla_stored(c, row[c])) for c in table.columns}
            result[row_key(values, keys)] = values
    return result


# --- Django side (runs in a subprocess) -----------------------------------------------------------


def django_main(command: str, project_dir: str, out_path: str, create_in: str | None) -> int:
    import django_schema

    root = django_schema.setup_django(project_dir)
    models = django_schema.project_models(root)
    if command == "labels":
        from django.apps import apps

        prefix = root.rstrip(os.sep) + os.sep
        labels = [c.label for c in apps.get_app_configs() if (os.path.realpath(c.path) + os.sep).startswith(prefix)]
        result = {"labels": sorted(labels)}
    else:
        result = {"tables": {m._meta.db_table: django_read(m) for m in models}}
        result["created"] = django_create(models, create_in)
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2, sort_keys=True)
    return 0


def _values(model, attnames: list[str]) -> list[dict]:
    return list(model._base_manager.all().values(*attnames))


def django_read(model) -> dict:
    """Rows of a model by column name, normalized; a column Django cannot read gets its error."""
    fields = list(model._meta.local_concrete_fields)
    columns = {f.attname: f.column for f in fields}
    entry = {"model": model._meta.label, "columns": sorted(columns.values()), "rows": [], "errors": {}}
    try:
        rows = _values(model, list(columns))
    except Exception:  # noqa: BLE001 - narrowed down column by column below
        rows = None
    if rows is not None:
        entry["rows"] = [{columns[a]: normalize(v) for a, v in row.items()} for row in rows]
        return entry
    # Read the primary key alone, then every other column with it, to find what fails.
    import django_schema

    pk_attnames = [f.attname for f in fields if f.column in django_schema.pk_columns(model)]
    try:
        base = _values(model, pk_attnames)
    except Exception as exc:  # noqa: BLE001
        entry["error"] = f"{type(exc).__name__}: {exc}"
        return entry
    merged = {tuple(row.values()): {columns[a]: normalize(v) for a, v in row.items()} for row in base}
    for attname, column in columns.items():
        if attname in pk_attnames:
            continue
        try:
            values = _values(model, pk_attnames + [attname])
        except Exception as exc:  # noqa: BLE001
            entry["errors"][column] = f"{type(exc).__name__}: {exc}"
            continue
        for row in values:
            merged[tuple(row[a] for a in pk_attnames)][column] = normalize(row[attname])
    entry["rows"] = list(merged.values())
    return entry


def django_create(models, create_in: str | None) -> dict | None:
    """Create one row through Django; return its table, model and normalized values by column."""
    import django_schema
    from django.db import models as djm

    def required_fk(model):
        return any(f.is_relation and not f.null for f in model._meta.local_concrete_fields)

    candidates = [
        m
        for m in models
        if not m._meta.auto_created
        and getattr(m._meta.pk, "fields", None) is None
        and (m._meta.db_table == create_in if create_in else not required_fk(m))
    ]
    if not candidates:
        return {"error": f"no model for table {create_in!r}" if create_in else "no table without required foreign keys"}
    model = candidates[0]
    values = {}
    for field in model._meta.local_concrete_fields:
        if field.primary_key and isinstance(field, djm.AutoField):
            continue
        if field.is_relation:
            target = field.related_model._base_manager.order_by("pk").first()
            if field.null or target is None:
                values[field.attname] = None
            else:
                values[field.attname] = getattr(target, field.target_field.attname)
            continue
        if field.choices:
            # Left to its default when it has one: SQLAlchemy reading the row back checks that
            # the default is a value its column accepts (an Enum's member name).
            if not field.has_default():
                values[field.attname] = field.flatchoices[0][0]
            continue
        family, length, precision, scale = django_schema.field_type(field)
        value = sample_value(family, field.column, NEW_ROW_INDEX, length, precision, scale)
        if family == "datetime" and value is not None:
            from django.conf import settings

            if settings.USE_TZ:
                value = value.replace(tzinfo=dt.UTC)
        values[field.attname] = value
    try:
        obj = model(**values)
        obj.save(force_insert=True)
        row = model._base_manager.filter(pk=obj.pk).values(*[f.attname for f in model._meta.local_concrete_fields])[0]
    except Exception as exc:  # noqa: BLE001
        return {"table": model._meta.db_table, "model": model._meta.label, "error": f"{type(exc).__name__}: {exc}"}
    columns = {f.attname: f.column for f in model._meta.local_concrete_fields}
    return {
        "table": model._meta.db_table,
        "model": model._meta.label,
        "row": {columns[a]: normalize(v) for a, v in row.items()},
    }


# --- the round trip -------------------------------------------------------------------------------


def run(cmd: list[str], step: str, env: dict, cwd: str) -> str:
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=600, check=False)
    if proc.returncode != 0:
        raise StepError(f"{step} failed (exit {proc.returncode}):\n{proc.stdout}{proc.stderr}")
    return proc.stdout


def check_legacy_schema(manage: str, env: dict, copy: str, workdir: str, tables, expected: list) -> None:
    """The generated `check_legacy_schema` command passes on the database SQLAlchemy created
    (or names exactly the expected mismatches), and fails once a column is renamed: the model's
    column is missing, and the table has one the model does not."""
    proc = subprocess.run(
        [sys.executable, manage, "check_legacy_schema"], env=env, cwd=copy, capture_output=True, text=True, timeout=600
    )
    if expected:
        if proc.returncode == 0:
            raise StepError("check_legacy_schema passed, but these columns are known to differ: " + ", ".join(expected))
        for column in expected:
            if column not in proc.stderr:
                raise StepError(f"check_legacy_schema did not report {column}:\n{proc.stderr}")
    elif proc.returncode != 0:
        raise StepError(f"check_legacy_schema failed on the database SQLAlchemy created:\n{proc.stdout}{proc.stderr}")

    # Drift: rename a column of a copy of the database; the command must notice.
    table = next((t for t in tables if any(not c.primary_key for c in t.columns)), None)
    if table is None:
        return
    column = next(c.name for c in table.columns if not c.primary_key)
    drift = os.path.join(workdir, "drift.sqlite3")
    shutil.copyfile(os.path.join(workdir, "db.sqlite3"), drift)
    with sqlite3.connect(drift) as conn:
        conn.execute(f'ALTER TABLE "{table.name}" RENAME COLUMN "{column}" TO "{column}_renamed"')
    with open(os.path.join(workdir, "drift_settings.py"), "w", encoding="utf-8") as f:
        f.write(f"from roundtrip_settings import *  # noqa: F401,F403\n\nDATABASES['default']['NAME'] = {drift!r}\n")
    drift_env = dict(env, DJANGO_SETTINGS_MODULE="drift_settings")
    proc = subprocess.run(
        [sys.executable, manage, "check_legacy_schema"], env=drift_env, cwd=copy, capture_output=True, text=True, timeout=600
    )
    if proc.returncode == 0 or f"{table.name}.{column}" not in proc.stderr:
        raise StepError(f"check_legacy_schema missed the renamed column {table.name}.{column}:\n{proc.stdout}{proc.stderr}")
    # ... and the column under its new name is one the model does not have.
    if f"{table.name}.{column}_renamed: column not in the model" not in proc.stderr:
        raise StepError(f"check_legacy_schema missed the column {table.name}.{column}_renamed:\n{proc.stderr}")


def prepare_project(project_dir: str, workdir: str) -> tuple[str, dict]:
    """Copy the project into WORKDIR and write the settings override; return (copy, environment)."""
    import django_schema

    copy = os.path.join(workdir, "project")
    if os.path.exists(copy):
        shutil.rmtree(copy)
    shutil.copytree(project_dir, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "db.sqlite3", "*.sqlite3"))
    settings = django_schema.settings_module(copy)
    database = os.path.join(workdir, "db.sqlite3")
    with open(os.path.join(workdir, "roundtrip_settings.py"), "w", encoding="utf-8") as f:
        f.write(
            f"from {settings} import *  # noqa: F401,F403\n\n"
            f'DATABASES = {{"default": {{"ENGINE": "django.db.backends.sqlite3", "NAME": {database!r}}}}}\n'
        )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env["DJANGO_SETTINGS_MODULE"] = "roundtrip_settings"
    env["PYTHONPATH"] = os.pathsep.join([workdir, copy])
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return copy, env


def compare_rows(table: str, expected: dict, actual_rows: list[dict], keys: list[str], columns, errors: dict, present):
    """Mismatches between SQLAlchemy's rows and Django's; ``present`` lists the columns Django has."""
    mismatches = []
    actual = {row_key(row, keys): row for row in actual_rows}
    for column, error in sorted(errors.items()):
        mismatches.append({"table": table, "column": column, "row": None, "sqlalchemy": None, "django": error})
    missing = [c for c in columns if c not in present]
    for column in missing:
        mismatches.append({"table": table, "column": column, "problem": "the Django model has no such column"})
    if any(k in missing for k in keys):
        return mismatches
    for key in sorted(set(expected) | set(actual)):
        if key not in actual:
            mismatches.append({"table": table, "column": None, "row": key, "sqlalchemy": "row", "django": None})
            continue
        if key not in expected:
            mismatches.append({"table": table, "column": None, "row": key, "sqlalchemy": None, "django": "row"})
            continue
        for column in columns:
            if column in errors or column in missing:
                continue
            ours, theirs = expected[key].get(column), actual[key].get(column)
            if ours != theirs:
                mismatches.append({"table": table, "column": column, "row": key, "sqlalchemy": ours, "django": theirs})
    return mismatches


def roundtrip(args) -> dict:
    import sqla_schema
    import sqlalchemy as sa

    fixture_dir = os.path.abspath(args.fixture_dir)
    project_dir = os.path.abspath(args.project_dir)
    workdir = os.path.abspath(args.workdir)
    os.makedirs(workdir, exist_ok=True)
    database = os.path.join(workdir, "db.sqlite3")
    if os.path.exists(database):
        os.remove(database)

    # 1-2. Schema and rows through SQLAlchemy.
    try:
        with contextlib.redirect_stdout(sys.stderr):
            metadatas = sqla_schema.load_metadatas(fixture_dir)
    except sqla_schema.LoadError as exc:
        raise StepError(f"loading the Flask project: {exc}") from exc
    engine = sa.create_engine(f"sqlite:///{database}")
    tables, seen = [], set()
    for metadata in metadatas:
        for table in metadata.sorted_tables:
            if table.fullname in seen:
                raise StepError(f"create_all: table {table.fullname!r} is defined in two metadatas")
            seen.add(table.fullname)
            tables.append(table)
        metadata.create_all(engine)
    identities = polymorphic_identities()
    inserted = {}
    with engine.begin() as conn:
        for table in tables:
            rows = generate_rows(table, args.rows, inserted, identities)
            conn.execute(table.insert(), rows)
            inserted[table.fullname] = rows
    expected = {table.fullname: sqla_read(engine, table) for table in tables}
    engine.dispose()

    # 3. The Django project, migrated onto the same file.
    copy, env = prepare_project(project_dir, workdir)
    script = os.path.abspath(__file__)
    out = os.path.join(workdir, "django_side.json")
    run([sys.executable, script, "--django-side", "labels", copy, out], "listing the Django apps", env, copy)
    with open(out, encoding="utf-8") as f:
        labels = json.load(f)["labels"]
    manage = os.path.join(copy, "manage.py")
    schema_differences = (args.expect_mismatch or []) + (args.expect_schema_difference or [])
    check_legacy_schema(manage, env, copy, workdir, tables, schema_differences)
    run([sys.executable, manage, "makemigrations", *labels], "manage.py makemigrations", env, copy)
    run(
        [sys.executable, manage, "migrate", "--fake-initial", "--no-input"],
        "manage.py migrate --fake-initial",
        env,
        copy,
    )

    # 4-5. Read back through Django, and create a row there.
    cmd = [sys.executable, script, "--django-side", "read", copy, out]
    if args.create_in:
        cmd += ["--create-in", args.create_in]
    run(cmd, "reading through Django", env, copy)
    with open(out, encoding="utf-8") as f:
        django = json.load(f)

    mismatches = []
    summary_tables = {}
    by_name = {t.fullname: t for t in tables}
    for name in sorted(set(by_name) | set(django["tables"])):
        if name not in django["tables"]:
            mismatches.append({"table": name, "problem": "no Django model has this table"})
            continue
        entry = django["tables"][name]
        if name not in by_name:
            mismatches.append({"table": name, "problem": f"{entry['model']} has no SQLAlchemy table"})
            continue
        summary_tables[name] = {"model": entry["model"], "rows": len(entry["rows"])}
        if "error" in entry:
            mismatches.append({"table": name, "problem": f"{entry['model']} cannot be read: {entry['error']}"})
            continue
        table = by_name[name]
        columns = [c.name for c in table.columns]
        for column in sorted(set(entry["columns"]) - set(columns)):
            mismatches.append({"table": name, "problem": f"{entry['model']} has a column {column!r} the table lacks"})
        mismatches += compare_rows(
            name, expected[name], entry["rows"], key_columns_of(table), columns, entry["errors"], entry["columns"]
        )

    created = django.get("created") or {"error": "nothing created"}
    if "error" in created:
        mismatches.append(
            {"table": created.get("table"), "problem": f"creating a row through Django: {created['error']}"}
        )
    else:
        table = by_name.get(created["table"])
        if table is not None:
            engine = sa.create_engine(f"sqlite:///{database}")
            keys = key_columns_of(table)
            try:
                now = sqla_read(engine, table)
            except Exception as exc:  # noqa: BLE001
                now = None
                mismatches.append({"table": table.fullname, "problem": f"SQLAlchemy cannot read the new row: {exc}"})
            finally:
                engine.dispose()
            if now is not None:
                key = row_key(created["row"], keys)
                if key not in now:
                    mismatches.append(
                        {"table": table.fullname, "problem": f"SQLAlchemy does not see the new row {key}"}
                    )
                else:
                    columns = [c.name for c in table.columns]
                    mismatches += compare_rows(
                        table.fullname, {key: now[key]}, [created["row"]], keys, columns, {}, list(created["row"])
                    )

    expected_columns = set(args.expect_mismatch or [])
    accepted = [m for m in mismatches if f"{m.get('table')}.{m.get('column')}" in expected_columns]
    failures = [m for m in mismatches if m not in accepted]
    for column in sorted(expected_columns - {f"{m['table']}.{m.get('column')}" for m in accepted}):
        failures.append(
            {"table": column.partition(".")[0], "problem": f"--expect-mismatch {column}: the column matched"}
        )
    return {
        "database": database,
        "tables": summary_tables,
        "created": created,
        "mismatches": failures,
        "expected_mismatches": accepted,
        "ok": not failures,
    }


def main(argv: list[str]) -> int:
    if argv[:1] == ["--django-side"]:
        side = argparse.ArgumentParser()
        side.add_argument("command", choices=["labels", "read"])
        side.add_argument("project_dir")
        side.add_argument("out")
        side.add_argument("--create-in")
        a = side.parse_args(argv[1:])
        with contextlib.redirect_stdout(sys.stderr):
            return django_main(a.command, a.project_dir, a.out, a.create_in)

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("fixture_dir", help="root of the Flask project")
    parser.add_argument("project_dir", help="the generated Django project (with manage.py); never modified")
    parser.add_argument("workdir", help="scratch folder: db.sqlite3, the project copy and the settings override")
    parser.add_argument("--rows", type=int, default=3, help="rows inserted per table (default 3)")
    parser.add_argument("--create-in", metavar="TABLE", help="table in which Django creates a row")
    parser.add_argument(
        "--expect-mismatch", action="append", metavar="TABLE.COLUMN", help="a column known not to round-trip"
    )
    parser.add_argument(
        "--expect-schema-difference",
        action="append",
        metavar="TABLE.COLUMN",
        help="a column check_legacy_schema reports, whose values round-trip",
    )
    args = parser.parse_args(argv)
    if args.rows < 1:
        parser.error("--rows must be at least 1")

    real_stdout = sys.stdout
    try:
        with contextlib.redirect_stdout(sys.stderr):
            summary = roundtrip(args)
    except StepError as exc:
        print(f"db_roundtrip: {exc}", file=sys.stderr)
        return 1
    except Exception:  # noqa: BLE001 - an unexpected failure is still a failure with its traceback
        traceback.print_exc(file=sys.stderr)
        print("db_roundtrip: unexpected error", file=sys.stderr)
        return 1
    json.dump(summary, real_stdout, indent=2, sort_keys=True)
    real_stdout.write("\n")
    real_stdout.flush()
    if not summary["ok"]:
        print(f"db_roundtrip: {len(summary['mismatches'])} mismatch(es):", file=sys.stderr)
        for m in summary["mismatches"]:
            print(f"  {json.dumps(m, sort_keys=True)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
