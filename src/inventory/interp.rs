//! A small abstract interpreter for the Python the inventory needs: imports across modules,
//! assignments, constant folding, calls into project functions (app factories, registration
//! helpers) and loops over literal lists. Anything it cannot know is [`Value::Unknown`]; work done
//! under an unknown condition is marked dynamic, never guessed.
//!
//! The Flask-specific meaning of calls lives in [`super::flask`]; this file is plain Python.
//!
//! It runs on a thread with the workers' large stack ([`super::on_large_stack`]): calling a
//! function whose body was elided lowers that body again, right here.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::Arc;

use crate::diagnostics::{Code, Diagnostic};
use crate::inventory::model::Location;
use crate::inventory::values::*;
use crate::mapping::tables::ExtensionTable;
use crate::parse::ast::{self, BinOp, CmpOp, CompExpr, CompKind, Expr, FPart, SmallStr, Stmt};

use super::sources::SourceCell;

/// A project module, as the interpreter sees it.
#[derive(Debug)]
pub struct ModuleSrc {
    pub name: String,
    pub rel: String,
    pub is_package: bool,
    /// Its file, parsed or to be parsed. The tree is kept until the module runs: then
    /// [`Interp::load_module`] keeps only what later stages read of it ([`Interp::after_run`])
    /// and the rest is freed.
    source: Arc<SourceCell>,
}

impl ModuleSrc {
    pub fn new(name: String, rel: String, is_package: bool, source: Arc<SourceCell>) -> Self {
        ModuleSrc { name, rel, is_package, source }
    }

    /// The tree, taken to be run (once).
    fn take_tree(&self) -> Option<Arc<ast::Module>> {
        self.source.take_tree()
    }

    /// The names its code mentions, for model usage ([`ast::Module::names`]).
    pub fn names(&self) -> &ast::NameCounts {
        self.source.names()
    }
}

/// Where code is running: which scope, module and file.
#[derive(Clone)]
pub struct Frame {
    pub scope: Rc<Scope>,
    pub module: Rc<str>,
    pub file: Arc<str>,
    /// Qualified-name prefix for definitions (`Outer.` inside a class body).
    pub qual: String,
    pub is_package: bool,
}

impl Frame {
    /// The frame of a module's top-level code.
    pub fn of_module(name: &str, src: &ModuleSrc, scope: Rc<Scope>) -> Frame {
        Frame {
            scope,
            module: Rc::from(name),
            file: Arc::from(src.rel.as_str()),
            qual: String::new(),
            is_package: src.is_package,
        }
    }
}

enum Flow {
    Normal,
    Return(Value),
    Break,
}

/// Limits that keep the interpreter finite on any input.
const MAX_CALL_DEPTH: usize = 24;
const MAX_LOOP_ITERATIONS: usize = 2_000;
/// Statements run and expressions evaluated from one entry point (see [`Interp::new_budget`]):
/// the app of a 1M-line monorepo needs about 1.5M. Code that loops over its own module-level
/// statements (seen in fuzzed input: 2M statements there evaluated 50M expressions) stops here
/// instead of running for seconds or taking gigabytes.
const MAX_STEPS: usize = 4_000_000;
/// Objects (apps, blueprints, config proxies...) created in all: each can hold maps, so a loop
/// that creates an app per iteration stops here instead of taking gigabytes.
const MAX_OBJECTS: usize = 100_000;

/// What makes two configuration events the same: app, key, location, source, expression, value
/// (as JSON) and the reason it is uncertain.
type ConfigKey = (ObjId, Option<String>, Location, &'static str, String, Option<String>, Option<String>);

pub struct Interp<'a> {
    pub modules: &'a HashMap<String, ModuleSrc>,
    pub tables: &'a ExtensionTable,
    pub loaded: FastMap<String, Rc<Scope>>,
    loading: FastSet<String>,
    pub objs: Vec<Obj>,
    /// The project class each object made from one was made from (`class Application(Flask)`),
    /// for its own methods.
    pub(crate) obj_classes: FastMap<ObjId, Rc<Class>>,
    /// Template loaders of the project's own, set on an app or a blueprint or defined by its
    /// class (`jinja_loader`): what they load is known only at run time.
    pub(crate) custom_loaders: Vec<(String, Location)>,
    /// Functions whose `__name__` the project sets (`responder.__name__ = "get_items"`), and a
    /// view a project decorator replaces with such a function, with the name.
    pub(crate) renamed: Vec<(Rc<Func>, SmallStr)>,
    /// Some app's template folder is computed at run time (FD201): which templates exist is
    /// not known, so none is reported missing.
    pub(crate) template_folder_unknown: bool,
    /// Objects not followed that registrations were made on, reported once (file, expression).
    pub(crate) unknown_receivers: FastSet<(String, String)>,
    /// The conditions of the branches of each `if` whose branches cover every case (its `else`
    /// ran) and were all uncertain: a registration made the same in each is certain.
    pub(crate) complete_ifs: Vec<Vec<String>>,
    /// Flask-Classful's marks on methods, by the method's definition, in the order applied.
    pub(crate) classful_marks: FastMap<usize, Vec<super::values::ClassfulMark>>,
    /// Flask-Classful's `FlaskView.base_args`, one list shared by every class that has none of
    /// its own: each `route_base` registered adds its variables to it.
    pub(crate) classful_base_args: Vec<String>,
    /// `make_setup_state` overrides already reported (FD110), by function path.
    pub(crate) setup_state_noted: FastSet<String>,
    /// Attributes the project's code set on a Flask object of a project class (`self.submodules
    /// = [...]` in a `Blueprint` subclass), latest last.
    pub(crate) obj_attrs: FastMap<ObjId, Attrs>,
    /// Flask objects set as attributes of project class instances, by class
    /// ([`Self::set_attr`]).
    instance_attrs: FastMap<usize, Attrs>,
    /// The Flask object of a project class each call on `call_stack` was made on, if any.
    call_receivers: Vec<Option<ObjId>>,
    /// Decorators applied to every view of a blueprint (`csrf.exempt(bp)`), as written.
    pub(crate) blueprint_decorators: Vec<(ObjId, String)>,
    /// The first `register_blueprint` called with a blueprint that is not known (FD102).
    pub(crate) unresolved_registration: Option<crate::inventory::model::Location>,
    /// Memoized sub-objects: (owner, attribute) -> object.
    pub(crate) sub_objs: FastMap<(ObjId, &'static str), ObjId>,
    pub diags: crate::diagnostics::DiagnosticLog,
    /// Active reasons why the code being run may not run (unknown `if`, loop over a run-time value).
    pub cond: Vec<String>,
    /// Project functions being called, outermost first.
    pub call_stack: Vec<Rc<Func>>,
    /// The conditions an app or blueprint was created under inside a function (a factory
    /// called from an `if`): what is registered on it does not depend on them.
    pub(crate) creation_cond: FastMap<ObjId, Vec<String>>,
    /// The functions called so far, by definition.
    pub(crate) called: FastSet<usize>,
    /// The `if __name__ == "__main__":` blocks of top-level modules, with their module's frame:
    /// what `python run.py` runs (see `inventory::find_apps`).
    pub(crate) main_blocks: Vec<(Frame, Vec<Stmt>)>,
    /// Set by an `if` whose body may return under an unknown condition: the rest of the block
    /// runs under it (see `exec_stmts`).
    return_guard: Option<String>,
    /// For each function call being run, the values of the `return`s it may have run under an
    /// unknown condition: its value is one of them or the value it ends with ([`Value::one_of`]).
    returns: Vec<Vec<Value>>,
    /// Set for the call of `super().method(...)` that reaches Flask's own method: a method of
    /// the object's project class of that name is not run for it (see `flask::call_method`).
    pub(crate) flask_own_method: bool,
    /// Configuration events in the order they last happened; see [`Interp::log_config`].
    pub(crate) config_log: Vec<Option<super::flask::ConfigEvent>>,
    config_seen: FastMap<ConfigKey, usize>,
    /// Every scope made, for [`Interp::break_cycles`], when `track_scopes` is set (a weak
    /// reference keeps a little memory per scope, which the command line does without).
    scopes: Vec<std::rc::Weak<Scope>>,
    pub track_scopes: bool,
    steps: usize,
    pub(crate) reported_steps: bool,
    /// Every class definition run, in order (a class defined in a function called twice appears twice).
    pub classes: Vec<Rc<Class>>,
    /// What the template stage reads of each module that has run, by module name: its top-level
    /// definitions (classes as kept after running) and the template-rendering calls of the rest
    /// ([`super::elide::module_after_run`]).
    pub after_run: FastMap<String, Vec<Stmt>>,
    /// SQLAlchemy state: tables, event listeners, declarative bases made by decorators.
    pub(crate) sqla: super::sqla::SqlaLog,
    /// Answers of `ExtensionTable::is_extension_class`, by import path: calls of code outside
    /// the project repeat the same few paths.
    extension_classes: FastMap<String, bool>,
    /// Every module name and every dotted prefix of one (`a`, `a.b` for `a.b.c`): the names an
    /// absolute import can resolve to inside the project, answered without scanning `modules`.
    module_prefixes: FastSet<String>,
    /// Bodies of elided functions lowered again, by definition (kept alive with it).
    elided_bodies: FastMap<usize, (Arc<ast::FunctionDef>, Rc<Vec<Stmt>>)>,
    /// The module texts last read again for elided bodies, most recent last (at most
    /// [`MODULE_TEXTS_KEPT`]): calls into one module come together, and keeping every text
    /// read would keep most of a large project's source.
    module_texts: Vec<(Arc<ast::ModuleText>, Arc<str>)>,
    /// Module texts that could not be read again (the file changed or cannot be read).
    unreadable_texts: Vec<Arc<ast::ModuleText>>,
}

/// How many module texts read again are kept (see [`Interp::module_texts`]).
const MODULE_TEXTS_KEPT: usize = 8;

/// Every module name with all its dotted prefixes.
fn module_prefixes(modules: &HashMap<String, ModuleSrc>) -> FastSet<String> {
    let mut out = FastSet::default();
    for name in modules.keys() {
        let mut rest = name.as_str();
        while out.insert(rest.to_string()) {
            match rest.rsplit_once('.') {
                Some((parent, _)) => rest = parent,
                None => break,
            }
        }
    }
    out
}

impl<'a> Interp<'a> {
    pub fn new(modules: &'a HashMap<String, ModuleSrc>, tables: &'a ExtensionTable) -> Self {
        Interp {
            modules,
            tables,
            loaded: FastMap::default(),
            loading: FastSet::default(),
            objs: Vec::new(),
            sub_objs: FastMap::default(),
            obj_classes: FastMap::default(),
            custom_loaders: Vec::new(),
            renamed: Vec::new(),
            template_folder_unknown: false,
            setup_state_noted: FastSet::default(),
            unknown_receivers: FastSet::default(),
            complete_ifs: Vec::new(),
            classful_marks: FastMap::default(),
            classful_base_args: Vec::new(),
            obj_attrs: FastMap::default(),
            call_receivers: Vec::new(),
            instance_attrs: FastMap::default(),
            unresolved_registration: None,
            blueprint_decorators: Vec::new(),
            diags: Default::default(),
            cond: Vec::new(),
            call_stack: Vec::new(),
            creation_cond: FastMap::default(),
            called: FastSet::default(),
            main_blocks: Vec::new(),
            return_guard: None,
            returns: Vec::new(),
            flask_own_method: false,
            config_log: Vec::new(),
            config_seen: FastMap::default(),
            scopes: Vec::new(),
            track_scopes: false,
            steps: 0,
            reported_steps: false,
            classes: Vec::new(),
            after_run: FastMap::default(),
            sqla: Default::default(),
            extension_classes: FastMap::default(),
            module_prefixes: module_prefixes(modules),
            elided_bodies: FastMap::default(),
            module_texts: Vec::new(),
            unreadable_texts: Vec::new(),
        }
    }

    /// Whether an import path names a Flask extension class (memoized table lookup).
    pub fn is_extension_class(&mut self, path: &str) -> bool {
        if let Some(&known) = self.extension_classes.get(path) {
            return known;
        }
        let known = self.tables.is_extension_class(path);
        self.extension_classes.insert(path.to_string(), known);
        known
    }

    /// Records the conditions an app, blueprint or API object created inside a function is
    /// created under.
    pub(crate) fn note_creation_cond(&mut self, id: ObjId) {
        if !self.call_stack.is_empty() && !self.cond.is_empty() {
            self.creation_cond.insert(id, self.cond.clone());
        }
    }

    /// Runs `f`, an action on `id`, without the conditions `id` was created under when they are
    /// still the outer ones: an app made by a factory called from an `if` has its routes
    /// whichever branch made it.
    pub(crate) fn on_receiver<T>(&mut self, id: ObjId, f: impl FnOnce(&mut Self) -> T) -> T {
        let inner = match self.creation_cond.get(&id) {
            Some(created) if self.cond.starts_with(created) => self.cond[created.len()..].to_vec(),
            _ => return f(self),
        };
        let saved = std::mem::replace(&mut self.cond, inner);
        let v = f(self);
        self.cond = saved;
        v
    }

    /// The reason the current registration is uncertain, if any.
    pub fn dynamic_reason(&self) -> Option<String> {
        if self.cond.is_empty() {
            None
        } else {
            // A condition met twice (the same `if` around a call and inside it) is said once.
            let mut said: Vec<&str> = Vec::with_capacity(self.cond.len());
            for c in &self.cond {
                if !said.contains(&c.as_str()) {
                    said.push(c);
                }
            }
            Some(said.join(", and "))
        }
    }

    pub fn new_obj(&mut self, o: Obj) -> ObjId {
        self.objs.push(o);
        self.objs.len() - 1
    }

    // ---------------------------------------------------------------- modules

    /// Execute a project module once (like `import`); returns its globals.
    pub fn load_module(&mut self, name: &str) -> Option<Rc<Scope>> {
        if let Some(s) = self.loaded.get(name) {
            return Some(s.clone());
        }
        let src = self.modules.get(name)?;
        // Importing `a.b` runs `a` first.
        if let Some((parent, _)) = name.rsplit_once('.') {
            if self.modules.contains_key(parent) {
                self.load_module(parent);
            }
        }
        if let Some(s) = self.loaded.get(name) {
            return Some(s.clone());
        }
        let scope = self.new_scope(None);
        {
            let mut v = scope.vars.borrow_mut();
            v.insert("__name__".into(), Value::str(name));
            // The file's path from the repository root, under `PROJECT_ROOT`: folders
            // built from it (`os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
            // "templates")`) are repository paths wherever they are used (see `join_dir`).
            let root = super::flask::PROJECT_ROOT;
            v.insert("__file__".into(), Value::str(&format!("{root}/{}", src.rel)));
            // A package's `__path__`: its folder.
            if src.is_package {
                let dir = match src.rel.rsplit_once('/') {
                    Some((dir, _)) => format!("{root}/{dir}"),
                    None => root.to_string(),
                };
                v.insert("__path__".into(), Value::List(Rc::new(vec![Value::str(&dir)])));
            }
            let package = if src.is_package {
                name.to_string()
            } else {
                name.rsplit_once('.').map(|p| p.0.to_string()).unwrap_or_default()
            };
            v.insert("__package__".into(), Value::str(&package));
        }
        self.loaded.insert(name.to_string(), scope.clone());
        self.loading.insert(name.to_string());
        let frame = Frame::of_module(name, src, scope.clone());
        // Module-level code runs unconditionally even when imported from inside an `if`.
        let saved = std::mem::take(&mut self.cond);
        let saved_stack = std::mem::take(&mut self.call_stack);
        let saved_receivers = std::mem::take(&mut self.call_receivers);
        if let Some(module) = src.take_tree() {
            self.exec_block(&module.body, &frame);
            scope.vars.borrow_mut().shrink_to_fit();
            self.after_run.insert(name.to_string(), super::elide::module_after_run(&module.body));
        }
        self.cond = saved;
        self.call_stack = saved_stack;
        self.call_receivers = saved_receivers;
        self.loading.remove(name);
        // A submodule is an attribute of its package once imported.
        if let Some((parent, child)) = name.rsplit_once('.') {
            if let Some(p) = self.loaded.get(parent) {
                p.vars.borrow_mut().insert_if_absent(child, || Value::Module(Rc::from(name)));
            }
        }
        Some(scope)
    }

    fn resolve_relative(&self, frame: &Frame, module: Option<&str>, level: u32) -> String {
        if level == 0 {
            return self.resolve_absolute(frame, module.unwrap_or_default());
        }
        let mut base: Vec<&str> = frame.module.split('.').collect();
        if !frame.is_package {
            base.pop();
        }
        for _ in 1..level {
            base.pop();
        }
        let mut s = base.join(".");
        if let Some(m) = module {
            if !s.is_empty() {
                s.push('.');
            }
            s.push_str(m);
        }
        s
    }

    /// An absolute import as the project runs it. A name that is no top-level module of the
    /// analyzed root may be a sibling of the importing module: an app kept in a subfolder
    /// (`backend/app.py` doing `import models`) runs with that folder on `sys.path`. A library
    /// the analysis reads (`flask`, `sqlalchemy`, ...) is not looked for inside a package: a
    /// project's own `pkg/web/flask/` package is imported as `pkg.web.flask`, and its modules
    /// that do `from flask import Flask` get Flask.
    fn resolve_absolute(&self, frame: &Frame, name: &str) -> String {
        let top = name.split('.').next().unwrap_or(name);
        let known = |m: &str| self.module_prefixes.contains(m);
        if name.is_empty() || known(top) {
            return name.to_string();
        }
        let library = is_read_library(top);
        let mut parts: Vec<&str> = frame.module.split('.').collect();
        if !frame.is_package {
            parts.pop();
        }
        while !parts.is_empty() {
            let folder = parts.join(".");
            let in_package = self.modules.get(folder.as_str()).is_some_and(|m| m.is_package);
            if !(library && in_package) {
                let candidate = format!("{folder}.{name}");
                if known(&candidate) {
                    return candidate;
                }
            }
            parts.pop();
        }
        name.to_string()
    }

    /// The value of `module.attr` after `from module import attr`.
    fn import_attr(&mut self, module: &str, attr: &str) -> Value {
        if self.modules.contains_key(module) {
            if let Some(scope) = self.load_module(module) {
                if let Some(v) = scope.vars.borrow().get(attr) {
                    return v.clone();
                }
            }
            let sub = format!("{module}.{attr}");
            if self.modules.contains_key(&sub) {
                self.load_module(&sub);
                return Value::Module(Rc::from(sub.as_str()));
            }
            return Value::Unknown;
        }
        let sub = format!("{module}.{attr}");
        if self.modules.contains_key(&sub) {
            self.load_module(&sub);
            return Value::Module(Rc::from(sub.as_str()));
        }
        super::values::stdlib_constant(&sub).unwrap_or_else(|| super::values::external(&sub))
    }

    /// Resolve a dotted import path (`pkg.mod.Name` or `pkg.mod:Name`) to a value.
    pub fn import_string(&mut self, path: &str) -> Value {
        let path = path.replace(':', ".");
        if self.modules.contains_key(&path) {
            self.load_module(&path);
            return Value::Module(Rc::from(path.as_str()));
        }
        match path.rsplit_once('.') {
            Some((m, attr)) => {
                if self.modules.contains_key(m) {
                    self.import_attr(m, attr)
                } else {
                    match self.import_string(m) {
                        Value::Unknown => Value::Unknown,
                        v => self.getattr(&v, attr),
                    }
                }
            }
            None => super::values::external(&path),
        }
    }

    /// Empties the module scopes and drops the objects and classes: functions hold the scope they
    /// were defined in, which holds them, so without this the trees and values of a run stay
    /// allocated. The command line leaves that to the end of the process (faster); a caller that
    /// analyzes many sources in one process (the fuzzer) calls this after each.
    pub fn break_cycles(&mut self) {
        for scope in self.scopes.drain(..).filter_map(|w| w.upgrade()) {
            scope.vars.borrow_mut().clear();
        }
        self.loaded.clear();
        self.objs.clear();
        self.sub_objs.clear();
        self.classes.clear();
        self.elided_bodies.clear();
        self.module_texts.clear();
        self.unreadable_texts.clear();
        self.call_stack.clear();
    }

    /// Start a new step budget, for the next entry point (a module loaded for itself, a factory
    /// nothing called, a later stage): one costly module must not leave the rest of the
    /// project unanalyzed. Objects stay capped for the whole run.
    pub fn new_budget(&mut self) {
        self.steps = 0;
        self.reported_steps = false;
    }

    /// A new scope, remembered (weakly) so that [`Interp::break_cycles`] can empty it.
    pub(crate) fn new_scope(&mut self, parent: Option<Rc<Scope>>) -> Rc<Scope> {
        let scope = Scope::new(parent);
        if self.track_scopes {
            self.scopes.push(Rc::downgrade(&scope));
        }
        scope
    }

    /// Records a configuration event. An event identical to one recorded before (a loop, a
    /// function called again) moves to the end instead of adding a copy: the order of last
    /// occurrences, which decides which value wins, is unchanged, and memory stays bounded.
    /// A comprehension over known values, run as its loops run: a list (a set, a generator:
    /// also a list here) or a dict of the results. Its variables live in a scope of their own,
    /// as in Python 3. Unknown when a loop is over a run-time value or a condition is unknown.
    fn eval_comprehension(&mut self, c: &CompExpr, frame: &Frame) -> Value {
        let inner = Frame { scope: Scope::new(Some(frame.scope.clone())), ..frame.clone() };
        let mut out: Vec<(Value, Value)> = Vec::new();
        if !self.comprehension_level(c, 0, &inner, &mut out) {
            return Value::Unknown;
        }
        match c.kind {
            CompKind::Dict => Value::Dict(Rc::new(out)),
            _ => Value::List(Rc::new(out.into_iter().map(|(v, _)| v).collect())),
        }
    }

    fn comprehension_level(
        &mut self,
        c: &CompExpr,
        level: usize,
        frame: &Frame,
        out: &mut Vec<(Value, Value)>,
    ) -> bool {
        let Some(g) = c.generators.get(level) else {
            let elt = self.eval(&c.elt, frame);
            let value = c.value.as_ref().map(|v| self.eval(v, frame)).unwrap_or(Value::NoneV);
            out.push((elt, value));
            return out.len() <= MAX_LOOP_ITERATIONS;
        };
        let Some(items) = self.eval(&g.iter, frame).elements() else { return false };
        if items.len() > MAX_LOOP_ITERATIONS {
            return false;
        }
        for item in items {
            self.assign(&g.target, item, &g.iter, 0, frame);
            let mut keep = true;
            for cond in g.ifs.iter() {
                match self.eval(cond, frame).truth() {
                    Some(true) => {}
                    Some(false) => keep = false,
                    None => return false,
                }
            }
            if keep && !self.comprehension_level(c, level + 1, frame, out) {
                return false;
            }
        }
        true
    }

    /// Whether `test` reads a key of an app's `config` (`app.config["X"]`, `app.config.get("X")`)
    /// and that app's configuration is also loaded at run time.
    fn reads_overridable_config(&mut self, test: &Expr, frame: &Frame) -> bool {
        let config_owner = |e: &Expr| -> Option<Expr> {
            let config = match e {
                Expr::Subscript { value, .. } => value,
                Expr::Call(c) => match &c.func {
                    Expr::Attribute(g) if g.attr.as_str() == "get" => &g.value,
                    _ => return None,
                },
                _ => return None,
            };
            match config {
                Expr::Attribute(a) if a.attr.as_str() == "config" => Some(a.value.clone()),
                _ => None,
            }
        };
        let owner = match test {
            Expr::Not(v) => config_owner(v),
            Expr::BoolOp { values, .. } => values.iter().find_map(|v| match v {
                Expr::Not(v) => config_owner(v),
                v => config_owner(v),
            }),
            Expr::Compare(c) => config_owner(&c.left),
            e => config_owner(e),
        };
        let Some(owner) = owner else { return false };
        let Value::Obj(app) = self.eval(&owner, frame) else { return false };
        matches!(self.objs[app], Obj::App(_))
            && self.config_log.iter().flatten().any(|e| e.app == app && e.key.is_none() && e.dynamic.is_some())
    }

    pub(crate) fn log_config(&mut self, ev: super::flask::ConfigEvent) {
        let key: ConfigKey = (
            ev.app,
            ev.key.clone(),
            ev.loc.clone(),
            ev.source,
            ev.expression.clone(),
            ev.value.to_json().map(|j| j.to_string()),
            ev.dynamic.clone(),
        );
        if let Some(&at) = self.config_seen.get(&key) {
            self.config_log[at] = None;
        }
        self.config_seen.insert(key, self.config_log.len());
        self.config_log.push(Some(ev));
    }

    // ---------------------------------------------------------------- statements

    pub fn exec_block(&mut self, body: &[Stmt], frame: &Frame) -> Option<Value> {
        match self.exec_stmts(body, frame) {
            Flow::Return(v) => Some(v),
            _ => None,
        }
    }

    fn exec_stmts(&mut self, body: &[Stmt], frame: &Frame) -> Flow {
        // The statements after an `if` whose body may return run only when it does not: the
        // guards they run under end with the block.
        let depth = self.cond.len();
        let flow = self.exec_stmts_guarded(body, frame);
        self.cond.truncate(depth);
        flow
    }

    fn exec_stmts_guarded(&mut self, body: &[Stmt], frame: &Frame) -> Flow {
        for s in body {
            self.steps += 1;
            if self.steps > MAX_STEPS || self.objs.len() > MAX_OBJECTS {
                if !self.reported_steps {
                    self.reported_steps = true;
                    self.diags.push(Diagnostic::new(
                        Code::UnresolvedCall,
                        &frame.file,
                        stmt_line(s),
                        "the analysis stopped following calls here: its step or object budget is used up",
                    ));
                }
                return Flow::Normal;
            }
            match self.exec_stmt(s, frame) {
                Flow::Normal => {}
                other => return other,
            }
            if let Some(guard) = self.return_guard.take() {
                self.cond.push(guard);
            }
        }
        Flow::Normal
    }

    /// Run `body` under an uncertainty reason; returns are kept only as candidates.
    fn exec_conditional(&mut self, body: &[Stmt], frame: &Frame, reason: String) -> Option<Value> {
        self.cond.push(reason);
        let flow = self.exec_stmts(body, frame);
        self.cond.pop();
        match flow {
            Flow::Return(v) => {
                if let Some(candidates) = self.returns.last_mut() {
                    candidates.push(v.clone());
                }
                Some(v)
            }
            _ => None,
        }
    }

    fn exec_stmt(&mut self, s: &Stmt, frame: &Frame) -> Flow {
        match s {
            Stmt::Import { names, .. } => {
                for a in names {
                    let resolved = self.resolve_absolute(frame, &a.name);
                    if resolved != a.name {
                        // `import models` of a sibling module: bind it under the written name.
                        if self.modules.contains_key(&resolved) {
                            self.load_module(&resolved);
                        }
                        let bound = a.asname.as_deref().unwrap_or_else(|| a.name.split('.').next().unwrap_or(&a.name));
                        let target = match &a.asname {
                            Some(_) => resolved.clone(),
                            None => {
                                let depth = resolved.split('.').count() - a.name.split('.').count() + 1;
                                resolved.split('.').take(depth).collect::<Vec<_>>().join(".")
                            }
                        };
                        frame.scope.set(bound, Value::Module(Rc::from(target.as_str())));
                        continue;
                    }
                    let parts: Vec<&str> = a.name.split('.').collect();
                    let mut path = String::new();
                    for p in &parts {
                        if !path.is_empty() {
                            path.push('.');
                        }
                        path.push_str(p);
                        if self.modules.contains_key(&path) {
                            self.load_module(&path);
                        }
                    }
                    let value_of = |this: &Self, p: &str| {
                        if this.modules.contains_key(p) {
                            Value::Module(Rc::from(p))
                        } else {
                            super::values::external(p)
                        }
                    };
                    match &a.asname {
                        Some(asname) => frame.scope.set(asname, value_of(self, &a.name)),
                        None => frame.scope.set(parts[0], value_of(self, parts[0])),
                    }
                }
            }
            Stmt::ImportFrom { module, level, names, line } => {
                let base = self.resolve_relative(frame, module.as_deref(), *level);
                for a in names {
                    if a.name == "*" {
                        if let Some(scope) = self.load_module(&base) {
                            let vars = scope.vars.borrow();
                            let all: Option<Vec<String>> = vars
                                .get("__all__")
                                .and_then(|v| v.elements())
                                .map(|e| e.iter().filter_map(|x| x.as_str().map(str::to_string)).collect());
                            let names: Vec<(String, Value)> = match all {
                                Some(all) => all
                                    .into_iter()
                                    .filter_map(|n| vars.get(n.as_str()).map(|v| (n, v.clone())))
                                    .collect(),
                                None => vars
                                    .iter()
                                    .filter(|(k, _)| !k.starts_with('_'))
                                    .map(|(k, v)| (k.to_string(), v.clone()))
                                    .collect(),
                            };
                            drop(vars);
                            for (n, v) in names {
                                frame.scope.set(&n, v);
                            }
                        }
                        continue;
                    }
                    if let Some(row) = crate::mapping::tables::removed_api(&format!("{base}.{}", a.name)) {
                        self.diags.push(
                            Diagnostic::new(
                                Code::RemovedApi,
                                frame.file.clone(),
                                *line,
                                format!("`{base}.{}` was removed in Flask {}: importing it fails", a.name, row.version),
                            )
                            .with_help(&row.instead),
                        );
                    }
                    let v = self.import_attr(&base, &a.name);
                    frame.scope.set(a.asname.as_deref().unwrap_or(&a.name), v);
                }
            }
            Stmt::Assign { targets, value, line, .. } => {
                let v = self.eval(value, frame);
                for t in targets {
                    self.assign(t, v.clone(), value, *line, frame);
                }
            }
            Stmt::Annotated { .. } | Stmt::Pass | Stmt::Delete { .. } => {}
            Stmt::AugAssign { target, op, value, line } => {
                let cur = self.eval(target, frame);
                let rhs = self.eval(value, frame);
                let v = binop(&cur, *op, &rhs);
                self.assign(target, v, value, *line, frame);
            }
            Stmt::Expr { value, .. } => {
                self.eval(value, frame);
            }
            Stmt::FunctionDef(def) => {
                let qualname = qualified(&frame.qual, &def.name);
                let f = Rc::new(Func {
                    def: def.clone(),
                    module: frame.module.clone(),
                    qualname,
                    file: frame.file.clone(),
                    scope: frame.scope.clone(),
                });
                let mut v = Value::Function(f);
                for d in def.decorators.iter().rev() {
                    let dv = self.eval(d, frame);
                    v = self.apply_decorator(&dv, v, d, frame);
                }
                frame.scope.set(&def.name, v);
            }
            Stmt::ClassDef(def) => {
                let bases: Vec<Value> = def.bases.iter().map(|b| self.eval(b, frame)).collect();
                let qualname = qualified(&frame.qual, &def.name);
                let class_scope = self.new_scope(Some(frame.scope.clone()));
                let inner = Frame {
                    scope: class_scope.clone(),
                    module: frame.module.clone(),
                    file: frame.file.clone(),
                    qual: format!("{qualname}."),
                    is_package: frame.is_package,
                };
                self.exec_stmts(&def.body, &inner);
                class_scope.vars.borrow_mut().shrink_to_fit();
                let decorators: Vec<Value> = def.decorators.iter().map(|d| self.eval(d, frame)).collect();
                let class = Rc::new(Class {
                    def: super::elide::class_after_run(def),
                    module: frame.module.clone(),
                    qualname,
                    file: frame.file.clone(),
                    bases,
                    scope: class_scope,
                    decorators: decorators.clone(),
                });
                self.classes.push(class.clone());
                let mut v = Value::Class(class);
                for (d, dv) in def.decorators.iter().zip(&decorators).rev() {
                    v = self.apply_decorator(dv, v, d, frame);
                }
                frame.scope.set(&def.name, v);
            }
            Stmt::Return { value, .. } => {
                let v = value.as_ref().map(|e| self.eval(e, frame)).unwrap_or(Value::NoneV);
                return Flow::Return(v);
            }
            Stmt::For { target, iter, body, orelse, line } => {
                let it = self.eval(iter, frame);
                match it.elements() {
                    Some(items) if items.len() <= MAX_LOOP_ITERATIONS => {
                        for item in items {
                            self.assign(target, item, iter, *line, frame);
                            match self.exec_stmts(body, frame) {
                                Flow::Return(v) => return Flow::Return(v),
                                Flow::Break => break,
                                Flow::Normal => {}
                            }
                        }
                    }
                    _ => {
                        self.assign(target, Value::Unknown, iter, *line, frame);
                        let reason = format!("inside a loop over a run-time value `{iter}` ({}:{line})", frame.file);
                        self.exec_conditional(body, frame, reason);
                    }
                }
                self.exec_stmts(orelse, frame);
            }
            Stmt::While { test, body, orelse, line } => {
                let reason = format!("inside `while {test}` ({}:{line})", frame.file);
                self.exec_conditional(body, frame, reason.clone());
                self.exec_conditional(orelse, frame, reason);
            }
            Stmt::If { branches, line } => {
                if let [(Some(test), body)] = &branches[..] {
                    if self.call_stack.is_empty() && !frame.module.contains('.') && is_main_test(test) {
                        self.main_blocks.push((frame.clone(), body.clone()));
                    }
                }
                let mut uncertain: Vec<String> = Vec::new();
                let mut covered = false;
                // Once a branch runs under a condition: the names the branches assign, with
                // their values before the `if`; each such branch starts from those, and what it
                // leaves (unless it returns) is one of the values after the `if`.
                let mut before: Option<Vec<(SmallStr, Option<Value>)>> = None;
                let mut outcomes: Vec<Vec<Option<Value>>> = Vec::new();
                for (test, body) in branches {
                    let known = match test {
                        None => Some(true),
                        // `if app.config["REDIS_ENABLED"]:` on an app whose configuration is also
                        // loaded at run time (`from_pyfile`, `from_envvar`): the value seen may
                        // be overridden, so the branch is a condition, not a known path.
                        Some(t) if self.reads_overridable_config(t, frame) => None,
                        Some(t) => self.eval(t, frame).truth(),
                    };
                    // A branch that may be taken and raises does not go on past the `if`
                    // (cornflow's `else: raise ConfigurationError(...)`): when the code after it
                    // runs, another branch ran, so it covers the `if` without being a case.
                    let certain = known == Some(true) && uncertain.is_empty();
                    if !certain && known != Some(false) && matches!(body.last(), Some(Stmt::Raise { .. })) {
                        if known == Some(true) {
                            covered = true;
                            break;
                        }
                        continue;
                    }
                    match (known, uncertain.is_empty()) {
                        (Some(false), _) => continue,
                        (Some(true), true) => return self.exec_stmts(body, frame),
                        _ => {
                            let desc = match test {
                                Some(t) => format!("only when `{t}` ({}:{line})", frame.file),
                                None => format!("only in the `else` of the `if` at {}:{line}", frame.file),
                            };
                            uncertain.push(desc.clone());
                            let before = before.get_or_insert_with(|| {
                                let mut names = Vec::new();
                                branches.iter().for_each(|(_, b)| assigned_names(b, &mut names));
                                names.sort();
                                names.dedup();
                                names.into_iter().map(|n| (n.clone(), frame.scope.own(&n))).collect()
                            });
                            // A return under an unknown condition is a candidate, not the result,
                            // and what follows the `if` runs only when it is not taken.
                            let returned = self.exec_conditional(body, frame, desc).is_some();
                            if !returned {
                                outcomes.push(before.iter().map(|(n, _)| frame.scope.own(n)).collect());
                            }
                            for (n, v) in before.iter() {
                                frame.scope.restore(n, v.clone());
                            }
                            if returned {
                                self.return_guard = Some(match test {
                                    Some(t) => {
                                        format!(
                                            "only when `{t}` is false (otherwise the `if` at {}:{line} returns)",
                                            frame.file
                                        )
                                    }
                                    None => format!("only when the `if` at {}:{line} does not return", frame.file),
                                });
                            }
                            if known == Some(true) || test.is_none() {
                                covered = true;
                            }
                            if known == Some(true) {
                                break;
                            }
                        }
                    }
                }
                if let Some(before) = before {
                    for (i, (name, old)) in before.into_iter().enumerate() {
                        let kept = if covered { None } else { old };
                        let alternatives: Vec<Value> =
                            kept.into_iter().chain(outcomes.iter().filter_map(|o| o[i].clone())).collect();
                        if !alternatives.is_empty() {
                            frame.scope.set(&name, Value::one_of(alternatives));
                        }
                    }
                }
                if covered && uncertain.len() > 1 && self.cond.is_empty() {
                    self.complete_ifs.push(uncertain);
                }
            }
            Stmt::With { items, body, line } => {
                for (e, var) in items {
                    let v = self.eval(e, frame);
                    if let Some(var) = var {
                        let bound = match v {
                            Value::Obj(_) => v,
                            _ => Value::Unknown,
                        };
                        self.assign(var, bound, e, *line, frame);
                    }
                }
                return self.exec_stmts(body, frame);
            }
            Stmt::Try { body, orelse, finalbody, .. } => {
                // Handlers run only when the body fails, which we cannot know: they are not run.
                if let Flow::Return(v) = self.exec_stmts(body, frame) {
                    return Flow::Return(v);
                }
                self.exec_stmts(orelse, frame);
                return self.exec_stmts(finalbody, frame);
            }
            Stmt::Match { cases, line } => {
                for c in cases {
                    self.exec_conditional(c, frame, format!("inside a `match` case ({}:{line})", frame.file));
                }
            }
            Stmt::Global { names, .. } => {
                frame.scope.globals.borrow_mut().extend(names.iter().map(|n| n.to_string()));
            }
            Stmt::Raise { .. } => {
                if self.cond.is_empty() {
                    return Flow::Break;
                }
            }
        }
        Flow::Normal
    }

    fn assign(&mut self, target: &Expr, v: Value, value_expr: &Expr, line: u32, frame: &Frame) {
        match target {
            Expr::Name(n) => {
                if let Value::Obj(id) = v {
                    self.name_object(id, n, frame);
                }
                frame.scope.set(n, v)
            }
            Expr::Tuple(ts) | Expr::List(ts) => {
                let items = v.elements();
                for (i, t) in ts.iter().enumerate() {
                    let item = match (&items, t) {
                        (_, Expr::Starred(_)) => Value::Unknown,
                        (Some(items), _) if items.len() == ts.len() => items[i].clone(),
                        _ => Value::Unknown,
                    };
                    let t = if let Expr::Starred(inner) = t { inner.as_ref() } else { t };
                    self.assign(t, item, value_expr, line, frame);
                }
            }
            Expr::Attribute(a) => {
                let owner = self.eval(&a.value, frame);
                self.set_attr(&owner, &a.attr, v, value_expr, line, frame);
            }
            Expr::Subscript { value, index } => {
                let owner = self.eval(value, frame);
                let key = self.eval(index, frame);
                if let (Expr::Name(name), Value::Dict(items)) = (value.as_ref(), &owner) {
                    // `filters["crop_title"] = crop_title` on a dict in a variable, later passed to
                    // `app.jinja_env.filters.update(filters)`: the variable holds the new dict.
                    // Under a run-time condition the content is no longer known.
                    let updated = match (&key, self.cond.is_empty()) {
                        (Value::Str(_) | Value::Int(_), true) => {
                            let mut items = items.as_ref().clone();
                            match items.iter_mut().find(|(k, _)| compare(k, CmpOp::Eq, &key) == Some(true)) {
                                Some(slot) => slot.1 = v,
                                None => items.push((key, v)),
                            }
                            Value::Dict(Rc::new(items))
                        }
                        _ => Value::Unknown,
                    };
                    frame.scope.replace(name, updated);
                    return;
                }
                self.set_item(&owner, &key, v, value_expr, line, frame);
            }
            _ => {}
        }
    }

    fn set_attr(&mut self, owner: &Value, attr: &str, v: Value, value_expr: &Expr, line: u32, frame: &Frame) {
        match owner {
            Value::Obj(id) => {
                super::flask::set_attr(self, *id, attr, v, value_expr, Location { file: frame.file.clone(), line })
            }
            Value::Class(c) => {
                c.scope.vars.borrow_mut().insert(attr.into(), v);
            }
            Value::Module(m) => {
                if let Some(s) = self.loaded.get(&**m) {
                    s.vars.borrow_mut().insert(attr.into(), v);
                }
            }
            // `self.app = app` in a project class (an initializer holding the app): a Flask
            // object kept on the instance. Instances of a class are not told apart, so the
            // latest assignment of the attribute wins.
            Value::Instance(c) if matches!(v, Value::Obj(_)) => {
                self.instance_attrs.entry(Rc::as_ptr(c) as usize).or_default().set(attr, v);
            }
            Value::Function(f) if attr == "__name__" => {
                if let Some(name) = v.as_str() {
                    self.renamed.retain(|(g, _)| !Rc::ptr_eq(g, f));
                    self.renamed.push((f.clone(), SmallStr::from(name)));
                }
            }
            _ => {}
        }
    }

    /// The `__name__` the project gave `f`, if it set one.
    pub(crate) fn renamed(&self, f: &Rc<Func>) -> Option<&str> {
        self.renamed.iter().rev().find(|(g, _)| Rc::ptr_eq(g, f)).map(|(_, n)| n.as_str())
    }

    fn set_item(&mut self, owner: &Value, key: &Value, v: Value, value_expr: &Expr, line: u32, frame: &Frame) {
        if let Value::Obj(id) = owner {
            super::flask::set_item(self, *id, key, v, value_expr, Location { file: frame.file.clone(), line });
        }
    }

    fn name_object(&mut self, id: ObjId, name: &str, frame: &Frame) {
        let var = format!("{}.{}", frame.module, name);
        match &mut self.objs[id] {
            Obj::Blueprint(b) if b.variable.is_none() => b.variable = Some(var),
            Obj::Extension(e) if e.variable.is_none() => e.variable = Some(var),
            _ => {}
        }
    }

    // ---------------------------------------------------------------- expressions

    pub fn eval(&mut self, e: &Expr, frame: &Frame) -> Value {
        // An expression costs a step too: a statement can hold many.
        self.steps += 1;
        match e {
            Expr::Str(s) => Value::str(s),
            Expr::Int(i) => Value::Int(*i),
            Expr::Float(f) => Value::Float(*f),
            Expr::Bool(b) => Value::Bool(*b),
            Expr::NoneLit => Value::NoneV,
            Expr::Bytes | Expr::Ellipsis | Expr::Other(_) => Value::Unknown,
            Expr::Name(n) => frame.scope.lookup(n).unwrap_or_else(|| builtin(n)),
            Expr::Attribute(a) => {
                let before = self.objs.len();
                let v = self.eval(&a.value, frame);
                // `Flask("x").instance_path`: an app made right here for one attribute.
                if let (Expr::Call(c), Value::Obj(id)) = (&a.value, &v) {
                    if *id >= before {
                        if let Obj::App(app) = &mut self.objs[*id] {
                            if app.loc.line == c.line && app.loc.file == frame.file {
                                app.throwaway = true;
                            }
                        }
                    }
                }
                self.getattr(&v, &a.attr)
            }
            Expr::Call(call) => {
                let ast::CallExpr { func, args, keywords, line } = &**call;
                let mut argv = Vec::new();
                let mut flask_own = false;
                let f = match func {
                    // `super().method(...)` on a Flask object of a project class: the next class
                    // after the running method's that defines it, else Flask's.
                    Expr::Attribute(a) if is_super_call(&a.value) => {
                        let me = self.current_self(frame);
                        match self.super_method(&me, &a.attr) {
                            SuperMethod::Project(m) => {
                                argv.push(me);
                                Value::Function(m)
                            }
                            // In a classmethod, a library's method of the class (Flask-Classful's
                            // `FlaskView.register`) for the class the method runs for.
                            SuperMethod::Flask if matches!(me, Value::Class(_)) => {
                                Value::Method(Rc::new((me.clone(), a.attr.clone())))
                            }
                            SuperMethod::Flask => {
                                flask_own = true;
                                self.getattr(&me, &a.attr)
                            }
                            SuperMethod::Object => Value::Unknown,
                        }
                    }
                    // A method called on an instance of a project class gets the instance as `self`.
                    Expr::Attribute(a) => {
                        self.steps += 1;
                        let recv = self.eval(&a.value, frame);
                        if matches!(recv, Value::Unknown)
                            && REGISTERING_METHODS.contains(&a.attr.as_str())
                            && self.unknown_receivers.insert((frame.file.to_string(), a.value.to_string()))
                        {
                            // `api.add_resource(...)` on an `api` the analysis could not follow
                            // (`swagger.docs(Api(app))`): said, once a file and object, not dropped.
                            self.diags.push(
                                Diagnostic::new(
                                    Code::DynamicRoute,
                                    frame.file.clone(),
                                    *line,
                                    format!(
                                        "`{}.{}(...)` registers on an object that could not be followed (`{}`): what it registers there, and in the calls on it after this one in this file, is not in the inventory",
                                        a.value, a.attr, a.value
                                    ),
                                )
                                .with_help("check these registrations' routes by hand"),
                            );
                        }
                        let f = self.getattr(&recv, &a.attr);
                        match (&recv, &f) {
                            (Value::Instance(_), Value::Function(m)) if is_instance_method(m) => argv.push(recv),
                            // A classmethod gets the class as `cls`, called on it or on an instance.
                            (Value::Class(_), Value::Function(m)) if is_classmethod(m) => argv.push(recv),
                            (Value::Instance(k), Value::Function(m)) if is_classmethod(m) => {
                                argv.push(Value::Class(k.clone()))
                            }
                            _ => {}
                        }
                        f
                    }
                    // `super()` read as a value (not called on at once, which is the branch above)
                    // in a method of a Flask object's class: the object itself.
                    Expr::Name(n) if n.as_str() == "super" && args.is_empty() => {
                        return match self.current_self(frame) {
                            v @ Value::Obj(_) => v,
                            _ => Value::Unknown,
                        };
                    }
                    _ => self.eval(func, frame),
                };
                for a in args.iter() {
                    if let Expr::Starred(inner) = a {
                        match self.eval(inner, frame).elements() {
                            Some(items) => argv.extend(items),
                            None => argv.push(Value::Unknown),
                        }
                    } else {
                        argv.push(self.eval(a, frame));
                    }
                }
                let mut kw: Vec<(String, Value)> = Vec::new();
                for k in keywords {
                    let v = self.eval(&k.value, frame);
                    match &k.arg {
                        Some(name) => kw.push((name.to_string(), v)),
                        None => {
                            if let Value::Dict(d) = &v {
                                for (k, v) in d.iter() {
                                    if let Some(k) = k.as_str() {
                                        kw.push((k.to_string(), v.clone()));
                                    }
                                }
                            } else {
                                kw.push(("**".into(), Value::Unknown));
                            }
                        }
                    }
                }
                if let (Expr::Attribute(a), Value::Method(m)) = (func, &f) {
                    if let (Expr::Name(var), Value::List(_)) = (&a.value, &m.0) {
                        if let Some(updated) = list_update(&m.0, &m.1, &argv, &kw) {
                            // In place on a list in a variable (`BLUEPRINTS.append(bp)`), as for
                            // a dict below.
                            let updated = if self.cond.is_empty() { updated } else { Value::Unknown };
                            frame.scope.replace(var, updated);
                            return Value::NoneV;
                        }
                    }
                    // In place on a list held by an attribute of a Flask object of a project
                    // class (`self.submodules.append(module)` in a `Blueprint` subclass).
                    if let (Expr::Attribute(owner), Value::List(_)) = (&a.value, &m.0) {
                        if let Value::Obj(id) = self.eval(&owner.value, frame) {
                            if let Some(attrs) = self.obj_attrs.get_mut(&id).filter(|a| a.get(&owner.attr).is_some()) {
                                if let Some(updated) = list_update(&m.0, &m.1, &argv, &kw) {
                                    let updated = if self.cond.is_empty() { updated } else { Value::Unknown };
                                    attrs.set(&owner.attr, updated);
                                    return Value::NoneV;
                                }
                            }
                        }
                    }
                    if let (Expr::Name(var), Value::Dict(_)) = (&a.value, &m.0) {
                        if let Some((result, updated)) = dict_update(&m.0, &m.1, &argv, &kw) {
                            // In place on a dict in a variable (`kwargs.setdefault(...)`): the
                            // variable holds the new dict; under a run-time condition it is unknown.
                            let updated = if self.cond.is_empty() { updated } else { Value::Unknown };
                            frame.scope.replace(var, updated);
                            return result;
                        }
                    }
                }
                let call =
                    Call { args: argv, kwargs: kw, expr: e, file: frame.file.clone(), line: *line, partial_src: None };
                self.flask_own_method = flask_own;
                let v = self.call(&f, call, frame);
                self.flask_own_method = false;
                v
            }
            Expr::List(items) => Value::List(Rc::new(self.eval_seq(items, frame))),
            Expr::Tuple(items) => Value::Tuple(Rc::new(self.eval_seq(items, frame))),
            Expr::Set(items) => Value::List(Rc::new(self.eval_seq(items, frame))),
            Expr::Dict(items) => {
                let mut out = Vec::new();
                for (k, v) in items {
                    match k {
                        Some(k) => {
                            let k = self.eval(k, frame);
                            let v = self.eval(v, frame);
                            out.push((k, v));
                        }
                        None => match self.eval(v, frame) {
                            Value::Dict(d) => out.extend(d.iter().cloned()),
                            _ => return Value::Unknown,
                        },
                    }
                }
                Value::Dict(Rc::new(out))
            }
            Expr::FString(parts) => {
                let mut s = String::new();
                for p in parts {
                    match p {
                        FPart::Lit(l) => s.push_str(l),
                        FPart::Expr { value, spec } => {
                            if spec.is_some() {
                                return Value::Unknown;
                            }
                            match to_py_str(&self.eval(value, frame)) {
                                Some(v) => s.push_str(&v),
                                None => return Value::Unknown,
                            }
                        }
                    }
                }
                Value::str(&s)
            }
            Expr::BinOp { left, op, right } => {
                let l = self.eval(left, frame);
                let r = self.eval(right, frame);
                binop(&l, *op, &r)
            }
            Expr::BoolOp { op, values } => {
                let mut last = Value::Unknown;
                for (i, v) in values.iter().enumerate() {
                    last = self.eval(v, frame);
                    match (last.truth(), op) {
                        (None, _) if i + 1 == values.len() => return last,
                        (None, _) => {
                            // The rest runs only for some values of this one: what it registers
                            // (`self.ext = self.ext or Ext(app)`) is conditional. The result is
                            // unknown either way.
                            let word = if *op == ast::BoolOp::Or { "false" } else { "true" };
                            let at = match &values[i + 1] {
                                Expr::Call(c) => format!("{}:{}", frame.file, c.line),
                                _ => frame.file.to_string(),
                            };
                            self.cond.push(format!("only when `{v}` is {word} ({at})"));
                            for rest in &values[i + 1..] {
                                self.eval(rest, frame);
                            }
                            self.cond.pop();
                            return Value::Unknown;
                        }
                        (Some(true), ast::BoolOp::Or) | (Some(false), ast::BoolOp::And) => return last,
                        _ => {}
                    }
                }
                last
            }
            Expr::Not(v) => match self.eval(v, frame).truth() {
                Some(b) => Value::Bool(!b),
                None => Value::Unknown,
            },
            Expr::Neg(v) => match self.eval(v, frame) {
                Value::Int(i) => Value::Int(-i),
                Value::Float(f) => Value::Float(-f),
                _ => Value::Unknown,
            },
            Expr::IfExp { test, body, orelse } => match self.eval(test, frame).truth() {
                Some(true) => self.eval(body, frame),
                Some(false) => self.eval(orelse, frame),
                None => Value::Unknown,
            },
            Expr::Compare(c) => {
                let ast::CompareExpr { left, ops, comparators } = &**c;
                let mut l = self.eval(left, frame);
                for (op, c) in ops.iter().zip(comparators) {
                    let r = self.eval(c, frame);
                    match compare(&l, *op, &r) {
                        Some(true) => l = r,
                        Some(false) => return Value::Bool(false),
                        None => return Value::Unknown,
                    }
                }
                Value::Bool(true)
            }
            Expr::Subscript { value, index } => {
                let v = self.eval(value, frame);
                let k = self.eval(index, frame);
                self.getitem(&v, &k)
            }
            Expr::Starred(_) => Value::Unknown,
            Expr::Comp(c) => self.eval_comprehension(c, frame),
        }
    }

    fn eval_seq(&mut self, items: &[Expr], frame: &Frame) -> Vec<Value> {
        let mut out = Vec::new();
        for i in items {
            if let Expr::Starred(inner) = i {
                match self.eval(inner, frame).elements() {
                    Some(items) => out.extend(items),
                    None => out.push(Value::Unknown),
                }
            } else {
                out.push(self.eval(i, frame));
            }
        }
        out
    }

    pub fn getattr(&mut self, v: &Value, attr: &str) -> Value {
        match v {
            Value::Module(m) => {
                let m = m.to_string();
                if let Some(scope) = self.load_module(&m) {
                    if let Some(v) = scope.vars.borrow().get(attr) {
                        return v.clone();
                    }
                }
                let sub = format!("{m}.{attr}");
                if self.modules.contains_key(&sub) {
                    self.load_module(&sub);
                    return Value::Module(Rc::from(sub.as_str()));
                }
                Value::Unknown
            }
            Value::External(p) => {
                let path = format!("{p}.{attr}");
                super::values::stdlib_constant(&path).unwrap_or_else(|| super::values::external(&path))
            }
            Value::Class(c) if attr == "__name__" => Value::str(&c.def.name),
            Value::Class(c) => match class_attr(c, attr) {
                Some(v) => v,
                // A model's table (`Vulnerability.__table__.c.severity` in an `Index`).
                None if attr == "__table__" => super::sqla::model_table(c),
                None => Value::Method(Rc::new((v.clone(), attr.into()))),
            },
            Value::Instance(c) => class_attr(c, attr)
                .or_else(|| self.instance_attrs.get(&(Rc::as_ptr(c) as usize))?.get(attr).cloned())
                .unwrap_or(Value::Unknown),
            Value::Sqla(s) => super::sqla::get_attr(s, attr),
            Value::Obj(id) => super::flask::get_attr(self, *id, attr),
            // `Path(__file__).parent`: a `Path` of the project's files is its absolute string.
            Value::Str(s) if attr == "parent" && s.starts_with('/') => Value::str(super::flask::path_dirname(s)),
            Value::Str(_) | Value::Dict(_) | Value::List(_) | Value::Tuple(_) => {
                Value::Method(Rc::new((v.clone(), attr.into())))
            }
            Value::Function(f) => match attr {
                "__name__" => Value::str(&f.def.name),
                _ => Value::Unknown,
            },
            _ => Value::Unknown,
        }
    }

    fn getitem(&mut self, v: &Value, k: &Value) -> Value {
        match (v, k) {
            // `Annotated[int, ...]`, `dict[str, Any]`: kept as a type expression (see `sqla::subscript`).
            (Value::External(p), _) => super::sqla::subscript(p, k),
            (Value::Dict(d), _) => {
                let key = k.as_str();
                match key {
                    Some(key) => v.dict_get(key).unwrap_or(Value::Unknown),
                    None => match k {
                        Value::Int(i) => d
                            .iter()
                            .find(|(kk, _)| matches!(kk, Value::Int(j) if j == i))
                            .map(|p| p.1.clone())
                            .unwrap_or(Value::Unknown),
                        _ => Value::Unknown,
                    },
                }
            }
            (Value::List(l) | Value::Tuple(l), Value::Int(i)) => {
                let idx = if *i < 0 { l.len() as i64 + i } else { *i };
                l.get(idx as usize).cloned().unwrap_or(Value::Unknown)
            }
            (Value::Obj(id), _) => super::flask::get_item(self, *id, k),
            _ => Value::Unknown,
        }
    }

    // ---------------------------------------------------------------- calls

    pub fn call(&mut self, f: &Value, call: Call<'_>, frame: &Frame) -> Value {
        match f {
            Value::Function(func) => self.call_function(func, &call.args, &call.kwargs),
            Value::Class(c) => super::flask::instantiate(self, c, call, frame),
            Value::External(p) => {
                let p = p.clone();
                super::flask::call_external(self, &p, call, frame)
            }
            Value::Method(method) => {
                let method = method.clone();
                let (recv, name) = (&method.0, method.1.as_str());
                if name == "reflect" {
                    let fsa = matches!(recv, Value::Obj(id) if matches!(&self.objs[*id],
                        Obj::Extension(e) if super::sqla::is_flask_sqlalchemy(self.tables.used_as(&e.class))));
                    super::sqla::reflect_call(self, recv, fsa, &call);
                }
                match recv {
                    Value::Str(s) => str_method(s, name, &call.args),
                    Value::Dict(_) => dict_method(recv, name, &call.args),
                    Value::Obj(id) => super::flask::call_method(self, *id, name, call, frame),
                    Value::Class(c) => super::flask::call_class_method(self, c, name, call, frame),
                    Value::Sqla(s) => super::sqla::call_method(self, &s.clone(), name, call),
                    _ => Value::Unknown,
                }
            }
            Value::Partial(p) => {
                let merged = Call {
                    args: p.args.iter().chain(call.args.iter()).cloned().collect(),
                    kwargs: p.kwargs.iter().chain(call.kwargs.iter()).cloned().collect(),
                    expr: call.expr,
                    file: call.file.clone(),
                    line: call.line,
                    partial_src: Some(p.kwarg_src.clone()),
                };
                self.call(&p.func, merged, frame)
            }
            Value::Decorator(d) => match call.args.first() {
                Some(target) => {
                    let d = d.clone();
                    self.apply_deco(&d, target.clone(), call.expr, frame)
                }
                None => Value::Unknown,
            },
            // `decorator(view)` where the decorator is unknown (`jwt_required()`'s result, taken
            // from a list of decorators): read as applying it, as for a library's decorator.
            Value::Unknown => {
                super::plugins::call_hook(self, &call).unwrap_or_else(|| super::flask::wrapped_view(self, &call))
            }
            _ => super::plugins::call_hook(self, &call).unwrap_or(Value::Unknown),
        }
    }

    /// The method `attr` that `super()` finds from the running method, for a Flask object of a
    /// project class, or for the class a classmethod runs for: defined by a class after the
    /// running method's own in the MRO.
    fn super_method(&self, me: &Value, attr: &str) -> SuperMethod {
        let class = match me {
            Value::Obj(id) => self.obj_classes.get(id),
            Value::Class(k) => Some(k),
            _ => None,
        };
        let (Some(running), Some(class)) = (self.call_stack.last(), class) else {
            return SuperMethod::Flask;
        };
        let order = mro(class);
        let defines = |k: &Rc<Class>, name: &str| match k.attrs().get(name) {
            Some(Value::Function(f)) => Some(f.clone()),
            _ => None,
        };
        let Some(at) =
            order.iter().position(|k| defines(k, &running.def.name).is_some_and(|f| Arc::ptr_eq(&f.def, &running.def)))
        else {
            return SuperMethod::Flask;
        };
        let external_base = |k: &Rc<Class>| k.bases.iter().any(|b| !matches!(b, Value::Class(_)));
        // A class of Flask's among the running class's bases comes next in Python's MRO (the
        // project classes listed here leave it out): Flask's method.
        if external_base(&order[at]) {
            return SuperMethod::Flask;
        }
        if let Some(f) = order[at + 1..].iter().find_map(|k| defines(k, attr)) {
            return SuperMethod::Project(f);
        }
        // A mixin of the project's own (`class PGChildModule:`) comes after Flask's classes in
        // the MRO: its `super()` reaches `object`.
        if mro(&order[at]).iter().any(external_base) {
            SuperMethod::Flask
        } else {
            SuperMethod::Object
        }
    }

    /// The first parameter of the function running (`self` in a method), as the frame sees it.
    fn current_self(&self, frame: &Frame) -> Value {
        let Some(f) = self.call_stack.last() else { return Value::Unknown };
        let Some(p) = f.def.params.first() else { return Value::Unknown };
        frame.scope.lookup(&p.name).unwrap_or(Value::Unknown)
    }

    /// Call a project function with bound arguments, following it like the interpreter would.
    pub fn call_function(&mut self, func: &Rc<Func>, args: &[Value], kwargs: &[(String, Value)]) -> Value {
        // A function already running is not run again (recursion is not followed), unless it is
        // a method of a Flask object's class called on another object: a blueprint's `register`
        // that registers its sub-blueprints, whose `register` is the same method.
        let receiver = match args.first() {
            Some(Value::Obj(id)) if self.obj_classes.contains_key(id) => Some(*id),
            _ => None,
        };
        if self.call_stack.len() >= MAX_CALL_DEPTH
            || self.call_stack.iter().rev().zip(self.call_receivers.iter().rev()).any(|(f, r)| {
                (Rc::ptr_eq(f, func) || Arc::ptr_eq(&f.def, &func.def)) && (receiver.is_none() || *r == receiver)
            })
        {
            return Value::Unknown;
        }
        let scope = self.new_scope(Some(func.scope.clone()));
        let def_frame = Frame {
            scope: func.scope.clone(),
            module: func.module.clone(),
            file: func.file.clone(),
            qual: String::new(),
            is_package: false,
        };
        let mut positional = args.iter();
        let mut used_kw: HashSet<&str> = HashSet::new();
        for p in &func.def.params {
            let v = match p.kind {
                ast::ParamKind::Positional => match positional.next() {
                    Some(v) => v.clone(),
                    None => match kwargs.iter().find(|(k, _)| k == p.name) {
                        Some((k, v)) => {
                            used_kw.insert(k);
                            v.clone()
                        }
                        None => self.param_default(p, &def_frame),
                    },
                },
                ast::ParamKind::KeywordOnly => match kwargs.iter().find(|(k, _)| k == p.name) {
                    Some((k, v)) => {
                        used_kw.insert(k);
                        v.clone()
                    }
                    None => self.param_default(p, &def_frame),
                },
                ast::ParamKind::VarArgs => Value::Tuple(Rc::new(positional.by_ref().cloned().collect())),
                ast::ParamKind::VarKeywords => {
                    if kwargs.iter().any(|(k, _)| k == "**") {
                        Value::Unknown
                    } else {
                        Value::Dict(Rc::new(
                            kwargs
                                .iter()
                                .filter(|(k, _)| {
                                    !used_kw.contains(k.as_str()) && !func.def.params.iter().any(|p| p.name == k)
                                })
                                .map(|(k, v)| (Value::str(k), v.clone()))
                                .collect(),
                        ))
                    }
                }
            };
            scope.set(&p.name, v);
        }
        let frame = Frame {
            scope,
            module: func.module.clone(),
            file: func.file.clone(),
            qual: format!("{}.<locals>.", func.qualname),
            is_package: self.modules.get(func.module.as_ref()).is_some_and(|m| m.is_package),
        };
        let first_obj = self.objs.len();
        self.called.insert(Arc::as_ptr(&func.def) as usize);
        self.call_stack.push(func.clone());
        self.call_receivers.push(receiver);
        let elided_body = func.def.elided.as_ref().map(|e| self.elided_body(&func.def, e));
        let body: &[Stmt] = match &elided_body {
            Some(b) => b,
            None => &func.def.body,
        };
        self.returns.push(Vec::new());
        let flow = self.exec_stmts(body, &frame);
        let mut candidates = self.returns.pop().unwrap_or_default();
        let ret = match flow {
            Flow::Return(v) => Some(v),
            // Ended by a `raise`: only the returns it may have run return.
            Flow::Break if !candidates.is_empty() => candidates.pop(),
            _ => None,
        };
        let value = Value::one_of(candidates.into_iter().chain([ret.clone().unwrap_or(Value::NoneV)]).collect());
        self.call_stack.pop();
        self.call_receivers.pop();
        if self.call_stack.is_empty() {
            let returned = |id: usize| match &ret {
                Some(Value::Obj(o)) => *o == id,
                Some(v @ (Value::Tuple(_) | Value::List(_))) => {
                    v.elements().unwrap_or_default().iter().any(|x| matches!(x, Value::Obj(o) if *o == id))
                }
                _ => false,
            };
            let path = func.path();
            for (i, o) in self.objs[first_obj..].iter_mut().enumerate() {
                if let super::values::Obj::App(a) = o {
                    a.at_return = Some((a.rules.len(), a.blueprints.len()));
                    // A function that calls a factory and returns something else (a Celery app
                    // made from it) is not the app's factory: the factory it called is.
                    if a.factory.as_deref() == Some(path.as_str())
                        && !a.inner_factories.is_empty()
                        && !returned(first_obj + i)
                    {
                        a.factory = Some(a.inner_factories.remove(0));
                    }
                }
            }
        }
        value
    }

    /// The body of a function whose body was left out of the tree, lowered again from its
    /// text the first time it is called (on a thread with a large stack, as files are parsed).
    fn elided_body(&mut self, def: &Arc<ast::FunctionDef>, e: &ast::ElidedBody) -> Rc<Vec<Stmt>> {
        let key = Arc::as_ptr(def) as usize;
        if let Some((_, body)) = self.elided_bodies.get(&key) {
            return body.clone();
        }
        let text = self.module_text(&e.source, def.line);
        let body = def
            .text_range
            .zip(text)
            .and_then(|(range, text)| crate::parse::python::lower_function_body(&text, range, def.start_line))
            .unwrap_or_default();
        let body = Rc::new(body);
        self.elided_bodies.insert(key, (def.clone(), body.clone()));
        body
    }

    /// The text of the module an elided body is in: kept, or read again from its file (one
    /// diagnostic per file that cannot be).
    fn module_text(&mut self, source: &Arc<ast::ModuleText>, line: u32) -> Option<Arc<str>> {
        let (path, rel, len, hash) = match &**source {
            ast::ModuleText::Kept(text) => return Some(text.clone()),
            ast::ModuleText::File { path, rel, len, hash } => (path, rel, *len, *hash),
        };
        if let Some(i) = self.module_texts.iter().position(|(s, _)| Arc::ptr_eq(s, source)) {
            let recent = self.module_texts.remove(i);
            let text = recent.1.clone();
            self.module_texts.push(recent);
            return Some(text);
        }
        if self.unreadable_texts.iter().any(|s| Arc::ptr_eq(s, source)) {
            return None;
        }
        let text = std::fs::read(path)
            .ok()
            .and_then(|bytes| crate::parse::source::decode_python(&bytes).ok())
            .filter(|t| t.len() == len && ast::ModuleText::hash_of(t) == hash)
            .map(Arc::<str>::from);
        if text.is_none() {
            self.diags.push(
                Diagnostic::new(
                    Code::UnreadableFile,
                    rel.clone(),
                    line,
                    "the file changed or could not be read again during the analysis: calls into its functions are not followed",
                )
                .with_help("run the analysis again when the files are not being changed"),
            );
        }
        match &text {
            Some(t) => {
                if self.module_texts.len() == MODULE_TEXTS_KEPT {
                    self.module_texts.remove(0);
                }
                self.module_texts.push((source.clone(), t.clone()));
            }
            None => self.unreadable_texts.push(source.clone()),
        }
        text
    }

    fn param_default(&mut self, p: &ast::Param, frame: &Frame) -> Value {
        match &p.default {
            Some(d) => self.eval(d, frame),
            None => Value::Unknown,
        }
    }

    fn apply_decorator(&mut self, dv: &Value, target: Value, expr: &Expr, frame: &Frame) -> Value {
        match dv {
            Value::Decorator(d) => {
                let d = d.clone();
                self.apply_deco(&d, target, expr, frame)
            }
            Value::Method(method) => {
                // A bare decorator such as `@app.before_request` or `@bp.context_processor`.
                let method = method.clone();
                let (recv, name) = (&method.0, method.1.as_str());
                let call = Call {
                    args: vec![target.clone()],
                    kwargs: vec![],
                    expr,
                    file: frame.file.clone(),
                    line: expr_line(expr, &target),
                    partial_src: None,
                };
                match recv {
                    Value::Obj(id) => {
                        let r = super::flask::call_method(self, *id, name, call, frame);
                        match r {
                            Value::Decorator(d) => self.apply_deco(&d, target, expr, frame),
                            Value::Unknown | Value::NoneV => target,
                            other => other,
                        }
                    }
                    _ => target,
                }
            }
            Value::External(p) => super::flask::apply_external_decorator(self, p, target, expr, frame),
            Value::Sqla(s) => {
                let s = s.clone();
                super::sqla::apply_decorator(self, &s, target)
            }
            // A project decorator is called for what it registers (a helper that calls
            // `bp.add_url_rule(rule, f.__name__, f)`); the function is assumed kept, as with
            // `functools.wraps`, whatever the call returns.
            Value::Function(f) => {
                let f = f.clone();
                let made = self.call_function(&f, std::slice::from_ref(&target), &[]);
                // A wrapper it renamed (beets' `resource("items")` names its responder
                // `get_items`) gives the view Flask registers its name.
                if let (Value::Function(w), Value::Function(t)) = (&made, &target) {
                    if let Some(name) = self.renamed(w).filter(|_| !Rc::ptr_eq(w, t)) {
                        let name = SmallStr::from(name);
                        self.renamed.push((t.clone(), name));
                    }
                }
                target
            }
            _ => target,
        }
    }

    fn apply_deco(&mut self, d: &Rc<Deco>, target: Value, expr: &Expr, frame: &Frame) -> Value {
        super::flask::apply_deco(self, d, target, expr, frame)
    }
}

/// The arguments of a call being evaluated.
#[derive(Clone)]
pub struct Call<'e> {
    pub args: Vec<Value>,
    pub kwargs: Vec<(String, Value)>,
    pub expr: &'e Expr,
    /// Where the call is: its location is built only when a record needs it, not for every
    /// call evaluated.
    pub file: Arc<str>,
    pub line: u32,
    /// A call through `functools.partial`: the source text of the partial's keyword arguments,
    /// which the call's expression does not show.
    pub partial_src: Option<Rc<[(String, String)]>>,
}

impl Call<'_> {
    pub fn loc(&self) -> Location {
        Location { file: self.file.clone(), line: self.line }
    }
    /// Argument by position or keyword.
    pub fn arg(&self, pos: usize, name: &str) -> Option<&Value> {
        self.kwarg(name).or_else(|| self.args.get(pos))
    }
    pub fn kwarg(&self, name: &str) -> Option<&Value> {
        self.kwargs.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v)
    }
    pub fn has_unknown_kwargs(&self) -> bool {
        self.kwargs.iter().any(|(k, _)| k == "**")
    }
    /// Source text of positional argument `pos`, or of keyword `name`.
    pub fn arg_text(&self, pos: usize, name: &str) -> Option<String> {
        if let Expr::Call(c) = self.expr {
            let ast::CallExpr { args, keywords, .. } = &**c;
            if let Some(k) = keywords.iter().find(|k| k.arg.as_deref() == Some(name)) {
                return Some(k.value.to_string());
            }
            if let Some((_, text)) = self.partial_src.iter().flat_map(|p| p.iter()).find(|(k, _)| k == name) {
                return Some(text.clone());
            }
            return args.get(pos).map(|a| a.to_string());
        }
        None
    }
}

fn expr_line(expr: &Expr, target: &Value) -> u32 {
    if let Expr::Call(c) = expr {
        return c.line;
    }
    match target {
        Value::Function(f) => f.def.line,
        Value::Class(c) => c.def.line,
        _ => 0,
    }
}

fn stmt_line(s: &Stmt) -> u32 {
    match s {
        Stmt::Import { line, .. }
        | Stmt::ImportFrom { line, .. }
        | Stmt::Assign { line, .. }
        | Stmt::Annotated { line, .. }
        | Stmt::AugAssign { line, .. }
        | Stmt::Expr { line, .. }
        | Stmt::Return { line, .. }
        | Stmt::For { line, .. }
        | Stmt::While { line, .. }
        | Stmt::If { line, .. }
        | Stmt::With { line, .. }
        | Stmt::Try { line, .. }
        | Stmt::Match { line, .. }
        | Stmt::Global { line, .. }
        | Stmt::Delete { line }
        | Stmt::Raise { line } => *line,
        Stmt::FunctionDef(f) => f.line,
        Stmt::ClassDef(c) => c.line,
        Stmt::Pass => 0,
    }
}

/// Methods that add routes or blueprints to what they are called on, whatever its class.
const REGISTERING_METHODS: &[&str] = &["add_url_rule", "add_resource", "register_blueprint", "add_namespace", "route"];

/// A library whose objects the analysis knows by import path: Flask and its extensions,
/// Werkzeug, Jinja2 and SQLAlchemy.
fn is_read_library(top: &str) -> bool {
    matches!(top, "flask" | "werkzeug" | "jinja2" | "sqlalchemy" | "flaskext" | "blinker" | "click")
        || top.starts_with("flask_")
        || top.starts_with("sqlalchemy_")
}

/// `qual` + `name` (`qual` ends with a dot, or is empty at module level).
fn qualified(qual: &str, name: &ast::SmallStr) -> ast::SmallStr {
    if qual.is_empty() {
        name.clone()
    } else {
        compact_str::format_compact!("{qual}{name}")
    }
}

/// Attributes the project's code set on an object (`self.app = app`), one value per name.
#[derive(Debug, Default)]
pub(crate) struct Attrs(Vec<(ast::SmallStr, Value)>);

impl Attrs {
    pub(crate) fn get(&self, name: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    pub(crate) fn set(&mut self, name: &str, v: Value) {
        match self.0.iter_mut().find(|(k, _)| k == name) {
            Some((_, old)) => *old = v,
            None => self.0.push((name.into(), v)),
        }
    }
}

/// What `super().<method>` names, from a method of a project class of a Flask object.
enum SuperMethod {
    /// A later project class's method.
    Project(Rc<Func>),
    /// Flask's (the object's own methods).
    Flask,
    /// `object`'s: nothing to follow.
    Object,
}

/// `super()`.
fn is_super_call(e: &Expr) -> bool {
    matches!(e, Expr::Call(c) if c.args.is_empty() && c.keywords.is_empty() && matches!(&c.func, Expr::Name(n) if n.as_str() == "super"))
}

/// Whether `f` is decorated `@name` (`@property`, `@classmethod`).
pub fn decorated(f: &Func, name: &str) -> bool {
    f.def.decorators.iter().any(|d| matches!(d, Expr::Name(n) if n.as_str() == name))
}

/// A `@classmethod`: Python passes it the class, called on the class or an instance.
pub fn is_classmethod(f: &Func) -> bool {
    decorated(f, "classmethod")
}

/// A function that, read from an instance, Python binds to it: not a static method, class
/// method or property.
pub fn is_instance_method(f: &Func) -> bool {
    !["staticmethod", "classmethod", "property"].iter().any(|d| decorated(f, d))
}

/// Attribute lookup through a project class and its project bases (depth-first, like a simple MRO).
pub fn class_attr(c: &Rc<Class>, attr: &str) -> Option<Value> {
    if let Some(v) = c.attrs().get(attr) {
        return Some(v.clone());
    }
    for b in &c.bases {
        if let Value::Class(bc) = b {
            if let Some(v) = class_attr(bc, attr) {
                return Some(v);
            }
        }
    }
    None
}

/// External bases of a class, transitively (`flask.views.MethodView`, ...).
pub fn external_bases(c: &Rc<Class>, out: &mut Vec<String>) {
    for b in &c.bases {
        match b {
            Value::External(p) => out.push(p.to_string()),
            Value::Class(bc) => external_bases(bc, out),
            _ => {}
        }
        if let Some(bc) = declarative_cls(b) {
            external_bases(&bc, out);
        }
    }
}

/// The class a declarative base is made on (`Base = declarative_base(cls=_Base)`): the base,
/// and so every model on it, inherits from it (blazar's `_Base` on oslo.db's `TimestampMixin`).
pub fn declarative_cls(base: &Value) -> Option<Rc<Class>> {
    match base {
        Value::Sqla(s) if s.name == "declarative_base" => match s.kwarg("cls") {
            Some(Value::Class(c)) => Some(c.clone()),
            _ => None,
        },
        _ => None,
    }
}

fn builtin(name: &str) -> Value {
    match name {
        "True" => Value::Bool(true),
        "False" => Value::Bool(false),
        "None" => Value::NoneV,
        _ => Value::External(Rc::from(format!("builtins.{name}").as_str())),
    }
}

/// `str(v)` for values whose string form is certain.
pub fn to_py_str(v: &Value) -> Option<String> {
    Some(match v {
        Value::Str(s) => s.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Bool(b) => if *b { "True" } else { "False" }.to_string(),
        Value::NoneV => "None".to_string(),
        _ => return None,
    })
}

fn binop(l: &Value, op: BinOp, r: &Value) -> Value {
    match (l, op, r) {
        // `Path(__file__).parent / "templates"`: a path of the project's files (an absolute
        // string here) joined with a relative one.
        (Value::Str(a), BinOp::Div, Value::Str(b)) if a.starts_with('/') => {
            Value::str(&super::flask::path_join([&**a, &**b]))
        }
        (Value::Str(a), BinOp::Add, Value::Str(b)) => Value::str(&format!("{a}{b}")),
        (Value::Int(a), BinOp::Add, Value::Int(b)) => a.checked_add(*b).map(Value::Int).unwrap_or(Value::Unknown),
        (Value::List(a), BinOp::Add, Value::List(b)) => {
            Value::List(Rc::new(a.iter().chain(b.iter()).cloned().collect()))
        }
        (Value::Tuple(a), BinOp::Add, Value::Tuple(b)) => {
            Value::Tuple(Rc::new(a.iter().chain(b.iter()).cloned().collect()))
        }
        (Value::Int(a), BinOp::Sub, Value::Int(b)) => a.checked_sub(*b).map(Value::Int).unwrap_or(Value::Unknown),
        // Sets are lists here: `ALL - {Kind.a}`, `a | b`.
        (Value::List(a), BinOp::Sub, Value::List(b)) => {
            without(a, b).map(|d| Value::List(Rc::new(d))).unwrap_or(Value::Unknown)
        }
        (Value::List(a), BinOp::BitOr, Value::List(b)) => match without(b, a) {
            Some(more) => Value::List(Rc::new(a.iter().cloned().chain(more).collect())),
            None => Value::Unknown,
        },
        (Value::Int(a), BinOp::Mult, Value::Int(b)) => a.checked_mul(*b).map(Value::Int).unwrap_or(Value::Unknown),
        (Value::Str(s), BinOp::Mod, args) => percent_format(s, args).map(|s| Value::str(&s)).unwrap_or(Value::Unknown),
        _ => Value::Unknown,
    }
}

/// The items of `items` that `other` does not hold, in order; None when an equality is unknown.
fn without(items: &[Value], other: &[Value]) -> Option<Vec<Value>> {
    let mut out = Vec::new();
    for x in items {
        let mut found = false;
        for y in other {
            found |= compare(x, CmpOp::Eq, y)?;
        }
        if !found {
            out.push(x.clone());
        }
    }
    Some(out)
}

/// `'%s/%d' % args` for `%s`, `%d`, `%i` and `%%`.
fn percent_format(fmt: &str, args: &Value) -> Option<String> {
    let items = match args {
        Value::Tuple(t) => t.as_ref().clone(),
        other => vec![other.clone()],
    };
    let mut it = items.iter();
    let mut out = String::new();
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '%' => out.push('%'),
            's' => out.push_str(&to_py_str(it.next()?)?),
            'd' | 'i' => match it.next()? {
                Value::Int(i) => out.push_str(&i.to_string()),
                _ => return None,
            },
            _ => return None,
        }
    }
    if it.next().is_some() {
        return None;
    }
    Some(out)
}

fn is_known_not_none(v: &Value) -> bool {
    matches!(
        v,
        Value::Str(_)
            | Value::Int(_)
            | Value::Float(_)
            | Value::Bool(_)
            | Value::Obj(_)
            | Value::Function(_)
            | Value::Class(_)
            | Value::Instance(_)
            | Value::Module(_)
            | Value::Sqla(_)
            | Value::List(_)
            | Value::Tuple(_)
            | Value::Dict(_)
    )
}

/// The names a block binds by assignment (`x = ...`, `x: T = ...`, `x += ...`, targets of
/// tuples), in nested `if`, `for`, `while`, `with` and `try` blocks too, not in definitions.
fn assigned_names(body: &[Stmt], out: &mut Vec<SmallStr>) {
    fn targets(e: &Expr, out: &mut Vec<SmallStr>) {
        match e {
            Expr::Name(n) => out.push(n.clone()),
            Expr::Tuple(items) | Expr::List(items) => items.iter().for_each(|i| targets(i, out)),
            Expr::Starred(inner) => targets(inner, out),
            _ => {}
        }
    }
    for s in body {
        match s {
            Stmt::Assign { targets: ts, .. } => ts.iter().for_each(|t| targets(t, out)),
            Stmt::AugAssign { target, .. } => targets(target, out),
            Stmt::If { branches, .. } => branches.iter().for_each(|(_, b)| assigned_names(b, out)),
            Stmt::For { body, orelse, .. } | Stmt::While { body, orelse, .. } => {
                assigned_names(body, out);
                assigned_names(orelse, out);
            }
            Stmt::With { body, .. } => assigned_names(body, out),
            Stmt::Try { body, handlers, orelse, finalbody, .. } => {
                assigned_names(body, out);
                handlers.iter().for_each(|h| assigned_names(h, out));
                assigned_names(orelse, out);
                assigned_names(finalbody, out);
            }
            _ => {}
        }
    }
}

fn compare(l: &Value, op: CmpOp, r: &Value) -> Option<bool> {
    let eq = match (l, r) {
        (Value::Str(a), Value::Str(b)) => Some(a == b),
        (Value::Int(a), Value::Int(b)) => Some(a == b),
        (Value::Bool(a), Value::Bool(b)) => Some(a == b),
        (Value::NoneV, Value::NoneV) => Some(true),
        // Anything known is not None (`storage is not None` on an instance of a project class).
        (Value::NoneV, v) | (v, Value::NoneV) if is_known_not_none(v) => Some(false),
        (Value::Obj(a), Value::Obj(b)) => Some(a == b),
        _ => None,
    };
    match op {
        CmpOp::Eq | CmpOp::Is => eq,
        CmpOp::NotEq | CmpOp::IsNot => eq.map(|b| !b),
        CmpOp::In | CmpOp::NotIn => {
            let found = match (l, r) {
                (Value::Str(a), Value::Str(b)) => Some(b.contains(&**a)),
                (_, Value::List(_) | Value::Tuple(_) | Value::Dict(_)) => {
                    let items = r.elements()?;
                    let mut any_unknown = false;
                    let mut found = false;
                    for i in &items {
                        match compare(l, CmpOp::Eq, i) {
                            Some(true) => found = true,
                            None => any_unknown = true,
                            _ => {}
                        }
                    }
                    if found {
                        Some(true)
                    } else if any_unknown {
                        None
                    } else {
                        Some(false)
                    }
                }
                _ => None,
            };
            if op == CmpOp::In {
                found
            } else {
                found.map(|b| !b)
            }
        }
        CmpOp::Lt | CmpOp::LtE | CmpOp::Gt | CmpOp::GtE => {
            let ord = match (l, r) {
                (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
                (Value::Int(x), Value::Float(y)) => (*x as f64).partial_cmp(y),
                (Value::Float(x), Value::Int(y)) => x.partial_cmp(&(*y as f64)),
                (Value::Float(x), Value::Float(y)) => x.partial_cmp(y),
                (Value::Str(x), Value::Str(y)) => Some(x.cmp(y)),
                _ => None,
            }?;
            Some(match op {
                CmpOp::Lt => ord.is_lt(),
                CmpOp::LtE => ord.is_le(),
                CmpOp::Gt => ord.is_gt(),
                _ => ord.is_ge(),
            })
        }
    }
}

fn str_method(s: &str, name: &str, args: &[Value]) -> Value {
    let arg_str = |i: usize| args.get(i).and_then(|a| a.as_str());
    match name {
        // `Path.resolve()`/`absolute()` of a project path (already absolute here).
        "resolve" | "absolute" if s.starts_with('/') => Value::str(s),
        "lower" => Value::str(&s.to_lowercase()),
        "upper" => Value::str(&s.to_uppercase()),
        "strip" | "lstrip" | "rstrip" => {
            let chars: Vec<char> = match args.first() {
                None | Some(Value::NoneV) => vec![' ', '\t', '\n', '\r'],
                Some(Value::Str(c)) => c.chars().collect(),
                _ => return Value::Unknown,
            };
            let out = match name {
                "strip" => s.trim_matches(|c| chars.contains(&c)),
                "lstrip" => s.trim_start_matches(|c| chars.contains(&c)),
                _ => s.trim_end_matches(|c| chars.contains(&c)),
            };
            Value::str(out)
        }
        "replace" => match (arg_str(0), arg_str(1)) {
            (Some(a), Some(b)) => Value::str(&s.replace(a, b)),
            _ => Value::Unknown,
        },
        "join" => match args.first().and_then(|a| a.elements()) {
            Some(items) => {
                let parts: Option<Vec<String>> = items.iter().map(|i| i.as_str().map(str::to_string)).collect();
                parts.map(|p| Value::str(&p.join(s))).unwrap_or(Value::Unknown)
            }
            None => Value::Unknown,
        },
        "format" => {
            // Positional `{}` / `{0}` only.
            let mut out = String::new();
            let mut auto = 0usize;
            let mut rest = s;
            while let Some(i) = rest.find('{') {
                out.push_str(&rest[..i]);
                let after = &rest[i + 1..];
                if let Some(stripped) = after.strip_prefix('{') {
                    out.push('{');
                    rest = stripped;
                    continue;
                }
                let Some(j) = after.find('}') else {
                    return Value::Unknown;
                };
                let field = &after[..j];
                let idx = if field.is_empty() {
                    auto += 1;
                    auto - 1
                } else if let Ok(n) = field.parse::<usize>() {
                    n
                } else {
                    return Value::Unknown;
                };
                match args.get(idx).and_then(to_py_str) {
                    Some(v) => out.push_str(&v),
                    None => return Value::Unknown,
                }
                rest = &after[j + 1..];
            }
            out.push_str(&rest.replace("}}", "}"));
            Value::str(&out)
        }
        "startswith" => arg_str(0).map(|p| Value::Bool(s.starts_with(p))).unwrap_or(Value::Unknown),
        "endswith" => arg_str(0).map(|p| Value::Bool(s.ends_with(p))).unwrap_or(Value::Unknown),
        _ => Value::Unknown,
    }
}

/// The dict methods that change the dict, on a dict of known keys: what the call returns and the
/// dict after it. None for another method, or when a key is not known.
fn dict_update(d: &Value, name: &str, args: &[Value], kwargs: &[(String, Value)]) -> Option<(Value, Value)> {
    let Value::Dict(items) = d else { return None };
    let mut items = items.as_ref().clone();
    let known = |k: &Value| matches!(k, Value::Str(_) | Value::Int(_));
    let find =
        |items: &[(Value, Value)], k: &Value| items.iter().position(|(x, _)| compare(x, CmpOp::Eq, k) == Some(true));
    let result = match (name, args) {
        ("setdefault", [k, rest @ ..]) if known(k) && rest.len() <= 1 && kwargs.is_empty() => match find(&items, k) {
            Some(i) => items[i].1.clone(),
            None => {
                let v = rest.first().cloned().unwrap_or(Value::NoneV);
                items.push((k.clone(), v.clone()));
                v
            }
        },
        ("pop", [k, rest @ ..]) if known(k) && rest.len() <= 1 && kwargs.is_empty() => match find(&items, k) {
            Some(i) => items.remove(i).1,
            None => rest.first().cloned().unwrap_or(Value::Unknown),
        },
        ("update", args) if args.len() <= 1 && kwargs.iter().all(|(k, _)| k != "**") => {
            let mut new: Vec<(Value, Value)> = match args.first() {
                Some(Value::Dict(d)) => d.as_ref().clone(),
                // An iterable of pairs (`d.update((k, f(k)) for k in names)`).
                Some(other) => {
                    let pairs: Option<Vec<(Value, Value)>> = other
                        .elements()?
                        .into_iter()
                        .map(|p| match p.elements().as_deref() {
                            Some([k, v]) => Some((k.clone(), v.clone())),
                            _ => None,
                        })
                        .collect();
                    pairs?
                }
                None => vec![],
            };
            new.extend(kwargs.iter().map(|(k, v)| (Value::str(k), v.clone())));
            for (k, v) in new {
                if !known(&k) {
                    return None;
                }
                match find(&items, &k) {
                    Some(i) => items[i].1 = v,
                    None => items.push((k, v)),
                }
            }
            Value::NoneV
        }
        _ => return None,
    };
    Some((result, Value::Dict(Rc::new(items))))
}

/// `__name__ == "__main__"` (either way round).
fn is_main_test(test: &Expr) -> bool {
    let Expr::Compare(c) = test else { return false };
    let [ast::CmpOp::Eq] = &c.ops[..] else { return false };
    let [right] = &c.comparators[..] else { return false };
    matches!((&c.left, right), (Expr::Name(n), Expr::Str(s)) | (Expr::Str(s), Expr::Name(n)) if n == "__name__" && s == "__main__")
}

/// `append`, `extend` and `insert` on a list, `add` and `update` on a set (a list here): the
/// list after the call; None for any other method, or arguments not known.
fn list_update(l: &Value, name: &str, args: &[Value], kwargs: &[(String, Value)]) -> Option<Value> {
    let Value::List(items) = l else { return None };
    if !kwargs.is_empty() {
        return None;
    }
    let mut items = items.as_ref().clone();
    match (name, args) {
        ("append", [v]) => items.push(v.clone()),
        ("extend" | "update", [v]) => items.extend(v.elements()?.iter().cloned()),
        // `BLUEPRINTS.add(bp)` (keystone): an object already in the set is not added again.
        ("add", [v]) => {
            let present = items.iter().any(|i| match (i, v) {
                (Value::Obj(a), Value::Obj(b)) => a == b,
                _ => compare(i, CmpOp::Eq, v) == Some(true),
            });
            if !present {
                items.push(v.clone());
            }
        }
        ("insert", [Value::Int(i), v]) => {
            let len = items.len() as i64;
            let at = if *i < 0 { (len + i).max(0) } else { (*i).min(len) };
            items.insert(at as usize, v.clone());
        }
        _ => return None,
    }
    Some(Value::List(Rc::new(items)))
}

fn dict_method(d: &Value, name: &str, args: &[Value]) -> Value {
    let Value::Dict(items) = d else {
        return Value::Unknown;
    };
    match name {
        "get" => match args.first().and_then(|k| k.as_str()) {
            Some(k) => d.dict_get(k).unwrap_or_else(|| args.get(1).cloned().unwrap_or(Value::NoneV)),
            None => Value::Unknown,
        },
        "items" => {
            Value::List(Rc::new(items.iter().map(|(k, v)| Value::Tuple(Rc::new(vec![k.clone(), v.clone()]))).collect()))
        }
        "keys" => Value::List(Rc::new(items.iter().map(|(k, _)| k.clone()).collect())),
        "values" => Value::List(Rc::new(items.iter().map(|(_, v)| v.clone()).collect())),
        _ => Value::Unknown,
    }
}

/// C3 linearization of the project classes in a class's ancestry (external bases left out).
pub fn mro(c: &Rc<Class>) -> Vec<Rc<Class>> {
    fn go(c: &Rc<Class>, depth: usize) -> Vec<Rc<Class>> {
        if depth > 64 {
            return vec![c.clone()];
        }
        let bases: Vec<Rc<Class>> = c
            .bases
            .iter()
            .filter_map(|b| if let Value::Class(bc) = b { Some(bc.clone()) } else { declarative_cls(b) })
            .collect();
        let mut seqs: Vec<Vec<Rc<Class>>> = bases.iter().map(|b| go(b, depth + 1)).collect();
        seqs.push(bases.clone());
        let mut out = vec![c.clone()];
        loop {
            seqs.retain(|s| !s.is_empty());
            if seqs.is_empty() {
                return out;
            }
            let head = seqs
                .iter()
                .map(|s| s[0].clone())
                .find(|h| !seqs.iter().any(|s| s[1..].iter().any(|x| Rc::ptr_eq(x, h))));
            let Some(head) = head else {
                // Not linearizable (Python would refuse the class): depth-first order instead.
                for s in seqs {
                    for x in s {
                        if !out.iter().any(|o| Rc::ptr_eq(o, &x)) {
                            out.push(x);
                        }
                    }
                }
                return out;
            };
            out.push(head.clone());
            for s in seqs.iter_mut() {
                if Rc::ptr_eq(&s[0], &head) {
                    s.remove(0);
                }
            }
        }
    }
    go(c, 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::tables::ExtensionTable;
    use crate::parse::ast::ModuleText;

    /// An elided body's text is read again only if the file still holds what was parsed.
    #[test]
    fn module_text_is_read_again_only_when_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("views.py");
        let text = "def view():\n    return 1\n";
        std::fs::write(&path, text).unwrap();
        let modules = HashMap::new();
        let tables = ExtensionTable::builtin().unwrap();
        let mut interp = Interp::new(&modules, &tables);

        let same = Arc::new(ModuleText::for_file(&path, "views.py", text));
        assert_eq!(interp.module_text(&same, 1).as_deref(), Some(text));
        assert!(interp.diags.take().is_empty());

        let changed = Arc::new(ModuleText::for_file(&path, "views.py", "def view():\n    return 2\n"));
        assert_eq!(interp.module_text(&changed, 1), None);
        let gone = Arc::new(ModuleText::for_file(&dir.path().join("gone.py"), "gone.py", text));
        assert_eq!(interp.module_text(&gone, 3), None);
        let diags = interp.diags.take();
        let found: Vec<_> = diags.iter().map(|d| (d.code, d.file.as_str(), d.line)).collect();
        assert_eq!(found, [("FD003", "views.py", 1), ("FD003", "gone.py", 3)]);
    }
}
