//! The values the interpreter computes with, and the Flask objects it tracks.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use crate::inventory::model::Location;
use crate::parse::ast::{ClassDef, Expr, FunctionDef, SmallStr, Stmt};

pub type ObjId = usize;

/// A hash map keyed by identifiers and module names, with a fast non-keyed hash (FxHash): the
/// interpreter looks names up in scopes constantly, and SipHash's resistance to chosen keys is
/// not needed for a local source tree. No output depends on these maps' iteration order (the
/// default hasher is seeded randomly per run).
pub type FastMap<K, V> = rustc_hash::FxHashMap<K, V>;
pub type FastSet<K> = rustc_hash::FxHashSet<K>;

/// The longest string (in bytes) whose characters [`Value::elements`] lists.
const MAX_STR_ELEMENTS: usize = 2_000;

/// An abstract Python value. `Unknown` is anything not known statically.
#[derive(Clone, Debug, Default)]
pub enum Value {
    #[default]
    Unknown,
    NoneV,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Rc<str>),
    List(Rc<Vec<Value>>),
    Tuple(Rc<Vec<Value>>),
    Dict(Rc<Vec<(Value, Value)>>),
    /// A project module, by dotted name.
    Module(Rc<str>),
    /// Something from outside the project, by dotted import path (`flask.Flask`).
    External(Rc<str>),
    Function(Rc<Func>),
    Class(Rc<Class>),
    Instance(Rc<Class>),
    Obj(ObjId),
    /// An attribute of a value that is only meaningful when called: `app.route`, `bp.get`.
    Method(Rc<(Value, SmallStr)>),
    Decorator(Rc<Deco>),
    /// A SQLAlchemy construct: a column, a type, a relationship, a table, a declarative base.
    Sqla(Rc<SqlaCall>),
    /// `functools.partial(func, *args, **kwargs)`: calling it calls `func` with these first.
    Partial(Rc<PartialCall>),
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::Str(Rc::from(s))
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown)
    }

    /// A value with no identity: a scalar, a container of such values, or an unknown value.
    /// Two branches that assign different data leave a value only run time knows.
    pub fn is_data(&self) -> bool {
        match self {
            Value::Unknown | Value::NoneV | Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::Str(_) => true,
            Value::List(items) | Value::Tuple(items) => items.iter().all(Value::is_data),
            Value::Dict(items) => items.iter().all(|(k, v)| k.is_data() && v.is_data()),
            _ => false,
        }
    }

    /// The same data (see [`Value::is_data`]); an unknown value is the same as no other.
    fn same_data(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::NoneV, Value::NoneV) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a == b,
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::List(a), Value::List(b)) | (Value::Tuple(a), Value::Tuple(b)) => {
                a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| x.same_data(y))
            }
            (Value::Dict(a), Value::Dict(b)) => {
                a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| x.0.same_data(&y.0) && x.1.same_data(&y.1))
            }
            _ => false,
        }
    }

    /// The value of a name or a call when a run-time condition chooses between `alternatives`
    /// (the value each branch of an `if` that may be taken leaves, or each `return` that may
    /// run), the last being the path analysed last. Known data that differ (`"/legacy"` or
    /// `"/"` on an optional import) give an unknown value: saying so beats picking one. A value
    /// only run time knows (read from a file, the environment, a setting) does not hide a
    /// literal it falls back to, the application's value in its default configuration
    /// (`prefix + route` if an environment variable is set, else `route`), but it does hide
    /// `None`, what a function returns when it found nothing. Objects (apps, blueprints,
    /// functions) have no merged form: the last is kept, as it always was read.
    pub fn one_of(alternatives: Vec<Value>) -> Value {
        let Some(last) = alternatives.last() else { return Value::Unknown };
        if !last.is_data() {
            return last.clone();
        }
        let known: Vec<&Value> = alternatives.iter().filter(|v| !v.is_unknown()).collect();
        let Some(&chosen) = known.last() else { return Value::Unknown };
        if known.len() < alternatives.len() && known.iter().any(|v| matches!(v, Value::NoneV)) {
            return Value::Unknown;
        }
        if known.iter().all(|v| v.same_data(chosen)) {
            chosen.clone()
        } else if known.iter().all(|v| v.is_data()) {
            Value::Unknown
        } else {
            last.clone()
        }
    }

    /// Truthiness when known.
    pub fn truth(&self) -> Option<bool> {
        Some(match self {
            Value::NoneV => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::List(l) | Value::Tuple(l) => !l.is_empty(),
            Value::Dict(d) => !d.is_empty(),
            Value::Module(_) | Value::Function(_) | Value::Class(_) | Value::Obj(_) | Value::Sqla(_) => true,
            _ => return None,
        })
    }

    /// Elements of a literal sequence.
    pub fn elements(&self) -> Option<Vec<Value>> {
        match self {
            Value::List(l) | Value::Tuple(l) => Some(l.as_ref().clone()),
            Value::Dict(d) => Some(d.iter().map(|(k, _)| k.clone()).collect()),
            // A string's characters are rarely what code iterates over for an app's setup; a long
            // one (built up in a loop, in fuzzed input) would cost a value per character.
            Value::Str(s) if s.len() <= MAX_STR_ELEMENTS => {
                Some(s.chars().map(|c| Value::str(c.encode_utf8(&mut [0; 4]))).collect())
            }
            _ => None,
        }
    }

    /// JSON form of a literal value, None when not fully known.
    pub fn to_json(&self) -> Option<serde_json::Value> {
        use serde_json::Value as J;
        Some(match self {
            Value::NoneV => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map(J::Number)?,
            Value::Str(s) => J::String(s.to_string()),
            Value::List(l) | Value::Tuple(l) => J::Array(l.iter().map(|v| v.to_json()).collect::<Option<_>>()?),
            Value::Dict(d) => {
                let mut m = serde_json::Map::new();
                for (k, v) in d.iter() {
                    m.insert(k.as_str()?.to_string(), v.to_json()?);
                }
                J::Object(m)
            }
            _ => return None,
        })
    }

    pub fn dict_get(&self, key: &str) -> Option<Value> {
        match self {
            Value::Dict(d) => d.iter().rev().find(|(k, _)| k.as_str() == Some(key)).map(|(_, v)| v.clone()),
            _ => None,
        }
    }
}

/// A scope's variables. Most scopes (a class body, a call's locals, a module of a few dozen
/// names) are small and a large project keeps tens of thousands of them to the end: up to
/// [`Vars::LIST_MAX`] names they are a list searched in order and sized to fit once the scope's
/// code has run ([`Vars::shrink_to_fit`]); past that, a hash map.
#[derive(Debug)]
pub enum Vars {
    List(Vec<(SmallStr, Value)>),
    Map(FastMap<SmallStr, Value>),
}

impl Default for Vars {
    fn default() -> Self {
        Vars::List(Vec::new())
    }
}

impl Vars {
    pub const LIST_MAX: usize = 32;

    pub fn get(&self, name: &str) -> Option<&Value> {
        match self {
            Vars::List(items) => items.iter().find(|(k, _)| k.len() == name.len() && k == name).map(|(_, v)| v),
            Vars::Map(map) => map.get(name),
        }
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    pub fn insert(&mut self, name: SmallStr, v: Value) {
        match self {
            Vars::List(items) => {
                if let Some(slot) = items.iter_mut().find(|(k, _)| *k == name) {
                    slot.1 = v;
                } else if items.len() < Self::LIST_MAX {
                    items.push((name, v));
                } else {
                    let mut map: FastMap<SmallStr, Value> = std::mem::take(items).into_iter().collect();
                    map.insert(name, v);
                    *self = Vars::Map(map);
                }
            }
            Vars::Map(map) => {
                map.insert(name, v);
            }
        }
    }

    pub fn remove(&mut self, name: &str) {
        match self {
            Vars::List(items) => items.retain(|(k, _)| k != name),
            Vars::Map(map) => {
                map.remove(name);
            }
        }
    }

    /// Sets `name` to `f()` if it has no value.
    pub fn insert_if_absent(&mut self, name: &str, f: impl FnOnce() -> Value) {
        if !self.contains_key(name) {
            self.insert(name.into(), f());
        }
    }

    pub fn iter(&self) -> Box<dyn Iterator<Item = (&SmallStr, &Value)> + '_> {
        match self {
            Vars::List(items) => Box::new(items.iter().map(|(k, v)| (k, v))),
            Vars::Map(map) => Box::new(map.iter()),
        }
    }

    pub fn keys(&self) -> impl Iterator<Item = &SmallStr> {
        self.iter().map(|(k, _)| k)
    }

    pub fn values_mut(&mut self) -> Box<dyn Iterator<Item = &mut Value> + '_> {
        match self {
            Vars::List(items) => Box::new(items.iter_mut().map(|(_, v)| v)),
            Vars::Map(map) => Box::new(map.values_mut()),
        }
    }

    pub fn clear(&mut self) {
        *self = Vars::default();
    }

    pub fn shrink_to_fit(&mut self) {
        match self {
            Vars::List(items) => items.shrink_to_fit(),
            Vars::Map(map) => map.shrink_to_fit(),
        }
    }
}

/// A variable scope: module globals, a function call's locals, or a class body.
#[derive(Debug)]
pub struct Scope {
    pub vars: RefCell<Vars>,
    pub parent: Option<Rc<Scope>>,
    /// Names declared `global` in this scope.
    pub globals: RefCell<Vec<String>>,
}

impl Scope {
    pub fn new(parent: Option<Rc<Scope>>) -> Rc<Scope> {
        Rc::new(Scope { vars: RefCell::new(Vars::default()), parent, globals: RefCell::new(Vec::new()) })
    }

    pub fn lookup(&self, name: &str) -> Option<Value> {
        if let Some(v) = self.vars.borrow().get(name) {
            return Some(v.clone());
        }
        self.parent.as_ref().and_then(|p| p.lookup(name))
    }

    pub fn root(self: &Rc<Scope>) -> Rc<Scope> {
        let mut s = self.clone();
        while let Some(p) = s.parent.clone() {
            s = p;
        }
        s
    }

    pub fn set(self: &Rc<Scope>, name: &str, v: Value) {
        self.home(name).vars.borrow_mut().insert(name.into(), v);
    }

    /// The scope [`Scope::set`] gives `name` its value in: the module's for a name declared
    /// `global`, else this one.
    fn home(self: &Rc<Scope>, name: &str) -> Rc<Scope> {
        if self.parent.is_some() && self.globals.borrow().iter().any(|g| g == name) {
            self.root()
        } else {
            self.clone()
        }
    }

    /// The value an assignment to `name` here would replace (None when unbound there).
    pub fn own(self: &Rc<Scope>, name: &str) -> Option<Value> {
        self.home(name).vars.borrow().get(name).cloned()
    }

    /// Gives `name` back a value [`Scope::own`] read (unbinds it for None).
    pub fn restore(self: &Rc<Scope>, name: &str, v: Option<Value>) {
        match v {
            Some(v) => self.set(name, v),
            None => self.home(name).vars.borrow_mut().remove(name),
        }
    }

    /// Gives `name` a new value in the scope that holds it (the value of a mutated object: a
    /// dict after `d[k] = v`), or here when no scope does.
    pub fn replace(self: &Rc<Scope>, name: &str, v: Value) {
        let mut s = self.clone();
        loop {
            if s.vars.borrow().contains_key(name) {
                s.vars.borrow_mut().insert(name.into(), v);
                return;
            }
            match s.parent.clone() {
                Some(p) => s = p,
                None => break,
            }
        }
        self.set(name, v);
    }
}

/// A function defined in the project.
#[derive(Debug)]
pub struct Func {
    pub def: Arc<FunctionDef>,
    pub module: Rc<str>,
    pub qualname: SmallStr,
    pub file: Arc<str>,
    /// The scope it was defined in (module globals or an enclosing call).
    pub scope: Rc<Scope>,
}

impl Func {
    /// Decorators as written, outermost first (source form). Formatted when asked for: few
    /// functions' decorators are ever read, so they are not kept as text for every definition.
    pub fn decorators(&self) -> Vec<String> {
        self.def.decorators.iter().map(|d| d.to_string()).collect()
    }
    pub fn location(&self) -> Location {
        Location { file: self.file.clone(), line: self.def.line }
    }
    pub fn path(&self) -> String {
        format!("{}.{}", self.module, self.qualname)
    }
}

/// A SQLAlchemy construct, by canonical name, with its evaluated arguments. A large project
/// has one for every column and type it declares, kept to the end: its strings are compact
/// (inline up to 24 bytes) and its lists sized exactly.
#[derive(Debug)]
pub struct SqlaCall {
    /// `Column`, `String`, `relationship`, `postgresql.JSONB`, `sqlalchemy_utils.UUIDType`,
    /// `flask_sqlalchemy.Model`, `declarative_base`, ...
    pub name: SmallStr,
    pub args: Vec<Value>,
    pub kwargs: Box<[(SmallStr, Value)]>,
    pub loc: Location,
    /// Source text of the expression.
    pub text: SmallStr,
    /// Source text of each keyword argument's value; and, keyed by their position (`"0"`, which
    /// no keyword can be), of the positional arguments whose value is unknown: what a report can
    /// still name (`Geometry("POINT")` from a library the inventory does not model).
    pub kwarg_src: Box<[(SmallStr, SmallStr)]>,
    /// False for a reference that was never called (`db.Model`).
    pub called: bool,
}

impl SqlaCall {
    pub fn arg(&self, pos: usize, name: &str) -> Option<&Value> {
        self.kwargs.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v).or_else(|| self.args.get(pos))
    }
    pub fn kwarg(&self, name: &str) -> Option<&Value> {
        self.kwargs.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v)
    }
    pub fn kwarg_text(&self, name: &str) -> Option<&str> {
        self.kwarg_src.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
    /// A reference or call built by the inventory itself (no source).
    pub fn synthetic(name: &str, args: Vec<Value>) -> SqlaCall {
        SqlaCall {
            name: name.into(),
            args,
            kwargs: Box::default(),
            loc: Location::default(),
            text: SmallStr::default(),
            kwarg_src: Box::default(),
            called: true,
        }
    }
    /// `(keyword, source text)` of the keyword arguments.
    pub fn keyword_src(&self) -> impl Iterator<Item = (&str, &str)> {
        self.kwarg_src
            .iter()
            .filter(|(k, _)| !k.starts_with(|c: char| c.is_ascii_digit()))
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }
    /// The source text of positional argument `pos` when its value is unknown.
    pub fn unknown_arg_text(&self, pos: usize) -> Option<&str> {
        let key = pos.to_string();
        self.kwarg_src.iter().find(|(k, _)| *k == key).map(|(_, t)| t.as_str())
    }
}

/// A class defined in the project.
#[derive(Debug)]
pub struct Class {
    pub def: Arc<ClassDef>,
    pub module: Rc<str>,
    pub qualname: SmallStr,
    pub file: Arc<str>,
    pub bases: Vec<Value>,
    /// The class body's scope (its parent is the scope the class was defined in), whose
    /// variables are the class's own attributes ([`Class::attrs`]).
    pub scope: Rc<Scope>,
    /// Decorators as evaluated, outermost first.
    pub decorators: Vec<Value>,
}

impl Class {
    /// The class's own attributes: its body's variables, and those set on it later.
    pub fn attrs(&self) -> std::cell::Ref<'_, Vars> {
        self.scope.vars.borrow()
    }
    pub fn location(&self) -> Location {
        Location { file: self.file.clone(), line: self.def.line }
    }
    pub fn path(&self) -> String {
        format!("{}.{}", self.module, self.qualname)
    }
    /// The names the class body binds (assignments to names, bare annotations `x: T`,
    /// functions, classes), in order, each with whether it is a bare annotation.
    /// Names bound under an `if`, `try` or `with` of the body count too (psiturk's
    /// `if postgres: datastring = Column(Text) else: datastring = Column(Text(2**32 - 1))`).
    pub fn body_names(&self) -> Vec<(&str, bool)> {
        fn block<'a>(body: &'a [Stmt], out: &mut Vec<(&'a str, bool)>) {
            for s in body {
                match s {
                    Stmt::Assign { targets, .. } => out.extend(targets.iter().filter_map(|t| match t {
                        Expr::Name(n) => Some((n.as_str(), false)),
                        _ => None,
                    })),
                    Stmt::Annotated { target: Expr::Name(n), .. } => out.push((n.as_str(), true)),
                    Stmt::FunctionDef(f) => out.push((f.name.as_str(), false)),
                    Stmt::ClassDef(c) => out.push((c.name.as_str(), false)),
                    Stmt::If { branches, .. } => branches.iter().for_each(|(_, b)| block(b, out)),
                    Stmt::Try { body, orelse, finalbody, .. } => {
                        block(body, out);
                        block(orelse, out);
                        block(finalbody, out);
                    }
                    Stmt::With { body, .. } => block(body, out),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        block(&self.def.body, &mut out);
        out
    }

    /// The attributes the class body defines (assignments to names, functions, classes), in
    /// definition order; each once, where it is first defined.
    pub fn order(&self) -> Vec<&str> {
        let attrs = self.attrs();
        let mut out: Vec<&str> = Vec::new();
        for (n, bare) in self.body_names() {
            if !bare && attrs.contains_key(n) && !out.contains(&n) {
                out.push(n);
            }
        }
        out
    }
}

/// A decorator produced by calling a registration API, waiting for its function.
#[derive(Debug)]
pub enum Deco {
    /// `@app.route(...)`, `@bp.get(...)`.
    Route {
        target: ObjId,
        rule: Value,
        rule_text: String,
        options: Vec<(String, Value)>,
        loc: Location,
        kind: &'static str,
    },
    /// `@app.before_request`, `@app.errorhandler(404)`, `@app.template_filter('x')`, ...
    Hook { target: ObjId, method: Rc<str>, arg: Option<Value>, arg_text: Option<String>, loc: Location },
    /// `@app.cli.command('name')`, `@click.command()`, `@group.command()`.
    Command { owner: Option<ObjId>, name: Option<Value>, group: bool, loc: Location },
    /// `@ns.route('/x')` (flask-restx) and `@api.route`.
    RestxRoute { target: ObjId, urls: Vec<Value>, options: Vec<(String, Value)>, loc: Location },
    /// Flask-Classful's `@route(rule, **options)` and `@method("POST")`: marks on the method,
    /// read when its class is registered.
    Classful(ClassfulMark),
    /// A decorator that returns its function unchanged for our purposes.
    Identity,
    /// `@functools.wraps(f)`: the wrapper stands for `f` (its name, its view).
    Wraps(Value),
}

/// What a Flask-Classful decorator sets on a method (`_rule_cache`, `http_methods`).
#[derive(Debug, Clone)]
pub enum ClassfulMark {
    Route { rule: Value, options: Vec<(String, Value)> },
    Method(Value),
}

/// What `functools.partial(func, *args, **kwargs)` keeps.
#[derive(Debug)]
pub struct PartialCall {
    pub func: Value,
    pub args: Vec<Value>,
    pub kwargs: Vec<(String, Value)>,
    /// Source text of each keyword argument's value.
    pub kwarg_src: Rc<[(String, String)]>,
}

/// How a rule recorded on a blueprint is joined with the registration prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Join {
    /// Flask's `BlueprintSetupState.add_url_rule`.
    Flask,
    /// Flask-RESTful's patched setup state: plain concatenation, endpoint `bp_name.endpoint`.
    Restful,
}

/// The view attached to a rule.
#[derive(Debug, Clone, Default)]
pub struct ViewInfo {
    /// Identity: two registrations with the same key use the same function object.
    pub key: String,
    /// The function's `__name__` (the default endpoint).
    pub name: Option<String>,
    /// `module.qualname` for people.
    pub path: Option<String>,
    pub location: Option<Location>,
    pub decorators: Vec<String>,
    /// `view_func.methods` (class-based views); None when the function has none.
    pub methods: Option<Vec<String>>,
    pub provide_automatic_options: Option<bool>,
    pub kind: &'static str,
    /// First line (decorators included) and last line of the definition.
    pub span: Option<(u32, u32)>,
    /// The body is just `return render_template("name", literal context)`.
    pub render: Option<crate::inventory::model::RenderTemplate>,
}

/// One `add_url_rule` as recorded on an app or a blueprint, before prefixing.
#[derive(Debug, Clone)]
pub struct RuleRecord {
    pub rule: Option<String>,
    pub rule_text: String,
    pub endpoint: Option<String>,
    pub endpoint_unknown: bool,
    /// Shared by the copies of the record every registration of its blueprint makes.
    pub view: Option<Rc<ViewInfo>>,
    pub methods: Option<Vec<String>>,
    pub methods_unknown: bool,
    pub defaults: BTreeMap<String, serde_json::Value>,
    pub strict_slashes: Option<bool>,
    pub subdomain: Option<String>,
    pub host: Option<String>,
    pub provide_automatic_options: Option<bool>,
    pub kind: &'static str,
    pub loc: Location,
    /// Why the registration is not certain, if it is not.
    pub dynamic: Option<String>,
    pub join: Join,
    /// Dotted blueprint name once expanded onto an app.
    pub blueprint: Option<String>,
    /// The blueprint object whose rule this is, once expanded onto an app.
    pub from_blueprint: Option<ObjId>,
}

impl RuleRecord {
    /// The `<static_url_path>/<path:filename>` rule Flask adds for an app's or a blueprint's
    /// static folder, served by `send_static_file` of `owner` (`flask.Flask`, `flask.Blueprint`).
    pub fn static_files(
        rule: Option<String>,
        endpoint: String,
        key: String,
        owner: &str,
        loc: Location,
        dynamic: Option<String>,
    ) -> Self {
        RuleRecord {
            rule,
            rule_text: "static".into(),
            endpoint: Some(endpoint),
            endpoint_unknown: false,
            view: Some(Rc::new(ViewInfo {
                key,
                name: Some("send_static_file".into()),
                path: Some(format!("{owner}.send_static_file")),
                kind: "static",
                ..Default::default()
            })),
            methods: None,
            methods_unknown: false,
            defaults: BTreeMap::new(),
            strict_slashes: None,
            subdomain: None,
            host: None,
            provide_automatic_options: None,
            kind: "static",
            loc,
            dynamic,
            join: Join::Flask,
            blueprint: None,
            from_blueprint: None,
        }
    }

    /// The endpoint Flask uses: the explicit one, else the view's `__name__`; None when the
    /// endpoint is computed at run time.
    pub fn endpoint_or_view_name(&self) -> Option<String> {
        if self.endpoint_unknown {
            return None;
        }
        self.endpoint.clone().or_else(|| self.view.as_ref().and_then(|v| v.name.clone()))
    }
}

/// A hook, handler, template function or command recorded on an app or blueprint.
#[derive(Debug, Clone)]
pub struct SurfaceRecord {
    /// `before_request`, `errorhandler`, `template_filter`, `cli`, ...
    pub method: String,
    /// `app`, or the dotted blueprint name once expanded onto an app.
    pub scope: String,
    /// Error code / exception, filter name, command name.
    pub arg: Option<String>,
    pub function: String,
    pub loc: Location,
    pub dynamic: Option<String>,
    /// First and last line of the function's definition, when it is the project's.
    pub span: Option<(u32, u32)>,
    /// A flask-restx error handler: where its `Api` is made (`file:line`).
    pub api: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct RegisterOptions {
    pub url_prefix: Option<Value>,
    pub subdomain: Option<Value>,
    pub name: Option<Value>,
    pub url_defaults: Option<Value>,
    pub loc: Location,
    pub dynamic: Option<String>,
}

#[derive(Debug, Default)]
pub struct AppObj {
    pub import_name: String,
    pub module: String,
    pub root_dir: String,
    pub loc: Location,
    /// Made only to read one of its attributes (`Flask("flexmeasures").instance_path`): not an
    /// application.
    pub throwaway: bool,
    pub factory: Option<String>,
    /// The project functions the factory called on the way to the constructor (a helper
    /// factory the outer one wraps: `create_app()` calling `factory.create_app(blueprints)`).
    pub inner_factories: Vec<String>,
    /// How many rules and blueprint registrations the app had when the outermost function
    /// call that made it returned: more later means code outside the factory added to this
    /// instance (`app = create_app()` then `@app.route(...)` in another module).
    pub at_return: Option<(usize, usize)>,
    /// Site key used to tell apps apart: file:line of the constructor call.
    pub site: String,
    pub template_folder: Option<String>,
    pub static_folder: Option<String>,
    pub static_url_path: Option<String>,
    /// Boxed: an app of a large project holds every route's record (a record is about 500
    /// bytes, and the list's spare capacity would be as large as the records themselves).
    pub rules: Vec<Box<RuleRecord>>,
    pub surface: Vec<SurfaceRecord>,
    /// (blueprint, options) in registration order.
    pub blueprints: Vec<(ObjId, RegisterOptions)>,
    pub converters: Vec<(String, Value, Location)>,
    pub config: BTreeMap<String, Value>,
    pub extensions: Vec<ObjId>,
    pub dynamic: Option<String>,
    /// Dotted names of the blueprints registered, with their effective settings.
    pub registrations: Vec<Registration>,
    pub provide_automatic_options: Option<bool>,
    /// `app.url_map.strict_slashes` as last set (None: Werkzeug's default, true). Werkzeug
    /// applies it to each rule added from then on that does not set its own.
    pub strict_slashes: Option<bool>,
    pub view_rules: ViewRules,
    /// Jinja environment options the app sets (`jinja_options`, `app.jinja_env.trim_blocks =
    /// True`), literal values only.
    pub jinja_options: BTreeMap<String, serde_json::Value>,
    /// Jinja extensions the app adds (`jinja_options["extensions"]`, `add_extension(...)`), by
    /// import path.
    pub jinja_extensions: Vec<String>,
}

/// How an app's or a blueprint's `add_url_rule` takes its view, by the library whose class it is.
#[derive(Debug, Default)]
pub enum ViewRules {
    /// Flask's.
    #[default]
    Flask,
    /// apiflask's `APIFlask`/`APIBlueprint`: a view class is registered as `as_view(endpoint)`,
    /// the endpoint defaulting to the class's name.
    ClassViews,
    /// flask-smorest's `Blueprint`: as apiflask's, a function's endpoint named too, and an
    /// endpoint already taken becomes `{endpoint}_{n}`; here, the endpoints taken so far.
    Smorest(Vec<String>),
}

impl AppObj {
    /// Adds rules to the app's `url_map` as it is now: a rule without its own `strict_slashes`
    /// takes the map's.
    pub fn add_rules(&mut self, rules: impl IntoIterator<Item = Box<RuleRecord>>) {
        let map_default = self.strict_slashes;
        self.rules.extend(rules.into_iter().map(|mut r| {
            if r.strict_slashes.is_none() && map_default == Some(false) {
                r.strict_slashes = Some(false);
            }
            r
        }));
    }
}

/// One blueprint registration as expanded onto an app.
#[derive(Debug, Clone)]
pub struct Registration {
    pub blueprint: ObjId,
    pub name: String,
    pub url_prefix: Option<String>,
    pub subdomain: Option<String>,
    pub parent: Option<String>,
    pub loc: Location,
    pub dynamic: Option<String>,
}

#[derive(Debug, Default)]
pub struct BlueprintObj {
    pub name: Value,
    pub import_name: String,
    pub module: String,
    pub root_dir: String,
    pub variable: Option<String>,
    pub loc: Location,
    pub url_prefix: Option<Value>,
    pub subdomain: Option<Value>,
    pub url_defaults: Option<Value>,
    pub template_folder: Option<String>,
    pub static_folder: Option<String>,
    /// `static_folder` is given a value computed at run time (pygeoapi's `STATIC_FOLDER`, set
    /// from its configuration): its static route exists when the value is set.
    pub static_folder_unknown: bool,
    pub static_url_path: Option<String>,
    pub rules: Vec<RuleRecord>,
    pub surface: Vec<SurfaceRecord>,
    pub children: Vec<(ObjId, RegisterOptions)>,
    pub registered: bool,
    pub view_rules: ViewRules,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKind {
    Restful,
    Restx,
}

/// A Flask-RESTful or flask-restx `Api`.
#[derive(Debug)]
pub struct ApiObj {
    pub kind: ApiKind,
    pub target: Option<ObjId>,
    pub prefix: Value,
    pub loc: Location,
    /// Resources added before the Api was bound to an app or blueprint.
    pub pending: Vec<PendingResource>,
    pub options: Vec<(String, Value)>,
    /// The keyword arguments of `api.init_app(app, ...)`, where flask-restx reads `add_specs`
    /// (the constructor's is ignored).
    pub init_options: Vec<(String, Value)>,
    pub namespaces: Vec<ObjId>,
    pub default_ns: Option<ObjId>,
    pub restx_endpoints: BTreeMap<String, u32>,
    /// flask-restx error handlers (`@api.errorhandler(E)`) made before the Api had an app or
    /// blueprint.
    pub handlers: Vec<SurfaceRecord>,
}

#[derive(Debug, Clone)]
pub struct PendingResource {
    pub class: Value,
    pub urls: Vec<Value>,
    pub options: Vec<(String, Value)>,
    pub loc: Location,
    pub dynamic: Option<String>,
}

/// A flask-restx `Namespace`.
#[derive(Debug)]
pub struct NamespaceObj {
    pub name: Value,
    pub path: Value,
    pub resources: Vec<PendingResource>,
    pub apis: Vec<ObjId>,
    pub loc: Location,
    /// Its error handlers (`@ns.errorhandler(E)`), which each Api it is added to takes.
    pub handlers: Vec<SurfaceRecord>,
}

#[derive(Debug)]
pub struct ExtensionObj {
    pub class: String,
    /// Keyword arguments of the constructor.
    pub kwargs: Vec<(String, Value)>,
    /// Literal attributes set on the object afterwards (`login_manager.login_view = "auth.login"`).
    pub attrs: Vec<(String, serde_json::Value)>,
    pub variable: Option<String>,
    pub loc: Location,
    pub apps: Vec<ObjId>,
    /// A WSGI middleware wrapping the app (`app.wsgi_app = ProxyFix(app.wsgi_app)`).
    pub wsgi_middleware: bool,
}

impl AppObj {
    /// Whether code outside the function call that made the app added rules or blueprints to it.
    pub fn extended_after_return(&self) -> bool {
        self.at_return.is_some_and(|(rules, blueprints)| self.rules.len() > rules || self.blueprints.len() > blueprints)
    }
}

/// Result of `View.as_view(name)`.
#[derive(Debug)]
pub struct ViewObj {
    pub info: ViewInfo,
}

#[derive(Debug)]
pub struct GroupObj {
    pub name: Option<String>,
    /// Sub-commands added before the group was attached to an app's CLI.
    pub commands: Vec<(Option<String>, String, Location)>,
    pub loc: Location,
    /// The decorated function, for commands and decorator-made groups.
    pub function: Option<String>,
    pub is_group: bool,
    /// The `app.cli` / `bp.cli` it is attached to, once known.
    pub cli: Option<ObjId>,
}

#[derive(Debug)]
pub enum Obj {
    App(AppObj),
    Blueprint(BlueprintObj),
    /// `app.config`.
    Config(ObjId),
    /// `app.url_map`.
    UrlMap(ObjId),
    /// `app.url_map.converters`.
    Converters(ObjId),
    /// `app.jinja_env` and its `filters`/`globals`/`tests` dicts (`kind` empty for the env).
    Jinja(ObjId, &'static str),
    /// `app.cli` / `bp.cli`.
    Cli(ObjId),
    Group(GroupObj),
    Api(ApiObj),
    Namespace(NamespaceObj),
    Extension(ExtensionObj),
    View(ViewObj),
}

#[cfg(test)]
mod tests {
    /// Values stay small: scopes, lists and call records hold millions on a large project.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn value_size() {
        assert!(std::mem::size_of::<super::Value>() <= 24, "{}", std::mem::size_of::<super::Value>());
    }
}

/// Something outside the project, by its import path. The legacy spellings `flask.ext.X` and
/// `flaskext.X` (Flask before 1.0 redirected them to `flask_X`) are read as `flask_X`, so
/// `from flask.ext.sqlalchemy import SQLAlchemy` is Flask-SQLAlchemy.
pub fn external(path: &str) -> Value {
    let rest = path.strip_prefix("flask.ext.").or_else(|| path.strip_prefix("flaskext."));
    match rest {
        Some(rest) if !rest.is_empty() => Value::External(Rc::from(format!("flask_{rest}").as_str())),
        _ => Value::External(Rc::from(path)),
    }
}

/// The value of a standard library constant the analysis knows, by dotted path: the members of
/// `http.HTTPMethod` (a `StrEnum`: `HTTPMethod.GET == "GET"`) and of `http.HTTPStatus` (an
/// `IntEnum`: `HTTPStatus.NOT_FOUND == 404`, also `http.client.NOT_FOUND`), which real code
/// passes as route methods and error handler codes, Werkzeug's `default_exceptions`, and
/// `typing.TYPE_CHECKING`, false when the code runs (imports under
/// `if TYPE_CHECKING:` are for type checkers and may close import cycles Python never runs).
pub fn stdlib_constant(path: &str) -> Option<Value> {
    if matches!(path, "typing.TYPE_CHECKING" | "typing_extensions.TYPE_CHECKING") {
        return Some(Value::Bool(false));
    }
    // Flask's class attribute, an empty dict that subclasses spread into theirs
    // (`jinja_options = {**Flask.jinja_options, "trim_blocks": True}`).
    if matches!(path, "flask.Flask.jinja_options" | "flask.app.Flask.jinja_options") {
        return Some(Value::Dict(Rc::new(Vec::new())));
    }
    // Werkzeug's `{code: HTTPException subclass}` of the status codes it has an exception for,
    // which apps loop over to register one error handler for each.
    if matches!(path, "werkzeug.exceptions.default_exceptions" | "werkzeug.default_exceptions") {
        return Some(Value::Dict(Rc::new(
            WERKZEUG_DEFAULT_EXCEPTIONS
                .iter()
                .map(|(code, name)| (Value::Int(*code), external(&format!("werkzeug.exceptions.{name}"))))
                .collect(),
        )));
    }
    if let Some(m) = path.strip_prefix("http.HTTPMethod.") {
        return HTTP_METHODS.contains(&m).then(|| Value::str(m));
    }
    // `http.client` has every member of `HTTPStatus` as a module constant (`http.client.CONFLICT`).
    let name = path.strip_prefix("http.HTTPStatus.").or_else(|| path.strip_prefix("http.client."))?;
    HTTP_STATUSES.binary_search_by(|(n, _)| n.cmp(&name)).ok().map(|i| Value::Int(HTTP_STATUSES[i].1))
}

/// The status code Flask files an error handler for Werkzeug's exception class `path` under
/// (`werkzeug.exceptions.Forbidden` → 403), as it does for an `HTTPException` with a code.
pub fn werkzeug_exception_code(path: &str) -> Option<i64> {
    let name = path.strip_prefix("werkzeug.exceptions.")?;
    WERKZEUG_DEFAULT_EXCEPTIONS.iter().find(|(_, n)| *n == name).map(|(code, _)| *code)
}

/// `werkzeug.exceptions.default_exceptions` of the pinned Werkzeug 3.1, in its order.
const WERKZEUG_DEFAULT_EXCEPTIONS: &[(i64, &str)] = &[
    (400, "BadRequest"),
    (401, "Unauthorized"),
    (403, "Forbidden"),
    (404, "NotFound"),
    (405, "MethodNotAllowed"),
    (406, "NotAcceptable"),
    (408, "RequestTimeout"),
    (409, "Conflict"),
    (410, "Gone"),
    (411, "LengthRequired"),
    (412, "PreconditionFailed"),
    (413, "RequestEntityTooLarge"),
    (414, "RequestURITooLarge"),
    (415, "UnsupportedMediaType"),
    (416, "RequestedRangeNotSatisfiable"),
    (417, "ExpectationFailed"),
    (418, "ImATeapot"),
    (421, "MisdirectedRequest"),
    (422, "UnprocessableEntity"),
    (423, "Locked"),
    (424, "FailedDependency"),
    (428, "PreconditionRequired"),
    (429, "TooManyRequests"),
    (431, "RequestHeaderFieldsTooLarge"),
    (451, "UnavailableForLegalReasons"),
    (500, "InternalServerError"),
    (501, "NotImplemented"),
    (502, "BadGateway"),
    (503, "ServiceUnavailable"),
    (504, "GatewayTimeout"),
    (505, "HTTPVersionNotSupported"),
];

const HTTP_METHODS: [&str; 9] = ["CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE"];

/// `http.HTTPStatus` of Python 3.11, with the names Python 3.13 added; sorted by name.
const HTTP_STATUSES: &[(&str, i64)] = &[
    ("ACCEPTED", 202),
    ("ALREADY_REPORTED", 208),
    ("BAD_GATEWAY", 502),
    ("BAD_REQUEST", 400),
    ("CONFLICT", 409),
    ("CONTENT_TOO_LARGE", 413),
    ("CONTINUE", 100),
    ("CREATED", 201),
    ("EARLY_HINTS", 103),
    ("EXPECTATION_FAILED", 417),
    ("FAILED_DEPENDENCY", 424),
    ("FORBIDDEN", 403),
    ("FOUND", 302),
    ("GATEWAY_TIMEOUT", 504),
    ("GONE", 410),
    ("HTTP_VERSION_NOT_SUPPORTED", 505),
    ("IM_A_TEAPOT", 418),
    ("IM_USED", 226),
    ("INSUFFICIENT_STORAGE", 507),
    ("INTERNAL_SERVER_ERROR", 500),
    ("LENGTH_REQUIRED", 411),
    ("LOCKED", 423),
    ("LOOP_DETECTED", 508),
    ("METHOD_NOT_ALLOWED", 405),
    ("MISDIRECTED_REQUEST", 421),
    ("MOVED_PERMANENTLY", 301),
    ("MULTIPLE_CHOICES", 300),
    ("MULTI_STATUS", 207),
    ("NETWORK_AUTHENTICATION_REQUIRED", 511),
    ("NON_AUTHORITATIVE_INFORMATION", 203),
    ("NOT_ACCEPTABLE", 406),
    ("NOT_EXTENDED", 510),
    ("NOT_FOUND", 404),
    ("NOT_IMPLEMENTED", 501),
    ("NOT_MODIFIED", 304),
    ("NO_CONTENT", 204),
    ("OK", 200),
    ("PARTIAL_CONTENT", 206),
    ("PAYMENT_REQUIRED", 402),
    ("PERMANENT_REDIRECT", 308),
    ("PRECONDITION_FAILED", 412),
    ("PRECONDITION_REQUIRED", 428),
    ("PROCESSING", 102),
    ("PROXY_AUTHENTICATION_REQUIRED", 407),
    ("RANGE_NOT_SATISFIABLE", 416),
    ("REQUESTED_RANGE_NOT_SATISFIABLE", 416),
    ("REQUEST_ENTITY_TOO_LARGE", 413),
    ("REQUEST_HEADER_FIELDS_TOO_LARGE", 431),
    ("REQUEST_TIMEOUT", 408),
    ("REQUEST_URI_TOO_LONG", 414),
    ("RESET_CONTENT", 205),
    ("SEE_OTHER", 303),
    ("SERVICE_UNAVAILABLE", 503),
    ("SWITCHING_PROTOCOLS", 101),
    ("TEMPORARY_REDIRECT", 307),
    ("TOO_EARLY", 425),
    ("TOO_MANY_REQUESTS", 429),
    ("UNAUTHORIZED", 401),
    ("UNAVAILABLE_FOR_LEGAL_REASONS", 451),
    ("UNPROCESSABLE_CONTENT", 422),
    ("UNPROCESSABLE_ENTITY", 422),
    ("UNSUPPORTED_MEDIA_TYPE", 415),
    ("UPGRADE_REQUIRED", 426),
    ("URI_TOO_LONG", 414),
    ("USE_PROXY", 305),
    ("VARIANT_ALSO_NEGOTIATES", 506),
];

#[cfg(test)]
mod stdlib_tests {
    use super::*;

    #[test]
    fn http_constants() {
        assert!(HTTP_STATUSES.windows(2).all(|w| w[0].0 < w[1].0), "sorted for binary search");
        assert!(matches!(stdlib_constant("http.HTTPStatus.NOT_FOUND"), Some(Value::Int(404))));
        assert!(matches!(stdlib_constant("http.HTTPStatus.CONTENT_TOO_LARGE"), Some(Value::Int(413))));
        assert_eq!(stdlib_constant("http.HTTPMethod.GET").as_ref().and_then(Value::as_str), Some("GET"));
        assert!(stdlib_constant("http.HTTPStatus.NOPE").is_none());
        assert!(matches!(stdlib_constant("http.client.CONFLICT"), Some(Value::Int(409))));
        assert!(stdlib_constant("http.client.HTTPConnection").is_none());
        assert!(matches!(stdlib_constant("http.client.OK"), Some(Value::Int(200))));
        assert!(matches!(stdlib_constant("typing.TYPE_CHECKING"), Some(Value::Bool(false))));
    }
}
