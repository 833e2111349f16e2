//! SQLAlchemy models as SQLAlchemy itself builds them: which classes are mapped, their tables
//! (with Flask-SQLAlchemy's automatic names), columns, relationships and constraints.
//!
//! Runs after interpretation, over the classes the interpreter defined. The rules follow
//! SQLAlchemy 2.0's declarative scan (`orm/decl_base.py`) and Flask-SQLAlchemy 3.1's
//! `model.py` (`should_set_tablename`, `__table_cls__`, `camel_to_snake_case`).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::rc::Rc;

use crate::diagnostics::{Code, Diagnostic};
use crate::inventory::interp::{mro, Frame, Interp};
use crate::inventory::model::*;
use crate::inventory::sqla::sqla_name;
use crate::inventory::values::*;
use crate::mapping::tables::model_base;
use crate::parse::ast::{BinOp, Expr, Stmt};

/// Everything the model scan produces.
pub struct ModelScan {
    pub models: Vec<Model>,
    pub tables: Vec<TableDef>,
    pub orm: Option<OrmInfo>,
    pub alembic: Option<AlembicInfo>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    FlaskSqlalchemy,
    Declarative,
}

/// One class's place in the declarative world.
struct ClassInfo {
    class: Rc<Class>,
    /// A declarative base (`class Base(DeclarativeBase)`, `@as_declarative`): not a model.
    is_base: bool,
    /// Descends from a declarative base or `db.Model`.
    style: Option<Style>,
    /// The Flask-SQLAlchemy object whose `Model` it descends from.
    ext: Option<ObjId>,
    is_abstract: bool,
}

impl ClassInfo {
    fn is_model(&self) -> bool {
        self.style.is_some() && !self.is_base && !self.is_abstract
    }
}

pub fn collect(interp: &mut Interp, root: &Path, diags: &mut Vec<Diagnostic>) -> ModelScan {
    let revisions = alembic_revision_files(interp);
    let mut classes = unique_classes(&interp.classes);
    classes.retain(|c| !revisions.contains(&*c.file));
    interp.sqla.tables.retain(|t| !revisions.contains(&*t.loc.file));
    let mut infos: Vec<ClassInfo> = classes.iter().map(|c| classify(interp, c)).collect();
    outside_bases(interp, &mut infos, diags);
    models_in_functions_not_run(interp, &infos, diags);
    infos.retain(|i| i.style.is_some() || i.is_base);
    if infos.is_empty() && interp.sqla.tables.is_empty() {
        return ModelScan { models: vec![], tables: vec![], orm: None, alembic: alembic_history(root) };
    }
    let orm = flask_sqlalchemy_version(root);
    let mut scan = Scanner {
        interp,
        orm: orm.clone(),
        diags,
        column_owner: Vec::new(),
        indexes_read: Default::default(),
        extended_tables: Default::default(),
        spare: Spare::default(),
    };

    let mut models: Vec<(Rc<Class>, Model)> = Vec::new();
    for info in infos.iter().filter(|i| i.is_model()) {
        let m = scan.model(info, &models);
        versioned_tables(&info.class, &m, scan.diags);
        models.push((info.class.clone(), m));
    }
    let mut tables = scan.tables(&models);
    scan.free_indexes(&mut models, &mut tables, &revisions);
    let column_owner = std::mem::take(&mut scan.column_owner);
    let events = scan.interp.sqla.events.clone();
    let mut models: Vec<Model> = models.into_iter().map(|(_, m)| m).collect();
    resolve_references(&mut models, &mut tables, &column_owner, scan.diags);
    attach_events(&mut models, &events, &column_owner);
    let used_fsa = infos.iter().any(|i| i.style == Some(Style::FlaskSqlalchemy));
    models.sort_by(|a, b| (&a.location, &a.path).cmp(&(&b.location, &b.path)));
    ModelScan { models, tables, orm: used_fsa.then_some(orm), alembic: alembic_history(root) }
}

/// A model SQLAlchemy-Continuum versions (`__versioned__ = {}`, ihatemoney): the library adds
/// its `<table>_version` table, and a `transaction` table, when the mappers are configured.
fn versioned_tables(class: &Rc<Class>, m: &Model, diags: &mut Vec<Diagnostic>) {
    if crate::inventory::interp::class_attr(class, "__versioned__").is_none() {
        return;
    }
    let table = m.table.as_deref().unwrap_or("?");
    diags.push(
        Diagnostic::new(
            Code::DynamicModel,
            &m.location.file,
            m.location.line,
            format!(
                "SQLAlchemy-Continuum versions `{}`: it adds table `{table}_version` (and a `transaction` table) at run time; they are not in the inventory",
                m.name
            ),
        )
        .with_help("write Django models for the version tables, or use django-simple-history / django-reversion"),
    );
}

/// The files of the project that are Alembic revision scripts: a module-level `revision` string,
/// a `down_revision` and an `upgrade` function. Their classes and tables are snapshots of the
/// schema a data migration reads, not the application's models (they are not in its metadata).
fn alembic_revision_files(interp: &Interp) -> HashSet<String> {
    let mut out = HashSet::new();
    for (module, scope) in interp.loaded.iter() {
        let vars = scope.vars.borrow();
        let is_revision = matches!(vars.get("revision"), Some(Value::Str(_)))
            && vars.get("down_revision").is_some()
            && matches!(vars.get("upgrade"), Some(Value::Function(_)));
        if is_revision {
            if let Some(m) = interp.modules.get(module.as_str()) {
                out.insert(m.rel.clone());
            }
        }
    }
    out
}

/// Revision files of an Alembic history: `revision = "..."` and `down_revision = ...` lines.
fn alembic_history(root: &Path) -> Option<AlembicInfo> {
    for dir in ["migrations/versions", "alembic/versions"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        let mut revisions = Vec::new();
        let mut downs = std::collections::HashSet::new();
        let mut paths: Vec<_> =
            entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "py")).collect();
        paths.sort();
        for p in paths {
            let Ok(text) = std::fs::read_to_string(&p) else { continue };
            for line in text.lines() {
                let line = line.trim();
                let value = |l: &str, key: &str| -> Option<String> {
                    let rest = l.strip_prefix(key)?.trim_start();
                    let rest = rest
                        .strip_prefix(':')
                        .map(|r| r.split_once('=').map(|x| x.1).unwrap_or(r))
                        .or_else(|| rest.strip_prefix('='))?;
                    Some(rest.trim().to_string())
                };
                if let Some(v) = value(line, "revision") {
                    if let Some(r) = v.trim_matches(['"', '\'']).split_whitespace().next() {
                        revisions.push(r.trim_matches(['"', '\'']).to_string());
                    }
                } else if let Some(v) = value(line, "down_revision") {
                    for part in v.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
                        if !part.is_empty() && part != "None" && part != "Union" && part != "str" && part != "Sequence"
                        {
                            downs.insert(part.to_string());
                        }
                    }
                }
            }
        }
        if revisions.is_empty() {
            continue;
        }
        let mut heads: Vec<String> = revisions.iter().filter(|r| !downs.contains(*r)).cloned().collect();
        heads.sort();
        return Some(AlembicInfo { directory: dir.into(), revisions: revisions.len(), heads });
    }
    None
}

/// Classes by definition site, first run only (a factory called twice defines its classes twice).
fn unique_classes(all: &[Rc<Class>]) -> Vec<Rc<Class>> {
    let mut seen = std::collections::HashSet::new();
    all.iter().filter(|c| seen.insert((c.file.clone(), c.def.line, c.qualname.clone()))).cloned().collect()
}

/// Models with a base from outside the project that is not SQLAlchemy's (FD404): a library's
/// mixin may add columns the inventory cannot see. A class that declares a table and columns on
/// such a base alone (a library's declarative base, `sqlalchemy_helpers.Base`) is read as a
/// model. Bases `mappings/model_bases.toml` lists are known: what they add is read from there,
/// and a class on one of its declarative bases is a model without a finding.
fn outside_bases(interp: &Interp, infos: &mut [ClassInfo], diags: &mut Vec<Diagnostic>) {
    let harmless = |p: &str| {
        [
            "builtins.",
            "typing.",
            "typing_extensions.",
            "abc.",
            "enum.",
            "collections.",
            "sqlalchemy.",
            "flask_sqlalchemy.",
        ]
        .iter()
        .any(|x| p.starts_with(x))
            || interp.tables.is_model_mixin(p)
            || model_base(p).is_some()
    };
    for info in infos.iter_mut().filter(|i| !i.is_base && !i.is_abstract) {
        // Most classes are neither models nor declare a table (forms, views): nothing to read.
        if info.style.is_none() && !declares_table(&info.class) {
            continue;
        }
        let mut outside = Vec::new();
        super::interp::external_bases(&info.class, &mut outside);
        if info.style.is_none() && outside.iter().any(|p| model_base(p).is_some_and(|r| r.declarative)) {
            info.style = Some(Style::Declarative);
        }
        let mut seen = std::collections::HashSet::new();
        outside.retain(|p| !harmless(p) && seen.insert(p.clone()));
        if outside.is_empty() {
            continue;
        }
        let c = &info.class;
        let list = outside.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ");
        let message = if info.style.is_some() {
            format!("model `{}` inherits from {list}, from outside the project: the columns and relationships it adds are not known", c.def.name)
        } else {
            info.style = Some(Style::Declarative);
            format!(
                "`{}` declares a table and columns on {list}, from outside the project: read as a SQLAlchemy model",
                c.def.name
            )
        };
        diags.push(Diagnostic::new(Code::ExternalModelBase, &*c.file, c.def.line, message).with_help(
            "add what the base adds to the Django model by hand; check_legacy_schema lists the columns it lacks",
        ));
    }
}

/// Model classes defined in a function the run never called (scrapydweb makes one `Job` model
/// per server in `create_jobs_table(server)`): FD403, as they are not in the inventory. A base
/// counts as a model base when its last name is `Model` or the name of a model or declarative
/// base of the project.
fn models_in_functions_not_run(interp: &Interp, infos: &[ClassInfo], diags: &mut Vec<Diagnostic>) {
    let bases: std::collections::HashSet<String> =
        infos.iter().filter(|i| i.is_base || i.style.is_some()).map(|i| i.class.def.name.to_string()).collect();
    let defined: std::collections::HashSet<(&str, u32)> =
        interp.classes.iter().map(|c| (&*c.file, c.def.line)).collect();
    let mut found: Vec<(String, u32, String, String)> = Vec::new();
    fn walk(
        body: &[Stmt],
        function: Option<&str>,
        file: &str,
        is_model_base: &dyn Fn(&Expr) -> bool,
        found: &mut Vec<(String, u32, String, String)>,
    ) {
        for s in body {
            match s {
                Stmt::FunctionDef(d) => walk(d.render_body(), Some(&d.name), file, is_model_base, found),
                Stmt::ClassDef(c) => {
                    if let Some(f) = function {
                        if c.bases.iter().any(is_model_base) {
                            found.push((file.to_string(), c.line, c.name.to_string(), f.to_string()));
                        }
                    }
                    walk(&c.body, function, file, is_model_base, found);
                }
                other => {
                    let mut blocks: Vec<&[Stmt]> = Vec::new();
                    super::templates::for_each_expr(other, &mut |_| {}, &mut |b| blocks.push(b));
                    for b in blocks {
                        walk(b, function, file, is_model_base, found);
                    }
                }
            }
        }
    }
    let is_model_base = |e: &Expr| {
        e.dotted().is_some_and(|text| {
            let last = text.rsplit('.').next().unwrap_or(&text);
            last == "Model" || bases.contains(last)
        })
    };
    let mut modules: Vec<(&String, &Rc<Scope>)> = interp.loaded.iter().collect();
    modules.sort_by(|a, b| a.0.cmp(b.0));
    for (module, scope) in modules {
        // Each definition once, in the module that defines it (not where it is imported).
        for (_, v) in scope.vars.borrow().iter() {
            match v {
                Value::Function(f) if *f.module == **module => {
                    walk(f.def.render_body(), Some(&f.def.name), &f.file, &is_model_base, &mut found)
                }
                Value::Class(c) if *c.module == **module => {
                    walk(&c.def.body, None, &c.file, &is_model_base, &mut found)
                }
                _ => {}
            }
        }
    }
    found.sort();
    found.dedup();
    for (file, line, class, function) in found {
        if defined.contains(&(file.as_str(), line)) {
            continue;
        }
        diags.push(
            Diagnostic::new(
                Code::DynamicModel,
                file,
                line,
                format!("model class `{class}` is defined in `{function}()`, which no code the reader follows calls: the class is not in the inventory"),
            )
            .with_help("write the model at module level, or add its Django model by hand"),
        );
    }
}

/// The class or a project class it inherits from sets `__tablename__` (or `__table__`) and
/// has a column.
fn declares_table(c: &Rc<Class>) -> bool {
    if !c.bases.iter().any(|b| matches!(b, Value::Class(_))) {
        let attrs = c.attrs();
        if attrs.get("__tablename__").is_none() && attrs.get("__table__").is_none() {
            return false;
        }
    }
    let classes = mro(c);
    // The attribute as the class sees it: `__tablename__ = None` on a plain base class declares
    // no table.
    let has = |name: &str| {
        classes.iter().find_map(|k| k.attrs().get(name).map(|v| !matches!(v, Value::NoneV))).unwrap_or(false)
    };
    let column = classes.iter().any(|k| {
        k.attrs()
            .iter()
            .any(|(_, v)| matches!(v, Value::Sqla(s) if matches!(s.name.as_str(), "Column" | "mapped_column")))
    });
    (has("__tablename__") || has("__table__")) && column
}

fn classify(interp: &Interp, c: &Rc<Class>) -> ClassInfo {
    let is_base = c.bases.iter().any(|b| match b {
        Value::External(p) => {
            matches!(sqla_name(p).as_deref(), Some("DeclarativeBase" | "DeclarativeBaseNoMeta"))
        }
        _ => false,
    }) || interp.sqla.bases.iter().any(|b| Rc::ptr_eq(b, c));
    let (style, ext) = lineage(interp, c, 0);
    let is_abstract = c.attrs().get("__abstract__").and_then(|v| v.truth()).unwrap_or(false);
    ClassInfo { class: c.clone(), is_base, style, ext, is_abstract }
}

fn lineage(interp: &Interp, c: &Rc<Class>, depth: usize) -> (Option<Style>, Option<ObjId>) {
    if depth > 64 {
        return (None, None);
    }
    if interp.sqla.mapped.iter().any(|m| Rc::ptr_eq(m, c)) {
        return (Some(Style::Declarative), None);
    }
    for b in &c.bases {
        match b {
            Value::Sqla(s) if s.name == "flask_sqlalchemy.Model" => {
                let ext = match s.args.first() {
                    Some(Value::Obj(id)) => Some(*id),
                    _ => None,
                };
                return (Some(Style::FlaskSqlalchemy), ext);
            }
            Value::Sqla(s) if s.name == "declarative_base" => return (Some(Style::Declarative), None),
            Value::Class(bc) => {
                let is_base = bc.bases.iter().any(|b| {
                    matches!(b, Value::External(p)
                        if matches!(sqla_name(p).as_deref(), Some("DeclarativeBase" | "DeclarativeBaseNoMeta")))
                }) || interp.sqla.bases.iter().any(|x| Rc::ptr_eq(x, bc));
                if is_base {
                    return (Some(Style::Declarative), None);
                }
                let (s, e) = lineage(interp, bc, depth + 1);
                if s.is_some() {
                    return (s, e);
                }
            }
            _ => {}
        }
    }
    (None, None)
}

/// Flask-SQLAlchemy 3.x: `camel_to_snake_case`.
pub fn snake_case_v3(name: &str) -> String {
    // re.sub(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))", r"_\1", name).lower().lstrip("_")
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &ch) in chars.iter().enumerate() {
        if ch.is_ascii_uppercase() {
            let after_lower_digit = i > 0 && (chars[i - 1].is_ascii_lowercase() || chars[i - 1].is_ascii_digit());
            let before_lower = i > 0 && chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if after_lower_digit || before_lower {
                out.push('_');
            }
        }
        out.push(ch);
    }
    out.to_lowercase().trim_start_matches('_').to_string()
}

/// Flask-SQLAlchemy 2.x: `_camel_to_snake` (acronyms kept together with the next word).
pub fn snake_case_v2(name: &str) -> String {
    // re.sub(r"([A-Z]+)(?=[a-z0-9])", join, name).lstrip("_") where join(m) =
    //   "_" + m.lower() if len(m) == 1 else "_" + m[:-1] + "_" + m[-1], lowercased.
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_uppercase() {
            let mut j = i;
            while j < chars.len() && chars[j].is_ascii_uppercase() {
                j += 1;
            }
            // The greedy run must be followed by [a-z0-9]; backtrack one if needed.
            let mut end = j;
            let followed = |k: usize| chars.get(k).is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
            while end > i && !followed(end) {
                end -= 1;
            }
            if end > i {
                let word: String = chars[i..end].iter().collect();
                if word.len() > 1 {
                    out.push('_');
                    out.push_str(&word[..word.len() - 1].to_lowercase());
                    out.push('_');
                    out.push_str(&word[word.len() - 1..].to_lowercase());
                } else {
                    out.push('_');
                    out.push_str(&word.to_lowercase());
                }
                out.extend(chars[end..j].iter());
                i = j;
                continue;
            }
            out.extend(chars[i..j].iter());
            i = j;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out.trim_start_matches('_').to_string()
}

/// The Flask-SQLAlchemy major version the project pins, read from its requirement files.
fn flask_sqlalchemy_version(root: &Path) -> OrmInfo {
    let candidates = [
        "requirements.txt",
        "requirements.in",
        "requirements/base.txt",
        "requirements/prod.txt",
        "requirements/production.txt",
        "requirements/common.txt",
        "requirements/dev.txt",
        "pyproject.toml",
        "Pipfile",
        "Pipfile.lock",
        "poetry.lock",
        "setup.cfg",
        "setup.py",
    ];
    for rel in candidates {
        let Ok(text) = std::fs::read_to_string(root.join(rel)) else {
            continue;
        };
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let lower = line.to_ascii_lowercase().replace('_', "-");
            let Some(pos) = lower.find("flask-sqlalchemy") else {
                continue;
            };
            let after = &lower[pos + "flask-sqlalchemy".len()..];
            if after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '-') {
                continue;
            }
            // `poetry.lock` / `Pipfile.lock`: the version is on a following line.
            let spec = if rel.ends_with(".lock") {
                lines[i + 1..].iter().take(4).find(|l| l.contains("version")).map(|l| l.to_string()).unwrap_or_default()
            } else {
                after.to_string()
            };
            if let Some(major) = major_from_spec(&spec) {
                return OrmInfo { flask_sqlalchemy_major: major, flask_sqlalchemy_source: format!("{rel}:{}", i + 1) };
            }
        }
    }
    OrmInfo { flask_sqlalchemy_major: 3, flask_sqlalchemy_source: "default".into() }
}

fn major_from_spec(spec: &str) -> Option<u32> {
    let first_num = |s: &str| -> Option<u32> {
        let digits: String = s.trim_start().chars().take_while(|c| c.is_ascii_digit()).collect();
        digits.parse().ok()
    };
    for op in ["===", "==", "~=", "^", "= \"", "=\""] {
        if let Some(p) = spec.find(op) {
            let rest = &spec[p + op.len()..];
            let rest = rest.trim_start_matches(['"', '\'', ' ', '^', '~', '=']);
            return first_num(rest);
        }
    }
    if let Some(p) = spec.find('<') {
        let rest = spec[p + 1..].trim_start_matches('=');
        let n = first_num(rest)?;
        let strict = !spec[p + 1..].starts_with('=');
        let only_major = !rest.trim_start().trim_start_matches(|c: char| c.is_ascii_digit()).starts_with(".")
            || rest.trim_start().starts_with(&format!("{n}.0"));
        return Some(if strict && only_major { n.saturating_sub(1) } else { n });
    }
    if let Some(p) = spec.find(">=") {
        return first_num(&spec[p + 2..]).filter(|n| *n >= 3);
    }
    None
}

struct Scanner<'i, 'a, 'd> {
    interp: &'i mut Interp<'a>,
    orm: OrmInfo,
    diags: &'d mut Vec<Diagnostic>,
    /// Column values seen, with their model path and column name (for `ForeignKey(User.id)`).
    column_owner: Vec<(Rc<SqlaCall>, String, String)>,
    /// `Index(...)` and constraint calls already read as part of a table (`__table_args__`,
    /// `Table(...)` arguments).
    indexes_read: HashSet<*const SqlaCall>,
    /// Tables a model declares with `extend_existing` in its `__table_args__`: a `Table(...)` of
    /// that name is the model's table, not another.
    extended_tables: HashSet<String>,
    /// Lists a model is built in, reused from model to model: each model keeps copies sized
    /// exactly, as every model is kept to the end of the run.
    spare: Spare,
}

#[derive(Default)]
struct Spare {
    columns: Vec<Column>,
    relationships: Vec<Relationship>,
    members: Vec<ModelMember>,
}

/// Leaves in `built` its items in a list of exactly their number, and in `spare` the list they
/// were built in, emptied (with its capacity) for the next model.
fn keep_exact<T>(built: &mut Vec<T>, spare: &mut Vec<T>) {
    let mut exact = Vec::with_capacity(built.len());
    exact.append(built);
    *spare = std::mem::replace(built, exact);
}

/// A class attribute found on the class or one of its unmapped ancestors.
struct Member {
    name: String,
    value: Value,
    annotation: Option<Expr>,
    owner: Rc<Class>,
    line: u32,
}

impl Scanner<'_, '_, '_> {
    fn class_info(&self, c: &Rc<Class>) -> ClassInfo {
        classify(self.interp, c)
    }

    fn frame_for(&self, c: &Rc<Class>) -> Frame {
        Frame {
            scope: c.scope.clone(),
            module: c.module.clone(),
            file: c.file.clone(),
            qual: String::new(),
            is_package: false,
        }
    }

    fn model(&mut self, info: &ClassInfo, done: &[(Rc<Class>, Model)]) -> Model {
        let mut model = Model {
            columns: std::mem::take(&mut self.spare.columns),
            relationships: std::mem::take(&mut self.spare.relationships),
            members: std::mem::take(&mut self.spare.members),
            ..Default::default()
        };
        self.build_model(info, done, &mut model);
        keep_exact(&mut model.columns, &mut self.spare.columns);
        keep_exact(&mut model.relationships, &mut self.spare.relationships);
        keep_exact(&mut model.members, &mut self.spare.members);
        model
    }

    fn build_model(&mut self, info: &ClassInfo, done: &[(Rc<Class>, Model)], model: &mut Model) {
        let c = &info.class;
        let style = info.style.unwrap_or(Style::Declarative);
        model.name = c.def.name.to_string();
        model.path = c.path();
        model.location = c.location();
        model.style = match style {
            Style::FlaskSqlalchemy => "flask_sqlalchemy".into(),
            Style::Declarative => "declarative".into(),
        };
        let order = mro(c);
        // The nearest mapped ancestor, for inheritance.
        let parent = order[1..].iter().find(|a| self.class_info(a).is_model()).cloned();
        let members = self.members(&order);

        // Attributes that configure the mapping.
        let own = |name: &str| c.attrs().get(name).cloned();
        if let Some(Value::Str(k)) = own("__bind_key__") {
            model.bind_key = Some(k.to_string());
        }
        let table_obj = members.iter().find(|m| m.name == "__table__").and_then(|m| match &m.value {
            Value::Sqla(s) if s.name == "Table" => Some(s.clone()),
            _ => None,
        });

        // Columns and the rest, in declaration order.
        let mut declared_pk = false;
        for m in &members {
            if m.name.starts_with("__") && m.name.ends_with("__") && !matches!(m.value, Value::Function(_)) {
                continue;
            }
            let value = self.resolve_declared_attr(c, &m.value);
            let inherited = (!Rc::ptr_eq(&m.owner, c)).then(|| m.owner.path());
            let loc = Location { file: m.owner.file.clone(), line: m.line };
            match &value {
                Value::Sqla(s) if matches!(s.name.as_str(), "Column" | "mapped_column") => {
                    let col = self.column(c, &m.name, s, m.annotation.as_ref(), inherited, loc);
                    declared_pk |= col.primary_key;
                    self.column_owner.push((s.clone(), model.path.clone(), col.name.clone()));
                    model.columns.push(col);
                }
                Value::Sqla(s) if s.name == "deferred" || s.name == "column_property" && is_plain_column(s) => {
                    if let Some(Value::Sqla(inner)) = s.args.first() {
                        if matches!(inner.name.as_str(), "Column" | "mapped_column") {
                            let col = self.column(c, &m.name, inner, m.annotation.as_ref(), inherited, loc);
                            declared_pk |= col.primary_key;
                            self.column_owner.push((inner.clone(), model.path.clone(), col.name.clone()));
                            model.columns.push(col);
                        }
                    }
                }
                Value::Sqla(s) if matches!(s.name.as_str(), "relationship" | "dynamic_loader") => {
                    let r = self.relationship(&m.name, s, m.annotation.as_ref(), inherited, loc);
                    model.relationships.push(r);
                }
                Value::Sqla(s) => {
                    let kind = match s.name.as_str() {
                        "hybrid_property" => "hybrid_property",
                        "validates" => "validates",
                        "column_property" => "column_property",
                        "synonym" => "synonym",
                        "composite" => "composite",
                        "association_proxy" => "association_proxy",
                        "reconstructor" => "method",
                        "backref" => continue,
                        _ => continue,
                    };
                    let detail = match s.name.as_str() {
                        "validates" => {
                            Some(s.args[1..].iter().filter_map(|a| a.as_str()).collect::<Vec<_>>().join(", "))
                        }
                        _ => (!s.text.is_empty()).then(|| s.text.to_string()),
                    };
                    let line = match s.args.first() {
                        Some(Value::Function(f)) => f.def.line,
                        _ => loc.line,
                    };
                    model.members.push(ModelMember {
                        name: m.name.clone(),
                        kind: kind.into(),
                        detail,
                        location: Location { file: loc.file.clone(), line },
                    });
                }
                Value::Function(f) if Rc::ptr_eq(&m.owner, c) || !self.class_info(&m.owner).is_model() => {
                    let kind = if f.decorators().iter().any(|d| d == "property" || d.ends_with(".setter")) {
                        "property"
                    } else {
                        "method"
                    };
                    model.members.push(ModelMember {
                        name: m.name.clone(),
                        kind: kind.into(),
                        detail: None,
                        location: f.location(),
                    });
                }
                Value::Unknown | Value::NoneV if m.annotation.is_some() => {
                    // `name: Mapped[int]` with no value is a column in SQLAlchemy 2.0.
                    let ann = m.annotation.as_ref().unwrap();
                    if let Some(inner) = mapped_inner(ann) {
                        if !is_relationship_annotation(inner) {
                            let s = Rc::new(SqlaCall {
                                loc: loc.clone(),
                                text: compact_str::format_compact!("{}: {ann}", m.name),
                                ..SqlaCall::synthetic("mapped_column", vec![])
                            });
                            let col = self.column(c, &m.name, &s, Some(ann), inherited, loc);
                            declared_pk |= col.primary_key;
                            model.columns.push(col);
                        }
                    }
                }
                _ => {}
            }
        }
        self.outside_base_columns(&order, model);
        if own("query_class").is_some_and(|v| matches!(v, Value::Class(_) | Value::External(_))) {
            model.members.push(ModelMember {
                name: "query_class".into(),
                kind: "query_class".into(),
                detail: None,
                location: c.location(),
            });
        }

        // __table_args__ and __mapper_args__.
        let mut schema: Option<String> = None;
        let mut extend_existing = false;
        if let Some(m) = members.iter().find(|m| m.name == "__table_args__") {
            let v = self.resolve_declared_attr(c, &m.value);
            let loc = Location { file: m.owner.file.clone(), line: m.line };
            model.constraints = self.table_args(&v, &loc, &model.path);
            // `{"schema": "oauth"}`, alone or as the last item.
            let options = match &v {
                Value::Tuple(t) | Value::List(t) => t.last().cloned(),
                other => Some(other.clone()),
            };
            schema = options.as_ref().and_then(|o| o.dict_get("schema")).and_then(|s| s.as_str().map(str::to_string));
            extend_existing = options.and_then(|o| o.dict_get("extend_existing")).and_then(|v| v.truth()) == Some(true);
        }
        if let Some(table) = &table_obj {
            let (cols, cons) = self.table_columns(table, &model.path);
            model.columns = cols;
            model.constraints.extend(cons);
            declared_pk = model.columns.iter().any(|c| c.primary_key);
        }
        for con in &model.constraints {
            if con.kind == "primary_key" {
                declared_pk = true;
                for col in model.columns.iter_mut().filter(|x| con.columns.contains(&x.name)) {
                    col.primary_key = true;
                    col.nullable = false;
                }
            }
        }
        let polymorphic_identity = members
            .iter()
            .find(|m| m.name == "__mapper_args__")
            .map(|m| self.resolve_declared_attr(c, &m.value))
            .and_then(|v| v.dict_get("polymorphic_identity"))
            .and_then(|v| v.to_json());

        // The table name.
        let parent_model = parent.as_ref().and_then(|p| done.iter().find(|(k, _)| Rc::ptr_eq(k, p)).map(|(_, m)| m));
        match &table_obj {
            Some(t) => {
                model.table = t.args.first().and_then(|v| v.as_str()).map(|n| qualified(table_schema(t), n));
                model.table_source = "table_object".into();
            }
            None => {
                self.table_name(info, &order, model);
                // A table in a PostgreSQL schema is named with it: `oauth.tokens`, as a foreign
                // key names it (`ForeignKey("oauth.tokens.id")`).
                if let (Some(s), Some(t)) = (&schema, &model.table) {
                    model.table = Some(qualified(Some(s), t));
                }
            }
        }
        if let (true, Some(t)) = (extend_existing, &model.table) {
            self.extended_tables.insert(t.clone());
        }
        if let Some(p) = &parent {
            let parent_table = parent_model.and_then(|m| m.table.clone());
            let single = model.table.is_none()
                || (style == Style::FlaskSqlalchemy && model.table_source == "automatic" && !declared_pk);
            if single {
                model.table = parent_table;
                model.table_source = "parent".into();
            }
            model.inheritance = Some(Inheritance {
                kind: if single { "single" } else { "joined" }.into(),
                parent: p.path(),
                polymorphic_identity,
            });
        } else if model.table.is_none() && model.status.is_resolved() {
            model.status = Status::Dynamic;
            model.reason = Some("no `__tablename__` or `__table__`, and no mapped parent class".into());
            self.diags.push(
                Diagnostic::new(
                    Code::DynamicTableName,
                    &model.location.file,
                    model.location.line,
                    format!("model `{}` has no table name the inventory can read", model.name),
                )
                .with_help("set `__tablename__` to a string literal"),
            );
        }
        if model.status.is_resolved() {
            if let Some(reason) = self.interp.dynamic_reason() {
                model.status = Status::Dynamic;
                model.reason = Some(reason);
            }
        }
    }

    /// Attributes of the class and its unmapped ancestors (mixins, abstract models), Python's
    /// lookup order deciding which one wins, declaration order (base-most first) kept.
    /// The class and the ancestors whose attributes it maps itself: a mapped parent keeps its
    /// own columns (inheritance), and so do the mixins it inherits.
    fn own_chain(&self, order: &[Rc<Class>]) -> Vec<Rc<Class>> {
        let mut owned_by_parent: Vec<Rc<Class>> = Vec::new();
        for k in order.iter().skip(1) {
            if self.class_info(k).is_model() {
                owned_by_parent.extend(mro(k));
            }
        }
        order.iter().filter(|k| !owned_by_parent.iter().any(|p| Rc::ptr_eq(p, k))).cloned().collect()
    }

    /// The columns library bases add (oslo.db's `TimestampMixin`: `created_at`, `updated_at`), as
    /// `mappings/model_bases.toml` lists them; a column the class declares itself wins.
    fn outside_base_columns(&mut self, order: &[Rc<Class>], model: &mut Model) {
        for k in self.own_chain(order) {
            for b in &k.bases {
                let Value::External(path) = b else { continue };
                let Some(row) = model_base(path) else { continue };
                for bc in &row.columns {
                    if model.columns.iter().any(|c| c.name == bc.name) {
                        continue;
                    }
                    let ty = Value::External(Rc::from(format!("sqlalchemy.{}", bc.col_type).as_str()));
                    let python_value = |source: &String| {
                        let value = serde_json::from_str::<serde_json::Value>(source).ok();
                        Box::new(DefaultValue {
                            kind: if value.is_some() { "literal" } else { "expression" }.into(),
                            value,
                            callable: None,
                            source: source.clone(),
                        })
                    };
                    let mut col = Column {
                        attribute: Some(bc.name.clone()),
                        name: bc.name.clone(),
                        nullable: bc.nullable,
                        default: bc.default.as_ref().map(python_value),
                        onupdate: bc.onupdate.as_ref().map(python_value),
                        inherited_from: Some(path.to_string()),
                        location: model.location.clone(),
                        ..Default::default()
                    };
                    self.set_type(&mut col, Some(&ty), &bc.col_type);
                    model.columns.push(col);
                }
            }
        }
    }

    fn members(&mut self, order: &[Rc<Class>]) -> Vec<Member> {
        let chain = self.own_chain(order);
        // The winner for each name: first in MRO order.
        let mut winner: HashMap<String, usize> = HashMap::new();
        for (i, k) in chain.iter().enumerate() {
            for name in class_names(k) {
                winner.entry(name).or_insert(i);
            }
        }
        let mut out = Vec::new();
        for (i, k) in chain.iter().enumerate().rev() {
            let annotations = annotations_of(k);
            for name in class_names(k) {
                if winner.get(&name) != Some(&i) {
                    continue;
                }
                let value = k.attrs().get(name.as_str()).cloned().unwrap_or(Value::Unknown);
                let ann = annotations.get(&name).cloned();
                let line = definition_line(k, &name).unwrap_or(k.def.line);
                out.push(Member { name, value, annotation: ann.map(|(a, _)| a), owner: k.clone(), line });
            }
        }
        out
    }

    fn resolve_declared_attr(&mut self, c: &Rc<Class>, v: &Value) -> Value {
        match v {
            Value::Sqla(s) if s.name == "declared_attr" => match s.args.first() {
                Some(Value::Function(f)) => {
                    let f = f.clone();
                    self.interp.call_stack.clear();
                    self.interp.call_function(&f, &[Value::Class(c.clone())], &[])
                }
                _ => Value::Unknown,
            },
            other => other.clone(),
        }
    }

    fn table_name(&mut self, info: &ClassInfo, order: &[Rc<Class>], model: &mut Model) {
        let c = &info.class;
        let fsa = info.style == Some(Style::FlaskSqlalchemy);
        let autonaming = fsa
            && !info
                .ext
                .and_then(|id| match &self.interp.objs[id] {
                    Obj::Extension(e) => {
                        e.kwargs.iter().find(|(k, _)| k == "disable_autonaming").and_then(|(_, v)| v.truth())
                    }
                    _ => None,
                })
                .unwrap_or(false);
        // The first class in the MRO that sets `__tablename__`.
        let found = order.iter().find(|k| k.attrs().contains_key("__tablename__")).cloned();
        let generate = autonaming;
        if let Some(k) = &found {
            let raw = k.attrs().get("__tablename__").cloned().unwrap_or_default();
            let is_declared = matches!(&raw, Value::Sqla(s) if s.name == "declared_attr");
            let from_model = !Rc::ptr_eq(k, c) && self.class_info(k).is_model();
            if is_declared {
                match self.resolve_declared_attr(c, &raw) {
                    Value::Str(s) => {
                        model.table = Some(s.to_string());
                        model.table_source = "declared_attr".into();
                    }
                    _ => self.dynamic_table(model, "the `__tablename__` declared_attr returns a run-time value"),
                }
                return;
            }
            if !from_model {
                match raw {
                    Value::Str(s) => {
                        model.table = Some(s.to_string());
                        model.table_source = "literal".into();
                    }
                    Value::NoneV => {}
                    _ => self.dynamic_table(model, "`__tablename__` is computed at run time"),
                }
                return;
            }
            // Inherited from a mapped parent: SQLAlchemy does not reuse it (single-table
            // inheritance), Flask-SQLAlchemy makes a new name.
        }
        if generate {
            let name = if self.orm.flask_sqlalchemy_major == 2 {
                snake_case_v2(&c.def.name)
            } else {
                snake_case_v3(&c.def.name)
            };
            model.table = Some(name);
            model.table_source = "automatic".into();
        }
    }

    fn dynamic_table(&mut self, model: &mut Model, why: &str) {
        model.status = Status::Dynamic;
        model.reason = Some(why.into());
        self.diags.push(
            Diagnostic::new(
                Code::DynamicTableName,
                &model.location.file,
                model.location.line,
                format!("the table of model `{}` is not known before run time: {why}", model.name),
            )
            .with_help("set `__tablename__` to a string literal, or pass the table name in the mapping overrides"),
        );
    }

    fn column(
        &mut self,
        c: &Rc<Class>,
        attr: &str,
        s: &Rc<SqlaCall>,
        annotation: Option<&Expr>,
        inherited: Option<String>,
        loc: Location,
    ) -> Column {
        let mut col = Column {
            attribute: Some(attr.to_string()),
            name: attr.to_string(),
            inherited_from: inherited,
            location: if s.loc.line > 0 { s.loc.clone() } else { loc },
            ..Default::default()
        };
        // The annotation: its SQL type, its optionality, and an `Annotated[...]` alias's column.
        // Only `mapped_column()` reads it; a plain `Column(...)` under `Mapped[str]` keeps its own
        // type and stays nullable (SQLAlchemy 2.0's declarative scan leaves `Column` as written).
        let mut ann_nullable = None;
        let mut ann_type = None;
        let mut merged = s.clone();
        let annotation = annotation.filter(|_| s.name == "mapped_column");
        if let Some(inner) = annotation.and_then(mapped_inner) {
            let (ty, optional) = strip_optional(inner);
            ann_nullable = Some(optional);
            let (t, annotated) = self.python_type(c, ty);
            ann_type = Some((t, ty.to_string()));
            if let Some(a) = annotated {
                let kwargs = a.kwargs.iter().chain(s.kwargs.iter()).cloned().collect();
                let kwarg_src = a.kwarg_src.iter().chain(s.kwarg_src.iter()).cloned().collect();
                let args = if s.args.is_empty() { a.args.clone() } else { s.args.clone() };
                merged = Rc::new(SqlaCall { args, kwargs, kwarg_src, ..SqlaCall::synthetic(&s.name, vec![]) });
            }
        }
        let s = &merged;
        let args = ColumnArgs::read(s);
        if let Some(n) = args.name {
            col.name = n;
        }
        col.foreign_key = args.foreign_key.map(Box::new);
        col.computed = args.computed.map(Box::new);
        let mut type_value = args.type_value;
        if type_value.is_none() {
            if let Some((t, src)) = ann_type {
                type_value = Some(t);
                col.col_type.source = src;
            }
        } else if let Some(src) = args.type_src {
            col.col_type.source = src;
        }
        let source = col.col_type.source.clone();
        self.set_type(&mut col, type_value.as_ref(), &source);
        column_options(s, &mut col, if args.identity { false } else { ann_nullable.unwrap_or(true) });
        col
    }

    /// The column's type; `Column(ForeignKey("user.id"))` has none of its own: SQLAlchemy copies
    /// the type of the target column.
    fn set_type(&mut self, col: &mut Column, type_value: Option<&Value>, source: &str) {
        col.col_type = self.column_type(type_value, source);
        if col.col_type.name == "unknown" {
            if let Some(fk) = &col.foreign_key {
                col.col_type.name = "foreign_key".into();
                col.col_type.source = format!("{}.{}", fk.table, fk.column);
            }
        }
    }

    /// The SQL type for a `Mapped[...]` annotation's inner type, by the base's
    /// `type_annotation_map` (on the class or its `registry`) and SQLAlchemy's default map; with the
    /// `mapped_column(...)` an `Annotated[...]` alias carries.
    fn python_type(&mut self, c: &Rc<Class>, ty: &Expr) -> (Value, Option<Rc<SqlaCall>>) {
        let frame = self.frame_for(c);
        let v = self.interp.eval(ty, &frame);
        self.map_python_type(c, &v, 0)
    }

    fn map_python_type(&mut self, c: &Rc<Class>, v: &Value, depth: usize) -> (Value, Option<Rc<SqlaCall>>) {
        if depth > 8 {
            return (Value::Unknown, None);
        }
        // The class's ancestry, and the `model_class` a Flask-SQLAlchemy `db.Model` derives from.
        let mut ancestry = mro(c);
        if let (_, Some(ext)) = lineage(self.interp, c, 0) {
            if let Obj::Extension(e) = &self.interp.objs[ext] {
                if let Some((_, Value::Class(base))) = e.kwargs.iter().find(|(k, _)| k == "model_class") {
                    ancestry.extend(mro(base));
                }
            }
        }
        for k in ancestry {
            let attrs = k.attrs();
            let maps = [
                attrs.get("type_annotation_map").cloned(),
                match attrs.get("registry") {
                    Some(Value::Sqla(r)) if r.name == "registry" => r.kwarg("type_annotation_map").cloned(),
                    _ => None,
                },
            ];
            drop(attrs);
            for m in maps.into_iter().flatten() {
                if let Value::Dict(d) = m {
                    for (kv, vv) in d.iter() {
                        if crate::inventory::sqla::same_type(kv, v) {
                            return (vv.clone(), None);
                        }
                    }
                }
            }
        }
        let ext = |p: &str| Value::External(Rc::from(p));
        match v {
            Value::Sqla(a) if a.name == "Annotated" => {
                let base = a.args.first().cloned().unwrap_or_default();
                let (t, _) = self.map_python_type(c, &base, depth + 1);
                let col = a.args.iter().skip(1).find_map(|x| match x {
                    Value::Sqla(m) if m.name == "mapped_column" => Some(m.clone()),
                    _ => None,
                });
                (t, col)
            }
            Value::External(p) => (
                match p.as_ref() {
                    "builtins.int" => ext("sqlalchemy.Integer"),
                    "builtins.str" => ext("sqlalchemy.String"),
                    "builtins.float" => ext("sqlalchemy.Float"),
                    "builtins.bool" => ext("sqlalchemy.Boolean"),
                    "builtins.bytes" => ext("sqlalchemy.LargeBinary"),
                    "datetime.datetime" => ext("sqlalchemy.DateTime"),
                    "datetime.date" => ext("sqlalchemy.Date"),
                    "datetime.time" => ext("sqlalchemy.Time"),
                    "datetime.timedelta" => ext("sqlalchemy.Interval"),
                    "decimal.Decimal" => ext("sqlalchemy.Numeric"),
                    "uuid.UUID" => ext("sqlalchemy.Uuid"),
                    _ => Value::Unknown,
                },
                None,
            ),
            Value::Class(k) if is_enum_class(k) => (
                Value::Sqla(Rc::new(SqlaCall {
                    text: k.def.name.clone(),
                    ..SqlaCall::synthetic("Enum", vec![v.clone()])
                })),
                None,
            ),
            _ => (Value::Unknown, None),
        }
    }

    fn column_type(&mut self, v: Option<&Value>, source: &str) -> ColumnType {
        let unknown = |src: &str| ColumnType { name: "unknown".into(), source: src.to_string(), ..Default::default() };
        let Some(v) = v else {
            return unknown(source);
        };
        match v {
            Value::Sqla(t) => {
                let mut args = Vec::new();
                for a in &t.args {
                    args.push(json_arg(a));
                }
                let mut kwargs = BTreeMap::new();
                for (k, a) in &t.kwargs {
                    kwargs.insert(k.to_string(), json_arg(a));
                }
                ColumnType { name: t.name.to_string(), args, kwargs, source: t.text.to_string() }
            }
            Value::External(p) => match sqla_name(p) {
                Some(n) => ColumnType {
                    name: n,
                    source: if source.is_empty() { p.to_string() } else { source.to_string() },
                    ..Default::default()
                },
                None => unknown(p),
            },
            Value::Class(k) => {
                // A project `TypeDecorator`: report its `impl`.
                let mut kwargs = BTreeMap::new();
                if let Some(i) = crate::inventory::interp::class_attr(k, "impl") {
                    let inner = self.column_type(Some(&i), "");
                    kwargs.insert("impl".into(), serde_json::Value::String(inner.name));
                }
                ColumnType {
                    name: format!("custom:{}", k.path()),
                    args: vec![],
                    kwargs,
                    source: k.def.name.to_string(),
                }
            }
            Value::Instance(k) => self.column_type(Some(&Value::Class(k.clone())), source),
            _ => unknown(source),
        }
    }

    fn relationship(
        &mut self,
        attr: &str,
        s: &Rc<SqlaCall>,
        annotation: Option<&Expr>,
        inherited: Option<String>,
        loc: Location,
    ) -> Relationship {
        let mut r = Relationship {
            attribute: attr.to_string(),
            inherited_from: inherited,
            location: if s.loc.line > 0 { s.loc.clone() } else { loc },
            ..Default::default()
        };
        r.target = match s.arg(0, "argument") {
            Some(Value::Str(t)) => t.to_string(),
            Some(Value::Class(k)) => k.def.name.to_string(),
            _ => String::new(),
        };
        if let Some(ann) = annotation.and_then(mapped_inner) {
            let (inner, _) = strip_optional(ann);
            let (target, mut list) = collection_target(inner);
            let head = match annotation {
                Some(Expr::Subscript { value, .. }) => value.dotted().unwrap_or_default(),
                _ => String::new(),
            };
            list |= head.ends_with("WriteOnlyMapped") || head.ends_with("DynamicMapped");
            if r.target.is_empty() {
                r.target = target;
            }
            if s.kwarg("uselist").is_none() {
                r.uselist = Some(list);
            }
        }
        r.secondary = match s.kwarg("secondary") {
            Some(Value::Str(t)) => Some(t.to_string()),
            Some(Value::Sqla(t)) if t.name == "Table" => t.args.first().and_then(|v| v.as_str()).map(str::to_string),
            Some(_) => s.kwarg_text("secondary").map(str::to_string),
            None => None,
        };
        r.backref = match s.kwarg("backref") {
            Some(Value::Str(b)) => Some(b.to_string()),
            Some(Value::Sqla(b)) if b.name == "backref" => b.args.first().and_then(|v| v.as_str()).map(str::to_string),
            _ => None,
        };
        r.back_populates = s.kwarg("back_populates").and_then(|v| v.as_str()).map(str::to_string);
        if let Some(u) = s.kwarg("uselist").and_then(|v| v.truth()) {
            r.uselist = Some(u);
        }
        for (k, text) in s.keyword_src() {
            if !matches!(k, "argument" | "secondary" | "backref" | "back_populates" | "uselist") {
                r.options.insert(k.to_string(), text.to_string());
            }
        }
        if let Some(Value::Sqla(b)) = s.kwarg("backref") {
            for (k, text) in b.keyword_src() {
                r.options.insert(format!("backref.{k}"), text.to_string());
            }
        }
        r
    }

    fn table_args(&mut self, v: &Value, loc: &Location, owner: &str) -> Vec<Constraint> {
        let mut out = Vec::new();
        let items = match v {
            Value::Tuple(t) | Value::List(t) => t.as_ref().clone(),
            Value::Dict(_) | Value::NoneV | Value::Unknown => vec![],
            other => vec![other.clone()],
        };
        for item in items {
            if let Value::Sqla(s) = item {
                if let Some(c) = self.constraint(&s, loc, owner) {
                    out.push(c);
                }
            }
        }
        out
    }

    /// `Index(...)`s written outside their table: beside a `Table` (`Index("ix", t.c.a,
    /// t.c.b)`) or as a class attribute of a model (`ix = Index("ix", created.desc())`). Each
    /// belongs to the table of its first column, as in SQLAlchemy.
    fn free_indexes(
        &mut self,
        models: &mut [(Rc<Class>, Model)],
        tables: &mut [TableDef],
        revisions: &HashSet<String>,
    ) {
        let indexes: Vec<Rc<SqlaCall>> = std::mem::take(&mut self.interp.sqla.indexes);
        for ix in indexes {
            if self.indexes_read.contains(&Rc::as_ptr(&ix)) || revisions.contains(&*ix.loc.file) {
                continue;
            }
            // The table it is given (`table=Model.__table__`), else the owner of the first column
            // known: a column's, or the model of a column declared by its annotation alone
            // (`BacklogEntry.expire`, read as the class's attribute).
            let table_owner = match ix.kwarg("table") {
                Some(Value::Sqla(t)) if t.name == "Model.__table__" => match t.args.first() {
                    Some(Value::Class(k)) => {
                        models.iter().find(|(mk, _)| Rc::ptr_eq(mk, k)).map(|(_, m)| m.path.clone())
                    }
                    _ => None,
                },
                Some(Value::Sqla(t)) if t.name == "Table" => {
                    t.args.first().and_then(Value::as_str).map(|n| format!("table:{}", qualified(table_schema(t), n)))
                }
                _ => None,
            };
            let columns = if ix.name == "Index" { ix.args.get(1..).unwrap_or(&[]) } else { &ix.args[..] };
            let owner = table_owner.or_else(|| {
                columns.iter().find_map(|a| match (ordered_column(a), a) {
                    (Some((c, _)), _) => {
                        self.column_owner.iter().find(|(x, _, _)| Rc::ptr_eq(x, c)).map(|(_, o, _)| o.clone())
                    }
                    (None, Value::Method(m)) => match &m.0 {
                        Value::Class(k) => models.iter().find(|(mk, _)| Rc::ptr_eq(mk, k)).map(|(_, m)| m.path.clone()),
                        _ => None,
                    },
                    _ => None,
                })
            });
            let Some(owner) = owner else {
                continue;
            };
            let Some(c) = self.constraint(&ix, &ix.loc, &owner) else { continue };
            if let Some(name) = owner.strip_prefix("table:") {
                if let Some(t) = tables.iter_mut().find(|t| t.name == name) {
                    t.constraints.push(c);
                }
            } else if let Some((_, m)) = models.iter_mut().find(|(_, m)| m.path == owner) {
                m.constraints.push(c);
            }
        }
    }

    fn constraint(&mut self, s: &Rc<SqlaCall>, loc: &Location, owner: &str) -> Option<Constraint> {
        // Read once: an index or a constraint given its table is also listed on its own.
        self.indexes_read.insert(Rc::as_ptr(s));
        let loc = if s.loc.line > 0 { s.loc.clone() } else { loc.clone() };
        let name = s.kwarg("name").and_then(|v| v.as_str()).map(str::to_string);
        let col_names = |vals: &[Value]| -> Vec<String> {
            vals.iter()
                .filter_map(|v| match v {
                    Value::Str(n) => Some(n.to_string()),
                    // `column.desc()`: Django's `-name`.
                    Value::Sqla(c) if matches!(c.name.as_str(), "desc" | "asc") => {
                        let inner = ordered_column(v).and_then(|(inner, desc)| {
                            let name = self
                                .column_owner
                                .iter()
                                .find(|(x, m, _)| Rc::ptr_eq(x, inner) && m == owner)
                                .map(|(_, _, n)| n.clone())?;
                            Some(if desc { format!("-{name}") } else { name })
                        });
                        Some(inner.unwrap_or_else(|| "?".into()))
                    }
                    Value::Sqla(c) => self
                        .column_owner
                        .iter()
                        .find(|(x, m, _)| Rc::ptr_eq(x, c) && m == owner)
                        .map(|(_, _, n)| n.clone())
                        .or_else(|| c.args.first().and_then(|a| a.as_str()).map(str::to_string)),
                    // A column declared by its annotation alone (`expire: Mapped[datetime]`):
                    // named as its attribute.
                    Value::Method(m) if matches!(m.0, Value::Class(_)) => Some(m.1.to_string()),
                    _ => Some("?".into()),
                })
                .collect()
        };
        let c = match s.name.as_str() {
            "UniqueConstraint" => {
                Constraint { kind: "unique".into(), name, columns: col_names(&s.args), ..Default::default() }
            }
            "PrimaryKeyConstraint" => {
                Constraint { kind: "primary_key".into(), name, columns: col_names(&s.args), ..Default::default() }
            }
            "Index" => Constraint {
                kind: "index".into(),
                name: s.args.first().and_then(|v| v.as_str()).map(str::to_string).or(name),
                columns: col_names(s.args.get(1..).unwrap_or(&[])),
                unique: s.kwarg("unique").and_then(|v| v.truth()).unwrap_or(false),
                // A partial index (`postgresql_where=text("parent_id IS NULL")`): its WHERE, as
                // SQL text when it is, else as written.
                expression: ["postgresql_where", "sqlite_where"].iter().find_map(|k| s.kwarg(k)).map(|v| match v {
                    Value::Str(t) => t.to_string(),
                    Value::Sqla(t) if t.name.as_str() == "text" => {
                        t.args.first().and_then(|a| a.as_str()).map_or_else(|| t.text.to_string(), str::to_string)
                    }
                    Value::Sqla(t) => t.text.to_string(),
                    _ => "?".to_string(),
                }),
                ..Default::default()
            },
            "CheckConstraint" => Constraint {
                kind: "check".into(),
                name,
                expression: s
                    .args
                    .first()
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
                    .or_else(|| Some(s.text.to_string())),
                ..Default::default()
            },
            "ForeignKeyConstraint" => Constraint {
                kind: "foreign_key".into(),
                name,
                columns: s.args.first().and_then(|v| v.elements()).map(|e| col_names(&e)).unwrap_or_default(),
                references: s
                    .args
                    .get(1)
                    .and_then(|v| v.elements())
                    .map(|e| e.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
                    .unwrap_or_default(),
                expression: s.kwarg("ondelete").and_then(|v| v.as_str()).map(|o| format!("ondelete={o}")),
                ..Default::default()
            },
            _ => return None,
        };
        Some(Constraint { location: loc, ..c })
    }

    fn table_columns(&mut self, t: &Rc<SqlaCall>, owner: &str) -> (Vec<Column>, Vec<Constraint>) {
        let mut cols = Vec::new();
        let mut cons = Vec::new();
        for a in t.args.iter().skip(1) {
            if let Value::Sqla(s) = a {
                match s.name.as_str() {
                    "Column" => {
                        let name = s.args.first().and_then(|v| v.as_str()).unwrap_or("?").to_string();
                        let mut col = self.column_plain(s, &name);
                        col.attribute = None;
                        self.column_owner.push((s.clone(), owner.to_string(), col.name.clone()));
                        cols.push(col);
                    }
                    _ => {
                        if let Some(c) = self.constraint(s, &t.loc, owner) {
                            cons.push(c);
                        }
                    }
                }
            }
        }
        for con in &cons {
            if con.kind == "primary_key" {
                for col in cols.iter_mut().filter(|x| con.columns.contains(&x.name)) {
                    col.primary_key = true;
                    col.nullable = false;
                }
            }
        }
        (cols, cons)
    }

    /// A column outside a class (in a `Table`).
    fn column_plain(&mut self, s: &Rc<SqlaCall>, name: &str) -> Column {
        let args = ColumnArgs::read(s);
        let mut col = Column {
            name: name.to_string(),
            location: s.loc.clone(),
            foreign_key: args.foreign_key.map(Box::new),
            computed: args.computed.map(Box::new),
            ..Default::default()
        };
        self.set_type(&mut col, args.type_value.as_ref(), args.type_src.as_deref().unwrap_or(""));
        column_options(s, &mut col, !args.identity);
        col
    }

    /// `Table(...)` objects that are not a model's `__table__`.
    fn tables(&mut self, models: &[(Rc<Class>, Model)]) -> Vec<TableDef> {
        let calls: Vec<Rc<SqlaCall>> = self.interp.sqla.tables.clone();
        // The module-level variables holding tables (`secondary=lambda: tags` names one).
        let mut variables: Vec<(String, Rc<SqlaCall>)> = Vec::new();
        for (module, scope) in self.interp.loaded.iter() {
            for (name, v) in scope.vars.borrow().iter() {
                if let Value::Sqla(t) = v {
                    if t.name == "Table" {
                        variables.push((format!("{module}.{name}"), t.clone()));
                    }
                }
            }
        }
        variables.sort_by(|a, b| a.0.cmp(&b.0));
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for t in calls {
            if !seen.insert((t.loc.file.clone(), t.loc.line)) {
                continue;
            }
            let Some(name) = t.args.first().and_then(|v| v.as_str()).map(|n| qualified(table_schema(&t), n)) else {
                self.diags.push(Diagnostic::new(
                    Code::DynamicTableName,
                    &t.loc.file,
                    t.loc.line,
                    format!("the name of the table built by `{}` is computed at run time", short(&t.text)),
                ));
                continue;
            };
            if models.iter().any(|(_, m)| m.table_source == "table_object" && m.table.as_deref() == Some(&name)) {
                continue;
            }
            // One table that a `Table(...)` declares and a model extends (`extend_existing`): the
            // model's, whichever comes first.
            let extends = self.extended_tables.contains(&name)
                || t.kwarg("extend_existing").and_then(|v| v.truth()) == Some(true);
            if extends && models.iter().any(|(_, m)| m.table.as_deref() == Some(&name)) {
                continue;
            }
            let owner = format!("table:{name}");
            let (columns, constraints) = self.table_columns(&t, &owner);
            // `Table("x", metadata, autoload_with=engine)`: the columns come from the database.
            let reflected =
                t.kwarg("autoload_with").is_some() || t.kwarg("autoload").and_then(|v| v.truth()).unwrap_or(false);
            if reflected && columns.is_empty() {
                self.diags.push(
                    Diagnostic::new(
                        Code::DynamicModel,
                        &t.loc.file,
                        t.loc.line,
                        format!(
                            "table `{name}` is reflected from the database at run time: its columns are not in the code, so it is not in the inventory"
                        ),
                    )
                    .with_help(crate::inventory::sqla::REFLECTION_HELP),
                );
                continue;
            }
            let variable = variables.iter().find(|(_, v)| Rc::ptr_eq(v, &t)).map(|(n, _)| n.clone());
            out.push(TableDef { name, variable, location: t.loc.clone(), columns, constraints, used_by: vec![] });
        }
        out.sort_by(|a, b| (&a.name, &a.location).cmp(&(&b.name, &b.location)));
        out
    }
}

/// What the arguments of a `Column(...)`/`mapped_column(...)` say: `Column("name", Type,
/// ForeignKey(...), Identity(), ...)`, with `name=` and `type_=` as keywords.
struct ColumnArgs {
    name: Option<String>,
    type_value: Option<Value>,
    /// The type's source text when its value is unknown (a library's type).
    type_src: Option<String>,
    foreign_key: Option<ForeignKeyRef>,
    identity: bool,
    computed: Option<ComputedColumn>,
}

impl ColumnArgs {
    fn read(s: &SqlaCall) -> ColumnArgs {
        let mut out = ColumnArgs {
            name: None,
            type_value: s.kwarg("type_").cloned(),
            type_src: s
                .kwarg("type_")
                .filter(|v| v.is_unknown())
                .and_then(|_| s.kwarg_text("type_"))
                .map(str::to_string),
            foreign_key: None,
            identity: false,
            computed: None,
        };
        for (i, a) in s.args.iter().enumerate() {
            match a {
                Value::Str(n) if i == 0 => out.name = Some(n.to_string()),
                // SQLAlchemy keeps every key; the first is the column's, the others are listed.
                Value::Sqla(x) if x.name == "ForeignKey" => match &mut out.foreign_key {
                    Some(first) => first.more.push(x.text.to_string()),
                    None => out.foreign_key = foreign_key(x),
                },
                Value::Sqla(x) if x.name == "Identity" => out.identity = true,
                Value::Sqla(x) if x.name == "Computed" => {
                    out.computed = Some(ComputedColumn {
                        sql: x.args.first().and_then(|v| v.as_str()).map(str::to_string),
                        persisted: x.kwarg("persisted").and_then(|v| v.truth()),
                        source: x.text.to_string(),
                    })
                }
                Value::Sqla(x) if matches!(x.name.as_str(), "Sequence" | "CheckConstraint" | "DefaultClause") => {}
                other if out.type_value.is_none() => {
                    out.type_value = Some(other.clone());
                    out.type_src = s.unknown_arg_text(i).map(str::to_string);
                }
                _ => {}
            }
        }
        if let Some(Value::Str(n)) = s.kwarg("name") {
            out.name = Some(n.to_string());
        }
        out
    }
}

/// Key, uniqueness, index, nullability (SQLAlchemy's rule: explicit `nullable=`, else false for
/// a primary key, else `fallback_nullable`), defaults and comment of a `Column`/`mapped_column`.
fn column_options(s: &SqlaCall, col: &mut Column, fallback_nullable: bool) {
    let flag = |k: &str| s.kwarg(k).and_then(|v| v.truth());
    col.primary_key = flag("primary_key").unwrap_or(false);
    col.unique = flag("unique").unwrap_or(false);
    col.index = flag("index").unwrap_or(false);
    col.nullable = flag("nullable").unwrap_or(!col.primary_key && fallback_nullable);
    if let Some(v) = s.kwarg("autoincrement") {
        col.autoincrement = v.to_json();
    }
    let text = |k: &str| s.kwarg_text(k).unwrap_or("");
    col.default = match s.kwarg("default") {
        Some(v) => Some(Box::new(default_value(v, text("default")))),
        None => s.kwarg("insert_default").map(|v| Box::new(default_value(v, text("insert_default")))),
    };
    col.server_default = match s.kwarg("server_default") {
        Some(v) => Some(Box::new(default_value(v, text("server_default")))),
        // `Column(DateTime, DefaultClause(func.now()))`: the server default given positionally.
        None => s.args.iter().find_map(|a| match a {
            Value::Sqla(x) if x.name == "DefaultClause" => {
                let inner = x.arg(0, "arg")?;
                let source = match inner {
                    Value::Sqla(i) => i.text.as_str(),
                    _ => x.text.as_str(),
                };
                Some(Box::new(default_value(inner, source)))
            }
            _ => None,
        }),
    };
    col.onupdate = s.kwarg("onupdate").map(|v| Box::new(default_value(v, text("onupdate"))));
    col.comment = s.kwarg("comment").and_then(|v| v.as_str()).map(str::to_string);
}

/// The column an index names, and whether in descending order: `col`, `col.desc()`, `col.asc()`.
fn ordered_column(v: &Value) -> Option<(&Rc<SqlaCall>, bool)> {
    match v {
        Value::Sqla(c) if matches!(c.name.as_str(), "desc" | "asc") => match c.args.first() {
            Some(Value::Sqla(inner)) => Some((inner, c.name == "desc")),
            _ => None,
        },
        Value::Sqla(c) => Some((c, false)),
        _ => None,
    }
}

/// `Table(..., schema="events")`.
fn table_schema(t: &SqlaCall) -> Option<&str> {
    t.kwarg("schema").and_then(|v| v.as_str())
}

/// A table's name with its schema (`events.roles`), as SQLAlchemy's `Table.fullname`.
fn qualified(schema: Option<&str>, name: &str) -> String {
    match schema {
        Some(s) if !s.is_empty() => format!("{s}.{name}"),
        _ => name.to_string(),
    }
}

fn short(s: &str) -> String {
    if s.len() > 60 {
        let mut end = 57;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}...", &s[..end])
    } else {
        s.to_string()
    }
}

fn is_plain_column(s: &SqlaCall) -> bool {
    matches!(s.args.first(), Some(Value::Sqla(c)) if matches!(c.name.as_str(), "Column" | "mapped_column"))
        && s.args.len() == 1
}

fn foreign_key(x: &SqlaCall) -> Option<ForeignKeyRef> {
    let spec = x.arg(0, "column")?;
    if spec.is_unknown() {
        // Computed at run time (`ForeignKey(prefix("users.id"))`): kept, with an unknown target.
        return Some(ForeignKeyRef { table: String::new(), column: String::new(), ..Default::default() });
    }
    let (table, column) = match spec {
        Value::Str(s) => {
            let parts: Vec<&str> = s.rsplitn(2, '.').collect();
            if parts.len() != 2 {
                return None;
            }
            // `schema.table.column` keeps the schema: two schemas may hold tables of one name.
            (parts[1].to_string(), parts[0].to_string())
        }
        // `ForeignKey(User.id)`: resolved once the models are known.
        Value::Sqla(c) if matches!(c.name.as_str(), "Column" | "mapped_column") => {
            (format!("@{:p}", Rc::as_ptr(c)), String::new())
        }
        _ => return None,
    };
    Some(ForeignKeyRef {
        table,
        column,
        model: None,
        ondelete: x.kwarg("ondelete").and_then(|v| v.as_str()).map(|s| s.to_uppercase()),
        onupdate: x.kwarg("onupdate").and_then(|v| v.as_str()).map(|s| s.to_uppercase()),
        more: Vec::new(),
    })
}

fn default_value(v: &Value, source: &str) -> DefaultValue {
    let (kind, value, callable) = match v {
        Value::Sqla(s) if s.name == "false" || s.name == "true" => {
            ("literal", Some(serde_json::Value::Bool(s.name == "true")), None)
        }
        Value::Sqla(s) if s.name.starts_with("func.") || s.name == "text" || s.name == "literal" => ("sql", None, None),
        Value::External(p) => ("callable", None, Some(p.to_string())),
        Value::Function(f) => ("callable", None, Some(f.path())),
        Value::Class(k) => ("callable", None, Some(k.path())),
        other => match other.to_json() {
            Some(j) => ("literal", Some(j), None),
            None => ("expression", None, None),
        },
    };
    DefaultValue { kind: kind.into(), value, callable, source: source.to_string() }
}

fn json_arg(v: &Value) -> serde_json::Value {
    match v {
        Value::Class(k) if is_enum_class(k) => {
            let members: Vec<serde_json::Value> = k
                .order()
                .into_iter()
                .filter(|n| !n.starts_with('_'))
                .filter_map(|n| {
                    let val = k.attrs().get(n).cloned()?;
                    let j = val.to_json()?;
                    Some(serde_json::json!([n, j]))
                })
                .collect();
            serde_json::json!({"enum": k.path(), "members": members})
        }
        Value::External(p) => match sqla_name(p) {
            Some(n) => serde_json::json!({"type": n}),
            None => serde_json::json!({"external": p.to_string()}),
        },
        Value::Sqla(s) => {
            let mut j = serde_json::json!({"type": s.name.as_str(), "source": s.text.as_str()});
            // The arguments of a type given as an argument (`ARRAY(String(50))`).
            if !s.args.is_empty() {
                j["args"] = s.args.iter().map(json_arg).collect();
            }
            if !s.kwargs.is_empty() {
                j["kwargs"] = s.kwargs.iter().map(|(k, v)| (k.to_string(), json_arg(v))).collect();
            }
            j
        }
        other => other.to_json().unwrap_or(serde_json::Value::Null),
    }
}

fn is_enum_class(k: &Rc<Class>) -> bool {
    let mut bases = Vec::new();
    crate::inventory::interp::external_bases(k, &mut bases);
    bases.iter().any(|b| b.starts_with("enum."))
}

/// `Mapped[X]` → `X` (also `orm.Mapped[X]`, `sa.orm.Mapped[X]`, a string annotation is not read).
fn mapped_inner(ann: &Expr) -> Option<&Expr> {
    match ann {
        Expr::Subscript { value, index } => {
            let d = value.dotted()?;
            let last = d.rsplit('.').next().unwrap_or(&d);
            matches!(last, "Mapped" | "WriteOnlyMapped" | "DynamicMapped").then_some(index.as_ref())
        }
        _ => None,
    }
}

/// `Optional[X]`, `X | None`, `Union[X, None]` → (`X`, true).
fn strip_optional(e: &Expr) -> (&Expr, bool) {
    match e {
        Expr::Subscript { value, index } => {
            let d = value.dotted().unwrap_or_default();
            if d == "Optional" || d.ends_with(".Optional") {
                return (index.as_ref(), true);
            }
            if d == "Union" || d.ends_with(".Union") {
                if let Expr::Tuple(items) = index.as_ref() {
                    let rest: Vec<&Expr> = items.iter().filter(|i| !matches!(i, Expr::NoneLit)).collect();
                    if rest.len() == 1 && items.len() == 2 {
                        return (rest[0], true);
                    }
                }
            }
            (e, false)
        }
        Expr::BinOp { left, op: BinOp::BitOr, right } => match (left.as_ref(), right.as_ref()) {
            (x, Expr::NoneLit) | (Expr::NoneLit, x) => (x, true),
            _ => (e, false),
        },
        _ => (e, false),
    }
}

fn is_relationship_annotation(inner: &Expr) -> bool {
    let (inner, _) = strip_optional(inner);
    match inner {
        Expr::Str(_) => true,
        Expr::Subscript { value, .. } => {
            let d = value.dotted().unwrap_or_default();
            let last = d.rsplit('.').next().unwrap_or("");
            matches!(last, "List" | "list" | "Set" | "set" | "WriteOnlyMapped" | "DynamicMapped")
        }
        Expr::Name(n) => n.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && !is_type_name(n),
        _ => false,
    }
}

fn is_type_name(n: &str) -> bool {
    matches!(n, "Decimal" | "UUID" | "Any")
}

/// `List["Child"]` → (`Child`, true); `"Parent"` → (`Parent`, false).
fn collection_target(e: &Expr) -> (String, bool) {
    match e {
        Expr::Str(s) => (s.to_string(), false),
        Expr::Name(n) => (n.to_string(), false),
        Expr::Subscript { value, index } => {
            let d = value.dotted().unwrap_or_default();
            let last = d.rsplit('.').next().unwrap_or("");
            let list = matches!(last, "List" | "list" | "Set" | "set" | "WriteOnlyMapped" | "DynamicMapped");
            let (t, _) = collection_target(index);
            (t, list)
        }
        other => (other.to_string(), false),
    }
}

/// Names a class body defines (assignments, annotations, functions), in order.
fn class_names(k: &Rc<Class>) -> Vec<String> {
    let attrs = k.attrs();
    let mut out: Vec<String> = Vec::new();
    for (n, bare) in k.body_names() {
        if (bare || attrs.contains_key(n)) && !out.iter().any(|o| o == n) {
            out.push(n.to_string());
        }
    }
    out
}

fn annotations_of(k: &Rc<Class>) -> HashMap<String, (Expr, u32)> {
    let mut out = HashMap::new();
    for s in &k.def.body {
        match s {
            Stmt::Assign { targets, annotation: Some(a), line, .. } => {
                if let Some(Expr::Name(n)) = targets.first() {
                    out.insert(n.to_string(), (a.as_ref().clone(), *line));
                }
            }
            Stmt::Annotated { target: Expr::Name(n), annotation, line } => {
                out.insert(n.to_string(), (annotation.as_ref().clone(), *line));
            }
            _ => {}
        }
    }
    out
}

fn definition_line(k: &Rc<Class>, name: &str) -> Option<u32> {
    for s in &k.def.body {
        match s {
            Stmt::Assign { targets, line, .. } if targets.iter().any(|t| matches!(t, Expr::Name(n) if n == name)) => {
                return Some(*line)
            }
            Stmt::Annotated { target: Expr::Name(n), line, .. } if n == name => return Some(*line),
            Stmt::FunctionDef(f) if f.name == name => return Some(f.line),
            _ => {}
        }
    }
    None
}

/// Foreign-key targets to models, relationship targets, association tables' users, and reverse
/// relationships declared by `backref`.
fn resolve_references(
    models: &mut [Model],
    tables: &mut [TableDef],
    column_owner: &[(Rc<SqlaCall>, String, String)],
    diags: &mut Vec<Diagnostic>,
) {
    let table_model: HashMap<String, String> = models
        .iter()
        .filter(|m| m.inheritance.as_ref().map_or(true, |i| i.kind == "joined"))
        .filter_map(|m| m.table.clone().map(|t| (t, m.path.clone())))
        .collect();
    let path_table: HashMap<String, String> =
        models.iter().filter_map(|m| m.table.clone().map(|t| (m.path.clone(), t))).collect();
    let models_tables: &[(String, String)] =
        &models.iter().filter_map(|m| m.table.clone().map(|t| (m.path.clone(), t))).collect::<Vec<_>>();
    let by_name: HashMap<String, Vec<String>> = models.iter().fold(HashMap::new(), |mut acc, m| {
        acc.entry(m.name.clone()).or_default().push(m.path.clone());
        acc
    });
    // A key names its table with or without the schema; a name that is no table's as written
    // is looked up without its schema (`public.users` for `users`).
    let known_tables: HashSet<String> =
        models.iter().filter_map(|m| m.table.clone()).chain(tables.iter().map(|t| t.name.clone())).collect();
    let unqualify = |fk: &mut ForeignKeyRef| {
        if !known_tables.contains(&fk.table) {
            if let Some((_, bare)) = fk.table.split_once('.') {
                if known_tables.contains(bare) {
                    fk.table = bare.to_string();
                }
            }
        }
    };
    for t in tables.iter_mut() {
        for col in t.columns.iter_mut() {
            if let Some(fk) = col.foreign_key.as_mut() {
                unqualify(fk);
                fk.model = table_model.get(&fk.table).cloned();
            }
        }
    }
    for m in models.iter_mut() {
        for col in m.columns.iter_mut() {
            let Some(fk) = col.foreign_key.as_mut() else {
                continue;
            };
            // `ForeignKey(Endpoint.id)`: the model is known even when its table name is computed.
            let mut owner_model = None;
            if let Some(ptr) = fk.table.strip_prefix('@') {
                if let Some((_, owner, name)) =
                    column_owner.iter().find(|(c, _, _)| format!("{:p}", Rc::as_ptr(c)) == ptr)
                {
                    fk.table = path_table.get(owner).cloned().unwrap_or_default();
                    fk.column = name.clone();
                    owner_model = Some(owner.clone());
                }
            }
            unqualify(fk);
            fk.model = table_model.get(&fk.table).cloned().or(owner_model);
            if fk.table.is_empty() && fk.model.is_none() {
                diags.push(
                    Diagnostic::new(
                        Code::UnresolvedForeignKey,
                        &col.location.file,
                        col.location.line,
                        format!(
                            "the target of the foreign key of column `{}` of `{}` is computed at run time",
                            col.name, m.name
                        ),
                    )
                    .with_help("write the target as a string literal `table.column`"),
                );
                continue;
            }
            if fk.model.is_none() && !tables.iter().any(|t| t.name == fk.table) {
                diags.push(Diagnostic::new(
                    Code::UnresolvedForeignKey,
                    &col.location.file,
                    col.location.line,
                    format!(
                        "column `{}` of `{}` references `{}.{}`, a table no model or `Table` of the project defines",
                        col.name, m.name, fk.table, fk.column
                    ),
                ));
            }
        }
        let module = m.path.rsplit_once('.').map_or("", |(p, _)| p).to_string();
        for r in m.relationships.iter_mut() {
            if let Some(sec) = r.secondary.clone().filter(|s| !tables.iter().any(|t| &t.name == s)) {
                r.secondary = secondary_table(&sec, &module, tables, models_tables).or(r.secondary.take());
            }
            if let Some(sec) = &r.secondary {
                if let Some(t) = tables.iter_mut().find(|t| &t.name == sec) {
                    t.used_by.push(format!("{}.{}", m.path, r.attribute));
                }
            }
            let name = r.target.rsplit('.').next().unwrap_or(&r.target).to_string();
            r.model = match by_name.get(&name) {
                Some(paths) if paths.len() == 1 => Some(paths[0].clone()),
                Some(paths) => paths.iter().find(|p| p.ends_with(&r.target)).cloned(),
                None => None,
            };
        }
    }
}

/// The table a `secondary=` written other than as the table's name or variable stands for:
/// `lambda: tags` (the lambda SQLAlchemy calls once every module is loaded), `Link.__table__`
/// (a model's table), each also with a module path. `module` is the relationship's module: a
/// variable of that module is taken before one of the same name elsewhere.
fn secondary_table(text: &str, module: &str, tables: &[TableDef], models: &[(String, String)]) -> Option<String> {
    let e = text.trim();
    let e = e.strip_prefix("lambda").map(|r| r.trim_start().strip_prefix(':').unwrap_or(r).trim()).unwrap_or(e);
    let e = e.trim_matches(|c| c == '(' || c == ')').trim();
    if !e.split('.').all(|p| !p.is_empty() && p.chars().all(|c| c.is_alphanumeric() || c == '_')) {
        return None;
    }
    if let Some(class) = e.strip_suffix(".__table__") {
        let class = class.rsplit('.').next().unwrap_or(class);
        let mut found = models.iter().filter(|(p, _)| p.rsplit('.').next() == Some(class));
        let local = found.clone().find(|(p, _)| p.rsplit_once('.').map(|(m, _)| m) == Some(module));
        return local.or_else(|| found.next()).map(|(_, t)| t.clone());
    }
    let var = e.rsplit('.').next().unwrap_or(e);
    let by_var = |t: &&TableDef| t.variable.as_deref().and_then(|v| v.rsplit_once('.')).is_some_and(|(_, n)| n == var);
    let local = tables.iter().filter(by_var).find(|t| t.variable.as_deref() == Some(&format!("{module}.{var}")));
    local.or_else(|| tables.iter().find(by_var)).map(|t| t.name.clone())
}

fn attach_events(
    models: &mut [Model],
    events: &[crate::inventory::sqla::EventListener],
    column_owner: &[(Rc<SqlaCall>, String, String)],
) {
    for e in events {
        let target = match &e.target {
            Value::Class(k) => Some((k.path(), None)),
            Value::Sqla(c) => {
                column_owner.iter().find(|(x, _, _)| Rc::ptr_eq(x, c)).map(|(_, m, n)| (m.clone(), Some(n.clone())))
            }
            _ => None,
        };
        let Some((path, column)) = target else {
            continue;
        };
        if let Some(m) = models.iter_mut().find(|m| m.path == path) {
            m.members.push(ModelMember {
                name: e.function.clone().unwrap_or_else(|| "<listener>".into()),
                kind: "event_listener".into(),
                detail: Some(match column {
                    Some(c) => format!("{} on column {c}", e.event),
                    None => e.event.clone(),
                }),
                location: e.loc.clone(),
            });
        }
    }
}

/// What [`usage_counts`] needs of the inventory: the model names, and the blueprints whose
/// views each file defines.
pub struct UsageQuery {
    wanted: std::collections::HashSet<String>,
    files: BTreeMap<String, std::collections::BTreeSet<std::sync::Arc<str>>>,
}

pub fn usage_query(models: &[Model], routes: &[Route]) -> UsageQuery {
    let mut files: BTreeMap<String, std::collections::BTreeSet<std::sync::Arc<str>>> = BTreeMap::new();
    let mut names: std::collections::HashSet<std::sync::Arc<str>> = Default::default();
    if !models.is_empty() {
        for r in routes {
            if let (Some(bp), Some(loc)) = (r.blueprint.as_deref(), r.view_location.as_ref()) {
                let bp = match names.get(bp) {
                    Some(n) => n.clone(),
                    None => {
                        let n: std::sync::Arc<str> = bp.into();
                        names.insert(n.clone());
                        n
                    }
                };
                files.entry(loc.file.to_string()).or_default().insert(bp);
            }
        }
    }
    UsageQuery { wanted: models.iter().map(|m| m.name.clone()).collect(), files }
}

/// Model name -> blueprint -> how often the modules defining the blueprint's views mention it.
pub type UsageCounts = HashMap<String, BTreeMap<std::sync::Arc<str>, usize>>;

/// For each model name, how often the modules defining each blueprint's views mention it.
/// Reads only the syntax trees, so it can run beside the interpreter's thread.
pub fn usage_counts(q: &UsageQuery, modules: &HashMap<String, crate::inventory::interp::ModuleSrc>) -> UsageCounts {
    let mut counts: UsageCounts = HashMap::new();
    if q.wanted.is_empty() {
        return counts;
    }
    for m in modules.values() {
        let Some(bps) = q.files.get(m.rel.as_str()) else { continue };
        // A module's names are distinct, each with its count.
        for (name, n) in m.names().iter().filter(|(n, _)| q.wanted.contains(*n)) {
            let per_bp = counts.entry(name.to_string()).or_default();
            for bp in bps {
                *per_bp.entry(bp.clone()).or_default() += n as usize;
            }
        }
    }
    counts
}

/// Records [`usage_counts`] in each model's `used_by`: the counts are by class name, so the
/// models of one name share one map.
pub fn apply_usage(models: &mut [Model], counts: UsageCounts) {
    let shared: HashMap<String, std::sync::Arc<BTreeMap<std::sync::Arc<str>, usize>>> =
        counts.into_iter().map(|(name, per_bp)| (name, std::sync::Arc::new(per_bp))).collect();
    for m in models.iter_mut() {
        if let Some(per_bp) = shared.get(&m.name) {
            m.used_by = per_bp.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_names_follow_flask_sqlalchemy_3() {
        for (name, want) in [
            ("ABC", "abc"),
            ("HTMLLayout", "html_layout"),
            ("LayoutHTML", "layout_html"),
            ("HTTP2Request", "http2_request"),
            ("Snake_Case", "snake__case"),
            ("A1", "a1"),
            ("1A", "1_a"),
            ("UserProfile", "user_profile"),
            ("APIKey", "api_key"),
            ("User", "user"),
        ] {
            assert_eq!(snake_case_v3(name), want, "{name}");
        }
    }

    #[test]
    fn table_names_follow_flask_sqlalchemy_2() {
        for (name, want) in [
            ("ABC", "ABC"),
            ("PreABC", "preABC"),
            ("UserProfile", "user_profile"),
            ("APIKey", "api_key"),
            ("HTMLLayout", "html_layout"),
            ("User", "user"),
        ] {
            assert_eq!(snake_case_v2(name), want, "{name}");
        }
    }

    #[test]
    fn pinned_versions() {
        assert_eq!(major_from_spec("==2.5.1"), Some(2));
        assert_eq!(major_from_spec(">=2.4,<3"), Some(2));
        assert_eq!(major_from_spec("~=3.0"), Some(3));
        assert_eq!(major_from_spec("version = \"2.5.1\""), Some(2));
        assert_eq!(major_from_spec(""), None);
    }
}
