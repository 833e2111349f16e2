//! What Flask, its blueprints, class-based views, Flask-RESTful, flask-restx, click and the
//! extensions do when the project calls them: the semantics of each registration API, written
//! after Flask 3.1's `sansio/app.py`, `sansio/blueprints.py` and `views.py`.

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::diagnostics::{Code, Diagnostic};
use crate::inventory::interp::{
    class_attr, decorated, external_bases, is_instance_method, to_py_str, Call, Frame, Interp,
};
use crate::inventory::model::Location;
use crate::inventory::values::*;
use crate::parse::ast::Expr;

/// A configuration key set (or a run-time source loaded) on an app.
#[derive(Debug, Clone)]
pub struct ConfigEvent {
    pub app: ObjId,
    pub key: Option<String>,
    pub value: Value,
    pub expression: String,
    pub source: &'static str,
    pub loc: Location,
    pub dynamic: Option<String>,
}

const HTTP_METHOD_FUNCS: [&str; 8] = ["get", "post", "head", "options", "delete", "put", "trace", "patch"];

/// Map the many import paths of one Flask class to one name.
fn canonical(path: &str) -> &str {
    match path {
        "flask.Flask" | "flask.app.Flask" | "flask.sansio.app.App" => "flask.Flask",
        "flask.Blueprint" | "flask.blueprints.Blueprint" => "flask.Blueprint",
        "flask.views.View" => "flask.views.View",
        "flask.views.MethodView" => "flask.views.MethodView",
        // flask-restful-swagger-2 subclasses both (actinia's API).
        "flask_restful.Api" | "flask_restful_swagger_2.Api" => "flask_restful.Api",
        "flask_restful.Resource" | "flask_restful_swagger_2.Resource" => "flask_restful.Resource",
        "flask_restx.Api" | "flask_restplus.Api" => "flask_restx.Api",
        "flask_restx.Namespace" | "flask_restplus.Namespace" => "flask_restx.Namespace",
        "flask_restx.Resource" | "flask_restplus.Resource" => "flask_restx.Resource",
        "click.command" | "flask.cli.command" => "click.command",
        "click.group" => "click.group",
        "flask.cli.AppGroup" | "click.Group" | "click.core.Group" => "click.Group",
        p => p,
    }
}

/// True when a class (or its bases) derives from the given canonical external class.
pub(crate) fn derives_from(c: &Rc<Class>, target: &str) -> bool {
    let mut bases = Vec::new();
    external_bases(c, &mut bases);
    bases.iter().any(|b| canonical(b) == target)
}

fn is_method_view(c: &Rc<Class>) -> bool {
    derives_from(c, "flask.views.MethodView")
        || derives_from(c, "apiflask.views.MethodView")
        || derives_from(c, "flask_restful.Resource")
        || derives_from(c, "flask_restx.Resource")
}

fn str_opt(v: Option<&Value>) -> Option<String> {
    v.and_then(|v| v.as_str()).map(str::to_string)
}

/// The analysed project's folder as the paths computed from `__file__` and `__path__` begin:
/// an absolute path no real file has, so that a value built from one stays a path inside the
/// project wherever it goes (a folder: see [`join_dir`]; a setting:
/// `"sqlite:///" + os.path.join(basedir, "app.db")` is `sqlite:////<project>/app.db`, not a file
/// at the root of the machine).
pub const PROJECT_ROOT: &str = "/<project>";

/// A path computed from `__file__` relative to the project's folder (None for other paths).
pub fn project_relative(path: &str) -> Option<&str> {
    let rest = path.strip_prefix(PROJECT_ROOT)?;
    if rest.is_empty() {
        Some("")
    } else {
        rest.strip_prefix('/')
    }
}

/// Join a folder value relative to a root folder (both root-relative, `/`-separated). Values
/// derived from `__file__` start with [`PROJECT_ROOT`] and are already root-relative; other
/// absolute paths are read as relative to the project's folder too.
pub fn join_dir(root: &str, folder: &str) -> String {
    if let Some(rel) = project_relative(folder) {
        return normalize_path(rel);
    }
    if let Some(abs) = folder.strip_prefix('/') {
        return normalize_path(abs);
    }
    if root.is_empty() {
        normalize_path(folder)
    } else {
        normalize_path(&format!("{root}/{folder}"))
    }
}

/// `os.path.join` of `/`-separated paths: a part that starts with `/` starts over.
pub(crate) fn path_join<'p>(parts: impl IntoIterator<Item = &'p str>) -> String {
    let mut out = String::new();
    for p in parts {
        if p.starts_with('/') || out.is_empty() {
            out = p.to_string();
        } else {
            if !out.ends_with('/') {
                out.push('/');
            }
            out.push_str(p);
        }
    }
    out
}

/// `os.path.dirname` of a `/`-separated path (`Path.parent` of an absolute one).
pub(crate) fn path_dirname(p: &str) -> &str {
    p.rsplit_once('/').map(|x| if x.0.is_empty() { "/" } else { x.0 }).unwrap_or("")
}

fn normalize_path(p: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            x => out.push(x),
        }
    }
    out.join("/")
}

fn basename(p: &str) -> &str {
    p.trim_end_matches('/').rsplit('/').next().unwrap_or(p)
}

/// The folder Flask takes as `root_path` for an import name.
fn root_dir_for(interp: &Interp, import_name: Option<&str>, frame: &Frame) -> String {
    let file_dir = |rel: &str| rel.rsplit_once('/').map(|p| p.0.to_string()).unwrap_or_default();
    if let Some(name) = import_name {
        if let Some(m) = interp.modules.get(name) {
            return file_dir(&m.rel);
        }
    }
    file_dir(&frame.file)
}

// ------------------------------------------------------------------------ constructors

pub fn instantiate(interp: &mut Interp, c: &Rc<Class>, call: Call<'_>, frame: &Frame) -> Value {
    // A project class made on a library's subclass of Flask (`class Api(Eve)`) is an app too.
    let library_app = {
        let mut bases = Vec::new();
        external_bases(c, &mut bases);
        bases.into_iter().find(|b| interp.tables.app_class(b).is_some())
    };
    let targets = ["flask.Flask", "flask.Blueprint", "flask_restful.Api", "flask_restx.Api", "flask_restx.Namespace"];
    for target in targets.into_iter().chain(library_app.as_deref()) {
        if derives_from(c, target) {
            let init = match class_attr(c, "__init__") {
                Some(Value::Function(f)) => Some((f, call.args.clone(), call.kwargs.clone())),
                _ => None,
            };
            let v = call_external(interp, target, call, frame);
            if let Value::Obj(id) = v {
                // The subclass's own methods are called on it, its `__init__` first (whose
                // `super().__init__(...)` is the object just made).
                interp.obj_classes.insert(id, c.clone());
                // A Flask subclass's `jinja_options` class attribute.
                if let Some(options) = class_attr(c, "jinja_options") {
                    note_jinja_options(interp, id, &options);
                }
                // A class's own `jinja_loader` (a property, as Indico's `IndicoFlask` and
                // `IndicoBlueprint` define) or `create_global_jinja_loader`.
                for attr in ["jinja_loader", "create_global_jinja_loader"] {
                    if let Some(Value::Function(f)) = class_attr(c, attr) {
                        interp.custom_loaders.push((format!("`{}.{attr}`", c.def.name), f.location()));
                        break;
                    }
                }
                // A blueprint class's own setup state (Indico's, which drops the prefix of rules
                // written `!/...`) adds its rules to the app in a way not followed here.
                if let Some(Value::Function(f)) = class_attr(c, "make_setup_state") {
                    if interp.setup_state_noted.insert(f.path()) {
                        let loc = f.location();
                        interp.diags.push(
                            Diagnostic::new(
                                Code::UnresolvedCall,
                                loc.file.clone(),
                                loc.line,
                                format!(
                                    "`{}.make_setup_state` changes how the blueprint's rules are added to the app; they are listed as the blueprint declares them",
                                    c.def.name
                                ),
                            )
                            .with_help("check the rules of these blueprints against the app's url_map"),
                        );
                    }
                }
                if let Some((f, args, kwargs)) = init {
                    let mut argv = vec![v.clone()];
                    argv.extend(args);
                    let _ = interp.call_function(&f, &argv, &kwargs);
                }
            }
            return v;
        }
    }
    // `app.wsgi_app = ReverseProxy(app.wsgi_app)`: a WSGI middleware of the project's own.
    if let Some(app) = wrapped_app(interp, &call) {
        return wsgi_middleware(interp, &c.path(), app, &call);
    }
    let mut bases = Vec::new();
    external_bases(c, &mut bases);
    if let Some(ext) = bases.iter().find(|b| interp.is_extension_class(b)).cloned() {
        let ext = ext.clone();
        return new_extension(interp, &ext, &call);
    }
    // A class whose `__new__` makes a Flask object (pyload's `App(pycore)` returns an app): that
    // object is the call's value, and no `__init__` runs on it, as in Python.
    if let Some(Value::Function(new)) = class_attr(c, "__new__") {
        let mut argv = vec![Value::Class(c.clone())];
        argv.extend(call.args.iter().cloned());
        if let v @ Value::Obj(_) = interp.call_function(&new, &argv, &call.kwargs) {
            return v;
        }
    }
    let instance = Value::Instance(c.clone());
    // A class given a Flask object (`Initializer(app)`) may keep it (`self.app = app`) for its
    // methods to register on, and one given a SQLAlchemy object (`Storage(metadata)`) may build
    // its tables on it: its `__init__` runs. Others are not run, as nothing of Flask's can come
    // of them.
    if call.args.iter().chain(call.kwargs.iter().map(|(_, v)| v)).any(|v| matches!(v, Value::Obj(_) | Value::Sqla(_))) {
        if let Some(Value::Function(init)) = class_attr(c, "__init__") {
            let mut argv = vec![instance.clone()];
            argv.extend(call.args.iter().cloned());
            let _ = interp.call_function(&init, &argv, &call.kwargs);
        }
    }
    instance
}

pub fn call_external(interp: &mut Interp, path: &str, call: Call<'_>, frame: &Frame) -> Value {
    // `Flask.__init__(self, ...)` in a subclass's `__init__`: `super().__init__(...)` written out.
    if let Some(class) = path.strip_suffix(".__init__") {
        if let ("flask.Flask" | "flask.Blueprint", Some(Value::Obj(id))) = (canonical(class), call.args.first()) {
            let id = *id;
            let call = Call { args: call.args[1..].to_vec(), ..call };
            return call_method(interp, id, "__init__", call, frame);
        }
    }
    // `app.wsgi_app = ProxyFix(app.wsgi_app)`: a library's WSGI middleware (a dispatcher mounts
    // apps, reported as such below).
    if let Some(app) = wrapped_app(interp, &call) {
        if !path.ends_with("DispatcherMiddleware") {
            return wsgi_middleware(interp, path, app, &call);
        }
    }
    match canonical(path) {
        "flask.Flask" => new_app(interp, call, frame),
        "flask.Blueprint" => new_blueprint(interp, call, frame, ViewRules::Flask),
        "apiflask.APIBlueprint" => new_blueprint(interp, call, frame, ViewRules::ClassViews),
        "flask_smorest.Blueprint" => new_blueprint(interp, call, frame, ViewRules::Smorest(Vec::new())),
        "flask_restful.Api" => new_api(interp, ApiKind::Restful, path, call),
        "flask_classful.route" => Value::Decorator(Rc::new(Deco::Classful(ClassfulMark::Route {
            rule: call.arg(0, "rule").cloned().unwrap_or(Value::Unknown),
            options: call.kwargs.iter().filter(|(k, _)| k != "rule").cloned().collect(),
        }))),
        "flask_classful.method" => Value::Decorator(Rc::new(Deco::Classful(ClassfulMark::Method(
            call.arg(0, "method").cloned().unwrap_or(Value::Unknown),
        )))),
        "flask_restx.Api" => new_api(interp, ApiKind::Restx, path, call),
        "flask_restx.Namespace" => {
            let name = call.arg(0, "name").cloned().unwrap_or(Value::Unknown);
            // `Namespace.path` is `(self._path or "/" + self.name).rstrip("/")`.
            let path = match call.kwarg("path") {
                Some(Value::NoneV) | None => match name.as_str() {
                    Some(n) => Value::str(&format!("/{n}")),
                    None => Value::Unknown,
                },
                Some(Value::Str(p)) if p.is_empty() => match name.as_str() {
                    Some(n) => Value::str(&format!("/{n}")),
                    None => Value::Unknown,
                },
                Some(p) => p.clone(),
            };
            let id = interp.new_obj(Obj::Namespace(NamespaceObj {
                name,
                path,
                resources: vec![],
                apis: vec![],
                loc: call.loc(),
                handlers: vec![],
            }));
            interp.note_creation_cond(id);
            Value::Obj(id)
        }
        // `cherrypy.tree.graft(wsgi_app, script_name)` (flexget's web server).
        "cherrypy.tree.graft" | "cherrypy._cptree.Tree.graft" => {
            let app = call.arg(0, "wsgi_callable").cloned().unwrap_or(Value::Unknown);
            let prefix = match call.arg(1, "script_name") {
                None => Some(""),
                Some(v) => v.as_str(),
            };
            // At the root it changes nothing.
            if !matches!(prefix, Some("" | "/")) {
                let text = call.arg_text(0, "wsgi_callable").unwrap_or_else(|| "a WSGI application".into());
                mount_diagnostic(interp, &call, &text, prefix, &app, "CherryPy's tree.graft");
            }
            Value::NoneV
        }
        "werkzeug.middleware.dispatcher.DispatcherMiddleware" | "werkzeug.wsgi.DispatcherMiddleware" => {
            dispatcher_mounts(interp, &call);
            Value::Unknown
        }
        "click.command" => Value::Decorator(Rc::new(Deco::Command {
            owner: None,
            name: call.arg(0, "name").cloned(),
            group: false,
            loc: call.loc(),
        })),
        "click.group" => Value::Decorator(Rc::new(Deco::Command {
            owner: None,
            name: call.arg(0, "name").cloned(),
            group: true,
            loc: call.loc(),
        })),
        "click.Group" => {
            let name = call.arg(0, "name").and_then(|v| v.as_str()).map(str::to_string);
            Value::Obj(interp.new_obj(Obj::Group(GroupObj {
                name,
                commands: vec![],
                loc: call.loc(),
                function: None,
                is_group: true,
                cli: None,
            })))
        }
        // `@wraps(f)` on a wrapper: the wrapper takes `f`'s name, so a route registered on it has
        // `f`'s endpoint; `f` stands for it, and is the view whose code is to port.
        // `as_view`'s function too: `wraps` also copies its `view_class` and `methods`.
        "functools.partial" => match call.args.split_first() {
            Some((f, args)) => {
                let kwarg_src = match call.expr {
                    Expr::Call(c) => c
                        .keywords
                        .iter()
                        .filter_map(|k| Some((k.arg.as_ref()?.to_string(), k.value.to_string())))
                        .collect(),
                    _ => Rc::default(),
                };
                Value::Partial(Rc::new(PartialCall {
                    func: f.clone(),
                    args: args.to_vec(),
                    kwargs: call.kwargs.clone(),
                    kwarg_src,
                }))
            }
            None => Value::Unknown,
        },
        "functools.wraps" => match call.args.first() {
            Some(f @ Value::Function(_)) => Value::Decorator(Rc::new(Deco::Wraps(f.clone()))),
            Some(f @ Value::Obj(id)) if matches!(interp.objs[*id], Obj::View(_)) => {
                Value::Decorator(Rc::new(Deco::Wraps(f.clone())))
            }
            _ => Value::Decorator(Rc::new(Deco::Identity)),
        },
        "flask.cli.with_appcontext" => Value::Decorator(Rc::new(Deco::Identity)),
        "pluggy.HookimplMarker" => Value::External(Rc::from(super::plugins::HOOKIMPL_MARKER)),
        // A `Path` is its string (see `binop`'s `/` and the `parent` attribute).
        "os.path.join" | "pathlib.Path" | "pathlib.PurePath" | "pathlib.PosixPath" => {
            let parts: Option<Vec<&str>> = call.args.iter().map(Value::as_str).collect();
            match parts.filter(|p| !p.is_empty()) {
                Some(parts) => Value::str(&path_join(parts)),
                None => Value::Unknown,
            }
        }
        "os.path.dirname" => match call.args.first().and_then(|a| a.as_str()) {
            Some(p) => Value::str(path_dirname(p)),
            None => Value::Unknown,
        },
        "os.path.abspath" | "os.path.realpath" | "os.path.normpath" => {
            match call.args.first().and_then(|a| a.as_str()) {
                Some(p) if p.starts_with('/') => Value::str(&format!("/{}", normalize_path(p))),
                _ => Value::Unknown,
            }
        }
        "builtins.str" => match call.args.first() {
            Some(v) => to_py_str(v).map(|s| Value::str(&s)).unwrap_or(Value::Unknown),
            None => Value::str(""),
        },
        "builtins.list" | "builtins.tuple" | "builtins.sorted" | "builtins.set" | "builtins.frozenset"
        | "builtins.reversed" => {
            match call.args.first() {
                None => Value::List(Rc::new(vec![])),
                Some(v) => match v.elements() {
                    Some(mut items) => {
                        // `for mw in reversed(MIDDLEWARE): app.wsgi_app = mw(app.wsgi_app)` (keystone).
                        if path.ends_with("reversed") {
                            items.reverse();
                        }
                        if path.ends_with("sorted") {
                            if items.iter().all(|i| i.as_str().is_some()) {
                                items.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
                            } else {
                                return Value::Unknown;
                            }
                        }
                        if path.ends_with("tuple") {
                            Value::Tuple(Rc::new(items))
                        } else {
                            Value::List(Rc::new(items))
                        }
                    }
                    None => Value::Unknown,
                },
            }
        }
        // `dict.fromkeys(items)`: the items once each, in order (`list(dict.fromkeys(xs))`
        // removes duplicates), when they can be told apart.
        "builtins.dict.fromkeys" => {
            let Some(items) = call.args.first().and_then(|v| v.elements()) else { return Value::Unknown };
            let value = call.args.get(1).cloned().unwrap_or(Value::NoneV);
            let mut keys: Vec<Value> = Vec::new();
            for item in items {
                let same = |k: &Value| match (k, &item) {
                    (Value::Obj(a), Value::Obj(b)) => a == b,
                    (Value::Str(a), Value::Str(b)) => a == b,
                    (Value::Int(a), Value::Int(b)) => a == b,
                    _ => false,
                };
                if !matches!(item, Value::Obj(_) | Value::Str(_) | Value::Int(_)) {
                    return Value::Unknown;
                }
                if !keys.iter().any(same) {
                    keys.push(item);
                }
            }
            Value::Dict(Rc::new(keys.into_iter().map(|k| (k, value.clone())).collect()))
        }
        "builtins.dict" => {
            let mut items: Vec<(Value, Value)> = match call.args.first() {
                Some(Value::Dict(d)) => d.as_ref().clone(),
                Some(_) => return Value::Unknown,
                None => vec![],
            };
            if call.has_unknown_kwargs() {
                return Value::Unknown;
            }
            items.extend(call.kwargs.iter().map(|(k, v)| (Value::str(k), v.clone())));
            Value::Dict(Rc::new(items))
        }
        "builtins.enumerate" => match call.args.first().and_then(|a| a.elements()) {
            Some(items) => Value::List(Rc::new(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| Value::Tuple(Rc::new(vec![Value::Int(i as i64), v])))
                    .collect(),
            )),
            None => Value::Unknown,
        },
        "builtins.zip" => {
            let lists: Option<Vec<Vec<Value>>> = call.args.iter().map(|a| a.elements()).collect();
            match lists {
                Some(lists) if !lists.is_empty() => {
                    let n = lists.iter().map(|l| l.len()).min().unwrap_or(0);
                    Value::List(Rc::new(
                        (0..n).map(|i| Value::Tuple(Rc::new(lists.iter().map(|l| l[i].clone()).collect()))).collect(),
                    ))
                }
                _ => Value::Unknown,
            }
        }
        "builtins.range" => match (call.args.first(), call.args.get(1)) {
            (Some(Value::Int(n)), None) if *n <= 2000 => Value::List(Rc::new((0..*n).map(Value::Int).collect())),
            (Some(Value::Int(a)), Some(Value::Int(b))) if b - a <= 2000 => {
                Value::List(Rc::new((*a..*b).map(Value::Int).collect()))
            }
            _ => Value::Unknown,
        },
        "builtins.len" => match call.args.first().and_then(|a| a.elements()) {
            Some(items) => Value::Int(items.len() as i64),
            None => Value::Unknown,
        },
        "builtins.getattr" => match (call.args.first(), call.args.get(1).and_then(|a| a.as_str())) {
            (Some(obj), Some(attr)) => {
                let (obj, attr) = (obj.clone(), attr.to_string());
                match interp.getattr(&obj, &attr) {
                    // The default is the value only when the object is known to lack the
                    // attribute: of an object not followed (shopyo's module imported by a name
                    // computed at run time), the attribute may well exist.
                    Value::Unknown if matches!(obj, Value::Unknown | Value::External(_) | Value::Obj(_)) => {
                        Value::Unknown
                    }
                    Value::Unknown => call.args.get(2).cloned().unwrap_or(Value::Unknown),
                    v => v,
                }
            }
            _ => Value::Unknown,
        },
        "builtins.print" => Value::NoneV,
        // `importlib.import_module(f"app.modules.{name}")`, in a loop over known names: a module
        // of the project is run and its value returned (a relative name needs `package`).
        "importlib.import_module" => {
            let name = call.arg(0, "name").and_then(|a| a.as_str()).map(str::to_string);
            let package = call.arg(1, "package").and_then(|a| a.as_str()).map(str::to_string);
            match name.and_then(|n| absolute_module_name(&n, package.as_deref())) {
                Some(n) if interp.modules.contains_key(&n) => {
                    interp.load_module(&n);
                    Value::Module(Rc::from(n.as_str()))
                }
                Some(n) => Value::External(Rc::from(n.as_str())),
                None => Value::Unknown,
            }
        }
        // `__import__(name, globals, locals, ["bp"])` (Lektor's `register_modules`): with a
        // `fromlist`, the module named; without, its top-level package, the module run either way.
        "builtins.__import__" => {
            let level = call.arg(4, "level").map_or(Some(0), |l| match l {
                Value::Int(i) => Some(*i),
                _ => None,
            });
            match (call.arg(0, "name").and_then(|a| a.as_str()).map(str::to_string), level) {
                (Some(n), Some(0)) if interp.modules.contains_key(&n) => {
                    interp.load_module(&n);
                    let from_list = call.arg(3, "fromlist").is_some_and(|f| f.truth() == Some(true));
                    let top = if from_list { n.as_str() } else { n.split('.').next().unwrap_or(&n) };
                    Value::Module(Rc::from(top))
                }
                _ => Value::Unknown,
            }
        }
        "werkzeug.utils.find_modules" => {
            let include_packages = call.arg(1, "include_packages").map_or(Some(false), Value::truth);
            let recursive = call.arg(2, "recursive").map_or(Some(false), Value::truth);
            match (call.arg(0, "import_path").and_then(|a| a.as_str()), include_packages, recursive) {
                (Some(p), Some(packages), Some(recursive)) if interp.modules.get(p).is_some_and(|m| m.is_package) => {
                    let p = p.to_string();
                    interp.load_module(&p);
                    let mut out = Vec::new();
                    find_modules(interp, &p, packages, recursive, &mut out);
                    Value::List(Rc::new(out.iter().map(|m| Value::str(m)).collect()))
                }
                _ => Value::Unknown,
            }
        }
        "werkzeug.utils.import_string" => match call.args.first().and_then(|a| a.as_str()) {
            Some(p) => {
                let p = p.to_string();
                interp.import_string(&p)
            }
            None => Value::Unknown,
        },
        p if !p.contains('#') && interp.is_extension_class(p) => match interp.tables.app_class(p) {
            Some(_) => new_library_app(interp, p, call, frame),
            None => new_extension(interp, p, &call),
        },
        p => match super::sqla::call_external(interp, p, &call) {
            Some(v) => v,
            None => match given_app(interp, &call) {
                Some(app) if is_library_class(p) => extension_of(interp, p, &call, vec![app], false),
                _ => wrapped_view(interp, &call),
            },
        },
    }
}

/// `Eve(settings=...)`, `FlaskAPI(__name__)`: a library's subclass of Flask
/// (`mappings/extensions.toml`, `app`) makes an app as Flask does, named as its constructor names
/// it when the project gives no import name. The app has the class as an extension, so the
/// routes it adds by itself are reported where it is made (FD102).
fn new_library_app(interp: &mut Interp, class: &str, mut call: Call<'_>, frame: &Frame) -> Value {
    let Some(row) = interp.tables.app_class(class) else { return Value::Unknown };
    let app_class = row.app.clone().unwrap_or_default();
    // The library's own import name: its templates and static files are in its package, which
    // is not the project's.
    let library_root = match (&app_class.import_name, call.arg(0, "import_name")) {
        (Some(name), None) => {
            call.kwargs.push(("import_name".into(), Value::str(name)));
            (!interp.modules.contains_key(name.as_str())).then(|| format!("<{class}>"))
        }
        _ => None,
    };
    let docs = (canonical_app_class(class) == "apiflask.APIFlask").then(|| ApiFlaskDocs::read(&call));
    let loc = call.loc();
    let ext_call = call.clone();
    let v = new_app(interp, call, frame);
    let Value::Obj(id) = v else { return v };
    if let Obj::App(a) = &mut interp.objs[id] {
        if app_class.views.as_deref() == Some("class") {
            a.view_rules = ViewRules::ClassViews;
        }
        if let Some(root) = library_root {
            a.template_folder = a.template_folder.as_ref().map(|_| format!("{root}/templates"));
            a.static_folder = a.static_folder.as_ref().map(|_| format!("{root}/static"));
            a.root_dir = root;
        }
    }
    if let Some(docs) = docs {
        apiflask_docs(interp, id, docs, loc);
    }
    extension_of(interp, class, &ext_call, vec![id], false);
    Value::Obj(id)
}

/// The name of a library's app class as its table row names it (`apiflask.app.APIFlask` →
/// `apiflask.APIFlask`).
fn canonical_app_class(class: &str) -> &str {
    match class {
        "apiflask.app.APIFlask" => "apiflask.APIFlask",
        c => c,
    }
}

/// The app a call is given, by position or by keyword (`Dash(server=app)`).
fn given_app(interp: &Interp, call: &Call<'_>) -> Option<ObjId> {
    call.args.iter().chain(call.kwargs.iter().map(|(_, v)| v)).find_map(|v| match v {
        Value::Obj(a) if matches!(interp.objs[*a], Obj::App(_)) => Some(*a),
        _ => None,
    })
}

/// A class of a library (a capitalised final name in a module outside Flask, the standard
/// library's builtins and `typing`; not a name nothing defines): given an app, it is an
/// extension of it (`PrometheusMetrics(app)`, `dash.Dash(server=app)`).
fn is_library_class(path: &str) -> bool {
    let Some((top, _)) = path.split_once('.') else { return false };
    !path.contains('#')
        && !matches!(top, "flask" | "builtins" | "typing" | "unittest")
        && path.rsplit('.').next().is_some_and(|name| name.chars().next().is_some_and(char::is_uppercase))
}

/// `werkzeug.utils.find_modules(package, include_packages, recursive)`: the modules of a project
/// package, in `pkgutil.iter_modules`'s order (by file name), each package followed by its own
/// when `recursive`.
fn find_modules(interp: &Interp, package: &str, include_packages: bool, recursive: bool, out: &mut Vec<String>) {
    let prefix = format!("{package}.");
    let mut children: Vec<(&String, bool)> = interp
        .modules
        .iter()
        .filter(|(name, _)| name.strip_prefix(prefix.as_str()).is_some_and(|rest| !rest.contains('.')))
        .map(|(name, m)| (name, m.is_package))
        .collect();
    children.sort();
    for (name, is_package) in children {
        if is_package {
            if include_packages {
                out.push(name.clone());
            }
            if recursive {
                find_modules(interp, name, include_packages, true, out);
            }
        } else {
            out.push(name.clone());
        }
    }
}

/// `login_required(view)`: a library's decorator called on a view, as `@login_required` is
/// applied (its wrapper keeps the view's name with `functools.wraps`, so Flask gives the
/// endpoint the view's name). Only a call with the view alone; anything else is unknown.
pub fn wrapped_view(interp: &Interp, call: &Call<'_>) -> Value {
    match (&call.args[..], call.kwargs.is_empty()) {
        ([f @ Value::Function(_)], true) => f.clone(),
        ([f @ Value::Obj(id)], true) if matches!(interp.objs[*id], Obj::View(_)) => f.clone(),
        _ => Value::Unknown,
    }
}

fn new_extension(interp: &mut Interp, class: &str, call: &Call<'_>) -> Value {
    let apps = given_app(interp, call).into_iter().collect();
    extension_of(interp, class, call, apps, false)
}

/// An extension object of class `class` made by `call`, bound to `apps`.
fn extension_of(interp: &mut Interp, class: &str, call: &Call<'_>, apps: Vec<ObjId>, wsgi_middleware: bool) -> Value {
    let id = interp.new_obj(Obj::Extension(ExtensionObj {
        class: class.to_string(),
        kwargs: call.kwargs.clone(),
        attrs: vec![],
        variable: None,
        loc: call.loc(),
        apps: apps.clone(),
        wsgi_middleware,
    }));
    for a in apps {
        bind_extension(interp, id, a, call.loc());
    }
    Value::Obj(id)
}

/// The app whose `wsgi_app` a call wraps (`ProxyFix(app.wsgi_app, x_proto=1)`): that call makes
/// a WSGI middleware.
fn wrapped_app(interp: &Interp, call: &Call<'_>) -> Option<ObjId> {
    match call.args.first() {
        Some(Value::Method(m)) if m.1 == "wsgi_app" => match &m.0 {
            Value::Obj(a) if matches!(interp.objs[*a], Obj::App(_)) => Some(*a),
            _ => None,
        },
        // A middleware wrapping one that wraps the app (graphite-api's
        // `TrailingSlash(CORS(app.wsgi_app))`): each layer is the app's.
        Some(Value::Obj(m)) => match &interp.objs[*m] {
            Obj::Extension(e) if e.wsgi_middleware => e.apps.first().copied(),
            _ => None,
        },
        _ => None,
    }
}

/// A WSGI middleware of class `class` wrapping `app`, reported with the extensions.
fn wsgi_middleware(interp: &mut Interp, class: &str, app: ObjId, call: &Call<'_>) -> Value {
    extension_of(interp, class, call, vec![app], true)
}

/// `Ext(app)` or `ext.init_app(app)`: the extension is the app's, and an extension that serves
/// static files of its own registers its blueprint (`mappings/extensions.toml`, `blueprint`).
fn bind_extension(interp: &mut Interp, ext: ObjId, app: ObjId, loc: Location) {
    interp.on_receiver(app, |interp| bind_extension_to(interp, ext, app, loc));
}

fn bind_extension_to(interp: &mut Interp, ext: ObjId, app: ObjId, loc: Location) {
    let class = match &mut interp.objs[ext] {
        Obj::Extension(e) => {
            if !e.apps.contains(&app) {
                e.apps.push(app);
            }
            e.class.clone()
        }
        _ => return,
    };
    let (app_static, names) = match &mut interp.objs[app] {
        Obj::App(a) => {
            if !a.extensions.contains(&ext) {
                a.extensions.push(ext);
            }
            (a.static_url_path.clone(), a.registrations.iter().map(|r| r.name.clone()).collect::<Vec<_>>())
        }
        _ => return,
    };
    if class == "flask_smorest.Api" {
        smorest_docs(interp, app, loc.clone());
    }
    let tables = interp.tables;
    let Some(row) = tables.lookup(&class) else { return };
    if let Some(routes) = &row.routes {
        let message = format!("{} registers routes of its own that are not in the inventory: {routes}", row.extension);
        interp.diags.push(
            Diagnostic::new(Code::DynamicRoute, &*loc.file, loc.line, message)
                .with_help("list them on the running app (`flask routes`) and port them with the extension"),
        );
    }
    let Some(bp) = &row.blueprint else { return };
    if names.contains(&bp.name) {
        return;
    }
    let path = bp.static_url_path.replace("{static_url_path}", app_static.as_deref().unwrap_or("/static"));
    let package = class.rsplit_once('.').map_or(class.as_str(), |(m, _)| m).to_string();
    let obj = BlueprintObj {
        name: Value::str(&bp.name),
        import_name: package.clone(),
        module: package,
        loc: loc.clone(),
        static_folder: Some(format!("<{class}>/static")),
        static_url_path: Some(path),
        ..Default::default()
    };
    let id = interp.new_obj(Obj::Blueprint(obj));
    let opts = RegisterOptions { loc, dynamic: interp.dynamic_reason(), ..Default::default() };
    register_on_app(interp, app, id, opts, "", None);
}

fn new_app(interp: &mut Interp, call: Call<'_>, frame: &Frame) -> Value {
    let (app, static_known) = app_obj(interp, &call, frame);
    let id = interp.new_obj(Obj::App(app));
    interp.note_creation_cond(id);
    static_rule(interp, id, static_known, call.loc());
    Value::Obj(id)
}

/// An app as `Flask(...)`'s arguments describe it, and whether its static folder and URL path
/// are known.
fn app_obj(interp: &mut Interp, call: &Call<'_>, frame: &Frame) -> (AppObj, bool) {
    let import_name = call.arg(0, "import_name").and_then(|v| v.as_str()).map(str::to_string);
    let mut root_dir = root_dir_for(interp, import_name.as_deref(), frame);
    if let Some(r) = call.kwarg("root_path").and_then(|v| v.as_str()) {
        root_dir = join_dir(&root_dir, r);
    }
    let folder_arg = |name: &str, default: Option<&str>| -> Option<Option<String>> {
        match call.kwarg(name) {
            None => Some(default.map(str::to_string)),
            Some(Value::NoneV) => Some(None),
            Some(Value::Str(s)) => Some(Some(s.to_string())),
            Some(_) => None,
        }
    };
    let template_folder = folder_arg("template_folder", Some("templates"));
    if template_folder.is_none() {
        interp.template_folder_unknown = true;
        interp.diags.push(
            Diagnostic::new(
                Code::DynamicTemplate,
                &*call.file,
                call.line,
                format!(
                    "the app's template folder is computed at run time (`{}`): its templates are not in the inventory",
                    call.arg_text(usize::MAX, "template_folder").unwrap_or_default()
                ),
            )
            .with_help("pass the folder as a string literal, relative to the app's package; missing templates (FD202) are not reported"),
        );
    }
    let static_folder = folder_arg("static_folder", Some("static"));
    let static_url_path = folder_arg("static_url_path", None);
    let factory = interp.call_stack.first().map(|f| f.path());
    let inner_factories = interp.call_stack.iter().skip(1).map(|f| f.path()).collect();
    let site = format!("{}:{}", call.file, call.line);
    let mut app = AppObj {
        import_name: import_name.clone().unwrap_or_default(),
        module: frame.module.to_string(),
        root_dir: root_dir.clone(),
        loc: call.loc(),
        factory,
        inner_factories,
        site,
        // An app a function makes exists whichever branch called the function.
        dynamic: if interp.call_stack.is_empty() { interp.dynamic_reason() } else { None },
        ..Default::default()
    };
    app.template_folder = template_folder.clone().flatten().map(|t| join_dir(&root_dir, &t));
    let static_folder_v = static_folder.clone().flatten();
    app.static_folder = static_folder_v.as_ref().map(|s| join_dir(&root_dir, s));
    // Flask: static_url_path defaults to "/" + basename(static_folder).
    app.static_url_path = match (&static_url_path, &static_folder_v) {
        (Some(Some(p)), _) => Some(p.trim_end_matches('/').to_string()),
        (Some(None), Some(f)) => Some(format!("/{}", basename(f)).trim_end_matches('/').to_string()),
        _ => None,
    };
    (app, static_folder.is_some() && static_url_path.is_some())
}

/// The static route Flask's constructor adds first: it exists when the app does.
fn static_rule(interp: &mut Interp, id: ObjId, static_known: bool, loc: Location) {
    if let Obj::App(app) = &interp.objs[id] {
        if app.static_folder.is_some() || !static_known {
            let prefix = app.static_url_path.clone();
            let rule = prefix.map(|p| format!("{p}/<path:filename>"));
            let dynamic = if rule.is_none() {
                Some("the static folder or URL path is computed at run time".to_string())
            } else {
                app.dynamic.clone()
            };
            let rec =
                RuleRecord::static_files(rule, "static".into(), format!("static:{id}"), "flask.Flask", loc, dynamic);
            if let Obj::App(app) = &mut interp.objs[id] {
                app.rules.push(Box::new(rec));
            }
        }
    }
}

/// `Blueprint(name, import_name, static_folder, ...)`, or a library's subclass of it (whose
/// `add_url_rule` takes its view as `view_rules` say); apiflask's `APIBlueprint` has `tag` and
/// `enable_openapi` before `static_folder`.
fn new_blueprint(interp: &mut Interp, call: Call<'_>, frame: &Frame, view_rules: ViewRules) -> Value {
    let bp = blueprint_obj(interp, &call, frame, view_rules);
    let id = interp.new_obj(Obj::Blueprint(bp));
    interp.note_creation_cond(id);
    Value::Obj(id)
}

/// A blueprint as `Blueprint(...)`'s arguments describe it.
fn blueprint_obj(interp: &Interp, call: &Call<'_>, frame: &Frame, view_rules: ViewRules) -> BlueprintObj {
    let shift = if matches!(view_rules, ViewRules::ClassViews) { 2 } else { 0 };
    let name = call.arg(0, "name").cloned().unwrap_or(Value::Unknown);
    let import_name = call.arg(1, "import_name").and_then(|v| v.as_str()).map(str::to_string);
    let mut root_dir = root_dir_for(interp, import_name.as_deref(), frame);
    if let Some(r) = call.kwarg("root_path").and_then(|v| v.as_str()) {
        root_dir = join_dir(&root_dir, r);
    }
    let static_folder_arg = call.arg(2 + shift, "static_folder");
    let static_folder_unknown = static_folder_arg.is_some_and(|v| v.as_str().is_none() && !matches!(v, Value::NoneV));
    let static_folder = static_folder_arg.and_then(|v| v.as_str()).map(str::to_string);
    let static_url_path = match call.arg(3 + shift, "static_url_path").and_then(|v| v.as_str()) {
        Some(p) => Some(p.trim_end_matches('/').to_string()),
        None => static_folder.as_ref().map(|f| format!("/{}", basename(f)).trim_end_matches('/').to_string()),
    };
    BlueprintObj {
        name,
        import_name: import_name.unwrap_or_default(),
        module: frame.module.to_string(),
        template_folder: call
            .arg(4 + shift, "template_folder")
            .and_then(|v| v.as_str())
            .map(|t| join_dir(&root_dir, t)),
        static_folder: static_folder.map(|s| join_dir(&root_dir, &s)),
        static_folder_unknown,
        static_url_path,
        root_dir,
        variable: None,
        loc: call.loc(),
        url_prefix: call.arg(5 + shift, "url_prefix").cloned(),
        subdomain: call.arg(6 + shift, "subdomain").cloned(),
        url_defaults: call.arg(7 + shift, "url_defaults").cloned(),
        view_rules,
        ..Default::default()
    }
}

/// An Api of flask-restful or flask-restx (or of a library built on one), made by calling the
/// class at `path`.
fn new_api(interp: &mut Interp, kind: ApiKind, path: &str, call: Call<'_>) -> Value {
    let target = match call.arg(0, "app") {
        Some(Value::Obj(t)) if matches!(interp.objs[*t], Obj::App(_) | Obj::Blueprint(_)) => Some(*t),
        _ => None,
    };
    let prefix = call.kwarg("prefix").cloned().unwrap_or_else(|| Value::str(""));
    let options: Vec<(String, Value)> = call.kwargs.clone();
    // The Api is also an extension of the app it is given (reported with the others).
    new_extension(interp, path, &call);
    let id = interp.new_obj(Obj::Api(ApiObj {
        kind,
        target: None,
        prefix,
        loc: call.loc(),
        pending: vec![],
        options,
        init_options: vec![],
        namespaces: vec![],
        default_ns: None,
        restx_endpoints: BTreeMap::new(),
        handlers: vec![],
    }));
    interp.note_creation_cond(id);
    if kind == ApiKind::Restx {
        let default_ns = interp.new_obj(Obj::Namespace(NamespaceObj {
            name: Value::str("default"),
            path: Value::str("/"),
            resources: vec![],
            apis: vec![id],
            loc: call.loc(),
            handlers: vec![],
        }));
        if let Obj::Api(a) = &mut interp.objs[id] {
            a.default_ns = Some(default_ns);
            a.namespaces.push(default_ns);
        }
    }
    if let Some(t) = target {
        api_init(interp, id, t);
    }
    Value::Obj(id)
}

// ------------------------------------------------------------------------ attributes

fn sub_obj(interp: &mut Interp, owner: ObjId, key: &'static str, make: impl FnOnce() -> Obj) -> Value {
    if let Some(id) = interp.sub_objs.get(&(owner, key)) {
        return Value::Obj(*id);
    }
    let id = interp.new_obj(make());
    interp.sub_objs.insert((owner, key), id);
    // `app.config`, `app.url_map`, ... are made with their app.
    if let Some(c) = interp.creation_cond.get(&owner).cloned() {
        interp.creation_cond.insert(id, c);
    }
    Value::Obj(id)
}

pub fn get_attr(interp: &mut Interp, id: ObjId, attr: &str) -> Value {
    let me = Value::Obj(id);
    match (&interp.objs[id], attr) {
        (Obj::App(_), "config") => sub_obj(interp, id, "config", || Obj::Config(id)),
        (Obj::App(_), "url_map") => sub_obj(interp, id, "url_map", || Obj::UrlMap(id)),
        (Obj::App(_), "jinja_env") => sub_obj(interp, id, "jinja_env", || Obj::Jinja(id, "")),
        // `app.blueprints` as registered so far (`if app.blueprints.get(bp.name) is None:`
        // before registering one), when every registration is known.
        (Obj::App(a), "blueprints") => {
            if a.registrations.iter().any(|r| r.dynamic.is_some()) {
                return Value::Unknown;
            }
            let items = a.registrations.iter().map(|r| (Value::str(&r.name), Value::Obj(r.blueprint))).collect();
            Value::Dict(Rc::new(items))
        }
        (Obj::App(_) | Obj::Blueprint(_), "cli") => sub_obj(interp, id, "cli", || Obj::Cli(id)),
        (Obj::App(a), "import_name" | "name") => Value::str(&a.import_name.clone()),
        (Obj::App(_), "debug" | "testing" | "secret_key") => {
            let key = attr.to_uppercase();
            get_item(interp, id, &Value::str(&key))
        }
        (Obj::Blueprint(b), "name") => b.name.clone(),
        (Obj::Blueprint(b), "url_prefix") => b.url_prefix.clone().unwrap_or(Value::NoneV),
        (Obj::UrlMap(app), "converters") => {
            let app = *app;
            sub_obj(interp, app, "converters", || Obj::Converters(app))
        }
        (Obj::Jinja(app, ""), "filters") => {
            let app = *app;
            sub_obj(interp, app, "jinja_filters", || Obj::Jinja(app, "filters"))
        }
        (Obj::Jinja(app, ""), "globals") => {
            let app = *app;
            sub_obj(interp, app, "jinja_globals", || Obj::Jinja(app, "globals"))
        }
        (Obj::Jinja(app, ""), "tests") => {
            let app = *app;
            sub_obj(interp, app, "jinja_tests", || Obj::Jinja(app, "tests"))
        }
        (Obj::Extension(e), a) if super::sqla::is_flask_sqlalchemy(interp.tables.used_as(&e.class)) => {
            super::sqla::extension_attr(id, a).unwrap_or_else(|| Value::Method(Rc::new((me, attr.into()))))
        }
        // The app an extension was given (`appbuilder.app.errorhandler(404)` in Flask-AppBuilder's
        // skeleton, `dash_app.server` for `Dash(server=app)`): as its constructor or `init_app`
        // keeps it, when it was given one app.
        (Obj::Extension(e), "app") if e.apps.len() == 1 => Value::Obj(e.apps[0]),
        (Obj::Extension(e), a)
            if e.kwargs.iter().any(|(k, v)| k == a && matches!(v, Value::Obj(x) if e.apps.contains(x))) =>
        {
            e.kwargs.iter().rev().find(|(k, _)| k == a).map(|(_, v)| v.clone()).unwrap_or_default()
        }
        (Obj::Extension(e), a) if a.chars().next().is_some_and(|c| c.is_ascii_uppercase()) => {
            // Attributes of an extension object (`db.Model`, `db.Column`) are not extensions.
            Value::External(Rc::from(format!("{}#{}", e.class, a).as_str()))
        }
        (Obj::View(v), "__name__") => v.info.name.as_deref().map(Value::str).unwrap_or(Value::Unknown),
        // A data attribute of the project class the object was made from (`node_type = "server"`
        // on a `Blueprint` subclass); its methods are called through [`project_method`].
        _ if interp.obj_attrs.get(&id).is_some_and(|a| a.get(attr).is_some()) => {
            interp.obj_attrs[&id].get(attr).cloned().unwrap_or_default()
        }
        _ => match interp.obj_classes.get(&id).and_then(|c| class_attr(c, attr)) {
            // A `@property` of the class: its value for this object.
            Some(Value::Function(f)) if decorated(&f, "property") => interp.call_function(&f, &[me], &[]),
            Some(v) if !matches!(v, Value::Function(_)) => v,
            _ => Value::Method(Rc::new((me, attr.into()))),
        },
    }
}

pub fn get_item(interp: &mut Interp, id: ObjId, key: &Value) -> Value {
    match &interp.objs[id] {
        Obj::Config(app) => {
            let app = *app;
            match key.as_str() {
                Some(k) => match &interp.objs[app] {
                    Obj::App(a) => a.config.get(k).cloned().unwrap_or(Value::Unknown),
                    _ => Value::Unknown,
                },
                None => Value::Unknown,
            }
        }
        _ => Value::Unknown,
    }
}

pub fn set_attr(interp: &mut Interp, id: ObjId, attr: &str, v: Value, value_expr: &Expr, loc: Location) {
    interp.on_receiver(id, |interp| set_attr_on(interp, id, attr, v, value_expr, loc));
}

fn set_attr_on(interp: &mut Interp, id: ObjId, attr: &str, v: Value, value_expr: &Expr, loc: Location) {
    match (&interp.objs[id], attr) {
        (
            Obj::App(_),
            "secret_key"
            | "debug"
            | "testing"
            | "permanent_session_lifetime"
            | "session_cookie_name"
            | "json_provider_class",
        ) => {
            let key = attr.to_uppercase();
            set_config(interp, id, &key, v, value_expr.to_string(), "attribute", loc);
        }
        // Werkzeug's `Map.strict_slashes`: the default of the rules added from now on.
        (Obj::UrlMap(app), "strict_slashes") => {
            let app = *app;
            let value = if interp.dynamic_reason().is_some() { None } else { v.truth() };
            if value.is_none() {
                // pygeoapi's `APP.url_map.strict_slashes = API_RULES.strict_slashes`.
                interp.diags.push(
                    Diagnostic::new(
                        Code::DynamicRoute,
                        loc.file.clone(),
                        loc.line,
                        format!("`url_map.strict_slashes = {value_expr}` is decided at run time: the rules are listed with Werkzeug's default (a trailing slash is required where the rule has one)"),
                    )
                    .with_help("when it is False, each rule answers with and without its trailing slash: give the Django patterns both forms"),
                );
            }
            if let Obj::App(a) = &mut interp.objs[app] {
                a.strict_slashes = value;
            }
        }
        (Obj::App(_), "jinja_options") => note_jinja_options(interp, id, &v),
        // `app.jinja_loader = ChoiceLoader([...])`, `app.jinja_env.loader = ...`.
        (Obj::App(_) | Obj::Blueprint(_), "jinja_loader") | (Obj::Jinja(_, ""), "loader") => {
            interp.custom_loaders.push((format!("`{value_expr}`"), loc.clone()));
        }
        // `app.jinja_env.trim_blocks = True`: an option of the environment.
        (Obj::Jinja(app, ""), option) if JINJA_OPTIONS.contains(&option) => {
            let app = *app;
            if let (Obj::App(a), Some(value)) = (&mut interp.objs[app], v.to_json()) {
                a.jinja_options.insert(option.to_string(), value);
            }
        }
        (Obj::App(_), "template_folder") => {
            if let (Obj::App(a), Some(s)) = (&mut interp.objs[id], v.as_str()) {
                a.template_folder = Some(join_dir(&a.root_dir.clone(), s));
            }
        }
        // An attribute of the project's own on an object of a project class.
        (Obj::App(_) | Obj::Blueprint(_), _) if interp.obj_classes.contains_key(&id) => {
            interp.obj_attrs.entry(id).or_default().set(attr, v);
        }
        // `login_manager.login_view = "auth.login"` and the like: literal settings of an extension.
        (Obj::Extension(_), _) => {
            let value = v.to_json();
            if let (Obj::Extension(e), Some(value)) = (&mut interp.objs[id], value) {
                e.attrs.retain(|(k, _)| k != attr);
                e.attrs.push((attr.to_string(), value));
            }
        }
        _ => {}
    }
}

/// The options of `jinja2.Environment` an app may set that change how templates read or render.
const JINJA_OPTIONS: [&str; 12] = [
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
];

/// `jinja_options = {...}` of an app or its class: the literal options, and the extensions.
fn note_jinja_options(interp: &mut Interp, app: ObjId, options: &Value) {
    let Value::Dict(items) = options else { return };
    for (k, v) in items.iter() {
        match k.as_str() {
            Some("extensions") => {
                for e in v.elements().unwrap_or_default() {
                    note_jinja_extension(interp, app, &e);
                }
            }
            Some(option) if JINJA_OPTIONS.contains(&option) => {
                if let (Obj::App(a), Some(value)) = (&mut interp.objs[app], v.to_json()) {
                    a.jinja_options.insert(option.to_string(), value);
                }
            }
            _ => {}
        }
    }
}

/// A Jinja extension the app loads: an import path, a library's class or a project class.
fn note_jinja_extension(interp: &mut Interp, app: ObjId, ext: &Value) {
    let path = match ext {
        Value::Str(s) => s.replace(':', "."),
        Value::External(p) => p.to_string(),
        Value::Class(k) => k.path(),
        _ => return,
    };
    if let Obj::App(a) = &mut interp.objs[app] {
        if !a.jinja_extensions.contains(&path) {
            a.jinja_extensions.push(path);
        }
    }
}

pub fn set_item(interp: &mut Interp, id: ObjId, key: &Value, v: Value, value_expr: &Expr, loc: Location) {
    interp.on_receiver(id, |interp| set_item_on(interp, id, key, v, value_expr, loc));
}

fn set_item_on(interp: &mut Interp, id: ObjId, key: &Value, v: Value, value_expr: &Expr, loc: Location) {
    match &interp.objs[id] {
        Obj::Config(app) => {
            let app = *app;
            match key.as_str() {
                Some(k) => set_config(interp, app, k, v, value_expr.to_string(), "item", loc),
                None => {
                    let dynamic = interp.dynamic_reason();
                    interp.log_config(ConfigEvent {
                        app,
                        key: None,
                        value: Value::Unknown,
                        expression: value_expr.to_string(),
                        source: "item",
                        loc,
                        dynamic,
                    });
                }
            }
        }
        Obj::Converters(app) => {
            let app = *app;
            if let (Some(k), Obj::App(a)) = (key.as_str(), &mut interp.objs[app]) {
                a.converters.push((k.to_string(), v, loc));
            }
        }
        Obj::Jinja(app, kind) if !kind.is_empty() => {
            let (app, kind) = (*app, *kind);
            let method = match kind {
                "filters" => "template_filter",
                "globals" => "template_global",
                _ => "template_test",
            };
            let rec = SurfaceRecord {
                method: method.into(),
                scope: "app".into(),
                arg: key.as_str().map(str::to_string),
                function: value_name(&v).unwrap_or_else(|| value_expr.to_string()),
                loc,
                dynamic: interp.dynamic_reason(),
                span: None,
                api: None,
            };
            if let Obj::App(a) = &mut interp.objs[app] {
                a.surface.push(rec);
            }
        }
        _ => {}
    }
}

fn set_config(
    interp: &mut Interp,
    app: ObjId,
    key: &str,
    v: Value,
    expression: String,
    source: &'static str,
    loc: Location,
) {
    let dynamic = interp.dynamic_reason();
    if let Obj::App(a) = &mut interp.objs[app] {
        // A value set under an unknown condition is not certain.
        let stored = if dynamic.is_some() { Value::Unknown } else { v.clone() };
        a.config.insert(key.to_string(), stored);
        if key == "PROVIDE_AUTOMATIC_OPTIONS" {
            a.provide_automatic_options = v.truth();
        }
    }
    interp.log_config(ConfigEvent { app, key: Some(key.to_string()), value: v, expression, source, loc, dynamic });
}

/// A `register_blueprint` call whose blueprint or app is not known statically.
/// `DispatcherMiddleware(app, {"/api": api_app})`: each mounted app serves its routes under its
/// prefix, which its rules (as Flask's `url_map` holds them) do not show, and a WSGI app that is
/// not a Flask app of the project serves URLs the inventory does not list. FD102 says so.
fn dispatcher_mounts(interp: &mut Interp, call: &Call<'_>) {
    let Some(Value::Dict(mounts)) = call.arg(1, "mounts").cloned() else { return };
    // The mounted values as written, when the dict is a literal without `**`.
    let texts: Vec<String> = match call.expr {
        Expr::Call(c) => match c.args.get(1) {
            Some(Expr::Dict(items)) if items.iter().all(|(k, _)| k.is_some()) => {
                items.iter().map(|(_, v)| v.to_string()).collect()
            }
            _ => vec![],
        },
        _ => vec![],
    };
    for (i, (prefix, app)) in mounts.iter().enumerate() {
        let text = texts.get(i).cloned().unwrap_or_else(|| "a WSGI application".into());
        mount_diagnostic(interp, call, &text, prefix.as_str(), app, "DispatcherMiddleware");
    }
}

/// FD102 for a WSGI application mounted under a prefix by a dispatcher (`DispatcherMiddleware`,
/// CherryPy's `tree.graft`): the URLs it serves are not those of its rules alone.
fn mount_diagnostic(interp: &mut Interp, call: &Call<'_>, text: &str, prefix: Option<&str>, app: &Value, by: &str) {
    // `app.wsgi_app` is the app itself (cornflow's `{APPLICATION_ROOT: app.wsgi_app}`).
    let own = match app {
        Value::Method(m) if m.1 == "wsgi_app" => Some(m.0.clone()),
        _ => None,
    };
    let app = own.as_ref().unwrap_or(app);
    let under = match prefix {
        Some(p) => format!("under `{p}`"),
        None => "under a prefix computed at run time".to_string(),
    };
    let (message, help) = match app {
        Value::Obj(o) if matches!(interp.objs[*o], Obj::App(_)) => (
            format!("`{text}` is mounted {under} by {by}: its URLs are that prefix followed by its rules"),
            match prefix {
                Some(p) => format!(
                    "the generated URLconf does not add the prefix: include it under `{}/` where that app is served",
                    p.trim_matches('/')
                ),
                None => "the generated URLconf does not add the prefix: include it where that app is served".to_string(),
            },
        ),
        Value::Unknown => (
            format!("`{text}` is mounted {under} by {by}, and the analysis could not tell which application it is: if it is one of the project's apps, its URLs are that prefix followed by its rules"),
            "include that app's URLconf under the prefix where it is served".to_string(),
        ),
        _ => (
            format!("`{text}`, mounted {under} by {by}, is not a Flask application of the project: its URLs are not in the inventory"),
            "serve it beside the Django project, or port it by hand".to_string(),
        ),
    };
    interp.diags.push(Diagnostic::new(Code::DynamicRoute, &*call.file, call.line, message).with_help(help));
}

/// FD102 for a `register_blueprint` whose blueprint is not known; its place is kept, so that a
/// blueprint left unregistered is not said to be never registered.
fn unresolved_registration(interp: &mut Interp, call: &Call<'_>, help: &str) {
    if interp.unresolved_registration.is_none() {
        interp.unresolved_registration = Some(call.loc());
    }
    interp.diags.push(
        Diagnostic::new(
            Code::DynamicRoute,
            &*call.file,
            call.line,
            format!("a blueprint registration could not be resolved: `{}`", call.expr),
        )
        .with_help(help),
    );
}

/// `x.update(mapping)` registering converters or template helpers from a mapping whose
/// contents are not known statically: what it registers cannot be listed, so say so.
fn unknown_mapping(interp: &mut Interp, call: &Call<'_>, what: &str) {
    interp.diags.push(
        Diagnostic::new(
            Code::UnresolvedCall,
            &call.file,
            call.line,
            format!("`{}`: the mapping is not known statically, so the {what} it registers are not listed", call.expr),
        )
        .with_help("review them by hand, or register them one by one"),
    );
}

/// `importlib.import_module`'s absolute name for `name`: itself, or, when it starts with dots,
/// relative to `package` as `importlib.util.resolve_name` resolves it (None when it cannot).
fn absolute_module_name(name: &str, package: Option<&str>) -> Option<String> {
    let rest = name.trim_start_matches('.');
    let level = name.len() - rest.len();
    if level == 0 {
        return (!name.is_empty()).then(|| name.to_string());
    }
    let parts: Vec<&str> = package?.split('.').collect();
    let base = parts.get(..parts.len().checked_sub(level - 1)?)?.join(".");
    if base.is_empty() {
        return None;
    }
    Some(if rest.is_empty() { base } else { format!("{base}.{rest}") })
}

/// Module-qualified name of a function or class value.
fn value_name(v: &Value) -> Option<String> {
    match v {
        Value::Function(f) => Some(f.path()),
        Value::Class(c) => Some(c.path()),
        Value::External(p) => Some(p.to_string()),
        // `functools.partial(f, ...)` runs `f`.
        Value::Partial(p) => value_name(&p.func),
        Value::Method(m) => Some(m.1.to_string()),
        _ => None,
    }
}

// ------------------------------------------------------------------------ method calls

pub fn call_method(interp: &mut Interp, id: ObjId, name: &str, call: Call<'_>, frame: &Frame) -> Value {
    interp.on_receiver(id, |interp| call_method_on(interp, id, name, call, frame))
}

fn call_method_on(interp: &mut Interp, id: ObjId, name: &str, call: Call<'_>, frame: &Frame) -> Value {
    // A method the object's project class defines (a `Blueprint` subclass's `route` that adds
    // each rule twice, `rule` and `rule + ".json"`: blazar) is what Python runs, not Flask's;
    // its `super().route(...)` reaches Flask's.
    let flask_own = std::mem::take(&mut interp.flask_own_method);
    if !flask_own && OVERRIDABLE.contains(&name) {
        if let Some(f) = own_method(interp, id, name) {
            return call_own_method(interp, id, &f, call);
        }
    }
    let kind = match &interp.objs[id] {
        Obj::App(_) => "app",
        Obj::Blueprint(_) => "bp",
        Obj::Config(_) => "config",
        Obj::Converters(_) => "converters",
        Obj::Jinja(_, k) if !k.is_empty() => "jinja_dict",
        Obj::Jinja(..) => "jinja_env",
        Obj::Cli(_) | Obj::Group(_) => "cli",
        Obj::Api(_) => "api",
        Obj::Namespace(_) => "ns",
        Obj::Extension(_) => "ext",
        _ => "",
    };
    match (kind, name) {
        ("app" | "bp", "route") => {
            let rule = call.arg(0, "rule").cloned().unwrap_or(Value::Unknown);
            let rule_text = call.arg_text(0, "rule").unwrap_or_default();
            let options: Vec<(String, Value)> = call.kwargs.iter().filter(|(k, _)| k != "rule").cloned().collect();
            Value::Decorator(Rc::new(Deco::Route {
                target: id,
                rule,
                rule_text,
                options,
                loc: call.loc(),
                kind: "route",
            }))
        }
        ("app" | "bp", "get" | "post" | "put" | "delete" | "patch") => {
            let rule = call.arg(0, "rule").cloned().unwrap_or(Value::Unknown);
            let rule_text = call.arg_text(0, "rule").unwrap_or_default();
            let mut options: Vec<(String, Value)> = call.kwargs.iter().filter(|(k, _)| k != "rule").cloned().collect();
            options.push(("methods".into(), Value::List(Rc::new(vec![Value::str(&name.to_uppercase())]))));
            Value::Decorator(Rc::new(Deco::Route {
                target: id,
                rule,
                rule_text,
                options,
                loc: call.loc(),
                kind: "route",
            }))
        }
        ("app" | "bp", "add_url_rule") => {
            let rule = call.arg(0, "rule").cloned().unwrap_or(Value::Unknown);
            let rule_text = call.arg_text(0, "rule").unwrap_or_default();
            let endpoint = call.arg(1, "endpoint").cloned();
            let view = call.arg(2, "view_func").cloned();
            let mut options: Vec<(String, Value)> = call
                .kwargs
                .iter()
                .filter(|(k, _)| !matches!(k.as_str(), "rule" | "endpoint" | "view_func"))
                .cloned()
                .collect();
            if let Some(p) = call.args.get(3) {
                options.push(("provide_automatic_options".into(), p.clone()));
            }
            add_url_rule(
                interp,
                id,
                rule,
                rule_text,
                endpoint,
                view,
                &options,
                "add_url_rule",
                call.loc(),
                Join::Flask,
            );
            Value::NoneV
        }
        ("app" | "bp", "register_blueprint") => {
            let bp = call.arg(0, "blueprint").cloned().unwrap_or(Value::Unknown);
            let opts = RegisterOptions {
                url_prefix: call.kwarg("url_prefix").cloned(),
                subdomain: call.kwarg("subdomain").cloned(),
                name: call.kwarg("name").cloned(),
                url_defaults: call.kwarg("url_defaults").cloned(),
                loc: call.loc(),
                dynamic: if call.has_unknown_kwargs() {
                    Some("registration options are passed as `**kwargs` computed at run time".into())
                } else {
                    interp.dynamic_reason()
                },
            };
            match bp {
                Value::Obj(b) if matches!(interp.objs[b], Obj::Blueprint(_)) => {
                    if kind == "app" {
                        // A blueprint class's own `register(self, app, options)`, which Flask
                        // calls to register it: what it adds (routes, other blueprints) counts.
                        // Its `super().register(...)` is the registration below, made after it
                        // so that routes it adds to the blueprint are registered.
                        let own = interp.obj_classes.get(&b).and_then(|c| class_attr(c, "register"));
                        if let Some(Value::Function(f)) = own {
                            let options = Value::Dict(Rc::new(Vec::new()));
                            let _ = interp.call_function(&f, &[Value::Obj(b), Value::Obj(id), options], &[]);
                        }
                        register_on_app(interp, id, b, opts, "", None);
                    } else if let Obj::Blueprint(parent) = &mut interp.objs[id] {
                        parent.children.push((b, opts));
                    }
                }
                // `app.register_blueprint(healthz)` of `from flask_healthz import healthz`.
                Value::External(p) => {
                    let help = format!(
                        "the blueprint `{p}` is a library's: its routes are not in the inventory; serve them in Django by hand"
                    );
                    unresolved_registration(interp, &call, &help)
                }
                _ => unresolved_registration(
                    interp,
                    &call,
                    "the blueprint passed is computed at run time; its routes are not in the inventory",
                ),
            }
            Value::NoneV
        }
        ("app" | "bp", m) if is_hook_method(m) => match call.args.first() {
            Some(
                f @ (Value::Function(_) | Value::Class(_) | Value::External(_) | Value::Partial(_) | Value::Method(_)),
            ) => {
                let f = f.clone();
                record_surface(interp, id, m, None, &f, call.loc());
                f
            }
            // `app.before_request(lambda: ...)`, or a function computed at run time: a hook all
            // the same, named by its source.
            Some(_) => {
                let text = call.arg_text(0, "f").unwrap_or_else(|| "<unknown>".into());
                let name = if text.starts_with("lambda") { "<lambda>".to_string() } else { text };
                record_surface_of(interp, id, m, None, name, call.loc(), None);
                Value::Unknown
            }
            _ => Value::Decorator(Rc::new(Deco::Hook {
                target: id,
                method: Rc::from(m),
                arg: None,
                arg_text: None,
                loc: call.loc(),
            })),
        },
        ("app" | "bp", "errorhandler" | "app_errorhandler") => {
            let arg = call.arg(0, "code_or_exception").cloned();
            let arg_text = call.arg_text(0, "code_or_exception");
            Value::Decorator(Rc::new(Deco::Hook { target: id, method: Rc::from(name), arg, arg_text, loc: call.loc() }))
        }
        ("app" | "bp", "register_error_handler") => {
            let f = call.arg(1, "f").cloned().unwrap_or(Value::Unknown);
            let arg = error_key(call.args.first(), call.arg_text(0, "code_or_exception"));
            record_surface(interp, id, "errorhandler", Some(arg), &f, call.loc());
            Value::NoneV
        }
        (
            "app" | "bp",
            m @ ("template_filter"
            | "template_global"
            | "template_test"
            | "app_template_filter"
            | "app_template_global"
            | "app_template_test"),
        ) => match call.args.first() {
            Some(f @ Value::Function(_)) => {
                let f = f.clone();
                record_surface(interp, id, m, None, &f, call.loc());
                f
            }
            _ => {
                let arg = call.arg(0, "name").cloned();
                Value::Decorator(Rc::new(Deco::Hook {
                    target: id,
                    method: Rc::from(m),
                    arg,
                    arg_text: None,
                    loc: call.loc(),
                }))
            }
        },
        (
            "app" | "bp",
            m @ ("add_template_filter"
            | "add_template_global"
            | "add_template_test"
            | "add_app_template_filter"
            | "add_app_template_global"
            | "add_app_template_test"),
        ) => {
            let f = call.arg(0, "f").cloned().unwrap_or(Value::Unknown);
            let nm = call.arg(1, "name").and_then(|v| v.as_str()).map(str::to_string).or_else(|| match &f {
                Value::Function(func) => Some(func.def.name.to_string()),
                _ => None,
            });
            let method = m.replacen("add_", "", 1);
            record_surface(interp, id, &method, nm, &f, call.loc());
            Value::NoneV
        }
        ("config", m) => config_method(interp, id, m, call),
        ("converters", "update") => {
            let app = match interp.objs[id] {
                Obj::Converters(a) => a,
                _ => return Value::Unknown,
            };
            let mut items: Vec<(String, Value)> = match call.args.first() {
                Some(Value::Dict(d)) => {
                    d.iter().filter_map(|(k, v)| k.as_str().map(|k| (k.to_string(), v.clone()))).collect()
                }
                Some(_) => {
                    unknown_mapping(interp, &call, "URL converters");
                    vec![]
                }
                None => vec![],
            };
            items.extend(call.kwargs.iter().cloned());
            if let Obj::App(a) = &mut interp.objs[app] {
                for (k, v) in items {
                    a.converters.push((k, v, call.loc()));
                }
            }
            Value::NoneV
        }
        // `super().__init__(import_name, ...)` (or `Flask.__init__(self, ...)`) in a Flask
        // subclass's `__init__` (Lektor's `WebUI(env)`): the app is what these arguments make,
        // not what the class was called with.
        ("app", "__init__") => {
            let (fresh, static_known) = app_obj(interp, &call, frame);
            if let Obj::App(a) = &mut interp.objs[id] {
                a.import_name = fresh.import_name;
                a.root_dir = fresh.root_dir;
                a.template_folder = fresh.template_folder;
                a.static_folder = fresh.static_folder;
                a.static_url_path = fresh.static_url_path;
                a.rules.retain(|r| {
                    !(r.view.as_ref().is_some_and(|v| v.kind == "static") && r.endpoint.as_deref() == Some("static"))
                });
            }
            static_rule(interp, id, static_known, call.loc());
            Value::NoneV
        }
        // `super().__init__(name, import_name, **kwargs)` in a blueprint class's `__init__`: the
        // blueprint is what these arguments make (`"NODE-%s" % cls.node_type`, a default
        // `url_prefix` set on `kwargs`), not what the class was called with.
        ("bp", "__init__") if matches!(&interp.objs[id], Obj::Blueprint(b) if matches!(b.view_rules, ViewRules::Flask)) =>
        {
            let fresh = blueprint_obj(interp, &call, frame, ViewRules::Flask);
            if let Obj::Blueprint(b) = &mut interp.objs[id] {
                b.name = fresh.name;
                b.import_name = fresh.import_name;
                b.template_folder = fresh.template_folder;
                b.static_folder = fresh.static_folder;
                b.static_folder_unknown = fresh.static_folder_unknown;
                b.static_url_path = fresh.static_url_path;
                b.root_dir = fresh.root_dir;
                b.url_prefix = fresh.url_prefix;
                b.subdomain = fresh.subdomain;
                b.url_defaults = fresh.url_defaults;
            }
            Value::NoneV
        }
        ("jinja_env", "add_extension") => {
            if let (Obj::Jinja(app, _), Some(ext)) = (&interp.objs[id], call.arg(0, "extension")) {
                let (app, ext) = (*app, ext.clone());
                note_jinja_extension(interp, app, &ext);
            }
            Value::NoneV
        }
        ("jinja_dict", "update") => {
            let mut items: Vec<(Value, Value)> = match call.args.first() {
                Some(Value::Dict(d)) => d.as_ref().clone(),
                Some(_) => {
                    let kind = match interp.objs[id] {
                        Obj::Jinja(_, kind) => kind,
                        _ => "",
                    };
                    unknown_mapping(interp, &call, &format!("template {kind}"));
                    vec![]
                }
                None => vec![],
            };
            items.extend(call.kwargs.iter().map(|(k, v)| (Value::str(k), v.clone())));
            for (k, v) in items {
                set_item(interp, id, &k, v, call.expr, call.loc());
            }
            Value::NoneV
        }
        // `app.jinja_env.filters.setdefault("markdown", f)` (udata).
        ("jinja_dict", "setdefault") => {
            let (Some(k), Some(v)) = (call.args.first().cloned(), call.args.get(1).cloned()) else {
                return Value::Unknown;
            };
            set_item(interp, id, &k, v.clone(), call.expr, call.loc());
            v
        }
        ("cli", "command" | "group") => {
            let nm = call.arg(0, "name").cloned();
            Value::Decorator(Rc::new(Deco::Command {
                owner: Some(id),
                name: nm,
                group: name == "group",
                loc: call.loc(),
            }))
        }
        ("cli", "add_command") => {
            let cmd = call.arg(0, "cmd").cloned().unwrap_or(Value::Unknown);
            let nm = call.arg(1, "name").and_then(|v| v.as_str()).map(str::to_string);
            // `app.cli.add_command` attaches to the app's CLI; a group's `add_command` nests.
            let cli = match &interp.objs[id] {
                Obj::Cli(_) => Some(id),
                Obj::Group(g) => g.cli,
                _ => None,
            };
            let parent_name = match &interp.objs[id] {
                Obj::Group(g) => g.name.clone(),
                _ => None,
            };
            if let Value::Obj(g) = cmd {
                if let Obj::Group(group) = &interp.objs[g] {
                    let own = nm.or_else(|| group.name.clone());
                    let rec_name = match (&parent_name, &own, matches!(interp.objs[id], Obj::Group(_))) {
                        (Some(p), Some(o), true) => Some(format!("{p} {o}")),
                        (None, _, true) => None,
                        _ => own.clone(),
                    };
                    let function = group.function.clone().unwrap_or_else(|| "<group>".into());
                    let loc = group.loc.clone();
                    let subs = group.commands.clone();
                    match cli {
                        Some(c) => {
                            record_command(interp, c, rec_name.clone(), function, loc);
                            for (sub, func, l) in subs {
                                let full = match (&rec_name, sub) {
                                    (Some(g), Some(s)) => Some(format!("{g} {s}")),
                                    _ => None,
                                };
                                record_command(interp, c, full, func, l);
                            }
                            if let Obj::Group(gr) = &mut interp.objs[g] {
                                gr.cli = Some(c);
                                gr.name = rec_name;
                                gr.commands.clear();
                            }
                        }
                        None => {
                            if let Obj::Group(parent) = &mut interp.objs[id] {
                                parent.commands.push((own, function, loc));
                            }
                        }
                    }
                }
            }
            Value::NoneV
        }
        ("api", "add_resource") => {
            let class = call.args.first().cloned().unwrap_or(Value::Unknown);
            let urls = call.args.iter().skip(1).cloned().collect();
            let res = PendingResource {
                class,
                urls,
                options: call.kwargs.clone(),
                loc: call.loc(),
                dynamic: interp.dynamic_reason(),
            };
            api_add_resource(interp, id, res);
            Value::NoneV
        }
        // flask-restx: `@api.errorhandler(E)` (or on a namespace) handles E raised in the API's
        // resources; `@api.errorhandler` on a function is the default handler.
        ("api" | "ns", "errorhandler") => match call.arg(0, "exception") {
            Some(f @ Value::Function(_)) => {
                let f = f.clone();
                record_surface(interp, id, "restx_errorhandler", Some("default".into()), &f, call.loc());
                f
            }
            arg => {
                let arg = arg.cloned();
                let arg_text = call.arg_text(0, "exception");
                Value::Decorator(Rc::new(Deco::Hook {
                    target: id,
                    method: Rc::from("restx_errorhandler"),
                    arg,
                    arg_text,
                    loc: call.loc(),
                }))
            }
        },
        ("api", "resource") => Value::Decorator(Rc::new(Deco::RestxRoute {
            target: id,
            urls: call.args.clone(),
            options: call.kwargs.clone(),
            loc: call.loc(),
        })),
        ("api", "route") => {
            let target = match &interp.objs[id] {
                Obj::Api(a) => a.default_ns.unwrap_or(id),
                _ => id,
            };
            Value::Decorator(Rc::new(Deco::RestxRoute {
                target,
                urls: call.args.clone(),
                options: call.kwargs.clone(),
                loc: call.loc(),
            }))
        }
        ("api", "init_app") => {
            if let Obj::Api(a) = &mut interp.objs[id] {
                a.init_options = call.kwargs.clone();
            }
            if let Some(Value::Obj(t)) = call.arg(0, "app") {
                let t = *t;
                api_init(interp, id, t);
            }
            Value::NoneV
        }
        ("api", "add_namespace") => {
            if let Some(Value::Obj(ns)) = call.arg(0, "ns") {
                let ns = *ns;
                if let Some(p) = call.arg(1, "path").cloned() {
                    if let Obj::Namespace(n) = &mut interp.objs[ns] {
                        if !matches!(p, Value::NoneV) {
                            n.path = p;
                        }
                    }
                }
                api_add_namespace(interp, id, ns);
            }
            Value::NoneV
        }
        ("api", "namespace") => {
            let ns = call_external(interp, "flask_restx.Namespace", call, frame);
            if let Value::Obj(n) = ns {
                api_add_namespace(interp, id, n);
            }
            ns
        }
        ("ns", "route") => Value::Decorator(Rc::new(Deco::RestxRoute {
            target: id,
            urls: call.args.clone(),
            options: call.kwargs.clone(),
            loc: call.loc(),
        })),
        ("ns", "add_resource") => {
            let class = call.args.first().cloned().unwrap_or(Value::Unknown);
            let urls = call.args.iter().skip(1).cloned().collect();
            let res = PendingResource {
                class,
                urls,
                options: call.kwargs.clone(),
                loc: call.loc(),
                dynamic: interp.dynamic_reason(),
            };
            ns_add_resource(interp, id, res);
            Value::NoneV
        }
        // flask-smorest's `Api.register_blueprint(blp, **options)`: on the app the Api was given.
        ("ext", "register_blueprint") if matches!(&interp.objs[id], Obj::Extension(e) if e.class == "flask_smorest.Api") =>
        {
            let app = match &interp.objs[id] {
                Obj::Extension(e) => e.apps.first().copied(),
                _ => None,
            };
            match app {
                Some(app) => call_method(interp, app, "register_blueprint", call, frame),
                None => {
                    unresolved_registration(
                        interp,
                        &call,
                        "the Api is not bound to a known app here; its blueprints' routes are not in the inventory",
                    );
                    Value::NoneV
                }
            }
        }
        ("ext", "init_app") => {
            if let Some(Value::Obj(a)) = call.arg(0, "app") {
                let a = *a;
                if matches!(interp.objs[a], Obj::App(_)) {
                    bind_extension(interp, id, a, call.loc());
                }
            }
            Value::NoneV
        }
        // `csrf.exempt(bp)`, `limiter.exempt(bp)`: the decorator, written so, applies to every
        // view of the blueprint.
        ("ext", "exempt") => match (blueprint_arg(interp, &call), call.expr) {
            (Some(b), Expr::Call(c)) => {
                interp.blueprint_decorators.push((b, c.func.to_string()));
                Value::NoneV
            }
            _ => Value::Decorator(Rc::new(Deco::Identity)),
        },
        ("ext", _) => Value::Decorator(Rc::new(Deco::Identity)),
        _ => project_method(interp, id, name, call),
    }
}

/// The blueprint a call's first argument is, if it is one.
fn blueprint_arg(interp: &Interp, call: &Call<'_>) -> Option<ObjId> {
    match call.args.first() {
        Some(Value::Obj(b)) if matches!(interp.objs[*b], Obj::Blueprint(_)) => Some(*b),
        _ => None,
    }
}

/// A method of the project class an object was made from (`class Application(Flask)` with a
/// `discover(self)` that registers blueprints), called with the object as `self`: Unknown when
/// it has none. The methods of Flask the inventory follows come first, as written in Flask.
fn project_method(interp: &mut Interp, id: ObjId, name: &str, call: Call<'_>) -> Value {
    match own_method(interp, id, name) {
        Some(f) => call_own_method(interp, id, &f, call),
        None => Value::Unknown,
    }
}

/// The instance method `name` of the project class an object was made from, if it has one.
fn own_method(interp: &Interp, id: ObjId, name: &str) -> Option<Rc<Func>> {
    match interp.obj_classes.get(&id).and_then(|c| class_attr(c, name)) {
        Some(Value::Function(f)) if is_instance_method(&f) => Some(f),
        _ => None,
    }
}

/// Calls a method [`own_method`] found, with the object as `self`.
fn call_own_method(interp: &mut Interp, id: ObjId, f: &Rc<Func>, call: Call<'_>) -> Value {
    let mut args = vec![Value::Obj(id)];
    args.extend(call.args);
    interp.call_function(f, &args, &call.kwargs)
}

/// Flask's methods that register routes, which a project subclass may override with its own
/// way of registering (run as the project wrote it: see `call_method_on`).
const OVERRIDABLE: &[&str] = &["route", "get", "post", "put", "delete", "patch", "add_url_rule"];

/// The methods of an app or a blueprint that register a request hook (`mappings/hooks.toml`
/// has a row for each).
pub const HOOK_METHODS: &[&str] = &[
    "before_request",
    "after_request",
    "teardown_request",
    "teardown_appcontext",
    "before_app_request",
    "after_app_request",
    "teardown_app_request",
    "before_first_request",
    "before_app_first_request",
    "url_value_preprocessor",
    "url_defaults",
    "app_url_value_preprocessor",
    "app_url_defaults",
    "context_processor",
    "app_context_processor",
    "shell_context_processor",
];

fn is_hook_method(m: &str) -> bool {
    HOOK_METHODS.contains(&m)
}

fn error_key(v: Option<&Value>, text: Option<String>) -> String {
    match v {
        Some(Value::Int(i)) => i.to_string(),
        // Flask files a Werkzeug exception with a code under its code (`Forbidden` → 403).
        Some(Value::External(p)) => match crate::inventory::values::werkzeug_exception_code(p) {
            Some(code) => code.to_string(),
            None => p.trim_start_matches("builtins.").to_string(),
        },
        Some(Value::Class(c)) => c.path(),
        _ => text.unwrap_or_else(|| "?".into()),
    }
}

impl Interp<'_> {
    /// The request hooks and template helpers recorded on an app or a blueprint.
    fn surface_mut(&mut self, id: ObjId) -> Option<&mut Vec<SurfaceRecord>> {
        match &mut self.objs[id] {
            Obj::App(a) => Some(&mut a.surface),
            Obj::Blueprint(b) => Some(&mut b.surface),
            _ => None,
        }
    }
}

fn record_surface(interp: &mut Interp, target: ObjId, method: &str, arg: Option<String>, f: &Value, loc: Location) {
    let function = value_name(f).unwrap_or_else(|| "<unknown>".into());
    // The function's lines, when it is in the file of the registration (whose location the
    // record keeps): a decorated function, or one registered beside it.
    let span = match f {
        Value::Function(f) if f.location().file == loc.file => Some((f.def.start_line, f.def.end_line)),
        _ => None,
    };
    record_surface_of(interp, target, method, arg, function, loc, span);
}

/// [`record_surface`] for a function known by name only.
fn record_surface_of(
    interp: &mut Interp,
    target: ObjId,
    method: &str,
    arg: Option<String>,
    function: String,
    loc: Location,
    span: Option<(u32, u32)>,
) {
    let dynamic = interp.dynamic_reason();
    if matches!(method, "before_first_request" | "before_app_first_request") {
        interp.diags.push(
            Diagnostic::new(
                Code::RemovedApi,
                loc.file.clone(),
                loc.line,
                format!("`{method}` was removed in Flask 2.3"),
            )
            .with_help("run the code once at start-up instead (Django: AppConfig.ready())"),
        );
    }
    let rec =
        SurfaceRecord { method: method.to_string(), scope: "app".into(), arg, function, loc, dynamic, span, api: None };
    if method == "restx_errorhandler" {
        restx_handler(interp, target, rec);
    } else if let Some(surface) = interp.surface_mut(target) {
        surface.push(rec);
    }
}

fn record_command(interp: &mut Interp, owner: ObjId, name: Option<String>, function: String, loc: Location) {
    let (target, dynamic) = (
        match interp.objs[owner] {
            Obj::Cli(t) => Some(t),
            _ => None,
        },
        interp.dynamic_reason(),
    );
    if let Some(t) = target {
        let rec = SurfaceRecord {
            method: "cli".into(),
            scope: "app".into(),
            arg: name,
            function,
            loc,
            dynamic,
            span: None,
            api: None,
        };
        match &mut interp.objs[t] {
            Obj::App(a) => a.surface.push(rec),
            Obj::Blueprint(b) => b.surface.push(rec),
            _ => {}
        }
    }
}

fn config_method(interp: &mut Interp, cfg: ObjId, name: &str, call: Call<'_>) -> Value {
    let app = match interp.objs[cfg] {
        Obj::Config(a) => a,
        _ => return Value::Unknown,
    };
    let text = call.expr.to_string();
    match name {
        "from_object" => {
            let mut obj = call.arg(0, "obj").cloned().unwrap_or(Value::Unknown);
            if let Value::Str(s) = &obj {
                let s = s.to_string();
                obj = interp.import_string(&s);
            }
            let attrs: Option<Vec<(String, Value)>> = match &obj {
                Value::Class(c) | Value::Instance(c) => {
                    let mut keys = std::collections::BTreeSet::new();
                    collect_class_keys(c, &mut keys);
                    Some(keys.into_iter().filter_map(|k| class_attr(c, &k).map(|v| (k, v))).collect())
                }
                Value::Module(m) => {
                    let m = m.to_string();
                    interp.load_module(&m).map(|s| {
                        let vars = s.vars.borrow();
                        let mut v: Vec<(String, Value)> = vars
                            .iter()
                            .filter(|(k, _)| {
                                k.chars().all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
                                    && !k.starts_with('_')
                            })
                            .map(|(k, v)| (k.to_string(), v.clone()))
                            .collect();
                        v.sort_by(|a, b| a.0.cmp(&b.0));
                        v
                    })
                }
                _ => None,
            };
            match attrs {
                Some(attrs) => {
                    for (k, v) in attrs {
                        if k.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && k == k.to_uppercase() {
                            let expr = v.to_json().map(|j| j.to_string()).unwrap_or_else(|| "<computed>".into());
                            set_config(interp, app, &k, v, expr, "from_object", call.loc());
                        }
                    }
                }
                None => dynamic_config(interp, app, text, "from_object", call.loc()),
            }
        }
        "from_mapping" | "update" => {
            let mut items: Vec<(String, Value)> = Vec::new();
            match call.args.first() {
                Some(Value::Dict(d)) => {
                    items.extend(d.iter().filter_map(|(k, v)| k.as_str().map(|k| (k.to_string(), v.clone()))))
                }
                Some(Value::NoneV) | None => {}
                Some(_) => {
                    dynamic_config(
                        interp,
                        app,
                        text.clone(),
                        if name == "update" { "update" } else { "from_mapping" },
                        call.loc(),
                    );
                }
            }
            if call.has_unknown_kwargs() {
                dynamic_config(interp, app, text.clone(), "from_mapping", call.loc());
            }
            items.extend(call.kwargs.iter().filter(|(k, _)| k != "**").cloned());
            let source = if name == "update" { "update" } else { "from_mapping" };
            for (k, v) in items {
                if name == "update" || k.chars().all(|c| !c.is_ascii_lowercase()) {
                    let expr = v.to_json().map(|j| j.to_string()).unwrap_or_else(|| "<computed>".into());
                    set_config(interp, app, &k, v, expr, source, call.loc());
                }
            }
        }
        "setdefault" => {
            if let Some(k) = call.args.first().and_then(|k| k.as_str()) {
                let k = k.to_string();
                let known = matches!(&interp.objs[app], Obj::App(a) if a.config.contains_key(&k));
                if !known {
                    let v = call.args.get(1).cloned().unwrap_or(Value::NoneV);
                    set_config(
                        interp,
                        app,
                        &k,
                        v,
                        call.arg_text(1, "default").unwrap_or_default(),
                        "setdefault",
                        call.loc(),
                    );
                }
            }
        }
        "get" => {
            if let Some(k) = call.args.first().and_then(|k| k.as_str()) {
                if let Obj::App(a) = &interp.objs[app] {
                    return match a.config.get(k) {
                        Some(v) => v.clone(),
                        None => Value::Unknown,
                    };
                }
            }
            return Value::Unknown;
        }
        "from_pyfile" | "from_envvar" | "from_file" | "from_prefixed_env" => {
            let source = match name {
                "from_pyfile" => "from_pyfile",
                "from_envvar" => "from_envvar",
                "from_file" => "from_file",
                _ => "from_prefixed_env",
            };
            dynamic_config(interp, app, text, source, call.loc());
            return Value::Bool(true);
        }
        _ => return Value::Unknown,
    }
    Value::Bool(true)
}

fn collect_class_keys(c: &Rc<Class>, out: &mut std::collections::BTreeSet<String>) {
    for k in c.attrs().keys() {
        out.insert(k.to_string());
    }
    for b in &c.bases {
        if let Value::Class(bc) = b {
            collect_class_keys(bc, out);
        }
    }
}

fn dynamic_config(interp: &mut Interp, app: ObjId, expression: String, source: &'static str, loc: Location) {
    interp.diags.push(
        Diagnostic::new(
            Code::DynamicConfig,
            loc.file.clone(),
            loc.line,
            format!("configuration loaded at run time: `{expression}`"),
        )
        .with_help("keys set there are not in the inventory; carry them over by hand"),
    );
    let dynamic = Some(format!("`{source}` loads configuration at run time"));
    interp.log_config(ConfigEvent { app, key: None, value: Value::Unknown, expression, source, loc, dynamic });
}

// ------------------------------------------------------------------------ decorators

pub fn apply_deco(interp: &mut Interp, d: &Rc<Deco>, target: Value, expr: &Expr, frame: &Frame) -> Value {
    let owner = match d.as_ref() {
        Deco::Route { target, .. } | Deco::Hook { target, .. } | Deco::RestxRoute { target, .. } => Some(*target),
        Deco::Command { owner, .. } => *owner,
        Deco::Identity | Deco::Wraps(_) | Deco::Classful(_) => None,
    };
    match owner {
        Some(o) => interp.on_receiver(o, |interp| apply_deco_on(interp, d, target, expr, frame)),
        None => apply_deco_on(interp, d, target, expr, frame),
    }
}

fn apply_deco_on(interp: &mut Interp, d: &Rc<Deco>, target: Value, expr: &Expr, frame: &Frame) -> Value {
    let _ = frame;
    match d.as_ref() {
        Deco::Route { target: owner, rule, rule_text, options, loc, kind } => {
            let endpoint = options.iter().rev().find(|(k, _)| k == "endpoint").map(|(_, v)| v.clone());
            let opts: Vec<(String, Value)> = options.iter().filter(|(k, _)| k != "endpoint").cloned().collect();
            add_url_rule(
                interp,
                *owner,
                rule.clone(),
                rule_text.clone(),
                endpoint,
                Some(target.clone()),
                &opts,
                kind,
                loc.clone(),
                Join::Flask,
            );
            target
        }
        Deco::Hook { target: owner, method, arg, arg_text, loc } => {
            let arg = match method.as_ref() {
                "errorhandler" | "app_errorhandler" | "restx_errorhandler" => {
                    Some(error_key(arg.as_ref(), arg_text.clone()))
                }
                _ => arg.as_ref().and_then(|a| a.as_str()).map(str::to_string),
            };
            let arg = match (method.as_ref(), arg) {
                (m, None) if m.contains("template_") => match &target {
                    Value::Function(f) => Some(f.def.name.to_string()),
                    _ => None,
                },
                (_, a) => a,
            };
            record_surface(interp, *owner, method, arg, &target, loc.clone());
            target
        }
        Deco::Command { owner, name, group, loc } => {
            let fname = match &target {
                Value::Function(f) => Some(f.def.name.clone()),
                _ => None,
            };
            let cmd_name = match name {
                Some(Value::Str(s)) => Some(s.to_string()),
                Some(_) => None,
                None => fname.as_ref().map(|n| click_name(n)),
            };
            let function = value_name(&target).unwrap_or_else(|| "<unknown>".into());
            let owner = owner.map(|o| (o, matches!(interp.objs[o], Obj::Cli(_))));
            match owner {
                Some((o, true)) => {
                    record_command(interp, o, cmd_name.clone(), function.clone(), loc.clone());
                    if *group {
                        let g = GroupObj {
                            name: cmd_name,
                            commands: vec![],
                            loc: loc.clone(),
                            function: Some(function),
                            is_group: true,
                            cli: Some(o),
                        };
                        return Value::Obj(interp.new_obj(Obj::Group(g)));
                    }
                    target
                }
                Some((g, false)) => {
                    let (gname, cli) = match &interp.objs[g] {
                        Obj::Group(gr) => (gr.name.clone(), gr.cli),
                        _ => (None, None),
                    };
                    match cli {
                        Some(c) => {
                            let full = match (&gname, &cmd_name) {
                                (Some(a), Some(b)) => Some(format!("{a} {b}")),
                                _ => None,
                            };
                            record_command(interp, c, full, function, loc.clone());
                        }
                        None => {
                            if let Obj::Group(gr) = &mut interp.objs[g] {
                                gr.commands.push((cmd_name, function, loc.clone()));
                            }
                        }
                    }
                    target
                }
                None => {
                    let g = GroupObj {
                        name: cmd_name,
                        commands: vec![],
                        loc: loc.clone(),
                        function: Some(function),
                        is_group: *group,
                        cli: None,
                    };
                    Value::Obj(interp.new_obj(Obj::Group(g)))
                }
            }
        }
        Deco::RestxRoute { target: owner, urls, options, loc } => {
            let res = PendingResource {
                class: target.clone(),
                urls: urls.clone(),
                options: options.clone(),
                loc: loc.clone(),
                dynamic: interp.dynamic_reason(),
            };
            match &interp.objs[*owner] {
                Obj::Namespace(_) => ns_add_resource(interp, *owner, res),
                Obj::Api(_) => api_add_resource(interp, *owner, res),
                _ => {}
            }
            let _ = expr;
            target
        }
        Deco::Identity => target,
        Deco::Classful(mark) => {
            if let Value::Function(f) = &target {
                interp.classful_marks.entry(std::sync::Arc::as_ptr(&f.def) as usize).or_default().push(mark.clone());
            }
            target
        }
        Deco::Wraps(f) => f.clone(),
    }
}

/// click 8's default command name: lower-case, `_` to `-`, and the suffixes `_command`, `_cmd`,
/// `_group`, `_grp` removed (8.2).
fn click_name(f: &str) -> String {
    let mut n = f.to_lowercase().replace('_', "-");
    for suffix in ["-command", "-cmd", "-group", "-grp"] {
        if let Some(stripped) = n.strip_suffix(suffix) {
            if !stripped.is_empty() {
                n = stripped.to_string();
                break;
            }
        }
    }
    n
}

pub fn apply_external_decorator(interp: &mut Interp, path: &str, target: Value, expr: &Expr, frame: &Frame) -> Value {
    match canonical(path) {
        // Bare `@click.command` / `@click.group` (click 8.1+).
        "click.command" | "click.group" => {
            let d = Rc::new(Deco::Command {
                owner: None,
                name: None,
                group: canonical(path) == "click.group",
                loc: Location { file: frame.file.clone(), line: 0 },
            });
            apply_deco(interp, &d, target, expr, frame)
        }
        p => super::sqla::apply_external_decorator(interp, p, target),
    }
}

// ------------------------------------------------------------------------ class-based views

pub fn call_class_method(interp: &mut Interp, c: &Rc<Class>, name: &str, call: Call<'_>, frame: &Frame) -> Value {
    let _ = frame;
    match name {
        "as_view" => {
            let view_name = call.arg(0, "name").and_then(|v| v.as_str()).map(str::to_string);
            as_view(interp, c, view_name)
        }
        "register" if derives_from(c, "flask_classful.FlaskView") => {
            super::classful::register(interp, c, call);
            Value::NoneV
        }
        _ => Value::Unknown,
    }
}

/// `c.as_view(name)`: the view function of a class-based view.
fn as_view(interp: &mut Interp, c: &Rc<Class>, name: Option<String>) -> Value {
    let info = class_view_info(c, name);
    Value::Obj(interp.new_obj(Obj::View(ViewObj { info })))
}

/// FD102 for a resource deriving from a class outside the project that is not one of the
/// libraries' own (actinia's `ResourceBase`): the HTTP methods that class defines are not known.
fn unknown_resource_base(interp: &mut Interp, c: &Rc<Class>, loc: &Location) {
    let mut bases = Vec::new();
    external_bases(c, &mut bases);
    let known = ["flask_restful.Resource", "flask_restx.Resource", "flask.views.MethodView", "flask.views.View"];
    let Some(base) = bases.iter().find(|b| !known.contains(&canonical(b)) && b.as_str() != "builtins.object") else {
        return;
    };
    interp.diags.push(
        Diagnostic::new(
            Code::DynamicRoute,
            loc.file.clone(),
            loc.line,
            format!(
                "the resource `{}` derives from `{base}`, outside the project: the HTTP methods it defines are not listed, only those of the project's classes",
                c.def.name
            ),
        )
        .with_help("check the route's methods against the base class, and add those it serves to the Django view"),
    );
}

/// `View.methods` as Flask computes it (MethodView's `__init_subclass__`).
fn class_methods(c: &Rc<Class>) -> Option<Vec<String>> {
    class_methods_as(c, is_method_view(c))
}

/// [`class_methods`], for a class known to be a `MethodView` when `method_view` (a resource
/// given to `add_resource` derives from one, whatever library or project base stands between:
/// `flask_restful_swagger_2.Resource`, a package's `ResourceBase`).
fn class_methods_as(c: &Rc<Class>, method_view: bool) -> Option<Vec<String>> {
    if let Some(v) = c.attrs().get("methods") {
        return v.elements().and_then(|items| items.iter().map(|i| i.as_str().map(|s| s.to_uppercase())).collect());
    }
    if method_view {
        let mut set = std::collections::BTreeSet::new();
        for b in &c.bases {
            if let Value::Class(bc) = b {
                if let Some(m) = class_methods_as(bc, true) {
                    set.extend(m);
                }
            }
        }
        for key in HTTP_METHOD_FUNCS {
            if class_attr(c, key).is_some() {
                set.insert(key.to_uppercase());
            }
        }
        if !set.is_empty() {
            return Some(set.into_iter().collect());
        }
    }
    for b in &c.bases {
        if let Value::Class(bc) = b {
            if let Some(m) = class_methods(bc) {
                return Some(m);
            }
        }
    }
    None
}

fn class_view_info(c: &Rc<Class>, name: Option<String>) -> ViewInfo {
    let decorators = match class_attr(c, "decorators") {
        Some(v) => v
            .elements()
            .map(|items| items.iter().map(|i| value_name(i).unwrap_or_else(|| "<decorator>".into())).collect())
            .unwrap_or_default(),
        None => vec![],
    };
    ViewInfo {
        key: format!("class:{}:{}:{}", c.path(), c.def.line, name.clone().unwrap_or_default()),
        name,
        path: Some(c.path()),
        location: Some(c.location()),
        decorators,
        methods: class_methods(c),
        provide_automatic_options: class_attr(c, "provide_automatic_options").and_then(|v| v.truth()),
        kind: "class",
        span: Some((c.def.start_line, c.def.end_line)),
        render: None,
    }
}

/// The view a value stands for.
pub(crate) fn view_info(interp: &Interp, v: &Value) -> Option<ViewInfo> {
    match v {
        Value::Function(f) => Some(ViewInfo {
            key: format!("func:{}:{}", f.path(), f.def.line),
            // Its `__name__` as set by the project (`responder.__name__ = f"get_{name}"` in a
            // decorator), which Flask takes for the endpoint.
            name: Some(interp.renamed(f).unwrap_or(&f.def.name).to_string()),
            path: Some(f.path()),
            location: Some(f.location()),
            decorators: f.decorators().into_iter().filter(|d| !is_registration_decorator(d)).collect(),
            methods: None,
            provide_automatic_options: None,
            kind: "function",
            span: Some((f.def.start_line, f.def.end_line)),
            render: simple_render(f),
        }),
        Value::Obj(id) => match &interp.objs[*id] {
            Obj::View(v) => Some(v.info.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// `return render_template("name", key=literal, ...)`, after an optional docstring.
fn simple_render(f: &Rc<Func>) -> Option<crate::inventory::model::RenderTemplate> {
    use crate::parse::ast::Stmt;
    let mut body = f.def.body.iter().peekable();
    if let Some(Stmt::Expr { value: Expr::Str(_), .. }) = body.peek() {
        body.next();
    }
    let (Some(Stmt::Return { value: Some(Expr::Call(call)), .. }), None) = (body.next(), body.next()) else {
        return None;
    };
    let crate::parse::ast::CallExpr { func, args, keywords, .. } = &**call;
    let callee = match func.dotted()?.as_str() {
        "flask.render_template" => "flask.render_template".to_string(),
        name => match f.scope.lookup(name)? {
            Value::External(p) => p.to_string(),
            _ => return None,
        },
    };
    if callee != "flask.render_template" && callee != "flask.templating.render_template" {
        return None;
    }
    let [Expr::Str(template)] = &args[..] else { return None };
    let mut context = BTreeMap::new();
    for k in keywords {
        context.insert(k.arg.as_ref()?.to_string(), k.value.literal_json()?);
    }
    Some(crate::inventory::model::RenderTemplate { template: template.to_string(), context })
}

fn is_registration_decorator(d: &str) -> bool {
    let Some(open) = d.find('(') else {
        return false;
    };
    let head = &d[..open];
    let method = head.rsplit('.').next().unwrap_or("");
    head.contains('.') && matches!(method, "route" | "get" | "post" | "put" | "patch" | "delete" | "command")
}

// ------------------------------------------------------------------------ rules

#[allow(clippy::too_many_arguments)]
pub fn add_url_rule(
    interp: &mut Interp,
    owner: ObjId,
    rule: Value,
    rule_text: String,
    endpoint: Option<Value>,
    view: Option<Value>,
    options: &[(String, Value)],
    kind: &'static str,
    loc: Location,
    join: Join,
) {
    let smorest;
    let view_rules = match &interp.objs[owner] {
        Obj::App(a) => &a.view_rules,
        Obj::Blueprint(b) => &b.view_rules,
        _ => &ViewRules::Flask,
    };
    let (endpoint, view, options) = match (view_rules, &view) {
        (ViewRules::Smorest(_), _) => {
            let (e, v, o) = smorest_rule(interp, owner, endpoint, view, options);
            smorest = o;
            (e, v, smorest.as_slice())
        }
        (ViewRules::ClassViews, Some(Value::Class(c))) => {
            let endpoint = match endpoint {
                None | Some(Value::NoneV) => Some(Value::str(&c.def.name)),
                e => e,
            };
            let name = endpoint.as_ref().and_then(|e| e.as_str()).map(str::to_string);
            let c = c.clone();
            (endpoint, Some(as_view(interp, &c, name)), options)
        }
        _ => (endpoint, view, options),
    };
    let opt = |name: &str| options.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let mut dynamic = interp.dynamic_reason();
    let rule_s = rule.as_str().map(str::to_string);
    if rule_s.is_none() && dynamic.is_none() {
        dynamic = Some(format!("the rule `{rule_text}` is computed at run time"));
    }
    let (endpoint_s, endpoint_unknown) = match &endpoint {
        None | Some(Value::NoneV) => (None, false),
        Some(Value::Str(s)) => (Some(s.to_string()), false),
        Some(_) => (None, true),
    };
    let view_info = view.as_ref().and_then(|v| view_info(interp, v));
    if endpoint_unknown && dynamic.is_none() {
        dynamic = Some("the endpoint is computed at run time".into());
    }
    if endpoint_s.is_none() && view_info.as_ref().and_then(|v| v.name.clone()).is_none() && dynamic.is_none() {
        dynamic = Some("the view function is computed at run time".into());
    }
    let (methods, methods_unknown) = match opt("methods") {
        None | Some(Value::NoneV) => (None, false),
        Some(v) => match v
            .elements()
            .and_then(|items| items.iter().map(|i| i.as_str().map(|s| s.to_uppercase())).collect::<Option<Vec<_>>>())
        {
            Some(m) => (Some(m), false),
            None => (None, true),
        },
    };
    if methods_unknown && dynamic.is_none() {
        dynamic = Some("the methods are computed at run time".into());
    }
    let mut defaults = BTreeMap::new();
    if let Some(Value::Dict(d)) = opt("defaults") {
        for (k, v) in d.iter() {
            match (k.as_str(), v.to_json()) {
                (Some(k), Some(j)) => {
                    defaults.insert(k.to_string(), j);
                }
                // `defaults={"model": models.ModuleBuild}` (module-build-service): the view
                // receives it, and the generated pattern cannot pass it.
                (Some(k), None) => {
                    let shown = value_name(v).unwrap_or_else(|| "a value computed at run time".into());
                    interp.diags.push(
                        Diagnostic::new(
                            Code::DynamicRoute,
                            loc.file.clone(),
                            loc.line,
                            format!(
                                "the rule {} passes its view the default `{k}` = {shown}, which is not a literal: the generated pattern does not pass it",
                                rule_text
                            ),
                        )
                        .with_help(format!("pass `{k}` to the Django view by hand (path(..., kwargs={{\"{k}\": ...}}) or a default in the view's signature)")),
                    );
                }
                _ => {}
            }
        }
    }
    let rec = RuleRecord {
        rule: rule_s,
        rule_text,
        endpoint: endpoint_s,
        endpoint_unknown,
        view: view_info.map(Rc::new),
        methods,
        methods_unknown,
        defaults,
        strict_slashes: opt("strict_slashes").and_then(|v| v.truth()),
        subdomain: str_opt(opt("subdomain").as_ref()),
        host: str_opt(opt("host").as_ref()),
        provide_automatic_options: opt("provide_automatic_options").and_then(|v| v.truth()),
        kind,
        loc,
        dynamic,
        join,
        blueprint: None,
        from_blueprint: None,
    };
    match &mut interp.objs[owner] {
        Obj::App(a) => a.add_rules([Box::new(rec)]),
        Obj::Blueprint(b) => b.rules.push(rec),
        _ => {}
    }
}

/// flask-smorest's `Blueprint.add_url_rule` (which its `route` calls): the endpoint defaults to
/// the view's `__name__` (a class's name), an endpoint the blueprint has taken already becomes
/// `{endpoint}_{n}` (n: the endpoints taken so far), a class is registered as
/// `view.as_view(endpoint)`, and its `parameters` and `tags` options are its own, not the rule's.
type RuleParts = (Option<Value>, Option<Value>, Vec<(String, Value)>);
fn smorest_rule(
    interp: &mut Interp,
    owner: ObjId,
    endpoint: Option<Value>,
    view: Option<Value>,
    options: &[(String, Value)],
) -> RuleParts {
    let options: Vec<(String, Value)> =
        options.iter().filter(|(k, _)| !matches!(k.as_str(), "parameters" | "tags")).cloned().collect();
    let name = match (&endpoint, &view) {
        (None | Some(Value::NoneV), Some(Value::Function(f))) => Some(f.def.name.to_string()),
        (None | Some(Value::NoneV), Some(Value::Class(c))) => Some(c.def.name.to_string()),
        (Some(Value::Str(s)), _) => Some(s.to_string()),
        _ => None,
    };
    let Some(mut name) = name else { return (endpoint, view, options) };
    if let Obj::Blueprint(BlueprintObj { view_rules: ViewRules::Smorest(taken), .. }) = &mut interp.objs[owner] {
        if taken.contains(&name) {
            name = format!("{name}_{}", taken.len());
        }
        taken.push(name.clone());
    }
    let view = match view {
        Some(Value::Class(c)) => Some(as_view(interp, &c, Some(name.clone()))),
        v => v,
    };
    (Some(Value::str(&name)), view, options)
}

/// flask-smorest's `Api` bound to `app`: with `OPENAPI_URL_PREFIX` set, it registers its `api-docs`
/// blueprint there, serving the OpenAPI document and each UI (ReDoc, Swagger UI, RapiDoc) whose
/// path and script URL are both set, from the configuration as it is when the Api is bound.
fn smorest_docs(interp: &mut Interp, app: ObjId, loc: Location) {
    let config = |interp: &Interp, key: &str| match &interp.objs[app] {
        Obj::App(a) => a.config.get(key).cloned(),
        _ => None,
    };
    let leading_slash = |p: &str| if p.starts_with('/') { p.to_string() } else { format!("/{p}") };
    let prefix = match config(interp, "OPENAPI_URL_PREFIX") {
        None | Some(Value::NoneV) => return,
        Some(Value::Str(p)) => p.to_string(),
        Some(_) => {
            interp.diags.push(
                Diagnostic::new(
                    Code::DynamicRoute,
                    &*loc.file,
                    loc.line,
                    "flask-smorest's OPENAPI_URL_PREFIX is computed at run time",
                )
                .with_help("the routes serving the OpenAPI document and its UIs are not in the inventory"),
            );
            return;
        }
    };
    let mut rules = vec![(
        config(interp, "OPENAPI_JSON_PATH")
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_else(|| "openapi.json".into()),
        "openapi_json",
    )];
    for (path, url, endpoint) in [
        ("OPENAPI_REDOC_PATH", "OPENAPI_REDOC_URL", "openapi_redoc"),
        ("OPENAPI_SWAGGER_UI_PATH", "OPENAPI_SWAGGER_UI_URL", "openapi_swagger_ui"),
        ("OPENAPI_RAPIDOC_PATH", "OPENAPI_RAPIDOC_URL", "openapi_rapidoc"),
    ] {
        let set = |k| !matches!(config(interp, k), None | Some(Value::NoneV));
        if let (true, Some(Value::Str(p))) = (set(url), config(interp, path)) {
            rules.push((p.to_string(), endpoint));
        }
    }
    let rules = rules.into_iter().map(|(path, endpoint)| (leading_slash(&path), endpoint)).collect();
    let prefix = Value::str(&leading_slash(&prefix));
    register_library_blueprint(interp, app, ("api-docs", "flask_smorest.spec"), prefix, rules, "add_url_rule", loc);
}

/// A blueprint a library registers on `app` for itself (`name`, from `module`), serving `rules`
/// (rule, endpoint), each added the library's way (`kind`).
fn register_library_blueprint(
    interp: &mut Interp,
    app: ObjId,
    (name, module): (&str, &str),
    url_prefix: Value,
    rules: Vec<(String, &str)>,
    kind: &'static str,
    loc: Location,
) {
    let bp = interp.new_obj(Obj::Blueprint(BlueprintObj {
        name: Value::str(name),
        import_name: module.into(),
        module: module.into(),
        loc: loc.clone(),
        url_prefix: Some(url_prefix),
        ..Default::default()
    }));
    for (rule, endpoint) in rules {
        let text = format!("{rule:?}");
        add_url_rule(
            interp,
            bp,
            Value::str(&rule),
            text,
            Some(Value::str(endpoint)),
            None,
            &[],
            kind,
            loc.clone(),
            Join::Flask,
        );
    }
    let opts = RegisterOptions { loc, dynamic: interp.dynamic_reason(), ..Default::default() };
    register_on_app(interp, app, bp, opts, "", None);
}

/// What `APIFlask(...)` says of its OpenAPI blueprint (its defaults when not given).
struct ApiFlaskDocs {
    spec_path: Value,
    docs_path: Value,
    redirect_path: Value,
    docs_ui: Value,
    url_prefix: Value,
    enabled: Value,
}

impl ApiFlaskDocs {
    fn read(call: &Call<'_>) -> Self {
        let arg = |i: usize, name: &str, default: Value| call.arg(i, name).cloned().unwrap_or(default);
        ApiFlaskDocs {
            spec_path: arg(3, "spec_path", Value::str("/openapi.json")),
            docs_path: arg(4, "docs_path", Value::str("/docs")),
            redirect_path: arg(5, "docs_oauth2_redirect_path", Value::str("/docs/oauth2-redirect")),
            docs_ui: arg(7, "docs_ui", Value::str("swagger-ui")),
            url_prefix: arg(8, "openapi_blueprint_url_prefix", Value::NoneV),
            enabled: arg(10, "enable_openapi", Value::Bool(true)),
        }
    }
}

/// `APIFlask`'s `openapi` blueprint, registered as the app is made: the spec at `spec_path`
/// (`openapi.spec`), the docs page at `docs_path` (`openapi.docs`) and, for Swagger UI, its
/// OAuth2 redirect page (`openapi.swagger_ui_oauth_redirect`); a path set to None has no route.
fn apiflask_docs(interp: &mut Interp, app: ObjId, docs: ApiFlaskDocs, loc: Location) {
    let known = |v: &Value| matches!(v, Value::Str(_) | Value::NoneV | Value::Bool(_));
    if ![&docs.spec_path, &docs.docs_path, &docs.redirect_path, &docs.docs_ui, &docs.url_prefix, &docs.enabled]
        .into_iter()
        .all(known)
    {
        interp.diags.push(
            Diagnostic::new(
                Code::DynamicRoute,
                &*loc.file,
                loc.line,
                "APIFlask's OpenAPI paths are computed at run time",
            )
            .with_help("the routes serving the OpenAPI document and its docs page are not in the inventory"),
        );
        return;
    }
    let path = |v: &Value| v.as_str().filter(|p| !p.is_empty()).map(str::to_string);
    let (spec, page) = (path(&docs.spec_path), path(&docs.docs_path));
    if !docs.enabled.truth().unwrap_or(true) || (spec.is_none() && page.is_none()) {
        return;
    }
    let mut rules: Vec<(String, &str)> = Vec::new();
    if let Some(p) = spec {
        rules.push((p, "spec"));
    }
    if let Some(p) = page {
        rules.push((p, "docs"));
        if docs.docs_ui.as_str() == Some("swagger-ui") {
            if let Some(r) = path(&docs.redirect_path) {
                rules.push((r, "swagger_ui_oauth_redirect"));
            }
        }
    }
    register_library_blueprint(interp, app, ("openapi", "apiflask.app"), docs.url_prefix, rules, "route", loc);
}

/// `app.register_blueprint(bp, **options)`: Flask's `Blueprint.register`, expanded at once.
pub fn register_on_app(
    interp: &mut Interp,
    app: ObjId,
    bp: ObjId,
    opts: RegisterOptions,
    name_prefix: &str,
    parent: Option<&Registration>,
) {
    let (bp_name, bp_prefix, bp_subdomain, bp_defaults) = match &interp.objs[bp] {
        Obj::Blueprint(b) => (b.name.clone(), b.url_prefix.clone(), b.subdomain.clone(), b.url_defaults.clone()),
        _ => return,
    };
    let self_name = match &opts.name {
        Some(Value::Str(s)) => Some(s.to_string()),
        Some(Value::NoneV) | None => bp_name.as_str().map(str::to_string),
        Some(_) => None,
    };
    let mut dynamic = opts.dynamic.clone().or_else(|| parent.and_then(|p| p.dynamic.clone()));
    let Some(self_name) = self_name else {
        // It is registered, under a name known at run time only: not an unregistered one (FD108).
        if let Obj::Blueprint(b) = &mut interp.objs[bp] {
            b.registered = true;
        }
        interp.diags.push(Diagnostic::new(
            Code::DynamicRoute,
            opts.loc.file.clone(),
            opts.loc.line,
            "a blueprint's name is computed at run time; its routes are not in the inventory",
        ));
        return;
    };
    let name = format!("{name_prefix}.{self_name}").trim_start_matches('.').to_string();
    // Flask refuses a second registration under the same name.
    if let Obj::App(a) = &interp.objs[app] {
        if let Some(prev) = a.registrations.iter().find(|r| r.name == name) {
            let what = if prev.blueprint == bp { "this blueprint" } else { "a different blueprint" };
            let msg =
                format!("the name '{name}' is already registered for {what} (at {}:{})", prev.loc.file, prev.loc.line);
            interp.diags.push(
                Diagnostic::new(Code::BlueprintRegisteredTwice, opts.loc.file.clone(), opts.loc.line, msg)
                    .with_help("pass `name='...'` to register it again under another name"),
            );
            return;
        }
    }
    // BlueprintSetupState: url_prefix from the options, else the blueprint's own.
    let prefix_v = match &opts.url_prefix {
        Some(Value::NoneV) | None => bp_prefix.clone(),
        Some(v) => Some(v.clone()),
    };
    let url_prefix = match &prefix_v {
        None | Some(Value::NoneV) => None,
        Some(Value::Str(s)) => Some(s.to_string()),
        Some(_) => {
            if dynamic.is_none() {
                dynamic = Some("the blueprint's url_prefix is computed at run time".into());
            }
            None
        }
    };
    let prefix_unknown = matches!(&prefix_v, Some(v) if !matches!(v, Value::NoneV | Value::Str(_)));
    let subdomain = match &opts.subdomain {
        Some(Value::Str(s)) => Some(s.to_string()),
        _ => bp_subdomain.as_ref().and_then(|v| v.as_str()).map(str::to_string),
    };
    let mut url_defaults: BTreeMap<String, serde_json::Value> = BTreeMap::new();
    for d in [bp_defaults.as_ref(), opts.url_defaults.as_ref()].into_iter().flatten() {
        if let Value::Dict(items) = d {
            for (k, v) in items.iter() {
                if let (Some(k), Some(j)) = (k.as_str(), v.to_json()) {
                    url_defaults.insert(k.to_string(), j);
                }
            }
        }
    }
    let reg = Registration {
        blueprint: bp,
        name: name.clone(),
        url_prefix: url_prefix.clone(),
        subdomain: subdomain.clone(),
        parent: parent.map(|p| p.name.clone()),
        loc: opts.loc.clone(),
        dynamic: dynamic.clone(),
    };
    let (rules, surface, children, static_rule) = match &mut interp.objs[bp] {
        Obj::Blueprint(b) => {
            b.registered = true;
            // The static route, by its URL path (None when the path follows from a folder not
            // known), and whether it exists only when a folder computed at run time is set.
            let static_rule = if b.static_folder_unknown {
                Some((b.static_url_path.clone(), true))
            } else {
                b.static_folder.as_ref().map(|_| (Some(b.static_url_path.clone().unwrap_or_default()), false))
            };
            (b.rules.clone(), b.surface.clone(), b.children.clone(), static_rule)
        }
        _ => return,
    };
    let mut out_rules = Vec::new();
    let prefix_rule = |rule: &Option<String>, join: Join| -> Option<String> {
        if prefix_unknown {
            return None;
        }
        let rule = rule.clone()?;
        Some(match (&url_prefix, join) {
            (None, _) => rule,
            (Some(p), Join::Flask) => {
                if rule.is_empty() {
                    p.clone()
                } else {
                    format!("{}/{}", p.trim_end_matches('/'), rule.trim_start_matches('/'))
                }
            }
            (Some(p), Join::Restful) => format!("{p}{rule}"),
        })
    };
    if let Some((static_path, folder_unknown)) = static_rule {
        let rule = static_path.map(|p| format!("{p}/<path:filename>"));
        let rule = prefix_rule(&rule, Join::Flask);
        let dynamic = match (&dynamic, folder_unknown, &rule) {
            (Some(d), _, _) => Some(d.clone()),
            (None, true, _) => {
                Some("the blueprint's static folder is computed at run time: the route exists when it is set".into())
            }
            (None, false, None) => Some("the static URL path or the prefix is computed at run time".into()),
            (None, false, Some(_)) => None,
        };
        let mut rec = RuleRecord::static_files(
            rule,
            format!("{name}.static"),
            format!("bpstatic:{bp}"),
            "flask.Blueprint",
            opts.loc.clone(),
            dynamic,
        );
        rec.defaults = url_defaults.clone();
        rec.subdomain = subdomain.clone();
        rec.blueprint = Some(name.clone());
        out_rules.push(rec);
    }
    for mut r2 in rules {
        r2.rule = prefix_rule(&r2.rule, r2.join);
        if r2.rule.is_none() && r2.dynamic.is_none() {
            r2.dynamic = dynamic.clone().or_else(|| Some("the rule or prefix is computed at run time".into()));
        }
        if r2.dynamic.is_none() {
            r2.dynamic = dynamic.clone();
        }
        let ep = r2.endpoint.take().or_else(|| r2.view.as_ref().and_then(|v| v.name.clone()));
        r2.endpoint = ep.map(|e| match r2.join {
            Join::Flask => format!("{name}.{e}"),
            Join::Restful => format!("{self_name}.{e}"),
        });
        if r2.subdomain.is_none() {
            r2.subdomain = subdomain.clone();
        }
        let mut d = url_defaults.clone();
        d.append(&mut r2.defaults);
        r2.defaults = d;
        r2.blueprint = Some(name.clone());
        r2.from_blueprint = Some(bp);
        out_rules.push(r2);
    }
    let surface: Vec<SurfaceRecord> = surface
        .into_iter()
        .map(|mut s| {
            s.scope = if is_app_wide(&s.method) { "app".into() } else { name.clone() };
            if s.dynamic.is_none() {
                s.dynamic = dynamic.clone();
            }
            s
        })
        .collect();
    if let Obj::App(a) = &mut interp.objs[app] {
        a.add_rules(out_rules.into_iter().map(Box::new));
        a.surface.extend(surface);
        a.registrations.push(reg.clone());
        a.blueprints.push((bp, opts.clone()));
    }
    if interp.sub_objs.contains_key(&(bp, "restx_api")) {
        restx_register_apidoc(interp, app, opts.loc.clone(), dynamic.clone());
    }
    // Nested blueprints: Flask composes prefixes and subdomains, then registers with name_prefix.
    for (child, mut child_opts) in children {
        let child_prefix = match &child_opts.url_prefix {
            Some(Value::NoneV) | None => match &interp.objs[child] {
                Obj::Blueprint(c) => c.url_prefix.clone(),
                _ => None,
            },
            Some(v) => Some(v.clone()),
        };
        let composed = match (&url_prefix, &child_prefix) {
            (Some(p), Some(Value::Str(c))) => {
                Some(Value::str(&format!("{}/{}", p.trim_end_matches('/'), c.trim_start_matches('/'))))
            }
            (Some(_), Some(v)) if !matches!(v, Value::NoneV) => Some(Value::Unknown),
            (_, Some(v)) if !matches!(v, Value::NoneV) => Some(v.clone()),
            (Some(p), _) => Some(Value::str(p)),
            (None, _) if prefix_unknown => Some(Value::Unknown),
            _ => None,
        };
        child_opts.url_prefix = composed;
        if child_opts.subdomain.is_none() {
            if let Some(s) = &subdomain {
                child_opts.subdomain = Some(Value::str(s));
            }
        }
        if child_opts.dynamic.is_none() {
            child_opts.dynamic = dynamic.clone();
        }
        register_on_app(interp, app, child, child_opts, &name, Some(&reg));
    }
}

fn is_app_wide(method: &str) -> bool {
    method.starts_with("app_")
        || method.contains("_app_")
        || method == "before_app_request"
        || method == "after_app_request"
        || method == "teardown_app_request"
}

// ------------------------------------------------------------------------ Flask-RESTful / flask-restx

fn api_init(interp: &mut Interp, api: ObjId, target: ObjId) {
    let pending = match &mut interp.objs[api] {
        Obj::Api(a) => {
            a.target = Some(target);
            std::mem::take(&mut a.pending)
        }
        _ => return,
    };
    let kind = match &interp.objs[api] {
        Obj::Api(a) => a.kind,
        _ => return,
    };
    if kind == ApiKind::Restx {
        restx_register_api_routes(interp, api, target);
        let namespaces = match &interp.objs[api] {
            Obj::Api(a) => a.namespaces.clone(),
            _ => vec![],
        };
        let mut handlers = match &mut interp.objs[api] {
            Obj::Api(a) => std::mem::take(&mut a.handlers),
            _ => vec![],
        };
        for ns in &namespaces {
            if let Obj::Namespace(n) = &interp.objs[*ns] {
                handlers.extend(n.handlers.iter().cloned());
            }
        }
        for h in handlers {
            restx_handler(interp, api, h);
        }
        for ns in namespaces {
            let resources = match &interp.objs[ns] {
                Obj::Namespace(n) => n.resources.clone(),
                _ => vec![],
            };
            for r in resources {
                restx_register_resource(interp, api, ns, r);
            }
        }
    } else {
        for r in pending {
            restful_register(interp, api, r);
        }
    }
}

fn api_add_resource(interp: &mut Interp, api: ObjId, res: PendingResource) {
    let (kind, target, default_ns) = match &interp.objs[api] {
        Obj::Api(a) => (a.kind, a.target, a.default_ns),
        _ => return,
    };
    match kind {
        ApiKind::Restful => match target {
            Some(_) => restful_register(interp, api, res),
            None => {
                if let Obj::Api(a) = &mut interp.objs[api] {
                    a.pending.push(res);
                }
            }
        },
        ApiKind::Restx => {
            if let Some(ns) = default_ns {
                ns_add_resource(interp, ns, res);
            }
        }
    }
}

/// Flask-RESTful `Api._register_view`.
fn restful_register(interp: &mut Interp, api: ObjId, res: PendingResource) {
    let (target, prefix) = match &interp.objs[api] {
        Obj::Api(a) => (a.target, a.prefix.clone()),
        _ => return,
    };
    let Some(target) = target else { return };
    let class_name = match &res.class {
        Value::Class(c) => Some(c.def.name.clone()),
        _ => None,
    };
    let endpoint = match res.options.iter().rev().find(|(k, _)| k == "endpoint") {
        Some((_, Value::Str(s))) => Some(Value::str(s)),
        Some((_, Value::NoneV)) | None => class_name.as_ref().map(|n| Value::str(&n.to_lowercase())),
        Some(_) => Some(Value::Unknown),
    };
    let mut info = match &res.class {
        Value::Class(c) => Some(class_view_info(c, endpoint.as_ref().and_then(|e| e.as_str()).map(str::to_string))),
        _ => None,
    };
    if let (Some(i), Value::Class(c)) = (info.as_mut(), &res.class) {
        i.kind = "resource";
        i.key = format!("{}#{}", i.key, res.loc.line);
        i.methods = class_methods_as(c, true);
        unknown_resource_base(interp, c, &res.loc);
    }
    let view_id = info.map(|info| interp.new_obj(Obj::View(ViewObj { info })));
    let options: Vec<(String, Value)> = res
        .options
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "endpoint" | "resource_class_args" | "resource_class_kwargs"))
        .cloned()
        .collect();
    let is_bp = matches!(interp.objs[target], Obj::Blueprint(_));
    let saved = interp.cond.clone();
    // The conditions the resource was added under, unless they are the ones in force (a
    // resource added and registered in the same branch): said once.
    if let Some(d) = res.dynamic.as_ref().filter(|d| interp.dynamic_reason().as_ref() != Some(*d)) {
        interp.cond.push(d.clone());
    }
    for url in &res.urls {
        let rule = match (prefix.as_str(), url.as_str()) {
            (Some(p), Some(u)) => Value::str(&format!("{p}{u}")),
            _ => Value::Unknown,
        };
        add_url_rule(
            interp,
            target,
            rule,
            url.as_str().map(crate::parse::ast::py_repr).unwrap_or_else(|| "<computed>".into()),
            endpoint.clone(),
            view_id.map(Value::Obj),
            &options,
            "resource",
            res.loc.clone(),
            if is_bp { Join::Restful } else { Join::Flask },
        );
    }
    interp.cond = saved;
}

/// A flask-restx error handler of an Api or a namespace: kept with the app or blueprint the Api
/// is on (as an error handler that only its resources' errors reach), or until it has one.
fn restx_handler(interp: &mut Interp, owner: ObjId, mut rec: SurfaceRecord) {
    match &mut interp.objs[owner] {
        Obj::Namespace(n) => {
            n.handlers.push(rec.clone());
            for api in n.apis.clone() {
                if matches!(&interp.objs[api], Obj::Api(a) if a.target.is_some()) {
                    restx_handler(interp, api, rec.clone());
                }
            }
        }
        Obj::Api(a) => match a.target {
            Some(t) => {
                rec.api = Some(format!("{}:{}", a.loc.file, a.loc.line));
                if let Some(surface) = interp.surface_mut(t) {
                    surface.push(rec);
                }
            }
            None => a.handlers.push(rec),
        },
        _ => {}
    }
}

fn api_add_namespace(interp: &mut Interp, api: ObjId, ns: ObjId) {
    let target = match &mut interp.objs[api] {
        Obj::Api(a) => {
            if !a.namespaces.contains(&ns) {
                a.namespaces.push(ns);
            }
            a.target
        }
        _ => return,
    };
    if let Obj::Namespace(n) = &mut interp.objs[ns] {
        if !n.apis.contains(&api) {
            n.apis.push(api);
        }
    }
    if target.is_some() {
        let handlers = match &interp.objs[ns] {
            Obj::Namespace(n) => n.handlers.clone(),
            _ => vec![],
        };
        for h in handlers {
            restx_handler(interp, api, h);
        }
        let resources = match &interp.objs[ns] {
            Obj::Namespace(n) => n.resources.clone(),
            _ => vec![],
        };
        for r in resources {
            restx_register_resource(interp, api, ns, r);
        }
    }
}

fn ns_add_resource(interp: &mut Interp, ns: ObjId, res: PendingResource) {
    let apis = match &mut interp.objs[ns] {
        Obj::Namespace(n) => {
            n.resources.push(res.clone());
            n.apis.clone()
        }
        _ => return,
    };
    for api in apis {
        let bound = matches!(&interp.objs[api], Obj::Api(a) if a.target.is_some());
        if bound {
            restx_register_resource(interp, api, ns, res.clone());
        }
    }
}

/// flask-restx `camel_to_dash`.
fn camel_to_dash(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    // re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    let mut s1 = String::new();
    for (i, c) in chars.iter().enumerate() {
        if i > 0 && c.is_ascii_uppercase() && chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase()) {
            s1.push('_');
        }
        s1.push(*c);
    }
    // re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s1).lower()
    let c1: Vec<char> = s1.chars().collect();
    let mut out = String::new();
    for (i, c) in c1.iter().enumerate() {
        if i > 0 && c.is_ascii_uppercase() && (c1[i - 1].is_ascii_lowercase() || c1[i - 1].is_ascii_digit()) {
            out.push('_');
        }
        out.push(*c);
    }
    out.to_lowercase()
}

fn restx_register_resource(interp: &mut Interp, api: ObjId, ns: ObjId, res: PendingResource) {
    let (target, prefix, default_ns) = match &interp.objs[api] {
        Obj::Api(a) => (a.target, a.prefix.clone(), a.default_ns),
        _ => return,
    };
    let Some(target) = target else { return };
    let (ns_name, ns_path) = match &interp.objs[ns] {
        Obj::Namespace(n) => (n.name.clone(), n.path.clone()),
        _ => return,
    };
    let class_name = match &res.class {
        Value::Class(c) => Some(c.def.name.clone()),
        _ => None,
    };
    let endpoint: Option<String> = match res.options.iter().rev().find(|(k, _)| k == "endpoint") {
        Some((_, Value::Str(s))) => Some(s.to_string()),
        _ => class_name.as_ref().and_then(|n| {
            let mut e = camel_to_dash(n);
            if Some(ns) != default_ns {
                e = format!("{}_{}", ns_name.as_str()?.replace(' ', "_"), e);
            }
            Some(e)
        }),
    };
    let endpoint = endpoint.map(|e| {
        if let Obj::Api(a) = &mut interp.objs[api] {
            let count = a.restx_endpoints.entry(e.clone()).or_insert(0);
            *count += 1;
            if *count > 1 {
                return format!("{e}_{count}");
            }
        }
        e
    });
    let mut info = match &res.class {
        Value::Class(c) => Some(class_view_info(c, endpoint.clone())),
        _ => None,
    };
    if let (Some(i), Value::Class(c)) = (info.as_mut(), &res.class) {
        i.kind = "resource";
        i.key = format!("{}#{}", i.key, res.loc.line);
        i.methods = class_methods_as(c, true);
        unknown_resource_base(interp, c, &res.loc);
    }
    let view_id = info.map(|info| interp.new_obj(Obj::View(ViewObj { info })));
    let saved = interp.cond.clone();
    // The conditions the resource was added under, unless they are the ones in force (a
    // resource added and registered in the same branch): said once.
    if let Some(d) = res.dynamic.as_ref().filter(|d| interp.dynamic_reason().as_ref() != Some(*d)) {
        interp.cond.push(d.clone());
    }
    for url in &res.urls {
        // restx: api.prefix + ns.path (with "/" collapsed) + url
        let rule = match (prefix.as_str(), ns_path.as_str(), url.as_str()) {
            (Some(p), Some(nsp), Some(u)) => {
                let ns_part = nsp.trim_end_matches('/');
                Value::str(&format!("{p}{ns_part}{u}"))
            }
            _ => Value::Unknown,
        };
        let options: Vec<(String, Value)> = res
            .options
            .iter()
            .filter(|(k, _)| {
                !matches!(k.as_str(), "endpoint" | "doc" | "resource_class_args" | "resource_class_kwargs")
            })
            .cloned()
            .collect();
        add_url_rule(
            interp,
            target,
            rule,
            url.as_str().map(crate::parse::ast::py_repr).unwrap_or_else(|| "<computed>".into()),
            endpoint.as_deref().map(Value::str),
            view_id.map(Value::Obj),
            &options,
            "resource",
            res.loc.clone(),
            Join::Flask,
        );
    }
    interp.cond = saved;
}

/// The routes flask-restx adds for itself (`Api._register_specs`, `_register_doc`,
/// `_register_apidoc` in flask-restx 1.3): `swagger.json` under the prefix, the docs page at `doc`
/// (not prefixed), the API root at the prefix, and the `restx_doc` static blueprint on the app.
fn restx_register_api_routes(interp: &mut Interp, api: ObjId, target: ObjId) {
    let (prefix, options, init_options, loc) = match &interp.objs[api] {
        Obj::Api(a) => (a.prefix.clone(), a.options.clone(), a.init_options.clone(), a.loc.clone()),
        _ => return,
    };
    let opt = |k: &str| options.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let Some(prefix) = prefix.as_str().map(str::to_string) else { return };
    let is_bp = matches!(interp.objs[target], Obj::Blueprint(_));
    let add = |interp: &mut Interp, rule: String, ep: &str, join: Join| {
        let info = ViewInfo {
            key: format!("restx:{api}:{ep}"),
            name: Some(ep.to_string()),
            path: Some(format!("flask_restx.Api.{ep}")),
            kind: "restx",
            ..Default::default()
        };
        let v = interp.new_obj(Obj::View(ViewObj { info }));
        add_url_rule(
            interp,
            target,
            Value::str(&rule),
            ep.into(),
            Some(Value::str(ep)),
            Some(Value::Obj(v)),
            &[],
            "resource",
            loc.clone(),
            join,
        );
    };
    // flask-restx 1.3 reads `add_specs` from `init_app`'s arguments only: the constructor's
    // goes nowhere (fasjson's `Api(blueprint, add_specs=False)` still serves swagger.json).
    let init_opt = |k: &str| init_options.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let add_specs = !matches!(init_opt("add_specs").and_then(|v| v.truth()), Some(false));
    if add_specs {
        let file = match opt("default_swagger_filename") {
            Some(Value::Str(s)) => s.to_string(),
            _ => "swagger.json".to_string(),
        };
        add(interp, format!("{prefix}/{file}"), "specs", if is_bp { Join::Restful } else { Join::Flask });
    }
    // `doc=False` (or "") turns the Swagger UI route off; a value known only at run time (CTFd's
    // `doc=current_app.config.get("SWAGGER_UI_ENDPOINT")`) may, so the route is dynamic.
    let (doc, doc_known) = match opt("doc") {
        None => (Some("/".to_string()), true),
        Some(Value::Str(d)) => (Some(d.to_string()).filter(|d| !d.is_empty()), true),
        Some(v) => match v.truth() {
            Some(false) => (None, true),
            Some(true) => (Some("/".to_string()), true),
            None => (Some("/".to_string()), false),
        },
    };
    if let (true, Some(doc)) = (add_specs, doc) {
        if !doc_known {
            interp.cond.push("the `doc` argument of flask_restx.Api is only known at run time".into());
        }
        add(interp, doc, "doc", Join::Flask);
        if !doc_known {
            interp.cond.pop();
        }
    }
    add(interp, if prefix.is_empty() { "/".into() } else { prefix.clone() }, "root", Join::Flask);
    if is_bp {
        // Registered on the app when the blueprint is (`Api._deferred_blueprint_init`).
        interp.sub_objs.insert((target, "restx_api"), api);
    } else {
        let dynamic = interp.dynamic_reason();
        restx_register_apidoc(interp, target, loc, dynamic);
    }
}

/// `app.register_blueprint(apidoc)`, once per app (`Api._register_apidoc`): the library's own
/// static files, for an `Api` bound to the app or to a blueprint the app registers.
fn restx_register_apidoc(interp: &mut Interp, app: ObjId, loc: Location, dynamic: Option<String>) {
    if interp.sub_objs.contains_key(&(app, "restx_apidoc")) {
        return;
    }
    let bp = BlueprintObj {
        name: Value::str("restx_doc"),
        import_name: "flask_restx.apidoc".into(),
        module: "flask_restx.apidoc".into(),
        variable: Some("flask_restx.apidoc.apidoc".into()),
        loc: loc.clone(),
        static_folder: Some("<flask_restx>/static".into()),
        static_url_path: Some("/swaggerui".into()),
        ..Default::default()
    };
    let id = interp.new_obj(Obj::Blueprint(bp));
    interp.sub_objs.insert((app, "restx_apidoc"), id);
    let opts = RegisterOptions { loc, dynamic, ..Default::default() };
    register_on_app(interp, app, id, opts, "", None);
}

#[cfg(test)]
mod tests {
    use super::absolute_module_name;

    #[test]
    fn import_module_names_resolve_as_importlib_does() {
        assert_eq!(absolute_module_name("app.views", None).as_deref(), Some("app.views"));
        assert_eq!(absolute_module_name(".views", Some("app")).as_deref(), Some("app.views"));
        assert_eq!(absolute_module_name("..views", Some("app.sub")).as_deref(), Some("app.views"));
        assert_eq!(absolute_module_name(".", Some("app")).as_deref(), Some("app"));
        assert_eq!(absolute_module_name("...x", Some("app")), None);
        assert_eq!(absolute_module_name(".x", None), None);
    }
}
