//! Differential tests: our static inventory against the URL map that real Flask builds.
//!
//! For every fixture project in `fixtures/` (except `fixtures/bad/`), `flask2django inventory DIR
//! --format json` is compared with `tests/py/flask_url_map.py DIR --app ID`, which imports the
//! project with the pinned Flask of the test venv (see `support::python`). Routes are compared as
//! `(rule, endpoint, sorted methods)`:
//!
//! * every route of ours that is `resolved` or `unreachable` must be in Flask's map;
//! * every rule in Flask's map that we do not have must be covered by one of our `dynamic` routes
//!   of that app. A dynamic route whose rule and endpoint are both known covers Flask rules with
//!   exactly that rule and endpoint (a registration that only happens at run time); one whose rule
//!   or endpoint is `null` covers any number of Flask rules that agree on the known part (a loop
//!   over run-time values). With no dynamic routes, the two sets must be equal;
//! * every fixture yields at least one app, and the first one (the primary app) is the one Flask's
//!   own discovery (`flask` with no `--app`: `FLASK_APP`/`.flaskenv`, `wsgi.py`, `app.py`) loads.
//!
//! All problems of a fixture are collected and reported together, with the fixture name.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::Value;

use crate::support::process;
use crate::support::python;

const INVENTORY_TIMEOUT: Duration = Duration::from_secs(120);
const FLASK_TIMEOUT: Duration = Duration::from_secs(180);

/// `(rule, endpoint, methods)`, methods upper-case, sorted and de-duplicated.
type RuleKey = (String, String, Vec<String>);

/// One fixture test per directory of `fixtures/`; `every_fixture_has_a_test` keeps this list
/// in step with the directory.
macro_rules! fixture_tests {
    ($($name:ident),* $(,)?) => {
        const FIXTURES_WITH_TESTS: &[&str] = &[$(stringify!($name)),*];
        $(
            #[test]
            fn $name() {
                check_fixture(stringify!($name));
            }
        )*
    };
}

fixture_tests!(
    add_url_rule_views,
    apiflask_api,
    app_factory_blueprints,
    app_options,
    app_subclass_methods,
    blueprint_modules,
    blueprint_subclasses,
    catchall_routes,
    classful_views,
    converters,
    duplicates,
    dynamic_registrations,
    extension_init_app,
    extension_templates,
    hooks_handlers_cli,
    method_shortcuts,
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
    multiple_apps,
    nested_blueprints,
    shared_factory,
    plugin_hooks,
    restful_resources,
    restx_namespaces,
    restx_runtime_doc,
    route_helpers,
    single_file,
    smorest_api,
    spa_dist_folder,
    src_layout,
    suppressions,
    template_filter_dict,
    templates_inheritance,
);

fn fixtures_root() -> PathBuf {
    python::repo_root().join("fixtures")
}

/// Fixture project directories: every folder of `fixtures/` except `bad` and hidden ones.
fn fixture_dirs() -> Vec<String> {
    let root = fixtures_root();
    let mut names: Vec<String> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", root.display()))
        .filter_map(|entry| {
            let entry = entry.ok()?;
            if !entry.file_type().ok()?.is_dir() {
                return None;
            }
            let name = entry.file_name().into_string().ok()?;
            (name != "bad" && !name.starts_with('.')).then_some(name)
        })
        .collect();
    names.sort();
    names
}

#[test]
fn every_fixture_has_a_test() {
    let on_disk: BTreeSet<String> = fixture_dirs().into_iter().collect();
    let listed: BTreeSet<String> = FIXTURES_WITH_TESTS.iter().map(|s| s.to_string()).collect();
    let untested: Vec<_> = on_disk.difference(&listed).collect();
    let missing: Vec<_> = listed.difference(&on_disk).collect();
    assert!(
        untested.is_empty() && missing.is_empty(),
        "tests/real_flask.rs is out of step with fixtures/:\n  directories without a test: \
         {untested:?}\n  tests without a directory: {missing:?}\nAdd them to `fixture_tests!`."
    );
}

/// A route as our inventory reports it.
#[derive(Debug, Clone)]
struct OurRoute {
    rule: Option<String>,
    endpoint: Option<String>,
    methods: Vec<String>,
    status: String,
    location: String,
    /// What the rule does with a trailing slash: `strict_slashes` as the inventory gives it,
    /// Werkzeug's default (true) when it gives none.
    strict_slashes: bool,
}

impl OurRoute {
    fn from_json(value: &Value) -> OurRoute {
        let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_string);
        OurRoute {
            rule: text("rule"),
            endpoint: text("endpoint"),
            methods: normalize_methods(value.get("methods")),
            status: text("status").unwrap_or_default(),
            strict_slashes: value.get("strict_slashes").and_then(Value::as_bool).unwrap_or(true),
            location: format!(
                "{}:{}",
                text("file").unwrap_or_else(|| "?".into()),
                value.get("line").and_then(Value::as_u64).unwrap_or(0)
            ),
        }
    }

    /// Whether this (dynamic) route may stand for the Flask rule `key`: its known parts agree.
    /// One with both rule and endpoint known stands for that single registration (methods are
    /// not compared: they may be what is unknown); one with either unknown, for a whole family.
    fn covers(&self, key: &RuleKey) -> bool {
        fn agrees(known: &Option<String>, actual: &str) -> bool {
            match known {
                Some(known) => known == actual,
                None => true,
            }
        }
        agrees(&self.rule, &key.0) && agrees(&self.endpoint, &key.1)
    }

    fn describe(&self) -> String {
        format!(
            "rule={} endpoint={} methods={:?} at {}",
            self.rule.as_deref().unwrap_or("<dynamic>"),
            self.endpoint.as_deref().unwrap_or("<dynamic>"),
            self.methods,
            self.location
        )
    }
}

fn normalize_methods(value: Option<&Value>) -> Vec<String> {
    let mut methods: Vec<String> = value
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(Value::as_str).map(|m| m.to_uppercase()).collect())
        .unwrap_or_default();
    methods.sort();
    methods.dedup();
    methods
}

/// What `flask_url_map.py` printed for one app.
struct FlaskMap {
    rules: BTreeSet<RuleKey>,
    import_name: String,
    /// `app.blueprints` keys: dotted registration names.
    blueprints: BTreeSet<String>,
    /// Each rule's `strict_slashes` once bound to the map, by rule and endpoint.
    strict_slashes: BTreeMap<(String, String), bool>,
    /// The project's own request hooks, counted by `"<kind> <scope>"`.
    hooks: BTreeMap<String, u64>,
    /// The same, each as `"<kind> <scope> <module>.<qualname>"`.
    hook_functions: BTreeSet<String>,
    /// The project's own Jinja filters, globals and tests, as `"<kind> <name>"`.
    template_functions: BTreeSet<String>,
    /// The project's own error handlers, as `"<scope> <code or exception> <module>.<function>"`.
    error_handlers: BTreeSet<String>,
}

fn run_inventory(dir: &Path) -> Result<Value, String> {
    let finished = process::run(
        Command::new(env!("CARGO_BIN_EXE_flask2django")).arg("inventory").arg(dir).args(["--format", "json"]),
        INVENTORY_TIMEOUT,
    )?;
    if !finished.success() {
        return Err(format!(
            "`flask2django inventory {} --format json` failed ({}):\n{}",
            dir.display(),
            finished.status,
            process::tail(&finished.stderr, 40)
        ));
    }
    serde_json::from_str(&finished.stdout).map_err(|e| {
        format!(
            "`flask2django inventory {} --format json` printed invalid JSON ({e}):\n{}",
            dir.display(),
            process::tail(&finished.stdout, 20)
        )
    })
}

fn run_flask(dir: &Path, app: Option<&str>) -> Result<FlaskMap, String> {
    let mut cmd = python::script_command("flask_url_map.py");
    cmd.arg(dir);
    if let Some(app) = app {
        cmd.arg("--app").arg(app);
    }
    let shown = match app {
        Some(app) => format!("flask_url_map.py {} --app {app}", dir.display()),
        None => format!("flask_url_map.py {}", dir.display()),
    };
    let finished = process::run(&mut cmd, FLASK_TIMEOUT)?;
    if !finished.success() {
        return Err(format!(
            "real Flask could not load the app: `{shown}` failed ({}):\n{}",
            finished.status,
            process::tail(&finished.stderr, 40)
        ));
    }
    let json: Value = serde_json::from_str(&finished.stdout)
        .map_err(|e| format!("`{shown}` printed invalid JSON ({e}):\n{}", finished.stdout))?;
    let rules = json["rules"]
        .as_array()
        .ok_or_else(|| format!("`{shown}` printed no `rules` array"))?
        .iter()
        .map(|r| {
            (
                r["rule"].as_str().unwrap_or_default().to_string(),
                r["endpoint"].as_str().unwrap_or_default().to_string(),
                normalize_methods(r.get("methods")),
            )
        })
        .collect();
    let blueprints = json["blueprints"]
        .as_array()
        .map(|b| b.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    let strict_slashes = json["rules"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            let text = |k: &str| r[k].as_str().unwrap_or_default().to_string();
            ((text("rule"), text("endpoint")), r["strict_slashes"].as_bool().unwrap_or(true))
        })
        .collect();
    let hooks = json["hooks"]
        .as_object()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_u64().unwrap_or(0))).collect())
        .unwrap_or_default();
    let template_functions = json["template_functions"]
        .as_array()
        .map(|f| f.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    Ok(FlaskMap {
        rules,
        import_name: json["import_name"].as_str().unwrap_or_default().to_string(),
        blueprints,
        strict_slashes,
        hooks,
        hook_functions: json["hook_functions"]
            .as_array()
            .map(|f| f.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
            .unwrap_or_default(),
        template_functions,
        error_handlers: json["error_handlers"]
            .as_array()
            .map(|f| f.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
            .unwrap_or_default(),
    })
}

fn show(key: &RuleKey) -> String {
    format!("{:<40} {:<36} {}", key.0, key.1, key.2.join(","))
}

/// Compares our routes of one app with Flask's; appends any problem to `problems`.
fn compare_app(app: &str, ours: &[OurRoute], flask: &FlaskMap, problems: &mut Vec<String>) {
    let mut exact: BTreeMap<RuleKey, Vec<&OurRoute>> = BTreeMap::new();
    let mut dynamic: Vec<&OurRoute> = Vec::new();
    for route in ours {
        match route.status.as_str() {
            "resolved" | "unreachable" => match (&route.rule, &route.endpoint) {
                (Some(rule), Some(endpoint)) => {
                    exact.entry((rule.clone(), endpoint.clone(), route.methods.clone())).or_default().push(route)
                }
                _ => problems.push(format!(
                    "app {app}: a {} route has no rule or endpoint: {}",
                    route.status,
                    route.describe()
                )),
            },
            "dynamic" => dynamic.push(route),
            other => problems.push(format!("app {app}: unknown route status {other:?}: {}", route.describe())),
        }
    }

    let extra: Vec<(&RuleKey, &Vec<&OurRoute>)> = exact.iter().filter(|(key, _)| !flask.rules.contains(*key)).collect();
    let flask_only: Vec<&RuleKey> = flask.rules.iter().filter(|key| !exact.contains_key(*key)).collect();

    let uncovered: Vec<&RuleKey> =
        flask_only.iter().copied().filter(|key| !dynamic.iter().any(|d| d.covers(key))).collect();

    // Trailing-slash handling of the routes found on both sides.
    for ((rule, endpoint, _), routes) in &exact {
        let Some(&strict) = flask.strict_slashes.get(&(rule.clone(), endpoint.clone())) else { continue };
        for r in routes.iter().filter(|r| r.strict_slashes != strict) {
            problems.push(format!(
                "app {app}: {rule} ({endpoint}) has strict_slashes {strict} in Flask's url_map, {} in ours [{}]",
                r.strict_slashes, r.location
            ));
        }
    }

    if extra.is_empty() && uncovered.is_empty() {
        return;
    }

    let mut report =
        format!("app {app} (Flask import name {:?}): our routes differ from real Flask's url_map\n", flask.import_name);
    if !extra.is_empty() {
        let _ = writeln!(report, "  EXTRA: ours (resolved/unreachable) but not in Flask's url_map ({}):", extra.len());
        for (key, routes) in &extra {
            let at: Vec<&str> = routes.iter().map(|r| r.location.as_str()).collect();
            let _ = writeln!(report, "    + {}   [{}]", show(key), at.join(", "));
        }
    }
    if !uncovered.is_empty() {
        let _ = writeln!(
            report,
            "  MISSING: in Flask's url_map, ours has neither the route nor a dynamic route for it \
             ({}):",
            uncovered.len()
        );
        for key in &uncovered {
            let _ = writeln!(report, "    - {}", show(key));
        }
    }
    if !dynamic.is_empty() {
        let _ = writeln!(report, "  our dynamic routes of this app ({}):", dynamic.len());
        for d in &dynamic {
            let _ = writeln!(report, "    ~ {}", d.describe());
        }
    }
    let _ = writeln!(report, "  Flask's url_map ({} rules):", flask.rules.len());
    for key in &flask.rules {
        let _ = writeln!(report, "    = {}", show(key));
    }
    problems.push(report);
}

/// Our app's registered blueprint names must be exactly Flask's `app.blueprints` keys, unless
/// some registration of that app is dynamic.
fn compare_blueprints(app: &str, inventory: &Value, flask: &FlaskMap, problems: &mut Vec<String>) {
    let Some(ours) = inventory["apps"].as_array().and_then(|a| a.iter().find(|x| x["id"] == app)) else { return };
    let ours: BTreeSet<String> = ours["blueprints"]
        .as_array()
        .map(|b| b.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    let dynamic = inventory["blueprints"]
        .as_array()
        .is_some_and(|b| b.iter().any(|x| x["app"] == app && x["status"] == "dynamic"))
        || inventory["routes"]
            .as_array()
            .is_some_and(|r| r.iter().any(|x| x["app"] == app && x["status"] == "dynamic"));
    let missing: Vec<&String> = flask.blueprints.difference(&ours).collect();
    // A blueprint registered under a run-time condition (status dynamic) may be absent.
    let conditional = |name: &str| {
        inventory["blueprints"]
            .as_array()
            .is_some_and(|b| b.iter().any(|x| x["app"] == app && x["name"] == name && x["status"] == "dynamic"))
    };
    let extra: Vec<&String> = ours.difference(&flask.blueprints).filter(|b| !conditional(b)).collect();
    if !extra.is_empty() || (!missing.is_empty() && !dynamic) {
        problems.push(format!(
            "app {app}: blueprints differ from Flask's app.blueprints: missing {missing:?}, extra {extra:?}"
        ));
    }
}

/// Compares our request hooks of one app with those real Flask holds from the project's code,
/// counted by kind and scope (`before_app_request` is Flask's app-wide `before_request`), and
/// named.
fn compare_hooks(app: &str, inventory: &Value, flask: &FlaskMap, problems: &mut Vec<String>) {
    let hooks = inventory["hooks"].as_array().cloned().unwrap_or_default();
    let ours_of_app: Vec<&Value> = hooks.iter().filter(|h| h["app"] == app).collect();
    // With hooks registered only under a run-time condition, the resolved ones must be among
    // Flask's, and each of Flask's must be ours, resolved or conditional; without, the counts
    // must be equal.
    let conditional = ours_of_app.iter().any(|h| h["status"] != "resolved");
    let mut ours: BTreeMap<String, u64> = BTreeMap::new();
    let mut ours_all: BTreeSet<String> = BTreeSet::new();
    for h in ours_of_app {
        let kind = h["kind"].as_str().unwrap_or_default();
        // `before_app_request`, `app_url_defaults`: Flask's app-wide forms of the same lists.
        let kind = kind.strip_prefix("app_").map_or_else(|| kind.replacen("_app_", "_", 1), str::to_string);
        if ![
            "before_request",
            "after_request",
            "teardown_request",
            "url_value_preprocessor",
            "url_defaults",
            "teardown_appcontext",
        ]
        .contains(&kind.as_str())
        {
            continue;
        }
        let key = format!("{kind} {}", h["scope"].as_str().unwrap_or("app"));
        ours_all.insert(format!("{key} {}", h["function"].as_str().unwrap_or_default()));
        if h["status"] == "resolved" {
            *ours.entry(key).or_default() += 1;
        }
    }
    let differ = if conditional {
        ours.iter().any(|(k, n)| flask.hooks.get(k).copied().unwrap_or(0) < *n)
    } else {
        ours != flask.hooks
    };
    // Each of Flask's hooks is one of ours, by name, resolved or conditional.
    let missing: Vec<&String> = flask.hook_functions.iter().filter(|f| !ours_all.contains(*f)).collect();
    if !missing.is_empty() {
        problems.push(format!("app {app}: Flask's hooks {missing:?} are not among ours {ours_all:?}"));
    }
    if differ {
        problems
            .push(format!("app {app}: request hooks differ from Flask's: ours {ours:?}, Flask's {:?}", flask.hooks));
    }
}

/// Compares our Jinja filters, globals and tests of one app with those real Flask's Jinja
/// environment holds from the project's code. Skipped when some of ours are not resolved.
fn compare_template_functions(app: &str, inventory: &Value, flask: &FlaskMap, problems: &mut Vec<String>) {
    let functions = inventory["template_functions"].as_array().cloned().unwrap_or_default();
    let of_app: Vec<&Value> = functions
        .iter()
        .filter(|t| t["app"] == app && matches!(t["kind"].as_str(), Some("filter" | "global" | "test")))
        .collect();
    if of_app.iter().any(|t| t["name"].is_null() || t["status"].as_str().is_some_and(|s| s != "resolved")) {
        return;
    }
    let ours: BTreeSet<String> = of_app
        .iter()
        .map(|t| format!("{} {}", t["kind"].as_str().unwrap_or_default(), t["name"].as_str().unwrap_or_default()))
        .collect();
    if ours != flask.template_functions {
        problems.push(format!(
            "app {app}: template filters, globals and tests differ from Flask's: ours {ours:?}, Flask's {:?}",
            flask.template_functions
        ));
    }
}

/// Compares our error handlers of one app with those real Flask holds from the project's code:
/// scope, status code (or exception class name) and function. Skipped when some of ours are not
/// resolved.
fn compare_error_handlers(app: &str, inventory: &Value, flask: &FlaskMap, problems: &mut Vec<String>) {
    let handlers = inventory["error_handlers"].as_array().cloned().unwrap_or_default();
    let of_app: Vec<&Value> = handlers.iter().filter(|h| h["app"] == app).collect();
    if of_app.iter().any(|h| h["status"] != "resolved") {
        return;
    }
    let ours: BTreeSet<String> = of_app
        .iter()
        .map(|h| {
            let error = h["error"].as_str().unwrap_or_default();
            let error = error.rsplit('.').next().unwrap_or(error);
            let restx = if h["api"].is_string() { "restx " } else { "" };
            format!(
                "{restx}{} {error} {}",
                h["scope"].as_str().unwrap_or("app"),
                h["function"].as_str().unwrap_or_default()
            )
        })
        .collect();
    if ours != flask.error_handlers {
        problems.push(format!(
            "app {app}: error handlers differ from Flask's: ours {ours:?}, Flask's {:?}",
            flask.error_handlers
        ));
    }
}

fn check_fixture(name: &str) {
    let dir = fixtures_root().join(name);
    assert!(dir.is_dir(), "fixture {name}: {} is not a directory", dir.display());
    let mut problems: Vec<String> = Vec::new();

    let inventory = match run_inventory(&dir) {
        Ok(inventory) => inventory,
        Err(e) => panic!("fixture {name}: {e}"),
    };

    let apps: Vec<String> = inventory["apps"]
        .as_array()
        .map(|apps| apps.iter().filter_map(|a| a["id"].as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    if apps.is_empty() {
        panic!("fixture {name}: the inventory found no app (top-level `apps` is empty or missing)");
    }
    let routes: Vec<Value> = inventory["routes"].as_array().cloned().unwrap_or_default();

    let mut primary_map: Option<FlaskMap> = None;
    for (index, app) in apps.iter().enumerate() {
        let ours: Vec<OurRoute> =
            routes.iter().filter(|r| r["app"].as_str() == Some(app.as_str())).map(OurRoute::from_json).collect();
        match run_flask(&dir, Some(app)) {
            Ok(flask) => {
                compare_app(app, &ours, &flask, &mut problems);
                compare_blueprints(app, &inventory, &flask, &mut problems);
                compare_hooks(app, &inventory, &flask, &mut problems);
                compare_template_functions(app, &inventory, &flask, &mut problems);
                compare_error_handlers(app, &inventory, &flask, &mut problems);
                if index == 0 {
                    primary_map = Some(flask);
                }
            }
            Err(e) => problems.push(format!("app {app}: {e}")),
        }
    }

    // Flask's own discovery must land on the app we call primary.
    match (run_flask(&dir, None), &primary_map) {
        (Ok(discovered), Some(primary)) => {
            if discovered.rules != primary.rules {
                let mut report = format!(
                    "Flask's default discovery (no --app) loads {:?}, which is not our primary app \
                     {:?} (the first of `apps`; all apps: {apps:?}):\n",
                    discovered.import_name, apps[0]
                );
                for key in discovered.rules.difference(&primary.rules) {
                    let _ = writeln!(report, "    only in the discovered app: {}", show(key));
                }
                for key in primary.rules.difference(&discovered.rules) {
                    let _ = writeln!(report, "    only in our primary app:    {}", show(key));
                }
                problems.push(report);
            }
        }
        (Ok(_), None) => {} // already reported: Flask could not load our primary app
        (Err(e), _) => problems.push(format!(
            "Flask's default discovery (no --app) failed; every fixture must be loadable by a \
             plain `flask` command: {e}"
        )),
    }

    if !problems.is_empty() {
        panic!("fixture {name} ({}): {} problem(s)\n\n{}", dir.display(), problems.len(), problems.join("\n"));
    }
}

/// A helper module that calls a factory from an `if` (task queues do: `if current_app: ...
/// else: flask_app = create_app()`), beside the application's own factory that wraps it: the
/// first app is the wrapping factory's, and what either factory registers is not conditional.
/// Each app's routes are real Flask's for that app.
#[test]
fn factory_called_from_a_branch_is_not_conditional() {
    let work = tempfile::tempdir().unwrap();
    write_project(
        work.path(),
        &[
            ("pkg/__init__.py", "from pkg import factory\nfrom pkg.users import users_bp\n\n\ndef create_app():\n    return factory.create_app(blueprints=(users_bp,))\n"),
            ("pkg/factory.py", "from flask import Flask\n\nfrom pkg.health import health_bp\n\n\ndef create_app(blueprints=()):\n    app = Flask(__name__)\n    for bp in tuple(blueprints) + (health_bp,):\n        app.register_blueprint(bp, url_prefix=\"/api/1\")\n    return app\n"),
            ("pkg/health.py", "from flask import Blueprint\n\nhealth_bp = Blueprint(\"health\", __name__)\n\n\n@health_bp.route(\"/healthcheck\")\ndef health():\n    return \"ok\"\n"),
            ("pkg/users.py", "from flask import Blueprint\n\nusers_bp = Blueprint(\"users\", __name__)\n\n\n@users_bp.route(\"/users\")\ndef users():\n    return \"users\"\n"),
            ("pkg/redis_helper.py", "from flask import current_app\n\nfrom pkg.factory import create_app\n\nif current_app:\n    flask_app = current_app\nelse:\n    flask_app = create_app()\n"),
        ],
    );
    let inventory = run_inventory(work.path()).unwrap();
    let apps = app_ids(&inventory);
    assert_eq!(apps, ["pkg:create_app()", "pkg.factory:create_app()"], "{inventory:#}");
    assert_unconditional(&inventory);
    for app in apps {
        let flask = run_flask(work.path(), Some(app)).unwrap();
        let ours = our_rule_keys(&inventory, Some(app));
        assert_eq!(ours, flask.rules, "app {app}: ours (left) against real Flask (right)");
    }
}

/// Timesketch's layout: `wsgi.py` calls the factory from an `if` and its `else`, the factory
/// adds Flask-RESTful resources in a loop, and `create_worker()` calls the factory to build
/// something else (a Celery app there). One app, the one `wsgi.py` names, whose routes are all
/// unconditional, as in real Flask.
#[test]
fn a_function_returning_something_else_is_not_a_factory() {
    let work = tempfile::tempdir().unwrap();
    write_project(
        work.path(),
        &[
            ("pkg/__init__.py", "from flask import Flask\nfrom flask_restful import Api, Resource\n\n\nclass Items(Resource):\n    def get(self):\n        return {}\n\n\nROUTES = [(Items, \"/items\")]\n\n\ndef create_app(legacy=False):\n    app = Flask(__name__, template_folder=\"old\" if legacy else \"new\")\n    api = Api(app, prefix=\"/api\")\n    for route in ROUTES:\n        api.add_resource(*route)\n    return app\n\n\nclass Worker:\n    def __init__(self, app):\n        self.app = app\n\n\ndef create_worker():\n    app = create_app()\n    return Worker(app)\n"),
            ("tasks.py", "from pkg import create_worker\n\nworker = create_worker()\n"),
            ("wsgi.py", "import os\n\nfrom pkg import create_app\n\nif os.environ.get(\"UI\") == \"legacy\":\n    application = create_app(legacy=True)\nelse:\n    application = create_app()\n"),
        ],
    );
    let inventory = run_inventory(work.path()).unwrap();
    let apps = app_ids(&inventory);
    assert_eq!(apps, ["wsgi:application"], "{inventory:#}");
    assert_unconditional(&inventory);
    let flask = run_flask(work.path(), None).unwrap();
    assert_eq!(our_rule_keys(&inventory, None), flask.rules, "ours (left) against real Flask (right)");
}

/// `cps.py` beside the package `cps/` (calibre-web's layout): `import cps` is the package, as
/// in Python, and a view's own `from flask import render_template` is followed.
#[test]
fn a_package_wins_over_a_module_of_the_same_name() {
    let work = tempfile::tempdir().unwrap();
    write_project(
        work.path(),
        &[
            ("cps.py", "from cps import app\n\nif __name__ == \"__main__\":\n    app.run()\n"),
            ("cps/__init__.py", "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route(\"/\")\ndef index():\n    from flask import render_template\n\n    return render_template(\"index.html\")\n"),
            ("cps/templates/index.html", "<p>library</p>\n"),
        ],
    );
    let inventory = run_inventory(work.path()).unwrap();
    let apps = app_ids(&inventory);
    assert_eq!(apps, ["cps:app"], "{inventory:#}");
    let diagnostics = inventory["diagnostics"].as_array().cloned().unwrap_or_default();
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    let flask = run_flask(work.path(), Some("cps")).unwrap();
    let ours = our_rule_keys(&inventory, None);
    assert_eq!(ours, flask.rules, "ours (left) against real Flask (right)");
}

/// `def create_app(app: Flask = app)`, which adds routes to the module's app when a caller asks
/// (mlflow's basic-auth server): real Flask's `--app server:app` does not call it, and neither
/// does the inventory, which says so (FD110).
#[test]
fn a_function_adding_to_an_app_it_takes_by_default_is_not_run() {
    let work = tempfile::tempdir().unwrap();
    write_project(
        work.path(),
        &[(
            "server.py",
            "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route(\"/health\")\ndef health():\n    return \"ok\"\n\n\ndef signup():\n    return \"sign up\"\n\n\ndef create_app(app: Flask = app):\n    app.add_url_rule(\"/signup\", view_func=signup)\n    return app\n",
        )],
    );
    let inventory = run_inventory(work.path()).unwrap();
    let codes: Vec<&str> =
        inventory["diagnostics"].as_array().unwrap().iter().filter_map(|d| d["code"].as_str()).collect();
    assert_eq!(codes, ["FD110"], "{inventory:#}");
    let flask = run_flask(work.path(), Some("server:app")).unwrap();
    assert_eq!(our_rule_keys(&inventory, None), flask.rules, "ours (left) against real Flask (right)");
}

/// A template folder built from `__file__` and set on the app after it is made (CKAN): the
/// folder real Flask's loader searches, with its templates.
#[test]
fn a_template_folder_built_from_file_is_the_one_flask_searches() {
    let work = tempfile::tempdir().unwrap();
    write_project(
        work.path(),
        &[
            ("portal/__init__.py", ""),
            (
                "portal/web/__init__.py",
                "import os\n\nfrom flask import Flask, render_template\n\nROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))\n\n\ndef create_app():\n    app = Flask(__name__)\n    app.template_folder = os.path.join(ROOT, \"templates\")\n\n    @app.route(\"/\")\n    def index():\n        return render_template(\"home.html\")\n\n    return app\n",
            ),
            ("portal/templates/home.html", "<p>home</p>\n"),
        ],
    );
    let inventory = run_inventory(work.path()).unwrap();
    let diagnostics = inventory["diagnostics"].as_array().cloned().unwrap_or_default();
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    let probe = "import json, os\nfrom portal.web import create_app\napp = create_app()\nprint(json.dumps(os.path.relpath(app.jinja_loader.searchpath[0], os.getcwd())))\n";
    let stdout = crate::support::python::run_code(probe, work.path(), &[], FLASK_TIMEOUT);
    let flask: Value = serde_json::from_str(stdout.trim().lines().last().unwrap_or_default()).unwrap();
    assert_eq!(inventory["apps"][0]["template_folder"], flask, "ours (left) against real Flask (right)");
    let names: Vec<&str> =
        inventory["templates"].as_array().unwrap().iter().filter_map(|t| t["name"].as_str()).collect();
    assert_eq!(names, ["home.html"]);
}

/// The same with `pathlib`: `Path(__file__).resolve().parent / "templates"` and, in a package,
/// `Path(__path__[0]) / "static"` (flexget's API app) are the folders real Flask uses.
#[test]
fn folders_built_with_pathlib_are_the_ones_flask_uses() {
    let work = tempfile::tempdir().unwrap();
    write_project(
        work.path(),
        &[
            ("portal/__init__.py", ""),
            (
                "portal/web/__init__.py",
                "from pathlib import Path\n\nfrom flask import Flask, render_template\n\nfrom . import __path__\n\nHERE = Path(__file__).resolve().parent\n\n\ndef create_app():\n    app = Flask(__name__, template_folder=HERE.parent / \"templates\", static_folder=Path(__path__[0]) / \"static\")\n\n    @app.route(\"/\")\n    def index():\n        return render_template(\"home.html\")\n\n    return app\n",
            ),
            ("portal/templates/home.html", "<p>home</p>\n"),
            ("portal/web/static/app.css", "p {}\n"),
        ],
    );
    let inventory = run_inventory(work.path()).unwrap();
    let diagnostics = inventory["diagnostics"].as_array().cloned().unwrap_or_default();
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    let probe = "import json, os\nfrom portal.web import create_app\napp = create_app()\nrel = lambda p: os.path.relpath(p, os.getcwd())\nprint(json.dumps([rel(app.jinja_loader.searchpath[0]), rel(app.static_folder)]))\n";
    let stdout = crate::support::python::run_code(probe, work.path(), &[], FLASK_TIMEOUT);
    let flask: Value = serde_json::from_str(stdout.trim().lines().last().unwrap_or_default()).unwrap();
    let app = &inventory["apps"][0];
    assert_eq!(
        Value::Array(vec![app["template_folder"].clone(), app["static_folder"].clone()]),
        flask,
        "ours (left) against real Flask (right)"
    );
}

/// A second server built on the factory (`app = create_app()` in another module, then more
/// routes on that instance, as zou's event stream does): two apps, each with the routes real
/// Flask gives it, and the factory's app first.
#[test]
fn an_instance_extended_after_its_factory_is_an_app_of_its_own() {
    let work = tempfile::tempdir().unwrap();
    write_project(
        work.path(),
        &[
            ("app/__init__.py", "from flask import Blueprint, Flask\n\nbp = Blueprint(\"index\", __name__)\n\n\n@bp.route(\"/data/projects\")\ndef projects():\n    return \"projects\"\n\n\ndef create_app():\n    app = Flask(__name__)\n    app.register_blueprint(bp)\n    return app\n"),
            ("app/event_stream.py", "from app import create_app\n\napp = create_app()\n\n\n@app.route(\"/stats\")\ndef stats():\n    return \"0\"\n"),
        ],
    );
    let inventory = run_inventory(work.path()).unwrap();
    let apps = app_ids(&inventory);
    assert_eq!(apps, ["app:create_app()", "app.event_stream:app"], "{inventory:#}");
    for app in apps {
        let flask = run_flask(work.path(), Some(app)).unwrap();
        let ours = our_rule_keys(&inventory, Some(app));
        assert_eq!(ours, flask.rules, "app {app}: ours (left) against real Flask (right)");
    }
}

/// A factory that registers a hook on the module-level app it returns, called by the project's
/// own `main()` (calibre-web): the hook is registered once, as when Flask runs the code, not
/// once more by a second call of the factory.
#[test]
fn a_factory_the_project_calls_is_not_called_again() {
    let work = tempfile::tempdir().unwrap();
    write_project(
        work.path(),
        &[
            ("pkg/__init__.py", "from flask import Flask\n\napp = Flask(__name__)\n\n\ndef create_app():\n    @app.after_request\n    def secure(resp):\n        return resp\n\n    return app\n"),
            ("pkg/main.py", "from . import create_app\n\n\ndef main():\n    app = create_app()\n    return app\n"),
            ("run.py", "from pkg.main import main\n\nmain()\n"),
        ],
    );
    let inventory = run_inventory(work.path()).unwrap();
    let hooks = inventory["hooks"].as_array().unwrap();
    assert_eq!(hooks.len(), 1, "{hooks:#?}");
    // Real Flask, running the same code once, has the one hook.
    let code = "import json, sys\nsys.path.insert(0, '.')\nfrom pkg.main import main\napp = main()\nprint(json.dumps([f.__qualname__ for f in app.after_request_funcs[None]]))\n";
    let flask = python::run_code(code, work.path(), &[], FLASK_TIMEOUT);
    assert_eq!(flask.trim(), r#"["create_app.<locals>.secure"]"#);
}

/// One function under `app_errorhandler` of several blueprints (privacyIDEA stacks one per
/// blueprint) is one handler of the app, as in real Flask.
#[test]
fn one_handler_registered_by_several_blueprints_is_one() {
    let work = tempfile::tempdir().unwrap();
    write_project(
        work.path(),
        &[(
            "app.py",
            "from flask import Blueprint, Flask\n\nusers = Blueprint(\"users\", __name__)\nroles = Blueprint(\"roles\", __name__)\n\n\n\
             class AuthError(Exception):\n    pass\n\n\n\
             @users.app_errorhandler(AuthError)\n@roles.app_errorhandler(AuthError)\n@users.app_errorhandler(500)\n\
             def auth_error(e):\n    return \"no\", 401\n\n\n\
             app = Flask(__name__)\napp.register_blueprint(users)\napp.register_blueprint(roles)\n",
        )],
    );
    let inventory = run_inventory(work.path()).unwrap();
    let ours: Vec<String> = inventory["error_handlers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| format!("{} {}", h["scope"].as_str().unwrap(), h["error"].as_str().unwrap()))
        .collect();
    assert_eq!(ours, ["app 500", "app app.AuthError"]);
    let code = "import json\nfrom app import app\nspec = app.error_handler_spec[None]\n\
                print(json.dumps(sorted(f\"{code} {e.__name__}\" for code, d in spec.items() for e in d)))\n";
    let flask = python::run_code(code, work.path(), &[], FLASK_TIMEOUT);
    assert_eq!(flask.trim(), r#"["500 InternalServerError", "None AuthError"]"#);
}

/// The app is wired up in `main()`, which only `python run.py` runs (`if __name__ ==
/// "__main__": main()` in a script beside the package of the same name, calibre-web's layout):
/// its blueprints and hooks are the app's, as when real Flask runs the script.
#[test]
fn what_a_scripts_main_block_registers_is_the_apps() {
    let work = tempfile::tempdir().unwrap();
    write_project(
        work.path(),
        &[
            ("cps/__init__.py", "from flask import Flask\n\napp = Flask(__name__)\n\n\ndef create_app():\n    @app.after_request\n    def secure(resp):\n        return resp\n\n    return app\n"),
            ("cps/views.py", "from flask import Blueprint\n\nweb = Blueprint(\"web\", __name__)\n\n\n@web.route(\"/hello\")\ndef hello():\n    return \"hi\"\n"),
            ("cps/main.py", "from . import create_app\n\n\ndef main():\n    app = create_app()\n    from .views import web\n\n    app.register_blueprint(web)\n    app.run()\n"),
            ("cps.py", "from cps.main import main\n\nif __name__ == \"__main__\":\n    main()\n"),
        ],
    );
    let inventory = run_inventory(work.path()).unwrap();
    let apps = app_ids(&inventory);
    assert_eq!(apps, ["cps:app"], "{inventory:#}");
    assert_eq!(inventory["hooks"].as_array().unwrap().len(), 1, "{inventory:#}");
    let ours: BTreeSet<(String, String)> = inventory["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["rule"].as_str().unwrap().to_string(), r["endpoint"].as_str().unwrap().to_string()))
        .collect();
    // Real Flask, running the script's main() with the server start left out.
    let code = "import json, runpy, sys\nsys.path.insert(0, '.')\nimport flask\nflask.Flask.run = lambda self, *a, **k: None\nrunpy.run_path('cps.py', run_name='__main__')\nfrom cps import app\nprint(json.dumps({'rules': sorted([r.rule, r.endpoint] for r in app.url_map.iter_rules()), 'hooks': len(app.after_request_funcs[None])}))\n";
    let flask: Value = serde_json::from_str(python::run_code(code, work.path(), &[], FLASK_TIMEOUT).trim()).unwrap();
    let theirs: BTreeSet<(String, String)> = flask["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r[0].as_str().unwrap().to_string(), r[1].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(ours, theirs, "ours (left) against real Flask (right)");
    assert_eq!(flask["hooks"], 1);
}

/// `--app "pkg:create_app('full', with_api=True)"`: the factory gets the literal arguments Flask
/// passes, positional and keyword, so what it registers under them is the app's, and the app's
/// id shows them. Real Flask's map for the same `--app` is the inventory's.
#[test]
fn literal_arguments_of_the_app_option_reach_the_factory() {
    let work = tempfile::tempdir().unwrap();
    write_project(
        work.path(),
        &[
            ("pkg/__init__.py", "from flask import Blueprint, Flask\n\nadmin = Blueprint(\"admin\", __name__)\napi = Blueprint(\"api\", __name__)\n\n\n@admin.route(\"/admin\")\ndef dashboard():\n    return \"admin\"\n\n\n@api.route(\"/items/<int:n>\")\ndef item(n):\n    return str(n)\n\n\ndef create_app(config_name=\"default\", with_api=False, prefixes={\"api\": \"/v0\"}):\n    app = Flask(__name__)\n    if config_name == \"full\":\n        app.register_blueprint(admin)\n    if with_api:\n        app.register_blueprint(api, url_prefix=prefixes[\"api\"])\n    return app\n"),
        ],
    );
    let spec = "pkg:create_app('full', with_api=True, prefixes={'api': '/v2'})";
    let finished = process::run(
        Command::new(env!("CARGO_BIN_EXE_flask2django"))
            .arg("inventory")
            .arg(work.path())
            .args(["--format", "json", "--app", spec]),
        INVENTORY_TIMEOUT,
    )
    .unwrap();
    assert!(finished.success(), "{}", finished.stderr);
    let inventory: Value = serde_json::from_str(&finished.stdout).unwrap();
    assert_eq!(
        app_ids(&inventory)[0],
        "pkg:create_app('full', with_api=True, prefixes={'api': '/v2'})",
        "{inventory:#}"
    );
    assert_unconditional(&inventory);
    let flask = run_flask(work.path(), Some(spec)).unwrap();
    let ours = our_rule_keys(&inventory, Some(app_ids(&inventory)[0]));
    assert_eq!(ours, flask.rules, "ours (left) against real Flask (right)");
    assert!(ours.iter().any(|r| r.0 == "/v2/items/<int:n>"), "{ours:#?}");
}

/// Apps made when a class is instantiated: in its `__init__`, kept in `self.app` (locust's
/// `WebUI`, made by code the analysis does not follow), and in its `__new__`, which returns the
/// app (pyload's `App`). Both are found, the first by instantiating its class with unknown
/// arguments (FD110 says so), and each has real Flask's rules.
#[test]
fn apps_made_when_a_class_is_instantiated_are_found() {
    let work = tempfile::tempdir().unwrap();
    write_project(
        work.path(),
        &[
            ("webui.py", "from flask import Blueprint, Flask\n\n\nclass WebUI:\n    def __init__(self, environment, web_base_path=\"\"):\n        app = Flask(__name__)\n        self.app = app\n        ui = Blueprint(\"ui\", __name__, url_prefix=web_base_path)\n\n        @ui.route(\"/\")\n        def index():\n            return \"index\"\n\n        @ui.route(\"/swarm\", methods=[\"POST\"])\n        def swarm():\n            return \"ok\"\n\n        app.register_blueprint(ui)\n"),
            ("webapp.py", "import flask\n\nbp_a = flask.Blueprint(\"a\", __name__)\n\n\n@bp_a.route(\"/\")\ndef index():\n    return \"a\"\n\n\nclass App:\n    @classmethod\n    def _configure_blueprints(cls, app, prefix):\n        app.register_blueprint(bp_a, url_prefix=prefix)\n\n    def __new__(cls, core, path_prefix=\"/web\"):\n        app = flask.Flask(__name__)\n        cls._configure_blueprints(app, path_prefix)\n        return app\n\n\nclass Runner:\n    def __init__(self, core):\n        self.app = App(core)\n"),
        ],
    );
    let inventory = run_inventory(work.path()).unwrap();
    let flask = python::run_code(
        "import json, webui, webapp\nout = {}\nfor name, app in ((\"webui\", webui.WebUI(None).app), (\"webapp\", webapp.App(None))):\n    out[name] = sorted([r.rule, r.endpoint, sorted(r.methods)] for r in app.url_map.iter_rules())\nprint(json.dumps(out))\n",
        work.path(),
        &[],
        FLASK_TIMEOUT,
    );
    let flask: Value = serde_json::from_str(flask.trim().lines().last().unwrap()).unwrap();
    for module in ["webui", "webapp"] {
        let apps: Vec<&str> =
            app_ids(&inventory).into_iter().filter(|a| a.starts_with(&format!("{module}:"))).collect();
        assert_eq!(apps.len(), 1, "{module}: {inventory:#}");
        let theirs: BTreeSet<RuleKey> = flask[module]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (r[0].as_str().unwrap().to_string(), r[1].as_str().unwrap().to_string(), normalize_methods(Some(&r[2])))
            })
            .collect();
        assert_eq!(
            our_rule_keys(&inventory, Some(apps[0])),
            theirs,
            "{module}: ours (left) against real Flask (right)"
        );
    }
    let diagnostics = inventory["diagnostics"].as_array().unwrap();
    assert!(diagnostics.iter().any(|d| d["code"] == "FD110" && d["file"] == "webui.py"), "{diagnostics:#?}");
}

/// A subclass of Flask that nothing in the project makes (Lektor's admin `WebUI(env)`, made by
/// its dev server with a live environment): it is made once with its arguments unknown (FD110),
/// as its `__init__`'s `Flask.__init__(self, "pkg", static_url_path=...)` (or `super().__init__`)
/// describes it, and the blueprints it registers through `find_modules` and `__import__` are its
/// routes, as real Flask has them.
#[test]
fn a_flask_subclass_nothing_makes_is_found_as_its_init_describes_it() {
    let work = tempfile::tempdir().unwrap();
    write_project(
        work.path(),
        &[
            ("pkg/__init__.py", ""),
            ("pkg/templates/dash.html", "<p>dash</p>\n"),
            ("pkg/modules/__init__.py", "from werkzeug.utils import find_modules\n\n\ndef register_modules(app):\n    for module in find_modules(__name__):\n        app.register_blueprint(__import__(module, None, None, [\"bp\"]).bp)\n"),
            ("pkg/modules/dash.py", "from flask import Blueprint, render_template\n\nbp = Blueprint(\"dash\", __name__, url_prefix=\"/admin\")\n\n\n@bp.route(\"/\")\ndef app_view():\n    return render_template(\"dash.html\")\n"),
            ("pkg/webui.py", "from flask import Flask\n\nfrom pkg.modules import register_modules\n\n\nclass WebUI(Flask):\n    def __init__(self, env, debug=False):\n        Flask.__init__(self, \"pkg\", static_url_path=\"/admin/static\")\n        self.env = env\n        register_modules(self)\n"),
        ],
    );
    let inventory = run_inventory(work.path()).unwrap();
    let apps = app_ids(&inventory);
    assert_eq!(apps.len(), 1, "{inventory:#}");
    let flask = python::run_code(
        "import json\nfrom pkg.webui import WebUI\napp = WebUI(None)\nprint(json.dumps(sorted([r.rule, r.endpoint, sorted(r.methods)] for r in app.url_map.iter_rules())))\n",
        work.path(),
        &[],
        FLASK_TIMEOUT,
    );
    let theirs = printed_rule_keys(&flask);
    assert_eq!(our_rule_keys(&inventory, Some(apps[0])), theirs, "ours (left) against real Flask (right)");
    let codes: Vec<&str> =
        inventory["diagnostics"].as_array().unwrap().iter().filter_map(|d| d["code"].as_str()).collect();
    assert_eq!(codes, ["FD110"], "{inventory:#}");
}

/// WSGI middleware wrapping the app (`app.wsgi_app = ProxyFix(app.wsgi_app, ...)`, and a class
/// of the project's own, as module-build-service's `ReverseProxy`): each is listed with the
/// extensions, as the chain real Flask's `app.wsgi_app` holds, and the one no table row knows
/// gets FD301 saying what to do with it.
#[test]
fn wsgi_middleware_wrapping_the_app_is_listed() {
    let work = tempfile::tempdir().unwrap();
    write_project(
        work.path(),
        &[(
            "app.py",
            "from flask import Flask\nfrom werkzeug.middleware.proxy_fix import ProxyFix\n\n\nclass ReverseProxy:\n    def __init__(self, wsgi_app):\n        self.wsgi_app = wsgi_app\n\n    def __call__(self, environ, start_response):\n        script_name = environ.get(\"HTTP_X_SCRIPT_NAME\", \"\")\n        if script_name:\n            environ[\"SCRIPT_NAME\"] = script_name\n        return self.wsgi_app(environ, start_response)\n\n\napp = Flask(__name__)\napp.wsgi_app = ProxyFix(app.wsgi_app, x_proto=1, x_host=1)\napp.wsgi_app = ReverseProxy(app.wsgi_app)\n\n\n@app.route(\"/\")\ndef index():\n    return \"index\"\n",
        )],
    );
    let inventory = run_inventory(work.path()).unwrap();
    let mut ours: Vec<&str> = inventory["extensions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["wsgi_middleware"] == true)
        .filter_map(|e| e["class"].as_str())
        .collect();
    ours.sort();
    let flask = python::run_code(
        "import json\nfrom app import app\nchain = []\nm = app.wsgi_app\nwhile getattr(m, \"__self__\", None) is not app:\n    chain.append(f\"{type(m).__module__}.{type(m).__qualname__}\")\n    m = getattr(m, \"app\", None) or m.wsgi_app\nprint(json.dumps(sorted(chain)))\n",
        work.path(),
        &[],
        FLASK_TIMEOUT,
    );
    let theirs: Vec<String> = serde_json::from_str(flask.trim().lines().last().unwrap()).unwrap();
    assert_eq!(ours, theirs, "ours (left) against the chain of real Flask's app.wsgi_app (right)");
    let unmapped = diagnostics_with(&inventory, "FD301");
    assert_eq!(unmapped.len(), 1, "{unmapped:#?}");
    assert!(unmapped[0]["message"].as_str().unwrap().contains("WSGI middleware `app.ReverseProxy`"), "{unmapped:#?}");
}

/// flask-restful-swagger-2's `Api` and `Resource` are Flask-RESTful's (actinia's API), and a
/// resource given to `add_resource` serves the methods it defines whatever library base stands
/// between it and `Resource` (a package's `ResourceBase`, not in the project): each rule is real
/// Flask's, with the methods the project's classes define; those of the package's base are not
/// known (FD102). The specification routes the library adds are FD102 too.
#[test]
fn resources_of_a_flask_restful_subclass_and_of_unknown_bases_are_routes() {
    let work = tempfile::tempdir().unwrap();
    let lib = work.path().join("lib/restlib");
    std::fs::create_dir_all(&lib).unwrap();
    std::fs::write(lib.join("__init__.py"), "from flask_restful import Resource\n\n\nclass ResourceBase(Resource):\n    def get(self, project):\n        return {}\n").unwrap();
    let project = work.path().join("project");
    write_project(
        &project,
        &[(
            "app.py",
            "from flask import Flask\nfrom flask_restful_swagger_2 import Api, Resource\nfrom restlib import ResourceBase\n\napp = Flask(__name__)\napi = Api(app, api_version=\"1.0\", api_spec_url=\"/api/swagger\", prefix=\"/api/v3\")\n\n\nclass UserList(Resource):\n    def get(self):\n        return []\n\n    def post(self):\n        return {}\n\n\nclass Processing(ResourceBase):\n    def post(self, project):\n        return {}\n\n    def delete(self, project):\n        return {}\n\n\napi.add_resource(UserList, \"/users\")\napi.add_resource(Processing, \"/projects/<string:project>/processing\")\n",
        )],
    );
    let inventory = run_inventory(&project).unwrap();
    let ours: BTreeSet<RuleKey> = our_rule_keys(&inventory, None);
    let flask = python::run_code(
        "import json\nfrom app import app\nprint(json.dumps(sorted([r.rule, r.endpoint, sorted(r.methods)] for r in app.url_map.iter_rules() if r.endpoint != \"swagger\")))\n",
        &project,
        &[("PYTHONPATH", work.path().join("lib").to_str().unwrap())],
        FLASK_TIMEOUT,
    );
    let theirs = printed_rule_keys(&flask);
    assert_eq!(theirs.len(), 3, "{theirs:?}");
    // The methods `ResourceBase` defines (GET) cannot be known: FD102 says so.
    let theirs: BTreeSet<RuleKey> = theirs
        .into_iter()
        .map(|(rule, endpoint, methods)| match endpoint.as_str() {
            "processing" => (rule, endpoint, methods.into_iter().filter(|m| m != "GET" && m != "HEAD").collect()),
            _ => (rule, endpoint, methods),
        })
        .collect();
    assert_eq!(ours, theirs, "ours (left) against real Flask (right)");
    let diagnostics = inventory["diagnostics"].as_array().unwrap();
    assert!(
        diagnostics.iter().any(|d| d["code"] == "FD102"
            && d["message"].as_str().is_some_and(|m| m.contains("derives from `restlib.ResourceBase`"))),
        "{diagnostics:#?}"
    );
    assert!(
        diagnostics
            .iter()
            .any(|d| d["code"] == "FD102"
                && d["message"].as_str().is_some_and(|m| m.contains("flask-restful-swagger-2"))),
        "{diagnostics:#?}"
    );
}

/// `getattr(module, "blueprint", None)` of a module imported by a name computed at run time
/// (shopyo's plugin loader): the attribute may exist, so the registration under `if bp:` is
/// unresolved (FD102), and the blueprint is not said to be never registered.
#[test]
fn getattr_of_an_object_not_followed_is_not_its_default() {
    let work = tempfile::tempdir().unwrap();
    write_project(
        work.path(),
        &[
            ("app.py", "import importlib\nimport os\n\nfrom flask import Flask\n\napp = Flask(__name__)\nview_mod = importlib.import_module(os.environ.get(\"VIEWS\", \"views\"))\nbp = getattr(view_mod, \"blueprint\", None)\nif bp:\n    app.register_blueprint(bp)\n"),
            ("views.py", "from flask import Blueprint\n\nblueprint = Blueprint(\"www\", __name__, url_prefix=\"/www\")\n\n\n@blueprint.route(\"/\")\ndef index():\n    return \"www\"\n"),
        ],
    );
    let inventory = run_inventory(work.path()).unwrap();
    let diagnostics = inventory["diagnostics"].as_array().unwrap();
    assert!(diagnostics.iter().any(|d| d["code"] == "FD102" && d["file"] == "app.py"), "{diagnostics:#?}");
    assert!(
        !diagnostics
            .iter()
            .any(|d| d["code"] == "FD108" && d["message"].as_str().is_some_and(|m| m.contains("never registered"))),
        "{diagnostics:#?}"
    );
}

/// Templates rendered through a Jinja environment of the project's own (pygeoapi's
/// `render_j2_template(config, tpl_config, "landing_page.html", data)`, which calls
/// `env.get_template(template)`; errbot's `env.get_template("webstatus.md")`) are used: no
/// FD203 for them. Such an environment may load from folders that are not Flask's, so a name it
/// does not find there is not FD202 either. Real Jinja renders each one. A template a
/// configuration value names (`SECURITY_LOGIN_USER_TEMPLATE`, which Flask-Security renders) is
/// used too.
#[test]
fn templates_of_the_projects_own_jinja_environment_are_used() {
    let work = tempfile::tempdir().unwrap();
    write_project(
        work.path(),
        &[
            ("templates/landing_page.html", "<h1>{{ title }}</h1>\n"),
            ("templates/webstatus.md", "status: {{ status }}\n"),
            ("render.py", "from jinja2 import Environment, FileSystemLoader\n\nenv = Environment(loader=FileSystemLoader([\"templates\", \"chat\"]))\n\n\ndef render_j2_template(config, tpl_config, template, data):\n    return env.get_template(template).render(**data)\n\n\ndef status():\n    return env.get_template(\"webstatus.md\").render(status=\"ok\")\n"),
            ("chat/help.md", "help\n"),
            ("templates/security/login_user.html", "<form></form>\n"),
            ("app.py", "from flask import Flask\n\nfrom render import env, render_j2_template, status\n\napp = Flask(__name__)\n# Flask-Security renders the template this setting names.\napp.config[\"SECURITY_LOGIN_USER_TEMPLATE\"] = \"security/login_user.html\"\n\n\n@app.route(\"/\")\ndef landing():\n    return render_j2_template({}, {}, \"landing_page.html\", {\"title\": \"home\"})\n\n\n@app.route(\"/status\")\ndef webstatus():\n    return status()\n\n\n@app.route(\"/help\")\ndef help_page():\n    return env.get_template(\"help.md\").render()\n"),
        ],
    );
    let inventory = run_inventory(work.path()).unwrap();
    let codes: Vec<&str> =
        inventory["diagnostics"].as_array().unwrap().iter().filter_map(|d| d["code"].as_str()).collect();
    assert!(codes.is_empty(), "{:#?}", inventory["diagnostics"]);
    let out = python::run_code(
        "from app import app\nc = app.test_client()\nprint([c.get(u).data.decode().strip() for u in ['/', '/status', '/help']])\n",
        work.path(),
        &[],
        FLASK_TIMEOUT,
    );
    assert_eq!(out.trim(), "['<h1>home</h1>', 'status: ok', 'help']");
}

/// What a rule depends on that is decided at run time is said, not taken for Werkzeug's
/// default: `url_map.strict_slashes` set from configuration (pygeoapi), a blueprint's
/// `static_folder` set from configuration (its static route exists when the folder is set),
/// and a rule's `defaults` holding a class (module-build-service's `{"model": ModuleBuild}`).
#[test]
fn rule_options_decided_at_run_time_are_reported() {
    let work = tempfile::tempdir().unwrap();
    write_project(
        work.path(),
        &[(
            "app.py",
            "import os\n\nfrom flask import Blueprint, Flask\n\nSTATIC_FOLDER = os.environ.get(\"STATIC\", \"static\")\n\n\nclass ModuleBuild:\n    pass\n\n\ndef log_messages(id, model):\n    return model.__name__\n\n\napp = Flask(__name__)\napp.url_map.strict_slashes = os.environ.get(\"STRICT\") == \"1\"\nbp = Blueprint(\"api\", __name__, static_folder=STATIC_FOLDER, url_prefix=\"/api\")\nbp.add_url_rule(\"/builds/<int:id>/messages\", view_func=log_messages, defaults={\"model\": ModuleBuild})\napp.register_blueprint(bp)\n",
        )],
    );
    let inventory = run_inventory(work.path()).unwrap();
    let messages: Vec<&str> =
        diagnostics_with(&inventory, "FD102").into_iter().filter_map(|d| d["message"].as_str()).collect();
    assert!(messages.iter().any(|m| m.contains("url_map.strict_slashes")), "{messages:#?}");
    assert!(messages.iter().any(|m| m.contains("the default `model` = app.ModuleBuild")), "{messages:#?}");
    let routes = inventory["routes"].as_array().unwrap();
    let bp_static: Vec<&Value> = routes.iter().filter(|r| r["endpoint"] == "api.static").collect();
    assert_eq!(bp_static.len(), 1, "{routes:#?}");
    assert_eq!(bp_static[0]["status"], "dynamic", "{routes:#?}");
    // Real Flask has the blueprint's static route, as the folder is set by default.
    let flask = run_flask(work.path(), None).unwrap();
    assert!(flask.rules.iter().any(|k| k.1 == "api.static"), "{:?}", flask.rules);
}

/// A resource added under run-time conditions (cornflow's sign-up, added when the auth type and
/// a setting allow it): FD103 names each condition once, not once for the adding and again for
/// the registration.
#[test]
fn a_conditional_resource_names_each_condition_once() {
    let work = tempfile::tempdir().unwrap();
    write_project(
        work.path(),
        &[(
            "app.py",
            "import os\n\nfrom flask import Flask\nfrom flask_restful import Api, Resource\n\n\nclass SignUp(Resource):\n    def post(self):\n        return \"signup\"\n\n\ndef create_app():\n    app = Flask(__name__)\n    app.config[\"AUTH_TYPE\"] = int(os.getenv(\"AUTH_TYPE\", 1))\n    app.config[\"SIGNUP\"] = int(os.getenv(\"SIGNUP\", 1))\n    api = Api(app)\n    auth_type = app.config[\"AUTH_TYPE\"]\n    if auth_type == 1:\n        activated = int(app.config[\"SIGNUP\"])\n        if activated in [1, 2]:\n            api.add_resource(SignUp, \"/signup/\", endpoint=\"signup\")\n    return app\n",
        )],
    );
    let inventory = run_inventory(work.path()).unwrap();
    let conditional = diagnostics_with(&inventory, "FD103");
    assert_eq!(conditional.len(), 1, "{conditional:#?}");
    let message = conditional[0]["message"].as_str().unwrap();
    assert_eq!(message.matches("only when").count(), 2, "{message}");
}

/// `Flask("flexmeasures").instance_path` in a helper makes a Flask object only to read where
/// its instance folder is: it is not an application (flexmeasures had two phantom apps, each
/// with a static route, that convert said to convert with `--app`).
#[test]
fn a_flask_object_made_for_one_attribute_is_not_an_app() {
    let work = tempfile::tempdir().unwrap();
    write_project(
        work.path(),
        &[(
            "app.py",
            "import os\n\nfrom flask import Flask\n\n\ndef find_cfg():\n    return os.path.join(Flask(\"shop\").instance_path, \"shop.cfg\")\n\n\ndef create_app():\n    app = Flask(__name__)\n    app.config.from_pyfile(find_cfg(), silent=True)\n\n    @app.route(\"/\")\n    def index():\n        return \"index\"\n\n    return app\n",
        )],
    );
    let inventory = run_inventory(work.path()).unwrap();
    assert_eq!(app_ids(&inventory), ["app:create_app()"], "{inventory:#}");
    let flask = run_flask(work.path(), None).unwrap();
    assert_eq!(our_rule_keys(&inventory, None), flask.rules, "ours (left) against real Flask (right)");
}

/// An app whose template folder is computed at run time (onionshare's
/// `template_folder=self.common.get_resource_path("templates")`): FD201 says so, and no template
/// it renders is said to be missing (FD202), as which ones exist is not known.
#[test]
fn templates_of_a_computed_folder_are_not_reported_missing() {
    let work = tempfile::tempdir().unwrap();
    write_project(
        work.path(),
        &[
            ("resources/templates/send.html", "<p>send</p>\n"),
            ("app.py", "import os\n\nfrom flask import Flask, render_template\n\n\ndef resource_path(name):\n    return os.path.join(os.environ.get(\"RESOURCES\", \"resources\"), name)\n\n\napp = Flask(__name__, template_folder=resource_path(\"templates\"))\n\n\n@app.route(\"/\")\ndef send():\n    return render_template(\"send.html\")\n"),
        ],
    );
    let inventory = run_inventory(work.path()).unwrap();
    let codes: Vec<&str> =
        inventory["diagnostics"].as_array().unwrap().iter().filter_map(|d| d["code"].as_str()).collect();
    assert_eq!(codes, ["FD201"], "{inventory:#}");
}

/// `for code in default_exceptions: bp.register_error_handler(code, f)`: Werkzeug's table is
/// known, so the loop registers one resolved handler a code, as real Flask holds them.
#[test]
fn a_loop_over_werkzeugs_default_exceptions_registers_each_code() {
    let dir = fixtures_root().join("nested_blueprints");
    let inventory = run_inventory(&dir).unwrap();
    let handlers = inventory["error_handlers"].as_array().unwrap();
    let admin: Vec<&Value> = handlers.iter().filter(|h| h["scope"] == "admin").collect();
    assert!(admin.len() > 30 && admin.iter().all(|h| h["status"] == "resolved"), "{admin:#?}");
    let flask = run_flask(&dir, None).unwrap();
    let mut problems = Vec::new();
    compare_error_handlers(app_ids(&inventory)[0], &inventory, &flask, &mut problems);
    assert!(problems.is_empty(), "{problems:#?}");
}

/// `cherrypy.tree.graft(api_app, "/api")` serves the app under a prefix its rules do not show
/// (flexget's web server): FD102 says so, once for the mount, and not for the one at the root.
#[test]
fn an_app_grafted_under_a_prefix_by_cherrypy_is_reported() {
    let work = tempfile::tempdir().unwrap();
    write_project(
        work.path(),
        &[(
            "webserver.py",
            "import cherrypy\nfrom flask import Flask\n\n_default_app = Flask(__name__)\napi_app = Flask(\"api\")\n\n\n@api_app.route(\"/tasks/\")\ndef tasks():\n    return \"tasks\"\n\n\ncherrypy.tree.graft(_default_app, \"/\")\ncherrypy.tree.graft(api_app, \"/api\")\n",
        )],
    );
    let inventory = run_inventory(work.path()).unwrap();
    let mounts: Vec<&Value> = inventory["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "FD102" && d["message"].as_str().is_some_and(|m| m.contains("tree.graft")))
        .collect();
    assert_eq!(mounts.len(), 1, "{mounts:#?}");
    assert!(mounts[0]["message"].as_str().unwrap().contains("`api_app` is mounted under `/api`"), "{mounts:#?}");
}

/// `app.wsgi_app = DispatcherMiddleware(NotFound(), {root: app.wsgi_app})` mounts the app itself
/// under a prefix (cornflow's `APPLICATION_ROOT`): FD102 says its URLs move under the prefix,
/// not that it is some other application whose URLs are missing.
#[test]
fn an_app_mounting_itself_under_a_prefix_is_reported_as_itself() {
    let work = tempfile::tempdir().unwrap();
    write_project(
        work.path(),
        &[(
            "app.py",
            "import os\n\nfrom flask import Flask\nfrom werkzeug.exceptions import NotFound\nfrom werkzeug.middleware.dispatcher import DispatcherMiddleware\n\napp = Flask(__name__)\n\n\n@app.route(\"/health/\")\ndef health():\n    return \"ok\"\n\n\nif os.environ.get(\"APPLICATION_ROOT\"):\n    app.wsgi_app = DispatcherMiddleware(NotFound(), {os.environ[\"APPLICATION_ROOT\"]: app.wsgi_app})\n",
        )],
    );
    let inventory = run_inventory(work.path()).unwrap();
    let mounts: Vec<&Value> = diagnostics_with(&inventory, "FD102")
        .into_iter()
        .filter(|d| d["message"].as_str().is_some_and(|m| m.contains("DispatcherMiddleware")))
        .collect();
    assert_eq!(mounts.len(), 1, "{mounts:#?}");
    let message = mounts[0]["message"].as_str().unwrap();
    assert!(message.contains("its URLs are that prefix followed by its rules"), "{message}");
    let routes = inventory["routes"].as_array().unwrap();
    assert!(routes.iter().any(|r| r["rule"] == "/health/" && r["status"] == "resolved"), "{routes:#?}");
}

/// A rule registered alike in both branches of an `if` on run-time configuration, with a
/// different view in each (udata's `/login/`): it exists either way, so it is certain (no
/// FD103) and is real Flask's rule. A rule registered in one branch only stays conditional.
#[test]
fn a_rule_registered_in_every_branch_is_certain() {
    let work = tempfile::tempdir().unwrap();
    write_project(
        work.path(),
        &[(
            "app.py",
            "from flask import Blueprint, Flask\n\n\ndef send_login():\n    return \"passwordless\"\n\n\ndef login():\n    return \"password\"\n\n\ndef magic():\n    return \"magic\"\n\n\ndef create_app():\n    app = Flask(__name__)\n    app.config.from_envvar(\"APP_SETTINGS\", silent=True)\n    bp = Blueprint(\"security\", __name__)\n    if app.config.get(\"PASSWORDLESS\"):\n        bp.route(\"/login/\", methods=[\"GET\", \"POST\"], endpoint=\"login\")(send_login)\n        bp.route(\"/magic\", endpoint=\"magic\")(magic)\n    else:\n        bp.route(\"/login/\", methods=[\"GET\", \"POST\"], endpoint=\"login\")(login)\n    app.register_blueprint(bp)\n    return app\n",
        )],
    );
    let inventory = run_inventory(work.path()).unwrap();
    let routes = inventory["routes"].as_array().unwrap();
    let status = |rule: &str| routes.iter().find(|r| r["rule"] == rule).map(|r| r["status"].clone());
    assert_eq!(status("/login/"), Some(Value::from("resolved")), "{routes:#?}");
    assert_eq!(status("/magic"), Some(Value::from("dynamic")), "{routes:#?}");
    let flask = run_flask(work.path(), None).unwrap();
    assert_eq!(resolved_rule_keys(&inventory), flask.rules, "ours (left) against real Flask (right)");
}

/// The same when the last branch raises instead (cornflow's `else: raise ConfigurationError`):
/// the code after the `if` runs only after another branch, so a rule those register alike is
/// certain.
#[test]
fn a_rule_registered_in_every_branch_that_goes_on_is_certain() {
    let work = tempfile::tempdir().unwrap();
    write_project(
        work.path(),
        &[(
            "app.py",
            "from flask import Flask\n\n\ndef login_db():\n    return \"db\"\n\n\ndef login_ldap():\n    return \"ldap\"\n\n\ndef create_app():\n    app = Flask(__name__)\n    app.config[\"AUTH_TYPE\"] = \"db\"\n    app.config.from_envvar(\"APP_SETTINGS\", silent=True)\n    auth = app.config[\"AUTH_TYPE\"]\n    if auth == \"db\":\n        app.add_url_rule(\"/login/\", \"login\", login_db, methods=[\"POST\"])\n    elif auth == \"ldap\":\n        app.add_url_rule(\"/login/\", \"login\", login_ldap, methods=[\"POST\"])\n    else:\n        raise ValueError(\"unknown AUTH_TYPE\")\n    return app\n",
        )],
    );
    let inventory = run_inventory(work.path()).unwrap();
    let routes = inventory["routes"].as_array().unwrap();
    let login: Vec<&Value> = routes.iter().filter(|r| r["rule"] == "/login/").collect();
    assert_eq!(login.len(), 1, "{routes:#?}");
    assert_eq!(login[0]["status"], "resolved", "{routes:#?}");
    let flask = run_flask(work.path(), None).unwrap();
    assert_eq!(resolved_rule_keys(&inventory), flask.rules, "ours (left) against real Flask (right)");
}

/// Values a run-time condition chooses between are not guessed (httpbin, dtale): a rule set to
/// a different literal in each branch of an `if` on an optional import is computed at run time;
/// a function that returns early on settings a configuration file may change (a file read, or
/// else `None`) registers the rest of its routes under that condition (FD103). A literal a value
/// falls back to is kept: `/about` under a prefix an environment variable may add is `/about`,
/// as real Flask has it by default. What we call certain is what real Flask serves.
#[test]
fn values_a_condition_chooses_between_are_not_guessed() {
    let work = tempfile::tempdir().unwrap();
    write_project(
        work.path(),
        &[
            (
                "settings.py",
                "import os\n\nAUTH = {\"active\": False}\n\n\ndef read_config():\n    path = os.environ.get(\"APP_CONFIG\", \"app.ini\")\n    if os.path.isfile(path):\n        import configparser\n\n        config = configparser.ConfigParser()\n        config.read(path)\n        return config\n    return None\n\n\ndef load(config):\n    if config is None:\n        return\n    AUTH[\"active\"] = config.getboolean(\"auth\", \"active\")\n\n\nload(read_config())\n",
            ),
            (
                "app.py",
                "import os\n\nfrom flask import Flask\n\nimport settings\n\ntry:\n    from flasgger import Swagger\nexcept ImportError:\n    Swagger = False\n\napp = Flask(__name__)\n\nif Swagger:\n    staticroute = \"/legacy\"\nelse:\n    staticroute = \"/\"\n\n\n@app.route(staticroute)\ndef landing():\n    return \"landing\"\n\n\ndef prefixed(route):\n    if prefix := os.environ.get(\"APP_PREFIX\"):\n        return prefix.rstrip(\"/\") + route\n    return route\n\n\ndef setup_auth(app):\n    if not settings.AUTH[\"active\"]:\n        return\n\n    @app.route(\"/login\")\n    def login():\n        return \"login\"\n\n\n@app.route(prefixed(\"/about\"))\ndef about():\n    return \"about\"\n\n\nsetup_auth(app)\n",
            ),
        ],
    );
    let inventory = run_inventory(work.path()).unwrap();
    let routes = inventory["routes"].as_array().unwrap();
    let status = |endpoint: &str| routes.iter().find(|r| r["endpoint"] == endpoint).map(|r| r["status"].clone());
    assert_eq!(status("landing"), Some(Value::from("dynamic")), "{routes:#?}");
    assert_eq!(status("login"), Some(Value::from("dynamic")), "{routes:#?}");
    assert_eq!(status("about"), Some(Value::from("resolved")), "{routes:#?}");
    let conditional: Vec<&str> =
        diagnostics_with(&inventory, "FD103").iter().filter_map(|d| d["message"].as_str()).collect();
    assert!(conditional.iter().any(|m| m.contains("/login")), "{conditional:?}");
    let flask = run_flask(work.path(), None).unwrap();
    let ours = resolved_rule_keys(&inventory);
    assert!(ours.iter().any(|k| k.0 == "/about"), "{ours:?}");
    assert!(ours.is_subset(&flask.rules), "ours (left) against real Flask (right): {ours:?} {:?}", flask.rules);
}

/// Settings built from a module's location (`basedir = os.path.abspath(os.path.dirname(__file__))`,
/// the idiom of countless Flask configurations) are paths inside the project: with the project's
/// folder for `<project>`, each is the value real Flask has, and the generated settings name the
/// database file in the project instead of one at the root of the machine.
#[test]
fn settings_built_from_a_modules_location_are_paths_in_the_project() {
    let work = tempfile::tempdir().unwrap();
    write_project(
        work.path(),
        &[
            (
                "config.py",
                "import os\n\nbasedir = os.path.abspath(os.path.dirname(__file__))\n\n\nclass Config:\n    SQLALCHEMY_DATABASE_URI = \"sqlite:///\" + os.path.join(basedir, \"app.db\")\n    UPLOAD_FOLDER = os.path.join(os.path.dirname(__file__), \"uploads\")\n    DATA_DIR = os.path.join(basedir, \"pkg\", \"..\", \"data\")\n",
            ),
            (
                "app.py",
                "from flask import Flask\n\nfrom config import Config\n\napp = Flask(__name__)\napp.config.from_object(Config)\n\n\n@app.route(\"/\")\ndef index():\n    return \"index\"\n",
            ),
        ],
    );
    let keys = ["SQLALCHEMY_DATABASE_URI", "UPLOAD_FOLDER", "DATA_DIR"];
    let inventory = run_inventory(work.path()).unwrap();
    let root = work.path().canonicalize().unwrap();
    let ours: BTreeMap<String, String> = inventory["config"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| keys.contains(&c["key"].as_str().unwrap_or_default()))
        .map(|c| {
            let v = c["value"].as_str().unwrap().replace("/<project>", &root.to_string_lossy());
            (c["key"].as_str().unwrap().to_string(), v)
        })
        .collect();
    let code = "import json\nfrom app import app\nprint(json.dumps({k: app.config[k] for k in ['SQLALCHEMY_DATABASE_URI', 'UPLOAD_FOLDER', 'DATA_DIR']}))\n";
    let flask: BTreeMap<String, String> =
        serde_json::from_str(python::run_code(code, &root, &[], FLASK_TIMEOUT).trim().lines().last().unwrap()).unwrap();
    assert_eq!(ours, flask, "ours (left) against real Flask (right)");
    let out = tempfile::tempdir().unwrap();
    process::convert(work.path(), out.path());
    let settings = std::fs::read_to_string(out.path().join("config/settings.py")).unwrap();
    assert!(settings.contains("\"NAME\": BASE_DIR / \"app.db\""), "{settings}");
}

/// Blueprints and handlers collected in a set with `add` and registered in a loop, and WSGI
/// middleware applied in a loop over `reversed(...)` (keystone): all are followed, as real
/// Flask registers and wraps them.
#[test]
fn sets_filled_with_add_and_reversed_loops_are_followed() {
    let work = tempfile::tempdir().unwrap();
    write_project(
        work.path(),
        &[(
            "app.py",
            "import flask\n\nBLUEPRINTS = set()\na = flask.Blueprint(\"a\", __name__)\nb = flask.Blueprint(\"b\", __name__)\n\n\n@a.route(\"/a\")\ndef a_index():\n    return \"a\"\n\n\n@b.route(\"/b\")\ndef b_index():\n    return \"b\"\n\n\nBLUEPRINTS.add(a)\nBLUEPRINTS.update([b])\nBLUEPRINTS.add(a)\n\n\nclass Outer:\n    def __init__(self, app):\n        self.app = app\n\n    def __call__(self, environ, start_response):\n        return self.app(environ, start_response)\n\n\nclass Inner(Outer):\n    pass\n\n\nMIDDLEWARE = (Outer, Inner)\n\n\ndef create_app():\n    app = flask.Flask(__name__)\n    for bp in BLUEPRINTS:\n        app.register_blueprint(bp)\n    for mw in reversed(MIDDLEWARE):\n        app.wsgi_app = mw(app.wsgi_app)\n    return app\n",
        )],
    );
    let inventory = run_inventory(work.path()).unwrap();
    assert!(diagnostics_with(&inventory, "FD108").is_empty(), "{:#?}", inventory["diagnostics"]);
    let flask = run_flask(work.path(), None).unwrap();
    assert_eq!(resolved_rule_keys(&inventory), flask.rules, "ours (left) against real Flask (right)");
    let middleware: Vec<&str> = inventory["extensions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["wsgi_middleware"] == true)
        .filter_map(|e| e["class"].as_str())
        .collect();
    assert_eq!(middleware.len(), 2, "{:#?}", inventory["extensions"]);
}

/// A `Blueprint` subclass overriding `route` to register each rule twice (`rule` and
/// `rule + ".json"`, blazar's `Rest`), reached through its own `get`: the project's methods run,
/// as in Python, and an override calling `super().route(...)` reaches Flask's. Real Flask's map.
#[test]
fn a_blueprint_subclass_overriding_route_is_run() {
    let work = tempfile::tempdir().unwrap();
    write_project(
        work.path(),
        &[(
            "app.py",
            "import flask\n\n\nclass Rest(flask.Blueprint):\n    def get(self, rule):\n        return self.route(rule, methods=[\"GET\"])\n\n    def route(self, rule, **options):\n        def decorator(func):\n            endpoint = options.pop(\"endpoint\", func.__name__)\n            self.add_url_rule(rule, endpoint, func, **options)\n            self.add_url_rule(rule + \".json\", endpoint, func, **options)\n            return func\n\n        return decorator\n\n\nclass Api(flask.Blueprint):\n    def route(self, rule, **options):\n        return super().route(\"/api\" + rule, **options)\n\n\nrest = Rest(\"hosts\", __name__, url_prefix=\"/v1/os-hosts\")\napi = Api(\"api\", __name__)\n\n\n@rest.get(\"\")\ndef hosts_list():\n    return \"list\"\n\n\n@rest.get(\"/<host_id>\")\ndef hosts_get(host_id):\n    return host_id\n\n\n@api.route(\"/ping\", methods=[\"POST\"])\ndef ping():\n    return \"pong\"\n\n\napp = flask.Flask(__name__)\napp.register_blueprint(rest)\napp.register_blueprint(api)\n",
        )],
    );
    let inventory = run_inventory(work.path()).unwrap();
    assert_unconditional(&inventory);
    let flask = run_flask(work.path(), None).unwrap();
    assert_eq!(resolved_rule_keys(&inventory), flask.rules, "ours (left) against real Flask (right)");
}

/// The routes of a blueprint no followed registration registers (a plugin loader, blazar's
/// stevedore) are listed with no app under its own `url_prefix`, joined as Flask joins them: an
/// empty rule is the prefix alone. Real Flask, registering it, has the same rules.
#[test]
fn an_unregistered_blueprints_rules_are_joined_as_flask_joins_them() {
    let work = tempfile::tempdir().unwrap();
    write_project(
        work.path(),
        &[(
            "app.py",
            "import os\n\nimport flask\n\nbp = flask.Blueprint(\"hosts\", __name__, url_prefix=\"/v1/os-hosts\")\n\n\n@bp.route(\"\", methods=[\"GET\"])\ndef hosts_list():\n    return \"list\"\n\n\n@bp.route(\"/<host_id>\")\ndef hosts_get(host_id):\n    return host_id\n\n\ndef create_app():\n    app = flask.Flask(__name__)\n    for b in [globals()[os.environ.get(\"BP\", \"bp\")]]:\n        app.register_blueprint(b, url_prefix=b.url_prefix)\n    return app\n",
        )],
    );
    let inventory = run_inventory(work.path()).unwrap();
    let ours: BTreeSet<RuleKey> =
        our_rule_keys(&inventory, None).into_iter().filter(|k| k.1.starts_with("hosts.")).collect();
    let flask = run_flask(work.path(), None).unwrap();
    let theirs: BTreeSet<RuleKey> = flask.rules.into_iter().filter(|k| k.1.starts_with("hosts.")).collect();
    assert_eq!(ours, theirs, "ours (left) against real Flask (right)");
}

/// Rules printed by real Flask as a JSON list of `[rule, endpoint, methods]` (the last line of
/// `stdout`), keyed as ours are.
fn printed_rule_keys(stdout: &str) -> BTreeSet<RuleKey> {
    let rules: Value = serde_json::from_str(stdout.trim().lines().last().unwrap()).unwrap();
    rules
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (r[0].as_str().unwrap().to_string(), r[1].as_str().unwrap().to_string(), normalize_methods(Some(&r[2])))
        })
        .collect()
}

/// Our resolved routes, of all apps, keyed as Flask's map is.
fn resolved_rule_keys(inventory: &Value) -> BTreeSet<RuleKey> {
    let routes = inventory["routes"].as_array().unwrap();
    our_rule_keys(inventory, None)
        .into_iter()
        .filter(|k| routes.iter().any(|r| r["rule"] == k.0.as_str() && r["status"] == "resolved"))
        .collect()
}

/// The diagnostics of an inventory with the code `code`.
fn diagnostics_with<'a>(inventory: &'a Value, code: &str) -> Vec<&'a Value> {
    inventory["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] == code).collect()
}

/// Our routes, of one app or of all, keyed as Flask's map is.
fn our_rule_keys(inventory: &Value, app: Option<&str>) -> BTreeSet<RuleKey> {
    inventory["routes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| app.map_or(true, |a| r["app"] == a))
        // A rule computed at run time has none to compare.
        .filter_map(|r| {
            Some((
                r["rule"].as_str()?.to_string(),
                r["endpoint"].as_str().unwrap().to_string(),
                normalize_methods(r.get("methods")),
            ))
        })
        .collect()
}

/// The ids of the apps an inventory lists, in its order.
fn app_ids(inventory: &Value) -> Vec<&str> {
    inventory["apps"].as_array().unwrap().iter().filter_map(|a| a["id"].as_str()).collect()
}

/// Every route is resolved and none is registered under a condition (no FD103).
fn assert_unconditional(inventory: &Value) {
    let routes = inventory["routes"].as_array().unwrap();
    assert!(routes.iter().all(|r| r["status"] == "resolved"), "{routes:#?}");
    let diagnostics = inventory["diagnostics"].as_array().cloned().unwrap_or_default();
    assert!(!diagnostics.iter().any(|d| d["code"] == "FD103"), "{diagnostics:#?}");
}

/// Writes a small project: each file's path under `dir`, and its text.
fn write_project(dir: &Path, files: &[(&str, &str)]) {
    for (rel, text) in files {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// An app class with a template loader of its own (Indico's `IndicoFlask`): a name the loader
/// resolves at run time is no missing template, and a template only it finds is no unused one.
/// Real Flask renders `page.html` from the loader's second folder; the inventory reports the
/// loader (FD201) instead of FD202/FD203.
#[test]
fn a_template_loader_of_the_projects_own_is_reported_not_second_guessed() {
    let work = tempfile::tempdir().unwrap();
    write_project(
        work.path(),
        &[
            (
                "skinsite.py",
                "import os\n\nfrom flask import Flask, render_template\nfrom jinja2 import ChoiceLoader, FileSystemLoader\n\nHERE = os.path.dirname(os.path.abspath(__file__))\n\n\nclass SiteFlask(Flask):\n    @property\n    def jinja_loader(self):\n        return ChoiceLoader([FileSystemLoader(os.path.join(HERE, d)) for d in (\"skins/dark\", \"skins/base\")])\n\n\napp = SiteFlask(__name__)\n\n\n@app.route(\"/\")\ndef index():\n    return render_template(\"page.html\")\n",
            ),
            ("skins/base/page.html", "<p>base</p>\n"),
        ],
    );
    let inventory = run_inventory(work.path()).unwrap();
    let codes: Vec<&str> =
        inventory["diagnostics"].as_array().unwrap().iter().filter_map(|d| d["code"].as_str()).collect();
    assert_eq!(codes, ["FD201"], "{inventory:#}");
    let rendered = python::run_code(
        "from skinsite import app\nwith app.test_request_context():\n    from flask import render_template\n    print(render_template('page.html'))\n",
        work.path(),
        &[],
        FLASK_TIMEOUT,
    );
    assert!(rendered.contains("<p>base</p>"), "{rendered}");
}

/// A project class made on a library's subclass of Flask (`class ShopAPI(APIFlask)`) makes an
/// app, as `APIFlask(...)` does: its routes, error handlers and APIFlask's OpenAPI blueprint are
/// real Flask's, and APIFlask is listed among the app's extensions.
#[test]
fn a_project_subclass_of_a_library_app_class_is_an_app() {
    let work = tempfile::tempdir().unwrap();
    write_project(
        work.path(),
        &[(
            "app.py",
            "from apiflask import APIFlask\n\n\nclass ShopAPI(APIFlask):\n    pass\n\n\napp = ShopAPI(__name__, title=\"Shop\")\n\n\n@app.get(\"/items\")\ndef items():\n    return {\"items\": []}\n\n\n@app.errorhandler(404)\ndef not_found(e):\n    return {\"message\": \"none\"}, 404\n",
        )],
    );
    let inventory = run_inventory(work.path()).unwrap();
    assert_eq!(app_ids(&inventory), ["app:app"], "{inventory:#}");
    let flask = run_flask(work.path(), Some("app:app")).unwrap();
    assert_eq!(our_rule_keys(&inventory, Some("app:app")), flask.rules, "{inventory:#}");
    let mut problems = Vec::new();
    compare_error_handlers("app:app", &inventory, &flask, &mut problems);
    assert!(problems.is_empty(), "{problems:?}");
    let extensions: Vec<&str> =
        inventory["extensions"].as_array().unwrap().iter().filter_map(|e| e["class"].as_str()).collect();
    assert_eq!(extensions, ["apiflask.APIFlask"], "{inventory:#}");
}

/// Eve's app class subclasses Flask (`app = Eve(settings=...)`): it is the app, its own routes
/// and handlers are there, and the REST endpoints Eve generates from the DOMAIN setting at run
/// time are said to be missing (FD102) where it is made. Its import name is "eve" when none is
/// given, so its templates and static files are looked up in Eve's package. Eve is not in the
/// pinned test environment: only the inventory is checked (real Flask gives 7 rules for this
/// project: these two, the API home and four DOMAIN endpoints).
#[test]
fn eve_app_is_an_app_whose_domain_routes_are_reported() {
    let work = tempfile::tempdir().unwrap();
    write_project(
        work.path(),
        &[(
            "app.py",
            "from eve import Eve\n\nSETTINGS = {\"DOMAIN\": {\"people\": {\"schema\": {\"name\": {\"type\": \"string\"}}}}}\n\napp = Eve(settings=SETTINGS)\n\n\n@app.route(\"/hello\")\ndef hello():\n    return \"hi\"\n\n\n@app.before_request\ndef check_header():\n    pass\n\n\n@app.errorhandler(404)\ndef not_found(e):\n    return {\"_status\": \"ERR\"}, 404\n",
        )],
    );
    let inventory = run_inventory(work.path()).unwrap();
    assert_eq!(app_ids(&inventory), ["app:app"], "{inventory:#}");
    assert_eq!(inventory["apps"][0]["import_name"], "eve", "{inventory:#}");
    let rules: BTreeSet<&str> =
        inventory["routes"].as_array().unwrap().iter().filter_map(|r| r["rule"].as_str()).collect();
    assert_eq!(rules, BTreeSet::from(["/hello", "/static/<path:filename>"]), "{inventory:#}");
    assert_eq!(inventory["hooks"].as_array().unwrap().len(), 1, "{inventory:#}");
    assert_eq!(inventory["error_handlers"].as_array().unwrap().len(), 1, "{inventory:#}");
    assert!(diagnostics_with(&inventory, "FD101").is_empty(), "{inventory:#}");
    let dynamic = diagnostics_with(&inventory, "FD102");
    assert!(
        dynamic.iter().any(|d| d["line"] == 5 && d["message"].as_str().unwrap().contains("DOMAIN")),
        "{inventory:#}"
    );
}

/// `dash.Dash(server=app, routes_pathname_prefix="/charts/")` (dtale): Dash registers its routes,
/// a blueprint and handlers on the app at run time. It is the app's extension, its routes are
/// said to be missing (FD102), and `dash_app.server` is the app, so an error handler registered
/// through it is the app's. Dash is not in the pinned test environment: only the inventory is
/// checked (real Flask: 11 rules, and the PreventUpdate handler).
#[test]
fn dash_mounted_on_the_app_is_an_extension_with_routes_of_its_own() {
    let work = tempfile::tempdir().unwrap();
    write_project(
        work.path(),
        &[
            ("pkg/__init__.py", ""),
            (
                "pkg/app.py",
                "from flask import Flask\n\nfrom pkg.dash_views import add_dash\n\n\ndef create_app():\n    app = Flask(\"pkg\")\n\n    @app.route(\"/\")\n    def root():\n        return \"ok\"\n\n    with app.app_context():\n        app = add_dash(app)\n        return app\n",
            ),
            (
                "pkg/dash_views.py",
                "import dash\n\n\nclass PreventUpdate(Exception):\n    pass\n\n\nclass MyDash(dash.Dash):\n    def __init__(self, *args, **kwargs):\n        super(MyDash, self).__init__(*args, **kwargs)\n\n\ndef add_dash(server):\n    dash_app = MyDash(server=server, routes_pathname_prefix=\"/charts/\")\n\n    def _handle_error(error):\n        return \"\", 204\n\n    dash_app.server.errorhandler(PreventUpdate)(_handle_error)\n    return dash_app.server\n",
            ),
        ],
    );
    let inventory = run_inventory(work.path()).unwrap();
    assert_eq!(app_ids(&inventory), ["pkg.app:create_app()"], "{inventory:#}");
    assert!(diagnostics_with(&inventory, "FD101").is_empty(), "{inventory:#}");
    let extensions: Vec<&str> =
        inventory["extensions"].as_array().unwrap().iter().filter_map(|e| e["class"].as_str()).collect();
    assert_eq!(extensions, ["dash.Dash"], "{inventory:#}");
    assert!(
        diagnostics_with(&inventory, "FD102")
            .iter()
            .any(|d| d["file"] == "pkg/dash_views.py" && d["message"].as_str().unwrap().starts_with("Dash ")),
        "{inventory:#}"
    );
    let handlers: Vec<&str> =
        inventory["error_handlers"].as_array().unwrap().iter().filter_map(|h| h["function"].as_str()).collect();
    assert_eq!(handlers, ["pkg.dash_views.add_dash.<locals>._handle_error"], "{inventory:#}");
}

/// `app.wsgi_app = TrailingSlash(CORS(app.wsgi_app, None))` (graphite-api): both layers wrap the
/// app, as Python shows (`app.wsgi_app` is the TrailingSlash, whose `app` is the CORS), and both
/// are listed with an FD301 each.
#[test]
fn nested_wsgi_middleware_lists_every_layer() {
    let work = tempfile::tempdir().unwrap();
    write_project(
        work.path(),
        &[(
            "app.py",
            "from flask import Flask\n\n\nclass CORS:\n    def __init__(self, app, origins=None):\n        self.app = app\n\n    def __call__(self, environ, start_response):\n        return self.app(environ, start_response)\n\n\nclass TrailingSlash:\n    def __init__(self, app):\n        self.app = app\n\n    def __call__(self, environ, start_response):\n        return self.app(environ, start_response)\n\n\napp = Flask(__name__)\napp.wsgi_app = TrailingSlash(CORS(app.wsgi_app, None))\n",
        )],
    );
    let inventory = run_inventory(work.path()).unwrap();
    let middleware: BTreeSet<&str> = inventory["extensions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["wsgi_middleware"] == true && e["app"] == "app:app")
        .filter_map(|e| e["class"].as_str())
        .collect();
    assert_eq!(middleware, BTreeSet::from(["app.CORS", "app.TrailingSlash"]), "{inventory:#}");
    assert_eq!(diagnostics_with(&inventory, "FD301").len(), 2, "{inventory:#}");
    let layers = python::run_code(
        "from app import app\nprint(type(app.wsgi_app).__name__, type(app.wsgi_app.app).__name__)\n",
        work.path(),
        &[],
        FLASK_TIMEOUT,
    );
    assert_eq!(layers.trim(), "TrailingSlash CORS");
}

/// Templates Flask-Admin renders by names the project gives (sandman2): `Admin(app,
/// base_template="layout.html")` and a ModelView subclass's `list_template`, `create_template`
/// and `edit_template` are references, not unused templates (FD203). Flask-Admin is not in the
/// pinned test environment: only the inventory is checked.
#[test]
fn templates_named_by_flask_admin_settings_are_used() {
    let work = tempfile::tempdir().unwrap();
    write_project(
        work.path(),
        &[
            (
                "app.py",
                "from flask import Flask\nfrom flask_admin import Admin\nfrom flask_admin.contrib.sqla import ModelView\n\n\nclass CustomAdminView(ModelView):\n    list_template = \"list.html\"\n    create_template = \"create.html\"\n    edit_template = \"edit.html\"\n    page_size = 50\n\n\napp = Flask(__name__)\nadmin = Admin(app, base_template=\"layout.html\", template_mode=\"bootstrap3\")\n",
            ),
            ("templates/layout.html", "{% extends 'admin/base.html' %}\n"),
            ("templates/list.html", "{% extends 'admin/model/list.html' %}\n"),
            ("templates/create.html", "{% extends 'admin/model/create.html' %}\n"),
            ("templates/edit.html", "{% extends 'admin/model/edit.html' %}\n"),
            ("templates/orphan.html", "<p>never used</p>\n"),
        ],
    );
    let inventory = run_inventory(work.path()).unwrap();
    let unused: Vec<&str> = diagnostics_with(&inventory, "FD203").iter().filter_map(|d| d["file"].as_str()).collect();
    assert_eq!(unused, ["templates/orphan.html"], "{inventory:#}");
    assert!(diagnostics_with(&inventory, "FD202").is_empty(), "{inventory:#}");
    let refs: BTreeSet<(&str, &str)> = inventory["template_refs"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| Some((r["name"].as_str()?, r["function"].as_str()?)))
        .collect();
    assert!(refs.contains(&("layout.html", "flask_admin.Admin.base_template")), "{refs:?}");
    assert!(refs.contains(&("list.html", "flask_admin.contrib.sqla.ModelView.list_template")), "{refs:?}");
}
