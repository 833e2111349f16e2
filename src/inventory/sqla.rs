//! What SQLAlchemy and Flask-SQLAlchemy do when the project calls them while the module is run:
//! columns, types, relationships, tables, declarative bases and the decorators of a model class
//! become [`SqlaCall`] values that [`super::models`] reads once interpretation is over.

use std::collections::HashSet;
use std::rc::Rc;

use crate::diagnostics::{Code, Diagnostic};
use crate::inventory::interp::{Call, Interp};
use crate::inventory::model::Location;
use crate::inventory::values::*;
use crate::parse::ast::{Expr, SmallStr};
use compact_str::ToCompactString;

/// What running the project left behind besides the classes themselves.
#[derive(Debug, Default)]
pub struct SqlaLog {
    /// `Table(...)` / `db.Table(...)` calls, in order.
    pub tables: Vec<Rc<SqlaCall>>,
    /// `Index(...)` calls, in order: in `__table_args__`, or on their own beside a `Table` or in
    /// a class body, where the index belongs to the table of its columns.
    pub indexes: Vec<Rc<SqlaCall>>,
    /// `@event.listens_for(Target, "name")` and `event.listen(Target, "name", fn)`.
    pub events: Vec<EventListener>,
    /// Classes made declarative bases by `@as_declarative()`.
    pub bases: Vec<Rc<Class>>,
    /// Classes mapped by `@mapper_registry.mapped`.
    pub mapped: Vec<Rc<Class>>,
}

#[derive(Debug, Clone)]
pub struct EventListener {
    pub target: Value,
    pub event: String,
    pub function: Option<String>,
    pub loc: Location,
}

/// Module prefixes under which SQLAlchemy exports the names the inventory knows, longest first.
const SQLA_PREFIXES: [&str; 17] = [
    "sqlalchemy.ext.declarative.api.",
    "sqlalchemy.ext.associationproxy.",
    "sqlalchemy.ext.declarative.",
    // Its `Column`, `Table` and `mapped_column` wrap SQLAlchemy's with options for its own test
    // suite, which some applications import by mistake.
    "sqlalchemy.testing.schema.",
    "sqlalchemy.sql.expression.",
    "sqlalchemy.orm.decl_api.",
    "sqlalchemy.sql.functions.",
    "sqlalchemy.ext.mutable.",
    "sqlalchemy.sql.sqltypes.",
    "sqlalchemy.ext.hybrid.",
    "sqlalchemy.sql.schema.",
    "sqlalchemy.types.",
    "sqlalchemy.schema.",
    "sqlalchemy.orm.",
    "sqlalchemy.sql.",
    "flask_sqlalchemy.",
    "sqlalchemy.",
];

/// Canonical SQLAlchemy name of an import path, or None when it is not SQLAlchemy's.
///
/// `sqlalchemy.orm.relationship` → `relationship`, `sqlalchemy.dialects.postgresql.JSONB` →
/// `postgresql.JSONB`, `sqlalchemy_utils.types.uuid.UUIDType` → `sqlalchemy_utils.UUIDType`.
pub fn sqla_name(path: &str) -> Option<String> {
    if let Some(rest) = path.strip_prefix("sqlalchemy.dialects.") {
        let mut parts = rest.split('.');
        let dialect = parts.next()?;
        let last = rest.rsplit('.').next()?;
        return Some(format!("{dialect}.{last}"));
    }
    if let Some(rest) = path.strip_prefix("sqlalchemy_utils.") {
        return Some(format!("sqlalchemy_utils.{}", rest.rsplit('.').next()?));
    }
    if let Some(rest) = path.strip_prefix("sqlalchemy.sql.functions.") {
        return Some(format!("func.{rest}"));
    }
    if path == "flask_sqlalchemy.model.Model" || path == "flask_sqlalchemy.Model" {
        return Some("flask_sqlalchemy.Model".into());
    }
    for p in SQLA_PREFIXES {
        if let Some(rest) = path.strip_prefix(p) {
            if p == "flask_sqlalchemy." {
                return None;
            }
            return Some(rest.to_string());
        }
    }
    None
}

/// True for the Flask-SQLAlchemy extension class.
pub fn is_flask_sqlalchemy(class: &str) -> bool {
    matches!(class, "flask_sqlalchemy.SQLAlchemy" | "flask_sqlalchemy.extension.SQLAlchemy")
}

/// An attribute of a Flask-SQLAlchemy object (`db.Column`, `db.relationship`, `db.Model`).
pub fn extension_attr(ext: ObjId, attr: &str) -> Option<Value> {
    match attr {
        "Model" => Some(Value::Sqla(Rc::new(SqlaCall {
            text: "db.Model".into(),
            called: false,
            ..SqlaCall::synthetic("flask_sqlalchemy.Model", vec![Value::Obj(ext)])
        }))),
        "session"
        | "engine"
        | "engines"
        | "metadata"
        | "metadatas"
        | "init_app"
        | "create_all"
        | "drop_all"
        | "reflect"
        | "get_engine"
        | "get_or_404"
        | "first_or_404"
        | "one_or_404"
        | "paginate"
        | "get_tables_for_bind" => None,
        "Table" => Some(Value::External(Rc::from("sqlalchemy.Table"))),
        a if a.starts_with('_') => None,
        "relationship" | "backref" | "dynamic_loader" | "column_property" | "synonym" | "deferred" | "composite"
        | "declared_attr" | "validates" | "mapped_column" | "Mapped" | "registry" => {
            Some(Value::External(Rc::from(format!("sqlalchemy.orm.{attr}").as_str())))
        }
        a => Some(Value::External(Rc::from(format!("sqlalchemy.{a}").as_str()))),
    }
}

/// A call of an external name: a SQLAlchemy construct, or None when the name is not SQLAlchemy's.
pub fn call_external(interp: &mut Interp, path: &str, call: &Call<'_>) -> Option<Value> {
    if path == "builtins.type" && call.args.len() == 3 {
        let model_base = call.args[1].elements().unwrap_or_default().iter().any(|b| match b {
            Value::Sqla(s) => matches!(s.name.as_str(), "flask_sqlalchemy.Model" | "declarative_base"),
            Value::Class(c) => c.bases.iter().any(|b| matches!(b, Value::Sqla(_))),
            _ => false,
        });
        if model_base {
            let name = call.args[0].as_str().map(|n| format!("`{n}`")).unwrap_or_else(|| "a class".into());
            interp.diags.push(
                Diagnostic::new(
                    Code::DynamicModel,
                    &*call.file,
                    call.line,
                    format!("{name} is a model class built with type() at run time; it is not in the inventory"),
                )
                .with_help("write the model as a class statement"),
            );
        }
        return Some(Value::Unknown);
    }
    let name = sqla_name(path)?;
    match name.as_str() {
        // sandman2's `automap_base(db.Model)`: `prepare()` maps a class for each table of the
        // database it connects to.
        "ext.automap.automap_base" => {
            interp.diags.push(
                Diagnostic::new(
                    Code::DynamicModel,
                    &*call.file,
                    call.line,
                    "automap_base() maps a model class for each table of the database when its prepare() runs: the models come from the database at run time and are not in the inventory",
                )
                .with_help(REFLECTION_HELP),
            );
        }
        "event.listen" => {
            if let (Some(target), Some(event)) = (call.args.first(), call.args.get(1).and_then(|v| v.as_str())) {
                let function = match call.args.get(2) {
                    Some(Value::Function(f)) => Some(f.path()),
                    _ => None,
                };
                interp.sqla.events.push(EventListener {
                    target: target.clone(),
                    event: event.to_string(),
                    function,
                    loc: call.loc(),
                });
            }
            return Some(Value::NoneV);
        }
        "as_declarative" => {}
        // `MutableDict.as_mutable(JSON)`: change tracking on the same column type.
        n if n.ends_with(".as_mutable") => return call.args.first().cloned(),
        _ => {}
    }
    let kwarg_src = match call.expr {
        Expr::Call(c) => {
            // A `functools.partial`'s keywords first: the call's own override them.
            let partial = call
                .partial_src
                .iter()
                .flat_map(|p| p.iter())
                .filter(|(k, _)| !c.keywords.iter().any(|x| x.arg.as_deref() == Some(k.as_str())))
                .map(|(k, text)| (SmallStr::from(k.as_str()), SmallStr::from(text.as_str())));
            let keywords = partial.chain(
                c.keywords.iter().filter_map(|k| k.arg.as_ref().map(|a| (a.clone(), k.value.to_compact_string()))),
            );
            // Positions are only known without a `*args` in the call.
            let unknown = (c.args.len() == call.args.len())
                .then(|| {
                    call.args
                        .iter()
                        .zip(c.args.iter())
                        .enumerate()
                        .filter(|(_, (v, _))| v.is_unknown())
                        .map(|(i, (_, e))| (SmallStr::from(i.to_string()), e.to_compact_string()))
                })
                .into_iter()
                .flatten();
            keywords.chain(unknown).collect()
        }
        _ => Box::default(),
    };
    let v = Rc::new(SqlaCall {
        name: name.into(),
        args: call.args.clone(),
        kwargs: compact_kwargs(&call.kwargs),
        loc: call.loc(),
        text: call.expr.to_compact_string(),
        kwarg_src,
        called: true,
    });
    match v.name.as_str() {
        "Table" => interp.sqla.tables.push(v.clone()),
        "Index" => interp.sqla.indexes.push(v.clone()),
        // A constraint given its table (`CheckConstraint(..., table=Model.__table__)`) is that
        // table's, wherever it is written.
        "CheckConstraint" | "UniqueConstraint" if v.kwarg("table").is_some() => interp.sqla.indexes.push(v.clone()),
        _ => {}
    }
    Some(Value::Sqla(v))
}

/// The help of every FD403 about tables read from the database at run time, which marks them
/// for the generated MIGRATION.md.
pub const REFLECTION_HELP: &str =
    "declare the tables in the code, or write their models by hand (`python manage.py inspectdb` prints them from the database)";

/// `metadata.reflect(engine)`, `Base.metadata.reflect()`, `db.reflect()` (Flask-SQLAlchemy): the
/// tables of the database become tables of the metadata when the call runs (FD403). `receiver`
/// is what the method is called on, `is_flask_sqlalchemy` says it is a Flask-SQLAlchemy object.
pub fn reflect_call(interp: &mut Interp, receiver: &Value, is_flask_sqlalchemy: bool, call: &Call<'_>) {
    let on_metadata = match receiver {
        Value::Sqla(s) => s.name == "MetaData",
        Value::Method(m) => m.1 == "metadata",
        _ => false,
    } || matches!(call.expr, Expr::Call(c) if matches!(&c.func, Expr::Attribute(a)
        if a.value.dotted().is_some_and(|d| d == "metadata" || d.ends_with(".metadata"))));
    if !on_metadata && !is_flask_sqlalchemy {
        return;
    }
    interp.diags.push(
        Diagnostic::new(
            Code::DynamicModel,
            &*call.file,
            call.line,
            format!(
                "`{}` reads the tables of the database at run time: the tables it reflects are not in the inventory",
                call.expr
            ),
        )
        .with_help(REFLECTION_HELP),
    );
}

/// A call's keyword arguments as a [`SqlaCall`] keeps them.
fn compact_kwargs(kwargs: &[(String, Value)]) -> Box<[(SmallStr, Value)]> {
    kwargs.iter().map(|(k, v)| (SmallStr::from(k.as_str()), v.clone())).collect()
}

/// An attribute of a SQLAlchemy value.
pub fn get_attr(s: &Rc<SqlaCall>, attr: &str) -> Value {
    match (s.name.as_str(), attr) {
        ("registry", "mapped") => Value::Sqla(Rc::new(SqlaCall {
            loc: s.loc.clone(),
            called: false,
            ..SqlaCall::synthetic("registry.mapped", vec![])
        })),
        // `table.c.user_id`: the `Column` the table was built with.
        ("Table", "c" | "columns") => Value::Sqla(Rc::new(SqlaCall {
            loc: s.loc.clone(),
            called: false,
            ..SqlaCall::synthetic("Table.c", vec![Value::Sqla(s.clone())])
        })),
        ("Model.__table__", "c" | "columns") => Value::Sqla(Rc::new(SqlaCall {
            loc: s.loc.clone(),
            called: false,
            ..SqlaCall::synthetic("Model.__table__.c", s.args.clone())
        })),
        // `Model.__table__.c.name`: the class's column of that name (its `Column("name", ...)`,
        // else the attribute), or, for a column declared by its annotation alone, the attribute.
        ("Model.__table__.c", name) => match s.args.first() {
            Some(Value::Class(k)) => {
                let mut by_attr = None;
                for class in super::interp::mro(k) {
                    for (attr, v) in class.attrs().iter() {
                        if let Value::Sqla(c) = v {
                            if !matches!(c.name.as_str(), "Column" | "mapped_column") {
                                continue;
                            }
                            match c.args.first().and_then(Value::as_str) {
                                Some(n) if n == name => return v.clone(),
                                None if attr.as_str() == name && by_attr.is_none() => by_attr = Some(v.clone()),
                                _ => {}
                            }
                        }
                    }
                }
                by_attr.unwrap_or_else(|| Value::Method(Rc::new((Value::Class(k.clone()), name.into()))))
            }
            _ => Value::Unknown,
        },
        ("Table.c", name) => match s.args.first() {
            Some(Value::Sqla(t)) => t
                .args
                .iter()
                .find(|a| matches!(a, Value::Sqla(c) if c.name == "Column" && c.args.first().and_then(Value::as_str) == Some(name)))
                .cloned()
                .unwrap_or(Value::Unknown),
            _ => Value::Unknown,
        },
        _ => Value::Method(Rc::new((Value::Sqla(s.clone()), attr.into()))),
    }
}

/// `Model.__table__` for a class that does not set it: what `.c.<column>` reads.
pub fn model_table(c: &Rc<super::values::Class>) -> Value {
    Value::Sqla(Rc::new(SqlaCall {
        called: false,
        ..SqlaCall::synthetic("Model.__table__", vec![Value::Class(c.clone())])
    }))
}

/// A method call on a SQLAlchemy value.
pub fn call_method(_interp: &mut Interp, s: &Rc<SqlaCall>, name: &str, call: Call<'_>) -> Value {
    match (s.name.as_str(), name) {
        ("registry", "generate_base") => Value::Sqla(Rc::new(SqlaCall {
            kwargs: compact_kwargs(&call.kwargs),
            loc: call.loc(),
            text: call.expr.to_compact_string(),
            ..SqlaCall::synthetic("declarative_base", vec![])
        })),
        // A type with a per-dialect variant keeps its base type.
        (_, "with_variant" | "evaluates_none" | "copy") => Value::Sqla(s.clone()),
        // `Index("ix", column.desc())`: the column, in descending order.
        ("Column" | "mapped_column", "desc" | "asc") => Value::Sqla(Rc::new(SqlaCall {
            loc: call.loc(),
            ..SqlaCall::synthetic(name, vec![Value::Sqla(s.clone())])
        })),
        _ => Value::Unknown,
    }
}

/// A decorator that is an external name (`@declared_attr`, `@hybrid_property`, `@as_declarative`).
pub fn apply_external_decorator(interp: &mut Interp, path: &str, target: Value) -> Value {
    let Some(name) = sqla_name(path) else {
        return target;
    };
    decorate(interp, &name, &[], target)
}

/// A decorator that is a SQLAlchemy value (`@validates("email")`, `@event.listens_for(User, ...)`).
pub fn apply_decorator(interp: &mut Interp, s: &Rc<SqlaCall>, target: Value) -> Value {
    if s.name == "event.listens_for" {
        if let (Some(t), Some(event)) = (s.args.first(), s.args.get(1).and_then(|v| v.as_str())) {
            let function = match &target {
                Value::Function(f) => Some(f.path()),
                _ => None,
            };
            interp.sqla.events.push(EventListener {
                target: t.clone(),
                event: event.to_string(),
                function,
                loc: s.loc.clone(),
            });
        }
        return target;
    }
    decorate(interp, &s.name, &s.args, target)
}

fn decorate(interp: &mut Interp, name: &str, args: &[Value], target: Value) -> Value {
    let wrap = |name: &str| {
        Value::Sqla(Rc::new(SqlaCall::synthetic(
            name,
            std::iter::once(target.clone()).chain(args.iter().cloned()).collect(),
        )))
    };
    match name {
        "declared_attr"
        | "declared_attr.directive"
        | "declared_attr.cascading"
        | "declared_attr.directive.cascading" => wrap("declared_attr"),
        "hybrid_property" | "hybrid_method" => wrap("hybrid_property"),
        "validates" | "reconstructor" => wrap(name),
        "as_declarative" => {
            if let Value::Class(c) = &target {
                interp.sqla.bases.push(c.clone());
            }
            target
        }
        "registry.mapped" => {
            if let Value::Class(c) = &target {
                interp.sqla.mapped.push(c.clone());
            }
            target
        }
        _ => target,
    }
}

/// A subscripted external name (`Annotated[int, mapped_column(...)]`, `dict[str, Any]`), kept as
/// a type expression so annotations and `type_annotation_map` keys can be compared.
pub fn subscript(path: &str, key: &Value) -> Value {
    let args = match key {
        Value::Tuple(items) => items.as_ref().clone(),
        other => vec![other.clone()],
    };
    let name = if path == "typing.Annotated" || path == "typing_extensions.Annotated" {
        "Annotated".to_string()
    } else {
        format!("[]{path}")
    };
    Value::Sqla(Rc::new(SqlaCall { called: false, ..SqlaCall::synthetic(&name, args) }))
}

/// Structural equality of type expressions.
pub fn same_type(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::External(x), Value::External(y)) => x == y,
        (Value::Class(x), Value::Class(y)) => Rc::ptr_eq(x, y),
        (Value::Sqla(x), Value::Sqla(y)) => {
            Rc::ptr_eq(x, y)
                || (x.name == y.name
                    && x.args.len() == y.args.len()
                    && x.args.iter().zip(&y.args).all(|(p, q)| same_type(p, q)))
        }
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::NoneV, Value::NoneV) => true,
        _ => false,
    }
}

/// Forgets every SQLAlchemy value the run made, once the model stage has read them: the stages
/// after it never read one, and on a large project they are tens of megabytes (a column of every
/// model, with its type and arguments). Each becomes unknown, as does a list, tuple or dict
/// holding one (`__table_args__`), in every module's scope and every class's.
pub fn forget(interp: &mut Interp) {
    fn holds_sqla(v: &Value, depth: usize) -> bool {
        match v {
            Value::Sqla(_) => true,
            Value::List(items) | Value::Tuple(items) if depth < 8 => items.iter().any(|x| holds_sqla(x, depth + 1)),
            Value::Dict(items) if depth < 8 => {
                items.iter().any(|(k, x)| holds_sqla(k, depth + 1) || holds_sqla(x, depth + 1))
            }
            _ => false,
        }
    }
    let mut seen: HashSet<*const Scope> = HashSet::new();
    let mut todo: Vec<Rc<Scope>> = interp.loaded.values().cloned().collect();
    while let Some(scope) = todo.pop() {
        if !seen.insert(Rc::as_ptr(&scope)) {
            continue;
        }
        for v in scope.vars.borrow_mut().values_mut() {
            match v {
                Value::Class(c) => todo.push(c.scope.clone()),
                v if holds_sqla(v, 0) => *v = Value::Unknown,
                _ => {}
            }
        }
    }
    interp.sqla = SqlaLog::default();
}
