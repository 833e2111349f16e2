//! The generated Django project against real Django and real Flask, for every fixture app.
//!
//! For each fixture (and the example), `flask2django convert` writes a project into a temporary
//! folder; then with the pinned packages of the test venv:
//!
//! * the generated Python is stable under `ruff format --check`;
//! * `manage.py check` passes and `makemigrations --check --dry-run` runs;
//! * `tests/py/url_roundtrip.py` takes every rule of real Flask's `url_map`, builds a sample URL
//!   from it with Werkzeug, and checks that Django resolves it to the view named after the Flask
//!   endpoint (`bp.view` → `bp:view`) with the same typed arguments, and that `reverse()` of
//!   that name gives what Flask's `url_for` gives.
//!
//! The only rules allowed to fail the round trip are those the inventory itself marks as not
//! convertible: routes whose rule or endpoint is only known at run time, and routes using a
//! converter the application defines (its conversions are a documented `TODO`).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::Value;

use crate::support::process;
use crate::support::python;

const TIMEOUT: Duration = Duration::from_secs(300);

fn fixture_names() -> Vec<String> {
    let root = python::repo_root().join("fixtures");
    let mut names: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .filter_map(|e| {
            let e = e.ok()?;
            let n = e.file_name().into_string().ok()?;
            (e.file_type().ok()?.is_dir() && n != "bad" && !n.starts_with('.')).then_some(n)
        })
        .collect();
    names.sort();
    names
}

/// The JSON value a script printed on its last line.
fn last_json(stdout: &str) -> Value {
    let line = stdout.trim().lines().last().unwrap_or_default();
    serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

#[test]
fn every_fixture_converts_to_a_working_django_project() {
    let mut problems = String::new();
    let mut dirs: Vec<PathBuf> = fixture_names().iter().map(|n| python::repo_root().join("fixtures").join(n)).collect();
    dirs.push(python::repo_root().join("examples/flask_shop"));
    // Two at a time: each fixture spends most of its time in Python.
    let chunks: Vec<Vec<PathBuf>> = dirs.chunks(dirs.len().div_ceil(2)).map(|c| c.to_vec()).collect();
    let results: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .iter()
            .map(|chunk| s.spawn(move || chunk.iter().map(|d| check_project(d)).collect::<String>()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for r in results {
        problems.push_str(&r);
    }
    assert!(problems.is_empty(), "{problems}");
}

fn check_project(dir: &Path) -> String {
    let name = dir.file_name().unwrap().to_string_lossy().to_string();
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("django");
    let mut problems = String::new();
    let converted = process::run(
        Command::new(env!("CARGO_BIN_EXE_flask2django")).arg("convert").arg(dir).arg("--out").arg(&out),
        TIMEOUT,
    )
    .unwrap();
    if !converted.success() {
        return format!("{name}: convert failed:\n{}{}\n", converted.stdout, converted.stderr);
    }
    if let Err(diff) = python::ruff_format_check(&out, TIMEOUT) {
        let _ = writeln!(problems, "{name}: ruff format --check:\n{}", process::tail(&diff, 40));
    }
    for args in [&["check", "--fail-level", "ERROR"][..], &["makemigrations", "--check", "--dry-run"][..]] {
        let r = python::manage(&out, args, TIMEOUT).unwrap();
        // `makemigrations --check` exits 1 when migrations are missing, which they are (none
        // are generated): only a crash counts.
        let crashed = r.stderr.contains("Traceback") || (args[0] == "check" && !r.success());
        if crashed {
            let _ = writeln!(
                problems,
                "{name}: manage.py {}:\n{}{}",
                args.join(" "),
                r.stdout,
                process::tail(&r.stderr, 30)
            );
        }
    }
    let (allowed, resolved, unknown_dynamic) = not_convertible(dir);
    let r = process::run(
        python::script_command("url_roundtrip.py").arg(dir).arg(&out).env("DJANGO_SECRET_KEY", "test"),
        TIMEOUT,
    )
    .unwrap();
    match serde_json::from_str::<Value>(&r.stdout) {
        Ok(report) => {
            for f in report["failures"].as_array().into_iter().flatten() {
                let ep = f["endpoint"].as_str().unwrap_or_default();
                // A rule whose endpoint is unknown to us is one of our dynamic routes.
                let covered = allowed.contains(ep) || (unknown_dynamic && !resolved.contains(ep));
                if !covered {
                    let _ = writeln!(problems, "{name}: {} {}: {}", f["rule"], ep, f["problem"]);
                }
            }
            if report["checked"].as_u64().unwrap_or(0) == 0
                && !report["failures"].as_array().is_some_and(|f| !f.is_empty())
            {
                let skipped = report["skipped"].as_array().map(Vec::len).unwrap_or(0);
                if skipped == 0 {
                    let _ = writeln!(problems, "{name}: url_roundtrip.py checked nothing");
                }
            }
        }
        Err(e) => {
            let _ = writeln!(
                problems,
                "{name}: url_roundtrip.py printed no report ({e}):\n{}",
                process::tail(&r.stderr, 30)
            );
        }
    }
    if !problems.is_empty() {
        let kept = work.keep();
        let _ = writeln!(problems, "{name}: generated project kept at {}", kept.display());
    }
    problems
}

/// Endpoints the inventory reports as not convertible exactly, the resolved endpoints, and
/// whether some dynamic route has an unknown endpoint.
fn not_convertible(dir: &Path) -> (BTreeSet<String>, BTreeSet<String>, bool) {
    let r = process::run(
        Command::new(env!("CARGO_BIN_EXE_flask2django")).arg("inventory").arg(dir).args(["--format", "json"]),
        TIMEOUT,
    )
    .unwrap();
    let inv: Value = serde_json::from_str(&r.stdout).unwrap_or_default();
    let custom: BTreeSet<String> = inv["converters"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["name"].as_str().map(str::to_string))
        .collect();
    let mut out = BTreeSet::new();
    let mut resolved = BTreeSet::new();
    let mut unknown_dynamic = false;
    for route in inv["routes"].as_array().into_iter().flatten() {
        let dynamic = route["status"] == "dynamic";
        let Some(ep) = route["endpoint"].as_str() else {
            unknown_dynamic |= dynamic;
            continue;
        };
        if !dynamic {
            resolved.insert(ep.to_string());
        }
        unknown_dynamic |= dynamic && route["rule"].is_null();
        let uses_custom = route["arguments"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|a| a["converter"].as_str().is_some_and(|c| custom.contains(c)));
        if dynamic || uses_custom {
            out.insert(ep.to_string());
        }
    }
    (out, resolved, unknown_dynamic)
}

/// A view whose Flask body only renders a template renders the same Flask template through
/// Django's Jinja2 backend (with `url_for`, `current_user`, `csrf_token()`); a URL without the
/// trailing slash of its rule gets Flask's 308 redirect, for POST too.
#[test]
fn example_renders_flask_templates_and_redirects_like_flask() {
    let out = python::repo_root().join("examples/flask_shop_django");
    let code = r#"
import os, django
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
django.setup()
from django.test import Client
c = Client(raise_request_exception=True)
r = c.get("/about")
assert r.status_code == 200, r.status_code
body = r.content.decode()
assert "We roast small batches" in body, body
assert 'href="/auth/login?next=/about"' in body, body  # as Flask's url_for gives it
for method in ("get", "post"):
    r = getattr(c, method)("/category/beans?page=2")
    assert r.status_code == 308, (method, r.status_code)
    assert r["Location"] == "/category/beans/?page=2", r["Location"]
print("ok")
"#;
    let stdout = python::run_code(code, &out, &[("DJANGO_SECRET_KEY", "test")], TIMEOUT);
    assert!(stdout.contains("ok"), "{stdout}");
}

/// An endpoint of the app itself with a dot in its name (`as_view("apiv2.tags")`, no blueprint
/// `apiv2`): `url_for` gives in Django what it gives in Flask.
#[test]
fn url_for_an_app_endpoint_with_a_dot() {
    let fixture = python::repo_root().join("fixtures/add_url_rule_views");
    let flask = r#"
import json
from app import app
with app.test_request_context("/"):
    from flask import url_for
    print(json.dumps([url_for("apiv2.tags"), url_for("tag_list", page=2)]))
"#;
    let from_flask = last_json(&python::run_code(flask, &fixture, &[], TIMEOUT));
    assert_eq!(from_flask, serde_json::json!(["/api/v2/tags/", "/tags/?page=2"]));
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("django");
    process::convert(&fixture, &out);
    let cases = r#"["{{ url_for('apiv2.tags') }}", "{{ url_for('tag_list', page=2) }}"]"#;
    assert_eq!(render_in_django(&out, cases, "/", "/"), from_flask);
}

/// The app's Jinja options (`trim_blocks`, `lstrip_blocks`) and extensions (`do`,
/// `loopcontrols`) hold in Django's environment: the same text renders the same bytes.
#[test]
fn jinja_options_and_extensions_render_as_in_flask() {
    let fixture = python::repo_root().join("fixtures/app_options");
    let cases = r#"["<ul>\n  {% for i in [1, 2, 3] %}\n    {% if i == 2 %}{% continue %}{% endif %}\n    <li>{{ i }}</li>\n  {% endfor %}\n</ul>\n", "{% set seen = [] %}{% do seen.append(1) %}{{ seen }}"]"#;
    let flask = format!(
        r#"
import json
from app import app
print(json.dumps([app.jinja_env.from_string(t).render() for t in {cases}]))
"#
    );
    let from_flask = last_json(&python::run_code(&flask, &fixture, &[], TIMEOUT));
    assert_eq!(from_flask[0], "<ul>\n    <li>1</li>\n    <li>3</li>\n</ul>", "Flask trims blocks");
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("django");
    process::convert(&fixture, &out);
    assert_eq!(render_in_django(&out, cases, "/", "/"), from_flask);
}

/// A Flask template named like one of Django admin's (`admin/index.html`) is what the Flask view
/// renders, in Flask and in Django, and Django's admin still shows its own index.
#[test]
fn flask_templates_do_not_replace_django_admin_templates() {
    let fixture = python::repo_root().join("fixtures/templates_inheritance");
    let flask = r#"
from app import app
r = app.test_client().get("/dashboard")
print(r.status_code, "Shop dashboard" in r.get_data(as_text=True))
"#;
    assert_eq!(python::run_code(flask, &fixture, &[], TIMEOUT).trim(), "200 True");

    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("django");
    process::convert(&fixture, &out);
    let django = r#"
import os, django
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
django.setup()
from django.core.management import call_command
from django.contrib.auth import get_user_model
from django.test import Client
call_command("migrate", verbosity=0)
c = Client(raise_request_exception=True)
r = c.get("/dashboard")
print(r.status_code, "Shop dashboard" in r.content.decode())
c.force_login(get_user_model().objects.create_superuser("root", "root@example.com", "pw"))
r = c.get("/admin/")
print(r.status_code, "Django administration" in r.content.decode())
"#;
    let printed = python::run_code(django, &out, &[("DJANGO_SECRET_KEY", "test")], TIMEOUT);
    assert_eq!(printed.trim(), "200 True\n200 True", "{printed}");
}

/// CSRF: the example exempts its API blueprint (`csrf.exempt(v1_bp)`). For POSTs without a
/// token, real Flask-WTF rejects exactly the requests the generated Django project rejects
/// (its views of that blueprint carry `@csrf_exempt`).
#[test]
fn csrf_exemptions_match_flask() {
    let paths = r#"["/api/v1/orders", "/auth/logout", "/orders/cart/add/1"]"#;
    let flask = format!(
        r#"
import json
from shop import create_app
from shop.extensions import db
app = create_app("development")
with app.app_context():
    db.create_all()
c = app.test_client()
out = {{}}
for p in {paths}:
    r = c.post(p)
    out[p] = r.status_code == 400 and "CSRF" in r.get_data(as_text=True)
print(json.dumps(out))
"#
    );
    let flask_rejects = last_json(&python::run_code(
        &flask,
        &python::repo_root().join("examples/flask_shop"),
        &[("DATABASE_URL", "sqlite://")],
        TIMEOUT,
    ));
    assert!(flask_rejects.as_object().unwrap().values().any(|v| v == true), "{flask_rejects}");
    assert!(flask_rejects.as_object().unwrap().values().any(|v| v == false), "{flask_rejects}");

    let django = format!(
        r#"
import json, os, django
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
django.setup()
from django.test import Client
c = Client(enforce_csrf_checks=True)
print(json.dumps({{p: c.post(p).status_code == 403 for p in {paths}}}))
"#
    );
    let django_rejects = last_json(&python::run_code(
        &django,
        &python::repo_root().join("examples/flask_shop_django"),
        &[("DJANGO_SECRET_KEY", "test")],
        TIMEOUT,
    ));
    assert_eq!(django_rejects, flask_rejects, "CSRF rejections: Django (left) against Flask (right)");
}

/// The app's own class under a built-in converter's name (udata's `converters["uuid"]`, which
/// takes a UUID without hyphens): the Django pattern uses the app's converter, not Werkzeug's
/// strict one, so the same URLs resolve.
#[test]
fn an_apps_converter_under_a_built_in_name_replaces_it() {
    let work = tempfile::tempdir().unwrap();
    let src = crate::support::files::flask_app(
        work.path(),
        r#"from uuid import UUID

from flask import Flask
from werkzeug.routing import BaseConverter


class UUIDConverter(BaseConverter):
    def to_python(self, value):
        return UUID(value.strip())

    def to_url(self, value):
        return str(value)


app = Flask(__name__)
app.url_map.converters["uuid"] = UUIDConverter


@app.route("/r/<uuid:id>")
def resource(id):
    return str(id)
"#,
    );
    let urls = r#"["/r/12345678123456781234567812345678", "/r/12345678-1234-5678-1234-567812345678"]"#;
    assert_eq!(flask_statuses(&src, urls), "[200, 200]");
    let out = work.path().join("django");
    process::convert(&src, &out);
    let django = "from django.urls import resolve, Resolver404\ndef ok(u):\n    try:\n        return resolve(u).url_name\n    except Resolver404:\n        return None\n";
    let resolved = python::run_in_django(&out, &format!("{django}print([ok(u) for u in {urls}])\n"), TIMEOUT);
    assert_eq!(resolved.trim(), "['resource', 'resource']");
}

/// A view serving rules with and without a variable (`/` and `/<bfile>/`, whose value a
/// `url_value_preprocessor` pops; `/page/` and `/page/<slug>`): real Flask serves each URL, and
/// the generated stub takes the variable as optional, so each URL reaches it (501), not a
/// `TypeError` (500).
#[test]
fn a_view_serving_rules_with_and_without_a_variable_is_reached_by_each() {
    let work = tempfile::tempdir().unwrap();
    let src = crate::support::files::flask_app(
        work.path(),
        r#"from flask import Flask, g

app = Flask(__name__)


@app.url_value_preprocessor
def pull_bfile(endpoint, values):
    g.bfile = values.pop("bfile", None) if values else None


@app.route("/")
@app.route("/<bfile>/")
def index():
    return "index"


@app.route("/page/")
@app.route("/page/<slug>")
def page(slug=None):
    return "page"
"#,
    );
    let urls = r#"["/", "/main.beancount/", "/page/", "/page/about"]"#;
    assert_eq!(flask_statuses(&src, urls), "[200, 200, 200, 200]");

    let out = work.path().join("django");
    process::convert(&src, &out);
    let django = format!(
        "from django.test import Client\nc = Client(raise_request_exception=False)\nprint([c.get(u).status_code for u in {urls}])\n"
    );
    assert_eq!(python::run_in_django(&out, &django, TIMEOUT).trim(), "[501, 501, 501, 501]");
}

/// OPTIONS listed among a rule's methods is the view's to answer (opentaxii's TAXII service
/// view): Flask then does not answer it itself, and the generated view takes it too, so an
/// OPTIONS request reaches the stub (501) instead of being refused (405).
#[test]
fn options_listed_in_methods_reach_the_view() {
    let work = tempfile::tempdir().unwrap();
    let src = crate::support::files::flask_app(
        work.path(),
        r#"from flask import Flask, request

app = Flask(__name__)


@app.route("/services/<path:name>", methods=["POST", "OPTIONS"])
def service(name):
    if request.method == "OPTIONS":
        return "", 200, {"X-Services": "inbox"}
    return "posted"
"#,
    );
    let flask = "from app import app\nc = app.test_client()\nr = c.options('/services/inbox')\nprint(r.headers.get('X-Services'))\n";
    assert_eq!(python::run_code(flask, &src, &[], TIMEOUT).trim(), "inbox");

    let out = work.path().join("django");
    process::convert(&src, &out);
    let django = "from django.test import Client\nc = Client(raise_request_exception=False)\nprint(c.options('/services/inbox').status_code)\n";
    assert_eq!(python::run_in_django(&out, django, TIMEOUT).trim(), "501");
}

/// Flask answers OPTIONS on every rule itself (httpbin answers CORS preflights that way): the
/// same OPTIONS request gets the same status and the same methods in `Allow` from real Flask and
/// from the generated project, for a function view, one of several rules on a URL, a class-based
/// view, and rules whose automatic options are turned off; and a method neither serves gets 405.
#[test]
fn options_are_answered_as_flask_answers_them() {
    let work = tempfile::tempdir().unwrap();
    let src = crate::support::files::flask_app(
        work.path(),
        r#"from flask import Flask
from flask.views import MethodView

app = Flask(__name__)


@app.route("/post", methods=("POST",))
def view_post():
    return "post"


@app.route("/")
def index():
    return "index"


@app.route("/items", methods=["GET"])
def list_items():
    return "list"


@app.route("/items", methods=["POST", "DELETE"])
def create_item():
    return "create"


@app.route("/quiet", methods=["GET", "PUT"], provide_automatic_options=False)
def quiet():
    return "quiet"


class Thing(MethodView):
    def get(self):
        return "get"

    def put(self):
        return "put"


class Closed(MethodView):
    provide_automatic_options = False

    def get(self):
        return "get"


app.add_url_rule("/thing", view_func=Thing.as_view("thing"))
app.add_url_rule("/closed", view_func=Closed.as_view("closed"))
"#,
    );
    let requests = r#"[("OPTIONS", p) for p in ("/post", "/", "/items", "/quiet", "/thing", "/closed")] + [("PATCH", "/post"), ("PATCH", "/items")]"#;
    // The status and the methods in `Allow` of each request, `call` making the request.
    let answers = |call: &str| {
        format!(
            r#"
import json
out = []
for method, path in {requests}:
    r = {call}
    allow = r.headers.get("Allow")
    out.append([method, path, r.status_code, sorted(m.strip() for m in allow.split(",")) if allow else None])
print(json.dumps(out))
"#
        )
    };
    let flask = format!("from app import app\nc = app.test_client()\n{}", answers("c.open(path, method=method)"));
    let from_flask = last_json(&python::run_code(&flask, &src, &[], TIMEOUT));
    assert_eq!(from_flask[0], serde_json::json!(["OPTIONS", "/post", 200, ["OPTIONS", "POST"]]), "{from_flask}");

    let out = work.path().join("django");
    process::convert(&src, &out);
    let django = format!(
        "from django.test import Client\nc = Client(raise_request_exception=False)\n{}",
        answers("c.generic(method, path)")
    );
    let from_django = last_json(&python::run_in_django(&out, &django, TIMEOUT));
    assert_eq!(from_django, from_flask, "Django (left) against Flask (right)");
}

/// A blueprint named like a top-level package of the project (dtale's blueprint `dtale`): its
/// Django app takes another name, so that with the Flask code on the path the ported views still
/// import the package (`import pkg.helpers`), `manage.py check` passes, and the blueprint's
/// endpoints keep their URL names.
#[test]
fn an_app_does_not_hide_a_package_of_the_project() {
    let work = tempfile::tempdir().unwrap();
    let src = work.path().join("flask_app");
    let files = [
        ("app.py", "from pkg.app import create_app\n\napp = create_app()\n"),
        (
            "pkg/__init__.py",
            "from flask import Blueprint\n\npkg = Blueprint(\"pkg\", __name__, url_prefix=\"/pkg\")\n\nfrom pkg import views  # noqa: E402,F401\n",
        ),
        ("pkg/helpers.py", "def answer():\n    return \"42\"\n"),
        (
            "pkg/views.py",
            "from pkg import pkg\nfrom pkg.helpers import answer\n\n\n@pkg.route(\"/a\")\ndef a():\n    return answer()\n",
        ),
        (
            "pkg/app.py",
            "from flask import Flask\n\nfrom pkg import pkg\n\n\ndef create_app():\n    app = Flask(\"pkg\")\n    app.register_blueprint(pkg)\n    return app\n",
        ),
    ];
    for (path, text) in files {
        std::fs::create_dir_all(src.join(path).parent().unwrap()).unwrap();
        std::fs::write(src.join(path), text).unwrap();
    }
    let flask = "from app import app\nprint(app.test_client().get('/pkg/a').get_data(as_text=True))\n";
    assert_eq!(python::run_code(flask, &src, &[], TIMEOUT).trim(), "42");

    let out = work.path().join("django");
    process::convert(&src, &out);
    assert!(out.join("pkg_app/apps.py").is_file() && !out.join("pkg").exists());
    let check = python::manage(&out, &["check", "--fail-level", "ERROR"], TIMEOUT).unwrap();
    assert!(check.success(), "{}{}", check.stdout, check.stderr);
    let django = "import os, django\nos.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'\ndjango.setup()\nfrom django.urls import reverse\nimport pkg.helpers\nprint(pkg.helpers.answer(), reverse('pkg:a'))\n";
    let pythonpath = format!("{}:{}", out.display(), src.display());
    let printed =
        python::run_code(django, &out, &[("PYTHONPATH", &pythonpath), ("DJANGO_SECRET_KEY", "test")], TIMEOUT);
    assert_eq!(printed.trim(), "42 /pkg/a");
}

/// A rule whose first segment is a variable (datagrepper's `/<page>/`, sqlite-web's
/// `/<table>/`) serves `/admin/` in Flask: Django's admin site moves to `django-admin/`, so the
/// URL still reaches the app's view.
#[test]
fn a_catch_all_first_segment_keeps_admin_for_the_app() {
    let work = tempfile::tempdir().unwrap();
    let src = crate::support::files::flask_app(
        work.path(),
        r#"from flask import Flask

app = Flask(__name__)


@app.route("/<page>/")
def doc(page):
    return page
"#,
    );
    assert_eq!(flask_statuses(&src, r#"["/admin/"]"#), "[200]");
    let out = work.path().join("django");
    process::convert(&src, &out);
    let django = "from django.urls import resolve\nm = resolve('/admin/')\nprint(m.url_name, m.kwargs)\nprint(resolve('/django-admin/').app_name)\n";
    assert_eq!(python::run_in_django(&out, django, TIMEOUT).trim(), "doc {'page': 'admin'}\nadmin");
}

/// The status of a GET of each URL of `urls` (a Python list) on the Flask app in `src`.
fn flask_statuses(src: &Path, urls: &str) -> String {
    let code = format!("from app import app\nc = app.test_client()\nprint([c.get(u).status_code for u in {urls}])\n");
    python::run_code(&code, src, &[], TIMEOUT).trim().to_string()
}

/// Without CSRFProtect, Flask checks no token: a JSON POST without one is served. The generated
/// project leaves out Django's CSRF middleware, so the same POST reaches the view (a stub, 501)
/// instead of being refused with 403, and MIGRATION.md says why.
#[test]
fn without_csrf_protect_posts_are_not_refused() {
    let work = tempfile::tempdir().unwrap();
    let src = crate::support::files::flask_app(
        work.path(),
        r#"from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/api/login", methods=["POST"])
def login():
    return jsonify(user=request.get_json()["username"])
"#,
    );
    let flask = r#"
from app import app
r = app.test_client().post("/api/login", json={"username": "bob"})
print(r.status_code)
"#;
    assert_eq!(python::run_code(flask, &src, &[], TIMEOUT).trim(), "200");

    let out = work.path().join("django");
    process::convert(&src, &out);
    let django = r#"
import os, django
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
django.setup()
from django.test import Client
r = Client(enforce_csrf_checks=True).post("/api/login", {"username": "bob"}, content_type="application/json")
print(r.status_code)
"#;
    assert_eq!(python::run_code(django, &out, &[("DJANGO_SECRET_KEY", "test")], TIMEOUT).trim(), "501");
    let migration = std::fs::read_to_string(out.join("MIGRATION.md")).unwrap();
    assert!(migration.contains("CSRF: the Flask app checks no CSRF token"), "{migration}");
}

/// A blueprint's `url_defaults` hook that adds back the value its `url_value_preprocessor` took
/// from the URL (ihatemoney's `project_id`): `url_for` of an endpoint of that blueprint without
/// the value gives, in the generated Jinja2 environment, the URL real Flask gives on the same
/// page, and a value given or not needed is left alone.
#[test]
fn url_defaults_fill_what_flask_fills() {
    let work = tempfile::tempdir().unwrap();
    let src = crate::support::files::flask_app(
        work.path(),
        r#"from flask import Blueprint, Flask, current_app, g

main = Blueprint("main", __name__)


@main.url_defaults
def add_project_id(endpoint, values):
    if "project_id" in values or not g.get("project"):
        return
    if current_app.url_map.is_endpoint_expecting(endpoint, "project_id"):
        values["project_id"] = g.project


@main.url_value_preprocessor
def pull_project(endpoint, values):
    g.project = values.pop("project_id", None)


@main.route("/<project_id>/")
def list_bills():
    return "bills"


@main.route("/<project_id>/statistics")
def statistics():
    return "statistics"


@main.route("/about")
def about():
    return "about"


app = Flask(__name__)
app.register_blueprint(main)
"#,
    );
    let cases = r#"["{{ url_for('main.list_bills') }}", "{{ url_for('.statistics') }}", "{{ url_for('main.list_bills', project_id='other') }}", "{{ url_for('main.about') }}"]"#;
    let flask = format!(
        r#"
import json
from flask import render_template_string
from app import app
with app.test_request_context("/p1/statistics"):
    app.preprocess_request()
    print(json.dumps([render_template_string(t) for t in {cases}]))
"#
    );
    let flask_urls = last_json(&python::run_code(&flask, &src, &[], TIMEOUT));
    assert_eq!(flask_urls[0], "/p1/", "{flask_urls}");

    let out = work.path().join("django");
    process::convert(&src, &out);
    // MIGRATION.md lists the hook among what to check, not among what was not generated.
    let migration = std::fs::read_to_string(out.join("MIGRATION.md")).unwrap();
    let check = &migration[migration.find("## What to check by hand").expect(&migration)..];
    assert!(check.contains("`url_defaults` `app.add_project_id`"), "{migration}");
    let django_urls = render_in_django(&out, cases, "/p1/statistics", "/p1/statistics");
    assert_eq!(django_urls, flask_urls, "Django (left) against Flask (right)");
}

/// Values a rule does not take go to the query string: `url_for` in the generated Jinja2
/// environment builds with the rule Flask builds with (the one that uses the most of the values
/// given) and gives the URL real Flask gives, whatever the order of the names, with `None` left
/// out before a rule is chosen (puppetboard's `url_for('reports_ajax', node_name=None)`) and a
/// list repeated.
#[test]
fn url_for_puts_extra_values_in_the_query_as_flask_does() {
    let work = tempfile::tempdir().unwrap();
    let src = crate::support::files::flask_app(
        work.path(),
        r#"from flask import Flask

app = Flask(__name__)


@app.route("/user/<username>")
def user(username):
    return username


@app.route("/posts/<int:post_id>")
def posts(post_id):
    return str(post_id)


@app.route("/items/", defaults={"page": 1})
@app.route("/items/<int:page>")
def items(page):
    return str(page)


@app.route("/search")
def search():
    return "search"


@app.route("/reports/json", defaults={"node_name": None})
@app.route("/reports/<node_name>/json")
def reports(node_name):
    return str(node_name)
"#,
    );
    let cases = r#"["{{ url_for('reports', node_name=None) }}", "{{ url_for('reports', node_name='db1') }}", "{{ url_for('user', username='bob', page=2) }}", "{{ url_for('user', page=2, username='bob', a='x') }}", "{{ url_for('posts', post_id=5, highlight='y') }}", "{{ url_for('items') }}", "{{ url_for('items', page=3, sort='name') }}", "{{ url_for('items', sort='name') }}", "{{ url_for('search', q=None, tags=['a', 'b'], n=1) }}", "{{ url_for('user', username='bob', _anchor='top', x=1) }}"]"#;
    let flask = format!(
        r#"
import json
from flask import render_template_string
from app import app
with app.test_request_context("/"):
    print(json.dumps([render_template_string(t) for t in {cases}]))
"#
    );
    let flask_urls = last_json(&python::run_code(&flask, &src, &[], TIMEOUT));
    assert_eq!(flask_urls[2], "/user/bob?page=2", "{flask_urls}");

    let out = work.path().join("django");
    process::convert(&src, &out);
    let django_urls = render_in_django(&out, cases, "/", "/search");
    assert_eq!(django_urls, flask_urls, "Django (left) against Flask (right)");
}

/// Query values and anchors are encoded as Werkzeug and Flask encode them: `url_for` in the
/// generated Jinja2 environment gives the same bytes as real Flask's for values with the
/// characters a URL keeps (`?url=http://example.com/`, httpbin's redirect links) and those it
/// escapes, lists and tuples with `None` among them, non-ASCII text, and an empty anchor.
#[test]
fn url_for_encodes_query_values_as_werkzeug_does() {
    let work = tempfile::tempdir().unwrap();
    let src = crate::support::files::flask_app(
        work.path(),
        r#"from flask import Flask

app = Flask(__name__)


@app.route("/redirect-to")
def redirect_to():
    return "r"


@app.route("/user/<name>")
def user(name):
    return name
"#,
    );
    let cases = r#"[
        "{{ url_for('redirect_to', url='http://example.com/', ct='text/plain; charset=UTF-8') }}",
        '{{ url_for("redirect_to", q="a b&c=d+e#f%g?h/i:j@k!l$m\'n(o)p*q,r;s~t[]{}|^`") }}',
        "{{ url_for('redirect_to', q='café ☃', e='', z=0, t=True, f=1.5) }}",
        "{{ url_for('redirect_to', tags=['a', None, 'b c'], pair=('x', 'y')) }}",
        "{{ url_for('redirect_to', empty=[], none=None) }}",
        "{{ url_for('redirect_to', **{'a b': 'c', 'k=v': '&'}) }}",
        "{{ url_for('user', name='bob', _anchor='a b#c/café?x=%20') }}",
        "{{ url_for('user', name='bob', _anchor='') }}"
    ]"#;
    let flask = format!(
        r#"
import json
from flask import render_template_string
from app import app
with app.test_request_context("/"):
    print(json.dumps([render_template_string(t) for t in {cases}]))
"#
    );
    let flask_urls = last_json(&python::run_code(&flask, &src, &[], TIMEOUT));
    assert_eq!(
        flask_urls[0], "/redirect-to?url=http://example.com/&amp;ct=text/plain;+charset%3DUTF-8",
        "{flask_urls}"
    );

    let out = work.path().join("django");
    process::convert(&src, &out);
    let django_urls = render_in_django(&out, cases, "/", "/redirect-to");
    assert_eq!(django_urls, flask_urls, "Django (left) against Flask (right)");
}

/// Static files: every file real Flask serves from the app's static folder and from a
/// blueprint's is found by Django's static files finders at the URL that `url_for` gives in the
/// generated Jinja2 environment, with the same contents; `manage.py check` has nothing to say.
/// The Flask app sits in a folder with a long name, so the settings' paths to its static
/// folders are too long for a line, and the settings still pass `ruff format --check`.
#[test]
fn static_files_are_found_where_url_for_points() {
    let work = tempfile::tempdir().unwrap();
    let src =
        work.path().join("a-folder-whose-name-is-long-enough-to-push-a-static-path-past-one-line").join("flask_app");
    let files = [
        (
            "app.py",
            "from flask import Flask\n\nfrom shopbp import bp\n\napp = Flask(__name__)\napp.register_blueprint(bp, url_prefix=\"/shop\")\n",
        ),
        (
            "shopbp/__init__.py",
            "from flask import Blueprint\n\nbp = Blueprint(\"shop\", __name__, static_folder=\"static\")\n\n\n@bp.route(\"/\")\ndef index():\n    return \"shop\"\n",
        ),
        ("static/css/site.css", "body { color: black; }\n"),
        ("shopbp/static/js/shop.js", "console.log(\"shop\");\n"),
    ];
    for (path, text) in files {
        std::fs::create_dir_all(src.join(path).parent().unwrap()).unwrap();
        std::fs::write(src.join(path), text).unwrap();
    }
    let cases = r#"[("static", "css/site.css"), ("shop.static", "js/shop.js")]"#;
    let flask = format!(
        r#"
import json
from flask import url_for
from app import app
out = {{}}
with app.test_request_context():
    for endpoint, filename in {cases}:
        url = url_for(endpoint, filename=filename)
        response = app.test_client().get(url)
        assert response.status_code == 200, (url, response.status_code)
        out[endpoint] = response.get_data(as_text=True)
        response.close()
print(json.dumps(out))
"#
    );
    let served = last_json(&python::run_code(&flask, &src, &[], TIMEOUT));

    let out = work.path().join("django");
    process::convert(&src, &out);
    let settings = std::fs::read_to_string(out.join("config/settings.py")).unwrap();
    assert!(settings.contains(".joinpath("), "{settings}");
    if let Err(diff) = python::ruff_format_check(&out, TIMEOUT) {
        panic!("ruff format --check:\n{}", process::tail(&diff, 40));
    }
    let django = format!(
        r#"
import json, os, django
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
django.setup()
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from core.jinja2 import environment
call_command("check", fail_level="WARNING")
env = environment()
out = {{}}
for endpoint, filename in {cases}:
    url = env.from_string("{{{{ url_for(e, filename=f) }}}}").render(e=endpoint, f=filename)
    prefix = "/" + settings.STATIC_URL.lstrip("/")
    assert url.startswith(prefix), url
    found = finders.find(url[len(prefix):])
    assert found, url
    with open(found) as f:
        out[endpoint] = f.read()
print(json.dumps(out))
"#
    );
    let found = last_json(&python::run_code(&django, &out, &[], TIMEOUT));
    assert_eq!(found, served);
}

/// `strict_slashes=False`: Flask serves `/about` and `/about/` alike, without a redirect.
#[test]
fn strict_slashes_false_serves_both_forms() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("django");
    process::convert(&python::repo_root().join("fixtures/single_file"), &out);
    let code = r#"
import os, django
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
django.setup()
from django.test import Client
from django.urls import resolve, reverse
c = Client()
for path in ("/about", "/about/"):
    r = c.get(path)
    assert r.status_code not in (301, 308, 404), (path, r.status_code)
    assert resolve(path).func.__name__ == "about", path
assert reverse("about") == "/about/", reverse("about")
print("ok")
"#;
    let stdout = python::run_code(code, &out, &[], TIMEOUT);
    assert!(stdout.contains("ok"), "{stdout}");
}

/// Each row of `mappings/url_converters.toml` states what Werkzeug's converter is: its class,
/// regex, weight (where the matcher tries it) and whether its values stay in one segment.
#[test]
fn the_converter_table_agrees_with_werkzeug() {
    let rows = flask2django::mapping::urls::converter_table().unwrap();
    let table: Vec<Value> =
        rows.iter().map(|r| serde_json::json!([r.werkzeug, r.class, r.regex, r.weight, r.part_isolating])).collect();
    let code = format!(
        r#"
import json
from flask import Flask
app = Flask(__name__)
out = []
for name, cls, regex, weight, isolating in json.loads({table:?}):
    conv = app.url_map.converters[name]
    # `any` takes its items as arguments; its regex is for the items it is given.
    obj = conv(app.url_map, "a") if name == "any" else conv(app.url_map)
    real = [name, conv.__name__, "[^/]+" if name == "any" else obj.regex, obj.weight, obj.part_isolating]
    if real != [name, cls, regex, weight, isolating]:
        out.append(real)
print(json.dumps(out))
"#,
        table = serde_json::to_string(&table).unwrap()
    );
    let work = tempfile::tempdir().unwrap();
    assert_eq!(python::run_code(&code, work.path(), &[], TIMEOUT).trim(), "[]", "rows as Werkzeug has them");
}

/// Werkzeug matches a converter without "/" in its class regex (the classic `RegexConverter`)
/// within one path segment, even with `.*`, and a `PathConverter` subclass across segments (its
/// regex inherited, or its own with `part_isolating = False`): real Flask and the generated
/// Django project must find and refuse the same paths.
#[test]
fn converter_values_span_segments_as_in_werkzeug() {
    let fixture = python::repo_root().join("fixtures/converters");
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("django");
    process::convert(&fixture, &out);
    let paths = ["/blobs/a/raw", "/blobs/a/b/raw", "/blobs/a.txt/raw", "/search/a:1/b:2", "/at/home/u/a.mp3"];
    let flask = r#"
import sys
sys.dont_write_bytecode = True
from werkzeug.exceptions import NotFound
from app import app
adapter = app.url_map.bind("")
for path in sys.argv[1:]:
    try:
        endpoint, args = adapter.match(path)
        print(path, endpoint, args.get("name") or args.get("where"))
    except NotFound:
        print(path, "404", None)
"#;
    let django = r#"
import os, sys, django
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
django.setup()
from django.urls import Resolver404, resolve
for path in sys.argv[1:]:
    try:
        m = resolve(path)
        print(path, m.url_name, m.kwargs.get("name") or m.kwargs.get("where"))
    except Resolver404:
        print(path, "404", None)
"#;
    let run = |code: &str, dir: &std::path::Path| {
        let r = process::run(
            Command::new(python::python())
                .arg("-c")
                .arg(code)
                .args(paths)
                .current_dir(dir)
                .env("PYTHONDONTWRITEBYTECODE", "1")
                .env("DJANGO_SECRET_KEY", "test"),
            TIMEOUT,
        )
        .unwrap();
        assert!(r.success(), "{}\n{}", r.stdout, process::tail(&r.stderr, 30));
        r.stdout
    };
    let from_flask = run(flask, &fixture);
    assert!(from_flask.contains("/blobs/a/b/raw 404 None"), "Werkzeug's behaviour changed: {from_flask}");
    assert_eq!(from_flask, run(django, &out));
}

/// Renders each template source of `cases` (a Python list literal) in the generated project's
/// Jinja2 environment, for a request to `path` resolved as `resolved`.
fn render_in_django(out: &Path, cases: &str, path: &str, resolved: &str) -> Value {
    let code = format!(
        r#"
import json
from django.test import RequestFactory
from django.urls import resolve
from core.jinja2 import environment
request = RequestFactory().get("{path}")
request.resolver_match = resolve("{resolved}")
env = environment()
print(json.dumps([env.from_string(t).render(request=request) for t in {cases}]))
"#
    );
    last_json(&python::run_in_django(out, &code, TIMEOUT))
}
