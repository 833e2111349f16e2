"""Print the tables that a Flask project's SQLAlchemy models describe, as JSON.

Usage: python tests/py/sqla_schema.py FIXTURE_DIR [--models]

Every Python module of the project is imported with the pinned SQLAlchemy (test
folders, migrations, hidden and virtualenv folders left out), with FIXTURE_DIR
and FIXTURE_DIR/src on ``sys.path`` and FIXTURE_DIR as working directory.
``DATABASE_URL``, ``SQLALCHEMY_DATABASE_URI`` and ``FLASK_*`` variables are
dropped first, so a project falls back to its default database URL (SQLite)
and importing never reaches a database server. Every ``MetaData`` reachable
from a module's globals is collected: a ``MetaData`` itself, a Flask-SQLAlchemy
``SQLAlchemy`` object (all of ``db.metadatas``), a ``registry``, a ``Table``,
and any class with a ``metadata`` attribute (declarative bases and models).

Output on stdout (``json.dumps(..., indent=2, sort_keys=True)``)::

    {"tables": {TABLE: {
        "primary_key": [column, ...],            # in the key's own order
        "columns": {COLUMN: {"type": FAMILY, "length": int|null,
                             "precision": int|null, "scale": int|null,
                             "nullable": bool, "unique": bool, "index": bool,
                             "foreign_key": "table.column"|null,
                             "server_default": bool}},
        "unique_together": [[column, ...], ...],  # multi-column, sorted
        "indexes": [[column, ...], ...],          # multi-column, non-unique, sorted
        "partial_indexes": [[[column, ...], unique, where], ...]}}}  # sorted

FAMILY is one of integer, smallint, bigint, string, text, boolean, date,
datetime, time, interval, float, decimal, binary, json, uuid, or
``unknown:ClassName`` for a type outside that list. ``length`` is given for
``string`` only, ``precision``/``scale`` for ``decimal`` only. The rules:

* a type from ``with_variant`` counts as its base type
  (``BigInteger().with_variant(Integer, "sqlite")`` is ``bigint``);
* ``Enum`` is ``string`` with the length SQLAlchemy gives its VARCHAR (the
  longest member name or string);
* a ``TypeDecorator`` is the family of its ``impl`` (``ChoiceType`` is
  ``string``, ``ArrowType`` ``datetime``, ``PasswordType`` ``binary``, ``URLType``
  ``text``), except SQLAlchemy-Utils' ``UUIDType`` (``uuid``) and ``JSONType``
  (``json``), whose values are UUIDs and JSON documents whatever they are stored as;
* a column without a type of its own (``Column(ForeignKey("t.id"))``) has the
  type of the column it references;
* ``unique``: not part of the primary key, and ``unique=True``, a one-column
  ``UniqueConstraint`` or a one-column unique ``Index``;
* ``index``: not part of the primary key, not unique, and ``index=True`` or a
  one-column ``Index``;
* ``unique_together`` holds the multi-column unique constraints and unique
  indexes, ``indexes`` the multi-column non-unique indexes, each with its columns in
  their declared order;
* ``server_default``: the column has a ``server_default``;
* ``partial_indexes``: the indexes with a ``sqlite_where`` or ``postgresql_where``, left
  out of the other keys: their columns, whether they are unique, and the WHERE as SQL,
  lower-cased, without quotes or parentheses, its spaces collapsed.

With ``--models``, a ``"models"`` key maps each mapped class
(``module.QualName``) to its table. Anything the project prints while loading
goes to stderr. Exit status: 0 on success, 1 when a module cannot be imported,
no table is found, or two metadatas define the same table differently, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import sys
import traceback

# The project's folders must not receive __pycache__ directories.
sys.dont_write_bytecode = True

SKIPPED_DIRS = {
    "__pycache__",
    "build",
    "dist",
    "docs",
    "instance",
    "migrations",
    "node_modules",
    "site-packages",
    "static",
    "templates",
    "test",
    "tests",
    "venv",
}
SKIPPED_FILES = {"conftest.py", "setup.py", "noxfile.py", "fabfile.py", "manage.py"}
DROPPED_ENV = ("DATABASE_URL", "SQLALCHEMY_DATABASE_URI")


class LoadError(Exception):
    """The project could not be imported; the message says which module and why."""


def project_modules(root: str) -> list[str]:
    """Dotted names of the project's modules, sorted (``pkg`` for ``pkg/__init__.py``)."""
    names = []
    src = os.path.join(root, "src")
    for top in (root, src) if os.path.isdir(src) else (root,):
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames[:] = sorted(
                d
                for d in dirnames
                if not d.startswith(".")
                and d not in SKIPPED_DIRS
                and not os.path.isfile(os.path.join(dirpath, d, "pyvenv.cfg"))
                and not (dirpath == root and d == "src" and top == root)
                and d.isidentifier()
            )
            rel = os.path.relpath(dirpath, top)
            parts = [] if rel == "." else rel.split(os.sep)
            for filename in sorted(filenames):
                if not filename.endswith(".py") or filename in SKIPPED_FILES:
                    continue
                stem = filename[:-3]
                if stem.startswith("test_") or stem.endswith("_test") or not stem.isidentifier():
                    continue
                if stem == "__init__":
                    if parts:
                        names.append(".".join(parts))
                else:
                    names.append(".".join(parts + [stem]))
    return sorted(set(names))


def import_project(fixture_dir: str) -> list:
    """Import every module of the project; return the module objects."""
    import legacy_flask_ext

    legacy_flask_ext.install()
    root = os.path.realpath(fixture_dir)
    if not os.path.isdir(root):
        raise LoadError(f"not a directory: {fixture_dir}")
    for key in [k for k in os.environ if k.startswith("FLASK_") or k in DROPPED_ENV]:
        del os.environ[key]
    os.chdir(root)
    src = os.path.join(root, "src")
    if os.path.isdir(src):
        sys.path.insert(0, src)
    sys.path.insert(0, root)

    modules = []
    for name in project_modules(root):
        try:
            with contextlib.redirect_stdout(sys.stderr):
                modules.append(importlib.import_module(name))
        except BaseException as exc:
            detail = "".join(traceback.format_exception(exc))
            raise LoadError(f"cannot import module {name!r} of {fixture_dir}:\n{detail}") from exc
    return modules


def collect_metadatas(modules) -> list:
    """Every distinct ``MetaData`` reachable from the modules' globals, in a stable order."""
    import sqlalchemy as sa
    from sqlalchemy.orm import registry

    try:
        from flask_sqlalchemy import SQLAlchemy
    except ImportError:  # a project without Flask-SQLAlchemy
        SQLAlchemy = None

    found = {}

    def add(metadata):
        if isinstance(metadata, sa.MetaData):
            found.setdefault(id(metadata), metadata)

    for module in modules:
        for value in list(vars(module).values()):
            if isinstance(value, sa.MetaData):
                add(value)
            elif SQLAlchemy is not None and isinstance(value, SQLAlchemy):
                for metadata in value.metadatas.values():
                    add(metadata)
            elif isinstance(value, (registry, sa.Table)):
                add(value.metadata)
            elif isinstance(value, type):
                add(getattr(value, "metadata", None))
    return sorted(found.values(), key=lambda m: sorted(m.tables))


def mapped_classes(metadatas) -> dict[str, str]:
    """``module.QualName`` of every mapped class whose table is in one of the metadatas."""
    from sqlalchemy.orm import configure_mappers
    from sqlalchemy.orm.mapper import _mapper_registries

    configure_mappers()
    wanted = {id(t) for m in metadatas for t in m.tables.values()}
    result = {}
    for reg in list(_mapper_registries):
        for mapper in reg.mappers:
            table = mapper.local_table
            if id(table) in wanted:
                cls = mapper.class_
                result[f"{cls.__module__}.{cls.__qualname__}"] = table.fullname
    return dict(sorted(result.items()))


def type_family(sqltype, column=None) -> str:
    """The family of a SQLAlchemy type; see the module docstring."""
    import sqlalchemy.types as t
    from sqlalchemy.sql.sqltypes import NullType

    name = type(sqltype).__name__
    module = type(sqltype).__module__ or ""
    if module.startswith("sqlalchemy_utils"):
        if name == "UUIDType":
            return "uuid"
        if name == "JSONType":
            return "json"
    if isinstance(sqltype, NullType) and column is not None:
        for fk in column.foreign_keys:
            return type_family(fk.column.type, fk.column)
    # Interval and PickleType are TypeDecorators themselves: test them before the generic case.
    if isinstance(sqltype, t.Interval):
        return "interval"
    if isinstance(sqltype, t.PickleType):
        return "binary"
    if isinstance(sqltype, t.TypeDecorator):
        return type_family(sqltype.impl_instance, column)
    table = [
        (t.Boolean, "boolean"),
        (t.Enum, "string"),
        (t.Uuid, "uuid"),
        (t.JSON, "json"),
        (t.BigInteger, "bigint"),
        (t.SmallInteger, "smallint"),
        (t.Integer, "integer"),
        (t.Float, "float"),
        (t.Numeric, "decimal"),
        (t.Text, "text"),
        (t.String, "string"),
        (t.DateTime, "datetime"),
        (t.Date, "date"),
        (t.Time, "time"),
        (t._Binary, "binary"),
    ]
    for cls, family in table:
        if isinstance(sqltype, cls):
            return family
    return f"unknown:{name}"


def _storage_type(sqltype, column=None):
    """The type that holds length, precision and scale: a TypeDecorator's impl, an FK target's type."""
    import sqlalchemy.types as t
    from sqlalchemy.sql.sqltypes import NullType

    if isinstance(sqltype, NullType) and column is not None:
        for fk in column.foreign_keys:
            return _storage_type(fk.column.type, fk.column)
    if isinstance(sqltype, t.TypeDecorator) and not isinstance(sqltype, t.Interval):
        return _storage_type(sqltype.impl_instance, column)
    return sqltype


def describe_table(table) -> dict:
    import sqlalchemy as sa

    pk_cols = [c.name for c in table.primary_key.columns]
    pk = set(pk_cols)

    single_unique, single_index = set(), set()
    unique_together, indexes = [], []
    for constraint in table.constraints:
        if isinstance(constraint, sa.UniqueConstraint) and not isinstance(constraint, sa.PrimaryKeyConstraint):
            names = [c.name for c in constraint.columns]
            if len(names) == 1:
                single_unique.add(names[0])
            elif names:
                unique_together.append(names)
    partial = []
    for index in table.indexes:
        names = [c.name for c in index.columns]
        if len(names) != len(index.expressions):
            continue  # an index on an expression is not a column property
        where = index.dialect_options["sqlite"].get("where")
        if where is None:
            where = index.dialect_options["postgresql"].get("where")
        if where is not None:
            partial.append([names, bool(index.unique), normalize_where(str(where))])
            continue
        if len(names) == 1:
            (single_unique if index.unique else single_index).add(names[0])
        elif index.unique:
            unique_together.append(names)
        elif names:
            indexes.append(names)

    columns = {}
    for column in table.columns:
        family = type_family(column.type, column)
        storage = _storage_type(column.type, column)
        unique = column.name not in pk and (bool(column.unique) or column.name in single_unique)
        index = column.name not in pk and not unique and (bool(column.index) or column.name in single_index)
        targets = sorted(f"{fk.column.table.fullname}.{fk.column.name}" for fk in column.foreign_keys)
        columns[column.name] = {
            "type": family,
            "length": getattr(storage, "length", None) if family == "string" else None,
            "precision": getattr(storage, "precision", None) if family == "decimal" else None,
            "scale": getattr(storage, "scale", None) if family == "decimal" else None,
            "nullable": bool(column.nullable),
            "unique": unique,
            "index": index,
            "foreign_key": targets[0] if targets else None,
            "server_default": column.server_default is not None,
        }
    return {
        "primary_key": pk_cols,
        "columns": columns,
        "unique_together": sorted(unique_together),
        "indexes": sorted(indexes),
        "partial_indexes": sorted(partial),
    }


def normalize_where(sql: str) -> str:
    """A WHERE clause lower-cased, without quotes or parentheses, its spaces collapsed."""
    for c in "\"`()[]":
        sql = sql.replace(c, "")
    return " ".join(sql.lower().split())


def load_metadatas(fixture_dir: str) -> list:
    """Import the project and return its metadatas; raise LoadError when there is nothing to read."""
    from sqlalchemy.orm import configure_mappers

    modules = import_project(fixture_dir)
    metadatas = collect_metadatas(modules)
    # Mapping resolves string references (relationships, ForeignKey("table.col") column types).
    configure_mappers()
    if not any(m.tables for m in metadatas):
        raise LoadError(f"no SQLAlchemy table found in {fixture_dir}")
    return metadatas


def schema_of(metadatas) -> dict:
    tables = {}
    for metadata in metadatas:
        for table in metadata.sorted_tables:
            described = describe_table(table)
            if table.fullname in tables and tables[table.fullname] != described:
                raise LoadError(f"table {table.fullname!r} is defined differently in two metadatas")
            tables[table.fullname] = described
    return {"tables": tables}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("fixture_dir", help="root of the Flask project")
    parser.add_argument("--models", action="store_true", help="also map each model class to its table")
    args = parser.parse_args(argv)

    real_stdout = sys.stdout
    try:
        with contextlib.redirect_stdout(sys.stderr):
            metadatas = load_metadatas(args.fixture_dir)
            result = schema_of(metadatas)
            if args.models:
                result["models"] = mapped_classes(metadatas)
    except LoadError as exc:
        print(f"sqla_schema: {exc}", file=sys.stderr)
        return 1
    json.dump(result, real_stdout, indent=2, sort_keys=True)
    real_stdout.write("\n")
    real_stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
