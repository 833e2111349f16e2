//! Differential tests of the generated models against real SQLAlchemy and real Django.
//!
//! For every model fixture (`fixtures/models_*`), `flask2django convert` writes a Django project
//! into a temporary folder. Then, with the pinned packages of the test venv:
//!
//! * `tests/py/sqla_schema.py FIXTURE` imports the fixture with real SQLAlchemy and prints its
//!   tables; `tests/py/django_schema.py OUT` loads the generated project with real Django and
//!   prints what the models' `_meta` says, in the same normalized form. Both must agree on every
//!   table, column, type family, length, nullability, key, uniqueness, index and foreign key;
//! * `manage.py check` passes, `makemigrations` succeeds and `migrate` applies the migrations to
//!   an empty database;
//! * the generated Python is stable under `ruff format --check`;
//! * `tests/py/db_roundtrip.py` creates the schema with SQLAlchemy in SQLite, inserts rows with
//!   SQLAlchemy, adopts the database with `migrate --fake-initial`, reads every row back through
//!   the Django ORM and writes one that SQLAlchemy reads.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::Value;

use crate::support::process;
use crate::support::python;

const TIMEOUT: Duration = Duration::from_secs(300);

macro_rules! model_tests {
    ($($name:ident),* $(,)?) => {
        const MODEL_FIXTURES: &[&str] = &[$(stringify!($name)),*];
        $(
            #[test]
            fn $name() {
                check_fixture(stringify!($name));
            }
        )*
    };
}

model_tests!(
    models_app_factory,
    models_association,
    models_composite_pk,
    models_declarative_base,
    models_flask_sqlalchemy,
    models_helpers,
    models_inheritance,
    models_legacy_imports,
    models_library_named_packages,
    models_relationships,
    models_social,
    models_sqlalchemy_utils,
    models_typed,
);

#[test]
fn every_model_fixture_has_a_test() {
    let root = python::repo_root().join("fixtures");
    let mut on_disk: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("models_"))
        .collect();
    on_disk.sort();
    let listed: Vec<String> = MODEL_FIXTURES.iter().map(|s| s.to_string()).collect();
    assert_eq!(on_disk, listed, "tests/real_models.rs is out of step with fixtures/models_*");
}

fn check_fixture(name: &str) {
    let fixture = python::repo_root().join("fixtures").join(name);
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("django");
    let mut problems = String::new();

    let converted = process::run(
        Command::new(env!("CARGO_BIN_EXE_flask2django")).arg("convert").arg(&fixture).arg("--out").arg(&out),
        TIMEOUT,
    )
    .unwrap();
    assert!(converted.success(), "{name}: convert failed:\n{}{}", converted.stdout, converted.stderr);

    // Schemas: SQLAlchemy's against Django's.
    let sqla = json_of(python::script_command("sqla_schema.py").arg(&fixture), name, "sqla_schema.py");
    let django = json_of(
        python::script_command("django_schema.py").arg(&out).env("DJANGO_SECRET_KEY", "test"),
        name,
        "django_schema.py",
    );
    compare_schemas(&sqla, &django, &mut problems);

    // Formatted as ruff formats it.
    if let Err(diff) = python::ruff_format_check(&out, TIMEOUT) {
        let _ = writeln!(problems, "ruff format --check: not formatted\n{}", process::tail(&diff, 60));
    }

    // Django accepts the project, and its migrations make the schema on an empty database.
    for args in [&["check"][..], &["makemigrations", "--noinput"][..], &["migrate", "--noinput"][..]] {
        let r = python::manage(&out, args, TIMEOUT).unwrap();
        if !r.success() {
            let _ = writeln!(
                problems,
                "manage.py {}: failed\n{}{}",
                args.join(" "),
                r.stdout,
                process::tail(&r.stderr, 30)
            );
        }
    }

    // Data round trip, on a fresh copy of the generated project (makemigrations wrote into it).
    let fresh = work.path().join("fresh");
    process::convert(&fixture, &fresh);
    let rt_dir = work.path().join("roundtrip");
    std::fs::create_dir_all(&rt_dir).unwrap();
    let mut cmd = python::script_command("db_roundtrip.py");
    cmd.arg(&fixture).arg(&fresh).arg(&rt_dir).env("DJANGO_SECRET_KEY", "test");
    for column in expected_mismatches(name) {
        cmd.args(["--expect-mismatch", column]);
    }
    for column in expected_schema_differences(name) {
        cmd.args(["--expect-schema-difference", column]);
    }
    let r = process::run(&mut cmd, TIMEOUT).unwrap();
    if !r.success() {
        let _ = writeln!(
            problems,
            "db_roundtrip.py failed:\n{}\n{}",
            process::tail(&r.stdout, 40),
            process::tail(&r.stderr, 40)
        );
    } else if fresh.join("core/hashers.py").is_file() {
        login_check(&rt_dir, &mut problems);
    }

    assert!(
        problems.is_empty(),
        "fixture {name}:\n{problems}\ngenerated project kept at {}",
        keep(work, name).display()
    );
}

/// With a user model, users log in through Django with the hashes the Flask app stored.
fn login_check(rt_dir: &Path, problems: &mut String) {
    let mut cmd = python::script_command("login_check.py");
    cmd.arg(rt_dir).env("DJANGO_SECRET_KEY", "test");
    let r = process::run(&mut cmd, TIMEOUT).unwrap();
    if !r.success() {
        let _ = writeln!(
            problems,
            "login_check.py failed:\n{}\n{}",
            process::tail(&r.stdout, 40),
            process::tail(&r.stderr, 40)
        );
    }
}

/// The example's users (Flask-Login, Werkzeug hashes in a text column) log in through Django.
#[test]
fn example_users_log_in_with_their_flask_passwords() {
    let example = python::repo_root().join("examples/flask_shop");
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("django");
    process::convert(&example, &out);
    assert!(out.join("core/hashers.py").is_file());
    let rt_dir = work.path().join("roundtrip");
    std::fs::create_dir_all(&rt_dir).unwrap();
    let mut cmd = python::script_command("db_roundtrip.py");
    cmd.arg(&example).arg(&out).arg(&rt_dir).env("DJANGO_SECRET_KEY", "test");
    let r = process::run(&mut cmd, TIMEOUT).unwrap();
    assert!(r.success(), "db_roundtrip.py:\n{}\n{}", process::tail(&r.stdout, 40), process::tail(&r.stderr, 40));
    let mut problems = String::new();
    login_check(&rt_dir, &mut problems);
    assert!(problems.is_empty(), "{problems}\nkept at {}", keep(work, "example").display());
}

/// Columns whose stored form differs between SQLAlchemy and Django on SQLite, each documented
/// as `review` in `mappings/sqlalchemy_types.toml`: the round trip must find exactly these.
fn expected_mismatches(fixture: &str) -> &'static [&'static str] {
    match fixture {
        // Interval: a DATETIME offset from the epoch in SQLAlchemy, microseconds in Django.
        "models_flask_sqlalchemy" => &["html_page.reading_time"],
        _ => &[],
    }
}

/// Columns `check_legacy_schema` reports on the database SQLAlchemy made, whose values
/// round-trip all the same.
fn expected_schema_differences(fixture: &str) -> &'static [&'static str] {
    match fixture {
        // A table without a primary key: the columns declared its key are nullable in the
        // database, not null in Django (the model's TODO says so).
        "models_association" => &["roles_users.user_id", "roles_users.role_id"],
        _ => &[],
    }
}

/// Keeps the temporary folder of a failed test for inspection.
fn keep(work: tempfile::TempDir, name: &str) -> PathBuf {
    let path = work.keep();
    let _ = name;
    path
}

fn json_of(cmd: &mut Command, fixture: &str, script: &str) -> Value {
    let r = process::run(cmd, TIMEOUT).unwrap();
    assert!(r.success(), "{fixture}: {script} failed:\n{}", process::tail(&r.stderr, 40));
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{fixture}: {script} printed invalid JSON: {e}"))
}

fn tables(v: &Value) -> BTreeMap<String, Value> {
    v.get("tables")
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}

/// Column facts compared as they are, except where the mapping documents a deliberate choice.
fn compare_schemas(sqla: &Value, django: &Value, problems: &mut String) {
    let (a, b) = (tables(sqla), tables(django));
    for t in a.keys().filter(|t| !b.contains_key(*t)) {
        let _ = writeln!(problems, "table {t}: in SQLAlchemy, not in Django");
    }
    for t in b.keys().filter(|t| !a.contains_key(*t)) {
        let _ = writeln!(problems, "table {t}: in Django, not in SQLAlchemy");
    }
    for (t, at) in &a {
        let Some(bt) = b.get(t) else { continue };
        // In order: a composite key's columns are ordered (SQLAlchemy's table order).
        let pk = |v: &Value| -> Vec<String> {
            v["primary_key"].as_array().into_iter().flatten().filter_map(|x| x.as_str().map(str::to_string)).collect()
        };
        // A table without a primary key gets one in Django, as its TODO says: its foreign-key
        // columns (else all its columns), which Django holds not null.
        let declared: Vec<String> = if pk(at).is_empty() {
            let columns = at["columns"].as_object().cloned().unwrap_or_default();
            let fks: Vec<String> =
                columns.iter().filter(|(_, c)| !c["foreign_key"].is_null()).map(|(n, _)| n.clone()).collect();
            if fks.is_empty() {
                columns.keys().cloned().collect()
            } else {
                fks
            }
        } else {
            pk(at)
        };
        // A declared key is compared as a set: its order is the table's, which the JSON does not keep.
        let sorted = |mut v: Vec<String>| {
            v.sort();
            v
        };
        let differ = if pk(at).is_empty() { sorted(declared.clone()) != sorted(pk(bt)) } else { declared != pk(bt) };
        if differ {
            let _ = writeln!(problems, "table {t}: primary key {:?} in SQLAlchemy, {:?} in Django", pk(at), pk(bt));
        }
        let cols = |v: &Value| -> BTreeMap<String, Value> {
            v["columns"]
                .as_object()
                .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default()
        };
        let (ac, bc) = (cols(at), cols(bt));
        for c in ac.keys().filter(|c| !bc.contains_key(*c)) {
            let _ = writeln!(problems, "{t}.{c}: column missing in Django");
        }
        for c in bc.keys().filter(|c| !ac.contains_key(*c)) {
            let _ = writeln!(problems, "{t}.{c}: column only in Django");
        }
        for (c, x) in &ac {
            let Some(y) = bc.get(c) else { continue };
            let mut x = x.clone();
            if pk(at).is_empty() && declared.contains(c) {
                x["nullable"] = Value::Bool(false);
            }
            compare_column(&format!("{t}.{c}"), &x, y, problems);
        }
        for key in ["unique_together", "indexes"] {
            let norm = |v: &Value| {
                let mut groups: Vec<Vec<String>> = v[key]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|g| {
                        let mut g: Vec<String> =
                            g.as_array().into_iter().flatten().filter_map(|x| x.as_str().map(str::to_string)).collect();
                        g.sort();
                        g
                    })
                    .collect();
                groups.sort();
                groups
            };
            if norm(at) != norm(bt) {
                let _ = writeln!(problems, "table {t}: {key} {:?} in SQLAlchemy, {:?} in Django", norm(at), norm(bt));
            }
        }
        // Partial indexes: columns, uniqueness and WHERE, as each database would get them.
        if at["partial_indexes"] != bt["partial_indexes"] {
            let _ = writeln!(
                problems,
                "table {t}: partial indexes {} in SQLAlchemy, {} in Django",
                at["partial_indexes"], bt["partial_indexes"]
            );
        }
    }
}

fn compare_column(name: &str, x: &Value, y: &Value, problems: &mut String) {
    let (tx, ty) = (x["type"].as_str().unwrap_or("?"), y["type"].as_str().unwrap_or("?"));
    // Deliberate, documented choices of mappings/sqlalchemy_types.toml.
    let string_without_length = tx == "string" && x["length"].is_null() && ty == "text";
    let numeric_without_precision = tx == "decimal" && x["precision"].is_null() && ty == "float";
    if tx != ty && !string_without_length && !numeric_without_precision {
        let _ = writeln!(problems, "{name}: type {tx} in SQLAlchemy, {ty} in Django");
    }
    if tx == ty {
        for k in ["length", "precision", "scale"] {
            if x[k] != y[k] && !x[k].is_null() {
                let _ = writeln!(problems, "{name}: {k} {} in SQLAlchemy, {} in Django", x[k], y[k]);
            }
        }
    }
    for k in ["nullable", "unique", "index", "foreign_key", "server_default"] {
        if x.get(k) != y.get(k) {
            let _ = writeln!(problems, "{name}: {k} {} in SQLAlchemy, {} in Django", show(x.get(k)), show(y.get(k)));
        }
    }
}

fn show(v: Option<&Value>) -> String {
    v.map(|v| v.to_string()).unwrap_or_else(|| "absent".into())
}

/// PostgreSQL arrays: `ARRAY(item)` becomes `ArrayField(base_field=...)` of the item's field,
/// nested for `dimensions`, and on a PostgreSQL connection real Django gives every such column
/// the type real SQLAlchemy's PostgreSQL dialect gives it (`INTEGER[]`, `VARCHAR(50)[]`, ...).
#[test]
fn postgres_arrays_have_sqlalchemys_column_types() {
    let work = tempfile::tempdir().unwrap();
    let src = crate::support::files::flask_app(
        work.path(),
        r#"from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.dialects import postgresql

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://localhost/shop"
db = SQLAlchemy(app)


class Sensor(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    ports = db.Column(postgresql.ARRAY(db.Integer))
    tags = db.Column(db.ARRAY(db.String(50)), nullable=False)
    grid = db.Column(postgresql.ARRAY(db.Float, dimensions=2))
    notes = db.Column(db.ARRAY(item_type=db.Text))
"#,
    );
    let out = work.path().join("django");
    process::convert(&src, &out);
    let models = std::fs::read_to_string(out.join("core/models.py")).unwrap();
    assert!(models.contains("base_field=models.IntegerField()"), "{models}");

    let sqla = last_line_json(&python::run_code(
        r#"
import json
from sqlalchemy.dialects import postgresql
from app import Sensor
dialect = postgresql.dialect()
# PostgreSQL's FLOAT without a precision is DOUBLE PRECISION.
types = {c.name: c.type.compile(dialect=dialect) for c in Sensor.__table__.columns if c.name != "id"}
print(json.dumps({k: v.replace("FLOAT", "DOUBLE PRECISION") for k, v in types.items()}))
"#,
        &src,
        &[],
        TIMEOUT,
    ));
    let django = django_json(
        &out,
        r#"
from django.core.management import call_command
from django.db import connection
from core.models import Sensor
call_command("check")
print(json.dumps({f.column: f.db_type(connection).upper() for f in Sensor._meta.concrete_fields if f.column != "id"}))
"#,
    );
    assert_eq!(django, sqla, "column types: Django (left) against SQLAlchemy (right)");
}

/// A self-referential many-to-many through an association object (`models_social`'s
/// `approved_followers`/`approved_following` through `FollowRequest`): on the same rows, each
/// Django field lists the users SQLAlchemy's relationship lists: the direction is kept. (Every
/// request is approved: the field does not filter on the flag, its TODO says so.)
#[test]
fn self_referential_many_to_many_through_a_model_keeps_its_direction() {
    let (flask, django) = same_rows_in_both(
        "models_social",
        r#"
import json
from app import app, db, User, FollowRequest
with app.app_context():
    db.create_all()
    a, b, c = User(username="a"), User(username="b"), User(username="c")
    db.session.add_all([a, b, c])
    db.session.flush()
    db.session.add_all([
        FollowRequest(follower_user_id=a.id, followed_user_id=b.id, is_approved=True),
        FollowRequest(follower_user_id=c.id, followed_user_id=b.id, is_approved=True),
        FollowRequest(follower_user_id=b.id, followed_user_id=c.id, is_approved=True),
    ])
    db.session.commit()
    print(json.dumps({u.username: [sorted(x.username for x in u.approved_followers), sorted(x.username for x in u.approved_following)] for u in (a, b, c)}))
"#,
        r#"
from core.models import User, FollowRequest
a, b, c = (User.objects.create(username=n) for n in "abc")
for follower, followed in [(a, b), (c, b), (b, c)]:
    FollowRequest.objects.create(follower_user=follower, followed_user=followed, is_approved=True)
def names(field):
    return sorted(field.values_list("username", flat=True))
print(json.dumps({u.username: [names(u.approved_followers), names(u.approved_following)] for u in (a, b, c)}))
"#,
    );
    assert_eq!(django, flask, "followers and following: Django (left) against SQLAlchemy (right)");
}

/// Self-referential one-to-many relationships whose backref is the many-to-one side
/// (`models_relationships`' `Category.children` with `backref("parent", remote_side=[id])`,
/// `Folder.subfolders` with `remote_side="Folder.id"` and `cascade="all"`): the Django field is the
/// backref's side, so on the same rows each model's parent and children are SQLAlchemy's, and
/// deleting a folder deletes its subfolders in both.
#[test]
fn self_referential_relationships_keep_their_direction() {
    let (flask, django) = same_rows_in_both(
        "models_relationships",
        r#"
import json
from app import app
from models import db, Category, Folder
with app.app_context():
    db.create_all()
    a = Category(name="a"); b = Category(name="b", parent=a); c = Category(name="c", parent=a); d = Category(name="d", parent=b)
    r = Folder(name="r"); s = Folder(name="s", parent_folder=r); t = Folder(name="t", parent_folder=s); u = Folder(name="u")
    db.session.add_all([a, b, c, d, r, s, t, u])
    db.session.commit()
    tree = {x.name: [x.parent.name if x.parent else None, sorted(y.name for y in x.children)] for x in (a, b, c, d)}
    tree.update({x.name: [x.parent_folder.name if x.parent_folder else None, sorted(y.name for y in x.subfolders)] for x in (r, s, t, u)})
    db.session.delete(s)
    db.session.commit()
    print(json.dumps([tree, sorted(f.name for f in db.session.scalars(db.select(Folder)))]))
"#,
        r#"
from core.models import Category, Folder
a = Category.objects.create(name="a"); b = Category.objects.create(name="b", parent=a)
c = Category.objects.create(name="c", parent=a); d = Category.objects.create(name="d", parent=b)
r = Folder.objects.create(name="r"); s = Folder.objects.create(name="s", parent_folder=r)
t = Folder.objects.create(name="t", parent_folder=s); u = Folder.objects.create(name="u")
tree = {x.name: [x.parent.name if x.parent else None, sorted(x.children.values_list("name", flat=True))] for x in (a, b, c, d)}
tree.update({x.name: [x.parent_folder.name if x.parent_folder else None, sorted(x.subfolders.values_list("name", flat=True))] for x in (r, s, t, u)})
s.delete()
print(json.dumps([tree, sorted(Folder.objects.values_list("name", flat=True))]))
"#,
    );
    assert_eq!(django, flask, "parents, children and what a delete leaves: Django (left) against SQLAlchemy (right)");
}

/// A model keyed by a mixin from outside the project (flexmeasures' `Sensor`, keyed by
/// timely_beliefs' `SensorDBMixin`; FD404): keys to its `id` stay foreign keys, to the `id` Django
/// gives a model without a primary key, so an association model used as `through=` keeps its key
/// and `manage.py check` passes (fields.E336 before). Real SQLAlchemy has the same key.
#[test]
fn keys_to_a_model_keyed_by_an_outside_mixin_stay_foreign_keys() {
    let work = tempfile::tempdir().unwrap();
    let lib = work.path().join("lib");
    std::fs::create_dir_all(&lib).unwrap();
    std::fs::write(
        lib.join("extmixin.py"),
        "import sqlalchemy as sa\n\n\nclass SensorMixin:\n    id = sa.Column(sa.Integer, primary_key=True)\n    name = sa.Column(sa.String(120), nullable=False)\n",
    )
    .unwrap();
    let src = work.path().join("project");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(
        src.join("app.py"),
        "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n\nfrom extmixin import SensorMixin\n\ndb = SQLAlchemy()\n\n\nclass Annotation(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    content = db.Column(db.String(100))\n\n\nclass SensorAnnotation(db.Model):\n    __tablename__ = \"annotations_sensors\"\n    id = db.Column(db.Integer, primary_key=True)\n    sensor_id = db.Column(db.Integer, db.ForeignKey(\"sensor.id\", ondelete=\"CASCADE\"))\n    annotation_id = db.Column(db.Integer, db.ForeignKey(\"annotation.id\", ondelete=\"CASCADE\"))\n\n\nclass Sensor(db.Model, SensorMixin):\n    annotations = db.relationship(\"Annotation\", secondary=\"annotations_sensors\", backref=\"sensors\")\n\n\napp = Flask(__name__)\napp.config[\"SQLALCHEMY_DATABASE_URI\"] = \"sqlite://\"\ndb.init_app(app)\n",
    )
    .unwrap();
    let sqla = python::run_code(
        "from app import SensorAnnotation\nprint(sorted(f.target_fullname for f in SensorAnnotation.__table__.c.sensor_id.foreign_keys))\n",
        &src,
        &[("PYTHONPATH", lib.to_str().unwrap())],
        TIMEOUT,
    );
    assert_eq!(sqla.trim(), "['sensor.id']");
    let out = work.path().join("django");
    process::convert(&src, &out);
    let r = python::manage(&out, &["check", "--fail-level", "ERROR"], TIMEOUT).unwrap();
    assert!(r.success(), "{}\n{}", r.stdout, r.stderr);
    let django = django_json(
        &out,
        "from core.models import SensorAnnotation\nf = SensorAnnotation._meta.get_field('sensor')\nprint(json.dumps([f.related_model._meta.db_table, f.target_field.column, f.column]))",
    );
    assert_eq!(django, serde_json::json!(["sensor", "id", "sensor_id"]));
}

/// The JSON the last line of `code` prints, run in the generated project at `out` with its
/// settings loaded (`json` imported, `django.setup()` done).
fn django_json(out: &Path, code: &str) -> Value {
    last_line_json(&python::run_in_django(out, &format!("import json\n{code}"), TIMEOUT))
}

/// Runs `flask_code` in a fixture (real Flask-SQLAlchemy) and `django_code` in the project
/// convert generates from it, after Django is set up and the database migrated (real Django):
/// the JSON each prints last, Flask's first.
fn same_rows_in_both(fixture: &str, flask_code: &str, django_code: &str) -> (Value, Value) {
    let fixture = python::repo_root().join("fixtures").join(fixture);
    let flask = last_line_json(&python::run_code(flask_code, &fixture, &[], TIMEOUT));
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("django");
    process::convert(&fixture, &out);
    let setup = "import json, os, django\nos.environ[\"DJANGO_SETTINGS_MODULE\"] = \"config.settings\"\ndjango.setup()\nfrom django.core.management import call_command\ncall_command(\"makemigrations\", \"core\", verbosity=0)\ncall_command(\"migrate\", verbosity=0)\n";
    let django = last_line_json(&python::run_code(
        &format!("{setup}{django_code}"),
        &out,
        &[("DJANGO_SECRET_KEY", "test")],
        TIMEOUT,
    ));
    (flask, django)
}

fn last_line_json(stdout: &str) -> Value {
    serde_json::from_str(stdout.lines().last().unwrap_or_default()).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

/// Tables in PostgreSQL schemas (Indico's `{'schema': 'events'}`, `Table(..., schema=...)`), two
/// of them named `roles`: each model keeps its own table, as SQLAlchemy's `fullname`, and each key
/// the table it names with its schema. Django's `db_table` quotes both parts.
#[test]
fn tables_in_schemas_keep_their_schema() {
    let work = tempfile::tempdir().unwrap();
    let src = crate::support::files::flask_app(
        work.path(),
        r#"from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db = SQLAlchemy(app)


class CategoryRole(db.Model):
    __tablename__ = "roles"
    __table_args__ = {"schema": "categories"}
    id = db.Column(db.Integer, primary_key=True)
    code = db.Column(db.String(20), nullable=False)


class EventRole(db.Model):
    __tablename__ = "roles"
    __table_args__ = (db.UniqueConstraint("color"), {"schema": "events"})
    id = db.Column(db.Integer, primary_key=True)
    color = db.Column(db.String(7), nullable=False)


class Member(db.Model):
    __tablename__ = "members"
    id = db.Column(db.Integer, primary_key=True)
    role_id = db.Column(db.Integer, db.ForeignKey("events.roles.id"), nullable=False)


role_members = db.Table(
    "role_members",
    db.Column("role_id", db.Integer, db.ForeignKey("events.roles.id"), primary_key=True),
    db.Column("member_id", db.Integer, db.ForeignKey("members.id"), primary_key=True),
    schema="events",
)
"#,
    );
    let out = work.path().join("django");
    process::convert(&src, &out);

    // Each table, with the tables its keys point at.
    let sqla = last_line_json(&python::run_code(
        r#"
import json
from app import db
print(json.dumps({t.fullname: sorted(fk.column.table.fullname for fk in t.foreign_keys) for t in db.metadata.tables.values()}, sort_keys=True))
"#,
        &src,
        &[],
        TIMEOUT,
    ));
    let django = django_json(
        &out,
        r#"
from django.apps import apps
from django.core.management import call_command
call_command("check")
name = lambda m: m._meta.db_table.replace('"', "")
print(json.dumps({name(m): sorted(name(f.related_model) for f in m._meta.concrete_fields if f.is_relation) for m in apps.get_app_config("core").get_models()}, sort_keys=True))
"#,
    );
    assert_eq!(django, sqla, "tables and key targets: Django (left) against SQLAlchemy (right)");
    let models = std::fs::read_to_string(out.join("core/models.py")).unwrap();
    assert!(models.contains(r#"db_table = '"events"."roles"'"#), "{models}");
}

/// keystone's `service_id = Column(String(255), ForeignKey("service.id"))`, a `String(64)`:
/// Django's ForeignKey takes its target's column type, so the generated column is `varchar(64)`
/// where SQLAlchemy's is `VARCHAR(255)`. The generated field says so in a TODO.
#[test]
fn a_key_typed_otherwise_than_its_target_is_named_in_a_todo() {
    let work = tempfile::tempdir().unwrap();
    let src = crate::support::files::flask_app(
        work.path(),
        r#"import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import declarative_base

app = Flask(__name__)
Base = declarative_base()


class Service(Base):
    __tablename__ = "service"
    id = sa.Column(sa.String(64), primary_key=True)


class RegisteredLimit(Base):
    __tablename__ = "registered_limit"
    internal_id = sa.Column(sa.Integer, primary_key=True)
    service_id = sa.Column(sa.String(255), sa.ForeignKey("service.id"))
"#,
    );
    let sqla = python::run_code(
        "from app import RegisteredLimit\nprint(str(RegisteredLimit.__table__.c.service_id.type).lower())\n",
        &src,
        &[],
        TIMEOUT,
    );
    assert_eq!(sqla.trim(), "varchar(255)");
    let out = work.path().join("django");
    process::convert(&src, &out);
    let django = django_json(
        &out,
        "from django.db import connection\nfrom core.models import RegisteredLimit\nprint(json.dumps(RegisteredLimit._meta.get_field('service').db_type(connection)))",
    );
    assert_eq!(django, serde_json::json!("varchar(64)"), "Django takes the target's type");
    let models = std::fs::read_to_string(out.join("core/models.py")).unwrap();
    assert!(
        models.contains("# TODO: the column is `sa.String(255)` but its target `service.id` is `sa.String(64)`"),
        "{models}"
    );
}

/// Bases from libraries that `mappings/model_bases.toml` knows, and Flask-AppBuilder's `SQLA`
/// (a subclass of Flask-SQLAlchemy's class, `mappings/extensions.toml`): a class with a table on
/// Flask-AppBuilder's `Model` is a model (no FD404), models on `SQLA(app).Model` are models (no
/// FD301), and oslo.db's `TimestampMixin` adds its two columns, on a model and through a
/// declarative base made with `declarative_base(cls=...)` (keystone's and blazar's models). The libraries
/// are stand-ins written outside the project with their released code's mapping (Flask-AppBuilder
/// 5.3, oslo.db 18.1); real SQLAlchemy builds the tables the generated Django models must match.
#[test]
fn library_bases_and_flask_sqlalchemy_subclasses_are_read_as_sqlalchemy_reads_them() {
    let work = tempfile::tempdir().unwrap();
    let lib = work.path().join("lib");
    let files = [
        ("flask_appbuilder/__init__.py", "from .models.sqla import Model  # noqa: F401\n"),
        ("flask_appbuilder/models/__init__.py", ""),
        (
            "flask_appbuilder/models/sqla/__init__.py",
            "from sqlalchemy.orm import declarative_base\n\nBase = declarative_base()\n\n\nclass Model(Base):\n    __abstract__ = True\n    __table_args__ = {\"extend_existing\": True}\n",
        ),
        (
            "flask_appbuilder/models/sqla/base.py",
            "from flask_sqlalchemy import SQLAlchemy\n\n\nclass SQLA(SQLAlchemy):\n    pass\n",
        ),
        ("oslo_db/__init__.py", ""),
        ("oslo_db/sqlalchemy/__init__.py", ""),
        (
            "oslo_db/sqlalchemy/models.py",
            "import datetime\n\nfrom sqlalchemy import Column, DateTime\n\n\nclass ModelBase:\n    def save(self, session):\n        session.add(self)\n\n\nclass TimestampMixin:\n    created_at = Column(DateTime, default=lambda: datetime.datetime.utcnow())\n    updated_at = Column(DateTime, onupdate=lambda: datetime.datetime.utcnow())\n",
        ),
    ];
    for (path, text) in files {
        let p = lib.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let src = crate::support::files::flask_app(
        work.path(),
        r#"from flask import Flask
from flask_appbuilder import Model
from flask_appbuilder.models.sqla.base import SQLA
from oslo_db.sqlalchemy import models
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
db = SQLA(app)


class Gender(Model):
    __tablename__ = "gender"
    id = Column(Integer, primary_key=True)
    name = Column(String(50), unique=True, nullable=False)


class Note(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    body = db.Column(db.String(200), nullable=False)


Base = declarative_base()


class Project(Base, models.ModelBase, models.TimestampMixin):
    __tablename__ = "project"
    id = Column(String(64), primary_key=True)
    name = Column(String(64), nullable=False)


class _LeaseBase(models.ModelBase, models.TimestampMixin):
    pass


LeaseBase = declarative_base(cls=_LeaseBase)


class Lease(LeaseBase):
    __tablename__ = "leases"
    id = Column(String(36), primary_key=True)
    name = Column(String(80), nullable=False)
"#,
    );
    let inventory = process::run(
        Command::new(env!("CARGO_BIN_EXE_flask2django")).args(["inventory", "--format", "json"]).arg(&src),
        TIMEOUT,
    )
    .unwrap();
    let inventory: Value = serde_json::from_str(&inventory.stdout).unwrap();
    let codes: Vec<&str> =
        inventory["diagnostics"].as_array().unwrap().iter().filter_map(|d| d["code"].as_str()).collect();
    assert!(!codes.contains(&"FD404") && !codes.contains(&"FD301"), "{codes:?}");

    // Each table's columns: name, type and nullability.
    let sqla = last_line_json(&python::run_code(
        r#"
import json
from app import Base, LeaseBase, Model, db
tables = {**Model.metadata.tables, **db.metadata.tables, **Base.metadata.tables, **LeaseBase.metadata.tables}
print(json.dumps({n: sorted([c.name, str(c.type).lower(), c.nullable] for c in t.c) for n, t in tables.items()}, sort_keys=True))
"#,
        &src,
        &[("PYTHONPATH", lib.to_str().unwrap())],
        TIMEOUT,
    ));
    let out = work.path().join("django");
    process::convert(&src, &out);
    let django = django_json(
        &out,
        r#"
from django.apps import apps
from django.db import connection
print(json.dumps({m._meta.db_table: sorted([f.column, f.db_type(connection), f.null] for f in m._meta.concrete_fields) for m in apps.get_app_config("core").get_models()}, sort_keys=True))
"#,
    );
    assert_eq!(django, sqla, "tables and columns: Django (left) against SQLAlchemy (right)");
}

/// Models and tables read from the database at run time (sandman2's `automap_base(db.Model)` and
/// `prepare()`; `metadata.reflect()`, `Table(..., autoload_with=...)`, `db.reflect()`): real
/// SQLAlchemy maps the database's table only when the code runs against it, so the inventory has
/// no model for it. Each place is an FD403, and MIGRATION.md does not claim the models describe
/// every table.
#[test]
fn tables_reflected_at_run_time_are_named_not_inventoried() {
    let work = tempfile::tempdir().unwrap();
    let src = crate::support::files::flask_app(
        work.path(),
        r#"import sqlalchemy as sa
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.ext.automap import automap_base

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///data.db"
db = SQLAlchemy(app)
AutomapModel = automap_base(db.Model)
metadata = sa.MetaData()


def reflect_all():
    AutomapModel.prepare(autoload_with=db.engine)
    metadata.reflect(bind=db.engine)
    db.reflect()
    return sa.Table("thing", sa.MetaData(), autoload_with=db.engine)


with app.app_context():
    reflect_all()
"#,
    );
    let sqla = python::run_code(
        "import os, sqlite3\nos.makedirs('instance', exist_ok=True)\nsqlite3.connect('instance/data.db').execute('create table thing (id integer primary key, name varchar(20))')\nfrom app import AutomapModel, metadata\nprint(sorted(AutomapModel.classes.keys()), sorted(metadata.tables))\n",
        &src,
        &[],
        TIMEOUT,
    );
    assert_eq!(sqla.lines().last().unwrap_or_default(), "['thing'] ['thing']", "{sqla}");

    let inventory = process::run(
        Command::new(env!("CARGO_BIN_EXE_flask2django")).args(["inventory", "--format", "json"]).arg(&src),
        TIMEOUT,
    )
    .unwrap();
    let inventory: Value = serde_json::from_str(&inventory.stdout).unwrap();
    assert_eq!(inventory["models"], serde_json::json!([]));
    let mut lines: Vec<u64> = inventory["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "FD403")
        .map(|d| d["line"].as_u64().unwrap())
        .collect();
    lines.sort();
    assert_eq!(lines, [9, 15, 16, 17]);
    let out = work.path().join("django");
    process::convert(&src, &out);
    let migration = std::fs::read_to_string(out.join("MIGRATION.md")).unwrap();
    assert!(migration.contains("reads tables from the database at run time\n(app.py:9, app.py:15,"), "{migration}");
    assert!(!migration.contains("The models in this project describe the tables"), "{migration}");
}
