//! SQLAlchemy models (inventory facts) to Django models that describe the same tables.
//!
//! Every model keeps its table (`Meta.db_table`) and every column its name (`db_column`), type,
//! nullability, key, uniqueness and index, so Django can take over the existing database. What
//! has no Django form is carried as a `TODO` with its source location and a plan item.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::py::{from_json, identifier, Py};
use super::types::{TypeRow, TypeTable};
use crate::inventory::model::{
    Column, ColumnType, Constraint, ForeignKeyRef, Inventory, Location, Model, Relationship, TableDef,
};

/// The Django side of the models: one entry per Django app that holds models.
#[derive(Debug, Clone, Serialize, Default)]
pub struct ModelsPlan {
    pub apps: Vec<AppModels>,
    /// Every model, column, relationship, constraint and member, with its status.
    pub items: Vec<PlanItem>,
    /// `AUTH_USER_MODEL` (`auth_app.User`), when the Flask-Login user model became Django's.
    pub user_model: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AppModels {
    pub label: String,
    pub models: Vec<DjangoModel>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DjangoModel {
    pub name: String,
    /// The Flask-side class (`shop.models.User`) or table (`table:tags`).
    pub source: String,
    #[serde(flatten)]
    pub location: Location,
    /// Base classes, as Python source.
    pub bases: Vec<String>,
    pub fields: Vec<DjangoField>,
    /// `Meta` attributes, in order.
    pub meta: Vec<(String, Py)>,
    /// Comments for what was not carried over.
    pub todos: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DjangoField {
    pub name: String,
    pub value: Py,
    /// Comment lines above the field.
    pub comments: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanItem {
    /// `model`, `column`, `relationship`, `constraint`, `member`, `table`.
    pub kind: String,
    /// `Model.attribute`, `table.column`, ...
    pub name: String,
    #[serde(flatten)]
    pub location: Location,
    /// `auto`, `review` or `manual`.
    pub status: String,
    /// What it became on the Django side.
    pub target: String,
    /// Why it is not `auto`: one reason per line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl PlanItem {
    pub fn new(kind: &str, name: String, loc: &Location, status: &str, target: String, reason: Option<String>) -> Self {
        PlanItem { kind: kind.into(), name, location: loc.clone(), status: status.into(), target, reason }
    }
}

/// The app that holds models that no blueprint claims.
pub const CORE_APP: &str = "core";

/// Where each model goes: model path → app label. Models the views of one blueprint use most go
/// to that blueprint's app; the rest to [`CORE_APP`].
pub type AppAssignment = BTreeMap<String, String>;

pub fn plan(inv: &Inventory, types: &TypeTable, apps: &AppAssignment) -> ModelsPlan {
    let shadowed = shadowed_models(inv);
    if shadowed.is_empty() {
        return Planner::new(inv, types, apps).run();
    }
    // Only the model that describes each table is planned; the others are said to be left out.
    let mut live = Inventory {
        models: inv.models.iter().filter(|m| !shadowed.iter().any(|(s, _)| *s == m.path)).cloned().collect(),
        ..inv.clone()
    };
    // Keys and relationships to a model left out go to the one kept: the same table.
    let kept_for = |path: &mut Option<String>| {
        if let Some((_, kept)) = shadowed.iter().find(|(s, _)| Some(s) == path.as_ref()) {
            *path = Some(kept.clone());
        }
    };
    for m in &mut live.models {
        for c in &mut m.columns {
            if let Some(fk) = &mut c.foreign_key {
                kept_for(&mut fk.model);
            }
        }
        for r in &mut m.relationships {
            kept_for(&mut r.model);
        }
    }
    for t in &mut live.tables {
        for c in &mut t.columns {
            if let Some(fk) = &mut c.foreign_key {
                kept_for(&mut fk.model);
            }
        }
    }
    let mut plan = Planner::new(&live, types, apps).run();
    for (path, kept) in shadowed {
        let (m, k) =
            (inv.models.iter().find(|m| m.path == path).unwrap(), inv.models.iter().find(|m| m.path == kept).unwrap());
        plan.items.push(PlanItem::new(
            "model",
            m.name.clone(),
            &m.location,
            "review",
            String::new(),
            Some(format!(
                "table `{}` is also declared by `{}` ({}:{}), on another declarative base; Django can only have one model per table, so this one is not generated: check that it is a copy (a frozen schema for migrations) and that `{}` has every column",
                m.table.as_deref().unwrap_or_default(),
                k.path,
                k.location.file,
                k.location.line,
                k.name
            )),
        ));
    }
    plan
}

/// Models declaring a table that another model, on another declarative base, declares too:
/// `(left out, kept)`. The one kept is, in order, outside a migrations folder, the most used by
/// the project's code, the one with the most columns, the first by path.
fn shadowed_models(inv: &Inventory) -> Vec<(String, String)> {
    let mut by_table: BTreeMap<(&str, Option<&str>), Vec<&Model>> = BTreeMap::new();
    for m in &inv.models {
        if m.inheritance.as_ref().is_some_and(|i| i.kind == "single") {
            continue;
        }
        if let Some(t) = &m.table {
            by_table.entry((t.as_str(), m.bind_key.as_deref())).or_default().push(m);
        }
    }
    let mut out = Vec::new();
    for models in by_table.into_values().filter(|ms| ms.len() > 1) {
        let in_migrations =
            |m: &Model| m.location.file.split(['/', '\\']).any(|p| matches!(p, "migrations" | "alembic" | "versions"));
        let rank = |m: &Model| {
            (in_migrations(m), std::cmp::Reverse(m.used_by.values().sum::<usize>()), std::cmp::Reverse(m.columns.len()))
        };
        let kept = models.iter().min_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.path.cmp(&b.path))).unwrap();
        for m in &models {
            if m.path != kept.path {
                out.push((m.path.clone(), kept.path.clone()));
            }
        }
    }
    out.sort();
    out
}

struct Target {
    app: String,
    class: String,
}

struct Planner<'a> {
    inv: &'a Inventory,
    types: &'a TypeTable,
    items: Vec<PlanItem>,
    /// Flask model path → Django app and class.
    targets: HashMap<String, Target>,
    /// Table → Flask model path (models with a table of their own).
    table_model: HashMap<String, String>,
    /// App label → models.
    out: BTreeMap<String, Vec<DjangoModel>>,
    /// Reverse accessor names taken on each target model path.
    reverse_names: HashMap<String, BTreeSet<String>>,
    /// Self-referential many-to-many fields: `through_fields` is filled in once the through
    /// model's foreign key fields are named ([`Self::settle_through_fields`]).
    pending_through: Vec<PendingThrough>,
}

/// A `ManyToManyField` (app label, model class, field name) through the planned model whose
/// `source` is `through` (a model's path, or `table:<name>`), whose source and target are the
/// fields on `columns` (source first).
struct PendingThrough {
    label: String,
    model: String,
    field: String,
    through: String,
    columns: (String, String),
}

impl<'a> Planner<'a> {
    fn new(inv: &'a Inventory, types: &'a TypeTable, apps: &AppAssignment) -> Self {
        let mut targets = HashMap::new();
        let mut taken: BTreeSet<String> = BTreeSet::new();
        for m in &inv.models {
            let app = apps.get(&m.path).cloned().unwrap_or_else(|| CORE_APP.to_string());
            let class = unique_name(&model_class(&m.name), &mut taken);
            targets.insert(m.path.clone(), Target { app, class });
        }
        for t in &inv.tables {
            let class = unique_name(&camel(&t.name), &mut taken);
            // An association table lives with the first model that uses it.
            let app = t
                .used_by
                .iter()
                .filter_map(|u| u.rsplit_once('.').map(|(p, _)| p))
                .find_map(|p| targets.get(p).map(|x: &Target| x.app.clone()))
                .unwrap_or_else(|| CORE_APP.to_string());
            targets.insert(format!("table:{}", t.name), Target { app, class });
        }
        let table_model = inv
            .models
            .iter()
            .filter(|m| m.inheritance.as_ref().map_or(true, |i| i.kind == "joined"))
            .filter_map(|m| m.table.clone().map(|t| (t, m.path.clone())))
            .collect();
        Planner {
            inv,
            types,
            items: Vec::new(),
            targets,
            table_model,
            out: BTreeMap::new(),
            reverse_names: HashMap::new(),
            pending_through: Vec::new(),
        }
    }

    fn run(mut self) -> ModelsPlan {
        // Joined-inheritance parents first, so a child's base class is defined above it.
        let mut order: Vec<&Model> = self.inv.models.iter().collect();
        order.sort_by_key(|m| inheritance_depth(self.inv, m));
        for m in order {
            if m.inheritance.as_ref().is_some_and(|i| i.kind == "single") {
                self.single_table_child(m);
            } else {
                self.model(m);
            }
        }
        for t in &self.inv.tables {
            self.table(t);
        }
        let user_model = self.user_model();
        self.settle_through_fields();
        self.settle_reverse_clashes();
        let apps = self.out.into_iter().map(|(label, models)| AppModels { label, models }).collect();
        ModelsPlan { apps, items: self.items, user_model }
    }

    /// With Flask-Login, the `User` model becomes Django's user model on the same table: an
    /// `AbstractBaseUser` whose `password` is the existing hash column and whose `last_login` is
    /// left out (the table has none), so `AUTH_USER_MODEL` is settled before the first migrate.
    fn user_model(&mut self) -> Option<String> {
        if !self.inv.extensions.iter().any(|e| e.class.starts_with("flask_login")) {
            return None;
        }
        let (app, idx) = self
            .out
            .iter()
            .flat_map(|(app, ms)| ms.iter().enumerate().map(move |(i, m)| (app.clone(), i, m)))
            .find(|(_, _, m)| m.name == "User" && m.bases == ["models.Model"])
            .map(|(a, i, _)| (a, i))?;
        let dm = &self.out[&app][idx];
        let is_unique = |f: &DjangoField| matches!(&f.value, Py::Call(_, _, kw) if kw.iter().any(|(k, v)| k == "unique" && *v == Py::raw("True")));
        let password = dm.fields.iter().position(|f| f.name.contains("password") && matches!(f.value, Py::Call(..)))?;
        let username = ["email", "username", "login", "name"]
            .iter()
            .find_map(|n| dm.fields.iter().find(|f| &f.name == n && is_unique(f)))
            .or_else(|| dm.fields.iter().find(|f| is_unique(f)))?
            .name
            .clone();
        if dm.fields.iter().enumerate().any(|(i, f)| f.name == "password" && i != password) {
            return None;
        }
        let location = dm.location.clone();
        let class = dm.name.clone();
        let dm = &mut self.out.get_mut(&app).unwrap()[idx];
        let column = field_db_column(&dm.fields[password]);
        let binary = matches!(&dm.fields[password].value, Py::Call(f, _, _) if f.ends_with("BinaryField"));
        let field = &mut dm.fields[password];
        field.name = "password".into();
        if let Py::Call(_, _, kw) = &mut field.value {
            kw.retain(|(k, _)| k != "db_column");
            if column != "password" {
                kw.push(("db_column".into(), Py::str(column.clone())));
            }
        }
        field.comments.push("the password hash column, as AbstractBaseUser's password".into());
        dm.bases =
            vec!["core.hashers.FlaskPasswordMixin".into(), "django.contrib.auth.base_user.AbstractBaseUser".into()];
        if !dm.fields.iter().any(|f| f.name == "last_login") {
            dm.fields.push(DjangoField {
                name: "last_login".into(),
                value: Py::raw("None"),
                comments: vec!["the table has no last_login column".into()],
            });
        }
        dm.fields.push(DjangoField { name: "USERNAME_FIELD".into(), value: Py::str(username), comments: vec![] });
        dm.fields.push(DjangoField { name: "REQUIRED_FIELDS".into(), value: Py::List(vec![]), comments: vec![] });
        dm.fields.push(DjangoField {
            name: "objects".into(),
            value: Py::raw("django.contrib.auth.base_user.BaseUserManager()"),
            comments: vec![],
        });
        let target = format!("{app}.{class}");
        self.item(
            "model",
            format!("{class} (AUTH_USER_MODEL)"),
            &location,
            "review",
            target.clone(),
            Some(format!(
                "`{class}` is Django's user model (AUTH_USER_MODEL = \"{target}\"), set before the first migrate. Its password column keeps the Flask hashes, which core.hashers.FlaskPasswordMixin checks as Flask did: passwords set through Django use Django's format, which the Flask app cannot check{}",
                if binary {
                    ". The column is binary: logging in works, but set_password() writes text, so make the column text before passwords are set through Django"
                } else {
                    ""
                }
            )),
        );
        Some(target)
    }

    /// Gives a `related_name` to each relation whose reverse accessor or reverse query name would
    /// clash, as Django's checks see it (fields.E302 to E305), with a field of the model it points
    /// to or with another relation's: SQLAlchemy names no reverse side unless a `backref` says so,
    /// and a backref may have the name of a field made from a `*_id` column.
    /// `through_fields` of the self-referential many-to-many fields, from the names the through
    /// model's foreign key fields got.
    fn settle_through_fields(&mut self) {
        for p in std::mem::take(&mut self.pending_through) {
            let names: Option<(String, String)> =
                self.out.values().flatten().find(|dm| dm.source == p.through).and_then(|dm| {
                    let on = |col: &str| dm.fields.iter().find(|f| field_db_column(f) == col).map(|f| f.name.clone());
                    Some((on(&p.columns.0)?, on(&p.columns.1)?))
                });
            let Some((a, b)) = names else { continue };
            let field = self
                .out
                .get_mut(&p.label)
                .and_then(|ms| ms.iter_mut().find(|dm| dm.name == p.model))
                .and_then(|dm| dm.fields.iter_mut().find(|f| f.name == p.field));
            if let Some(DjangoField { value: Py::Call(_, _, kw), .. }) = field {
                kw.push(("through_fields".into(), Py::Tuple(vec![Py::str(a), Py::str(b)])));
            }
        }
    }

    fn settle_reverse_clashes(&mut self) {
        struct Rel {
            label: String,
            model: usize,
            field: usize,
            target: String,
            accessor: String,
            query: String,
            /// The `related_name` the relation had (a backref's name).
            named: bool,
        }
        let mut names: HashMap<String, BTreeSet<String>> = HashMap::new();
        let mut rels: Vec<Rel> = Vec::new();
        for (label, models) in &self.out {
            for (mi, dm) in models.iter().enumerate() {
                names.insert(format!("{label}.{}", dm.name), dm.fields.iter().map(|f| f.name.clone()).collect());
                for (fi, f) in dm.fields.iter().enumerate() {
                    let Py::Call(class, args, kw) = &f.value else { continue };
                    let one_to_one = class.ends_with("OneToOneField");
                    if !(one_to_one || class.ends_with("ForeignKey") || class.ends_with("ManyToManyField")) {
                        continue;
                    }
                    let target = match args.first() {
                        Some(Py::Str(t)) if t == "self" => format!("{label}.{}", dm.name),
                        Some(Py::Str(t)) if t.contains('.') => t.clone(),
                        Some(Py::Str(t)) => format!("{label}.{t}"),
                        _ => continue,
                    };
                    let kw_str = |k: &str| {
                        kw.iter().find(|(n, _)| n == k).and_then(|(_, v)| match v {
                            Py::Str(s) => Some(s.clone()),
                            _ => None,
                        })
                    };
                    let related = kw_str("related_name");
                    let named = related.is_some();
                    if related.as_deref().is_some_and(|r| r.ends_with('+')) {
                        continue;
                    }
                    let lower = dm.name.to_lowercase();
                    let accessor =
                        related
                            .clone()
                            .unwrap_or_else(|| if one_to_one { lower.clone() } else { format!("{lower}_set") });
                    let query = kw_str("related_query_name").or(related).unwrap_or(lower);
                    rels.push(Rel { label: label.clone(), model: mi, field: fi, target, accessor, query, named });
                }
            }
        }
        let mut used: HashMap<String, BTreeSet<String>> = HashMap::new();
        let none = BTreeSet::new();
        for r in rels {
            let fields = names.get(&r.target).unwrap_or(&none);
            let taken = used.entry(r.target.clone()).or_default();
            let clash = |n: &str, taken: &BTreeSet<String>| fields.contains(n) || taken.contains(n);
            if !clash(&r.accessor, taken) && !clash(&r.query, taken) {
                taken.insert(r.accessor);
                taken.insert(r.query);
                continue;
            }
            let dm = &self.out[&r.label][r.model];
            let field = dm.fields[r.field].name.clone();
            let base = format!("{}_{field}_set", dm.name.to_lowercase());
            let mut name = base.clone();
            let mut i = 2;
            while clash(&name, taken) {
                name = format!("{base}{i}");
                i += 1;
            }
            taken.insert(name.clone());
            let (target_class, location, model) =
                (r.target.rsplit('.').next().unwrap_or_default().to_string(), dm.location.clone(), dm.name.clone());
            let clashing = if fields.contains(&r.accessor) || fields.contains(&r.query) {
                let n = if fields.contains(&r.accessor) { &r.accessor } else { &r.query };
                format!("the field `{target_class}.{n}`")
            } else {
                format!("another relation to `{target_class}`")
            };
            let why = if r.named {
                format!(
                    "the reverse name `{}` would clash with {clashing} (Django's fields.E302-E305): it is `{name}` here, so code that used `{}` uses `{name}`",
                    r.accessor, r.accessor
                )
            } else {
                format!(
                    "Django's default reverse name `{}` would clash with {clashing} (Django's fields.E302-E305), and SQLAlchemy declares none: it is `{name}` here",
                    if r.accessor == r.query { r.accessor.clone() } else { format!("{}`/`{}", r.accessor, r.query) }
                )
            };
            let f = &mut self.out.get_mut(&r.label).unwrap()[r.model].fields[r.field];
            if let Py::Call(_, _, kw) = &mut f.value {
                kw.retain(|(k, _)| k != "related_name" && k != "related_query_name");
                kw.push(("related_name".into(), Py::str(name)));
            }
            f.comments.push(why.clone());
            self.item("relationship", format!("{model}.{field}"), &location, "review", String::new(), Some(why));
        }
    }

    fn item(&mut self, kind: &str, name: String, loc: &Location, status: &str, target: String, reason: Option<String>) {
        self.items.push(PlanItem::new(kind, name, loc, status, target, reason));
    }

    /// What a foreign key points at: the model the inventory names, the model of its table, or
    /// the model planned for a `Table` of that name (`table:<name>`).
    fn fk_target(&self, fk: &ForeignKeyRef) -> Option<String> {
        fk.model.clone().or_else(|| self.table_model.get(&fk.table).cloned()).or_else(|| {
            let path = format!("table:{}", fk.table);
            self.targets.contains_key(&path).then_some(path)
        })
    }

    /// The columns of a planned model's table, by its path (a model's, or `table:<name>`).
    fn target_columns(&self, path: &str) -> Option<&'a [Column]> {
        let inv: &'a Inventory = self.inv;
        match path.strip_prefix("table:") {
            Some(t) => inv.tables.iter().find(|x| x.name == t).map(|x| &x.columns[..]),
            None => inv.models.iter().find(|m| m.path == path).map(|m| &m.columns[..]),
        }
    }

    /// `"app.Class"` or `"Class"` for a reference from `from_app`.
    fn reference(&self, path: &str, from_app: &str) -> Option<String> {
        let t = self.targets.get(path)?;
        Some(if t.app == from_app { t.class.clone() } else { format!("{}.{}", t.app, t.class) })
    }

    fn model(&mut self, m: &Model) {
        let target = &self.targets[&m.path];
        let (app, class) = (target.app.clone(), target.class.clone());
        let mut dm = DjangoModel {
            name: class.clone(),
            source: m.path.clone(),
            location: m.location.clone(),
            bases: vec!["models.Model".into()],
            fields: vec![],
            meta: vec![],
            todos: vec![],
        };
        let known_table = m.table.clone();
        if known_table.is_none() {
            dm.todos.push(format!("table name unknown ({}:{}): set Meta.db_table", m.location.file, m.location.line));
        }
        let table = known_table.clone().unwrap_or_default();
        let mut status = "auto";
        let mut reason = None;
        // Columns: the model's own, then those single-table children add to its table.
        let mut columns: Vec<(&Column, Option<&Model>)> = m.columns.iter().map(|c| (c, None)).collect();
        for child in self.inv.models.iter().filter(|c| {
            c.inheritance.as_ref().is_some_and(|i| i.kind == "single" && root_of_single(self.inv, c) == m.path)
        }) {
            for c in &child.columns {
                if !columns.iter().any(|(x, _)| x.name == c.name) {
                    columns.push((c, Some(child)));
                }
            }
        }
        // SQLAlchemy's table lists the class's own columns before its mixins': so does its
        // composite primary key.
        let mut pk_cols: Vec<&Column> = columns.iter().filter(|(c, _)| c.primary_key).map(|(c, _)| *c).collect();
        pk_cols.sort_by_key(|c| c.inherited_from.is_some());
        let composite = pk_cols.len() > 1;
        let mut taken: BTreeSet<String> = BTreeSet::new();
        taken.insert("pk".into());
        // The class's other attributes (methods, properties, synonyms), which are ported beside
        // the fields: no field takes their names.
        taken.extend(m.members.iter().map(|x| x.name.clone()));

        if let Some(inh) = m.inheritance.as_ref().filter(|i| i.kind == "joined") {
            if let Some(parent) = self.reference(&inh.parent, &app) {
                if !parent.contains('.') {
                    dm.bases = vec![parent.clone()];
                } else {
                    dm.bases = vec![parent.rsplit('.').next().unwrap().to_string()];
                }
            }
        }
        let relationships: Vec<&Relationship> = m.relationships.iter().collect();
        for (col, from_child) in &columns {
            let owner_name = from_child.map(|c| c.name.as_str()).unwrap_or(&m.name);
            let item_name = format!("{owner_name}.{}", col.attribute.as_deref().unwrap_or(&col.name));
            let f = if col.foreign_key.is_some() {
                self.fk_field(m, &app, col, &relationships, composite, &mut taken, m.inheritance.as_ref())
            } else {
                self.plain_field(col, composite || !col.primary_key, &mut taken)
            };
            let (mut field, mut st, mut why) = f;
            more_keys(col, &mut field, &mut st, &mut why);
            if st == "manual" {
                if let Some(w) = &why {
                    for line in w.lines() {
                        let todo = format!("TODO: {line}");
                        if !field.comments.contains(&todo) {
                            field.comments.push(todo);
                        }
                    }
                }
            }
            if let Some(child) = from_child {
                field.comments.push(format!(
                    "from single-table subclass {} ({}:{})",
                    child.name, child.location.file, child.location.line
                ));
            }
            if let Some(mixin) = &col.inherited_from {
                let short = mixin.rsplit('.').next().unwrap_or(mixin);
                field.comments.push(format!("from {short}"));
            }
            self.item("column", item_name, &col.location, st, format!("{app}.{class}.{}", field.name), why);
            dm.fields.push(field);
        }
        if composite {
            let names: Vec<Py> = pk_cols
                .iter()
                .filter_map(|c| dm.fields.iter().find(|f| field_column(f, c)).map(|f| Py::str(f.name.clone())))
                .collect();
            dm.fields.insert(
                0,
                DjangoField {
                    name: "pk".into(),
                    value: Py::call("models.CompositePrimaryKey", names, vec![]),
                    comments: vec![],
                },
            );
        }
        // Relationships that became no field.
        for r in &m.relationships {
            if let Some(sec) = &r.secondary {
                self.many_to_many(m, &app, &mut dm, r, sec, &mut taken);
                continue;
            }
            let via_fk =
                dm.fields.iter().any(|f| f.comments.iter().any(|c| c == &format!("relationship {}", r.attribute)));
            if via_fk {
                self.item(
                    "relationship",
                    format!("{}.{}", m.name, r.attribute),
                    &r.location,
                    "auto",
                    format!("{app}.{class}.{}", r.attribute),
                    None,
                );
            } else {
                let handled = self.reverse_handled(m, r);
                let (st, why) = match handled {
                    Some(field) => ("auto", Some(format!("the reverse side of {field}"))),
                    None => (
                        "review",
                        Some(format!(
                            "relationship `{}` to `{}` matches no foreign key the tool could pair it with: add the field by hand",
                            r.attribute, r.target
                        )),
                    ),
                };
                if st != "auto" {
                    dm.todos.push(format!(
                        "relationship {} -> {} ({}:{}) has no field here: {}",
                        r.attribute, r.target, r.location.file, r.location.line, "check the foreign key it uses"
                    ));
                }
                self.item(
                    "relationship",
                    format!("{}.{}", m.name, r.attribute),
                    &r.location,
                    st,
                    format!("{app}.{class}"),
                    why,
                );
            }
        }
        // Meta.
        if known_table.is_some() {
            dm.meta.push(("db_table".into(), db_table(&table)));
            if let Some(todo) = schema_todo(&table) {
                dm.todos.push(todo);
            }
        }
        let (constraints, indexes) = self.constraints(&table, &m.constraints, &dm);
        let mut todos = Vec::new();
        self.constraint_todos(&m.name, &m.constraints, &mut todos);
        dm.todos.extend(todos);
        if !constraints.is_empty() {
            dm.meta.push(("constraints".into(), Py::List(constraints)));
        }
        if !indexes.is_empty() {
            dm.meta.push(("indexes".into(), Py::List(indexes)));
        }
        for member in &m.members {
            let (st, what) = match member.kind.as_str() {
                "method" | "property" => ("manual", "copy the method into the Django model and port its queries"),
                "hybrid_property" => {
                    ("manual", "a hybrid property: a Python property plus a query annotation in Django")
                }
                "validates" => ("manual", "a validator: move it to clean() or a field validator"),
                "column_property" => ("manual", "a computed column: use a QuerySet annotation"),
                "event_listener" => ("manual", "an ORM event: use a Django signal (pre_save, post_save, ...)"),
                "query_class" => ("manual", "a custom query class: write a Manager or QuerySet subclass"),
                _ => ("manual", "no Django counterpart: port by hand"),
            };
            let detail = member.detail.as_deref().map(|d| format!(" [{d}]")).unwrap_or_default();
            dm.todos.push(format!(
                "{} {}{} ({}:{}): {what}",
                member.kind.replace('_', " "),
                member.name,
                detail,
                member.location.file,
                member.location.line
            ));
            self.item(
                "member",
                format!("{}.{}", m.name, member.name),
                &member.location,
                st,
                String::new(),
                Some(what.into()),
            );
        }
        if m.inheritance.as_ref().is_some_and(|i| i.kind == "joined") {
            status = "review";
            reason = Some("joined-table inheritance becomes Django multi-table inheritance: the child's key column is the parent link".to_string());
        }
        if let Some(bind) = &m.bind_key {
            let why = format!(
                "the table is in the `{bind}` database (`__bind_key__`, SQLALCHEMY_BINDS): add it to DATABASES and route this model there with a database router (DATABASE_ROUTERS)"
            );
            dm.todos.push(why.clone());
            escalate(&mut status, &mut reason, "review", &why);
        }
        if m.status.is_resolved() {
            self.item("model", m.name.clone(), &m.location, status, format!("{app}.{class}"), reason);
        } else {
            self.item("model", m.name.clone(), &m.location, "manual", format!("{app}.{class}"), m.reason.clone());
        }
        self.out.entry(app).or_default().push(dm);
    }

    /// A single-table inheritance subclass: a proxy of its parent (its columns live on the parent).
    fn single_table_child(&mut self, m: &Model) {
        let target = &self.targets[&m.path];
        let (app, class) = (target.app.clone(), target.class.clone());
        let parent = m.inheritance.as_ref().map(|i| i.parent.clone()).unwrap_or_default();
        let base = self.reference(&parent, &app).unwrap_or_else(|| "models.Model".into());
        let base = base.rsplit('.').next().unwrap_or(&base).to_string();
        let mut todos = vec![format!(
            "single-table subclass of {base} ({}:{}): a proxy model; filter on the discriminator{} in a Manager",
            m.location.file,
            m.location.line,
            m.inheritance
                .as_ref()
                .and_then(|i| i.polymorphic_identity.as_ref())
                .map(|v| format!(" (identity {v})"))
                .unwrap_or_default()
        )];
        for member in &m.members {
            todos.push(format!(
                "{} {} ({}:{}): port by hand",
                member.kind.replace('_', " "),
                member.name,
                member.location.file,
                member.location.line
            ));
            self.item("member", format!("{}.{}", m.name, member.name), &member.location, "manual", String::new(), None);
        }
        let dm = DjangoModel {
            name: class.clone(),
            source: m.path.clone(),
            location: m.location.clone(),
            bases: vec![base],
            fields: vec![],
            meta: vec![("proxy".into(), Py::raw("True"))],
            todos,
        };
        self.item(
            "model",
            m.name.clone(),
            &m.location,
            "review",
            format!("{app}.{class}"),
            Some("single-table inheritance: a proxy model; its columns are on the parent's model".into()),
        );
        self.out.entry(app).or_default().push(dm);
    }

    /// A plain (non-foreign-key) column.
    fn plain_field(
        &mut self,
        col: &Column,
        not_auto_pk: bool,
        taken: &mut BTreeSet<String>,
    ) -> (DjangoField, &'static str, Option<String>) {
        let name = field_name(col, taken);
        let mut kw: Vec<(String, Py)> = Vec::new();
        let (class, mut status, mut reason) = self.field_type(col, &mut kw, col.primary_key && !not_auto_pk);
        if col.primary_key && !not_auto_pk {
            kw.insert(0, ("primary_key".into(), Py::raw("True")));
        }
        self.common_options(col, &name, &mut kw, &mut status, &mut reason);
        let value = match &col.computed {
            Some(c) => generated_field(c, class, kw, &mut status, &mut reason),
            None => Py::Call(class, vec![], kw),
        };
        (DjangoField { name, value, comments: vec![] }, status, reason)
    }

    /// The Django field a column's own type makes, with the keywords that decide its database type
    /// (`models.CharField(max_length=64)`); `None` for a key column typed by its target only.
    fn storage_type(&self, col: &Column) -> Option<String> {
        if matches!(col.col_type.name.as_str(), "foreign_key" | "unknown") {
            return None;
        }
        let mut kw = Vec::new();
        let (class, _, _) = self.field_type(col, &mut kw, false);
        kw.retain(|(k, _)| k != "choices");
        Some(Py::Call(class, vec![], kw).flat())
    }

    /// Django field class and type keywords for a column's type.
    fn field_type(
        &self,
        col: &Column,
        kw: &mut Vec<(String, Py)>,
        auto_pk: bool,
    ) -> (String, &'static str, Option<String>) {
        let t = &col.col_type;
        let mut name = t.name.clone();
        let mut custom = None;
        if let Some(c) = name.strip_prefix("custom:") {
            custom = Some(c.to_string());
            name = t.kwargs.get("impl").and_then(|v| v.as_str()).unwrap_or("unknown").to_string();
        }
        if name == "foreign_key" {
            name = "Integer".into();
        }
        let Some(row) = self.types.lookup(&name) else {
            return (
                "models.TextField".into(),
                "manual",
                Some(format!(
                    "no Django field for the column type `{}`: the column is read as text; pick the right field",
                    t.source
                )),
            );
        };
        let (class, status, reason) = self.apply_row(row, col, kw, auto_pk);
        match custom {
            Some(c) => (
                class,
                "manual",
                Some(format!("custom type `{c}` (stored as {name}): port its conversion to a custom Django field")),
            ),
            None => (class, status, reason),
        }
    }

    fn apply_row(
        &self,
        row: &TypeRow,
        col: &Column,
        kw: &mut Vec<(String, Py)>,
        auto_pk: bool,
    ) -> (String, &'static str, Option<String>) {
        let t = &col.col_type;
        let status_of = |s: &str| -> &'static str {
            match s {
                "auto" => "auto",
                "review" => "review",
                _ => "manual",
            }
        };
        let mut class = row.field.clone();
        let mut status = status_of(&row.status);
        let mut reason = row.reason.clone();
        if auto_pk {
            if let Some(pk) = &row.pk_field {
                let explicit_off = matches!(col.autoincrement, Some(serde_json::Value::Bool(false)));
                if !explicit_off {
                    return (pk.clone(), "auto", None);
                }
            }
        }
        match row.special.as_deref() {
            Some("enum") => {
                let (choices, longest) = enum_choices(t);
                let explicit = t.kwargs.get("length").and_then(|v| v.as_u64()).map(|n| n as usize);
                // Values the inventory could not read (`Enum(*[m.value for m in Kind])`): their
                // length is not known, and neither are the choices.
                if t.args.iter().any(|a| !matches!(a, serde_json::Value::String(_) | serde_json::Value::Object(_))) {
                    kw.push(("max_length".into(), Py::raw(explicit.unwrap_or(255).to_string())));
                    return (
                        class,
                        "review",
                        Some(format!(
                            "the values of `{}` are not known statically: set max_length to the longest value and add the choices",
                            t.source
                        )),
                    );
                }
                let length = explicit.unwrap_or(longest.max(1));
                kw.push(("max_length".into(), Py::raw(length.to_string())));
                if !choices.is_empty() {
                    kw.push(("choices".into(), Py::List(choices)));
                }
                return (class, status, reason);
            }
            Some("choice") => {
                // SQLAlchemy-Utils ChoiceType: the key of each choice (an enum's value) in `impl`.
                let mut choices = Vec::new();
                match t.args.first() {
                    Some(serde_json::Value::Array(pairs)) => {
                        for p in pairs {
                            if let (Some(k), Some(label)) = (p.get(0).and_then(from_json), p.get(1).and_then(from_json))
                            {
                                choices.push(Py::Tuple(vec![k, label]));
                            }
                        }
                    }
                    Some(serde_json::Value::Object(o)) => {
                        for m in o.get("members").and_then(|m| m.as_array()).into_iter().flatten() {
                            if let (Some(name), Some(value)) =
                                (m.get(0).and_then(|v| v.as_str()), m.get(1).and_then(from_json))
                            {
                                choices.push(Py::Tuple(vec![value, Py::str(name.to_string())]));
                            }
                        }
                    }
                    _ => {}
                }
                let impl_type =
                    t.kwargs.get("impl").and_then(|v| v.get("type")).and_then(|v| v.as_str()).unwrap_or("Unicode");
                let impl_row = self.types.lookup(impl_type);
                if let Some(r) = impl_row.filter(|r| r.family != "string") {
                    class = r.field.clone();
                } else {
                    kw.push(("max_length".into(), Py::raw("255")));
                }
                if !choices.is_empty() {
                    kw.push(("choices".into(), Py::List(choices)));
                }
                return (class, status, reason);
            }
            Some("array") => {
                // The item type (`ARRAY(Integer)`, `ARRAY(item_type=String(50))`) gives base_field;
                // `dimensions=N` nests N arrays.
                let item = t.args.first().or_else(|| t.kwargs.get("item_type"));
                let item_type = item.and_then(|i| i.get("type")).and_then(|n| n.as_str()).map(|name| ColumnType {
                    name: name.to_string(),
                    args: item.and_then(|i| i.get("args")).and_then(|a| a.as_array()).cloned().unwrap_or_default(),
                    kwargs: item
                        .and_then(|i| i.get("kwargs"))
                        .and_then(|k| k.as_object())
                        .map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                        .unwrap_or_default(),
                    source: item.and_then(|i| i.get("source")).and_then(|s| s.as_str()).unwrap_or(name).to_string(),
                });
                let mut base = match item_type {
                    Some(item_type) => {
                        let item_col = Column { col_type: item_type, primary_key: false, ..col.clone() };
                        let mut item_kw = Vec::new();
                        let (item_class, item_status, item_reason) = self.field_type(&item_col, &mut item_kw, false);
                        if item_status != "auto" {
                            let why = item_reason.unwrap_or_default();
                            escalate(&mut status, &mut reason, item_status, &format!("item type: {why}"));
                        }
                        Py::Call(item_class, vec![], item_kw)
                    }
                    None => {
                        escalate(
                            &mut status,
                            &mut reason,
                            "manual",
                            &format!(
                                "the item type of `{}` is not known: base_field is a TextField, pick the right field",
                                t.source
                            ),
                        );
                        Py::Call("models.TextField".into(), vec![], vec![])
                    }
                };
                let dimensions = t.kwargs.get("dimensions").and_then(|d| d.as_u64()).unwrap_or(1).clamp(1, 8);
                for _ in 1..dimensions {
                    base = Py::Call(class.clone(), vec![base], vec![]);
                }
                kw.insert(0, ("base_field".into(), base));
                return (class, status, reason);
            }
            _ => {}
        }
        for p in &row.params {
            let v = t.kwargs.get(&p.name).or_else(|| p.position.and_then(|i| t.args.get(i)));
            match v.filter(|v| !v.is_null()).and_then(from_json) {
                Some(py) => kw.push((p.django.clone(), py)),
                None => {
                    if let Some(m) = row.missing.as_ref().filter(|m| m.param == p.name) {
                        class = m.field.clone();
                        status = status_of(&m.status);
                        reason = Some(m.reason.clone());
                        kw.retain(|(k, _)| !row.params.iter().any(|q| &q.django == k));
                        for (k, v) in &m.kwargs {
                            kw.push((k.clone(), Py::raw(v.clone())));
                        }
                        break;
                    }
                }
            }
        }
        for (k, v) in &row.kwargs {
            kw.push((k.clone(), Py::raw(v.clone())));
        }
        (class, status, reason)
    }

    /// null/blank, unique, index, column name, defaults, comment.
    fn common_options(
        &self,
        col: &Column,
        name: &str,
        kw: &mut Vec<(String, Py)>,
        status: &mut &'static str,
        reason: &mut Option<String>,
    ) {
        if col.nullable && !col.primary_key {
            kw.push(("null".into(), Py::raw("True")));
            kw.push(("blank".into(), Py::raw("True")));
        }
        if col.unique && !col.primary_key {
            kw.push(("unique".into(), Py::raw("True")));
        }
        if col.index && !col.unique && !col.primary_key {
            kw.push(("db_index".into(), Py::raw("True")));
        }
        if col.name != name {
            kw.push(("db_column".into(), Py::str(col.name.clone())));
        }
        let now_like = |d: &crate::inventory::model::DefaultValue| {
            let s = d.callable.as_deref().unwrap_or(&d.source);
            let s = s.to_ascii_lowercase();
            s.ends_with("utcnow")
                || s.ends_with(".now")
                || s.contains("func.now")
                || s.contains("current_timestamp")
                || s == "now"
        };
        let auto_now = col.onupdate.as_deref().is_some_and(now_like);
        if auto_now {
            kw.push(("auto_now".into(), Py::raw("True")));
            escalate(status, reason, "review", "onupdate becomes auto_now=True: Django sets it on every save(), also on insert; QuerySet.update() does not touch it");
        } else if let Some(o) = &col.onupdate {
            escalate(
                status,
                reason,
                "manual",
                &format!("onupdate={} has no Django field option: set it in save()", o.source),
            );
        }
        if let Some(d) = col.default.as_ref().filter(|_| !auto_now) {
            match d.kind.as_str() {
                "literal" => match d.value.as_ref() {
                    // A mutable default is a callable in Django, or every instance would share it.
                    Some(serde_json::Value::Array(a)) if a.is_empty() => kw.push(("default".into(), Py::raw("list"))),
                    Some(serde_json::Value::Object(o)) if o.is_empty() => kw.push(("default".into(), Py::raw("dict"))),
                    Some(v @ (serde_json::Value::Array(_) | serde_json::Value::Object(_))) => escalate(
                        status,
                        reason,
                        "manual",
                        &format!(
                            "default={} is a mutable value, which Django wants as a callable: write a function that returns {}",
                            d.source, v
                        ),
                    ),
                    _ => {
                        let member = d.value.as_ref().and_then(|v| enum_member_name(&col.col_type, v));
                        if let Some(name) = member {
                            kw.push(("default".into(), Py::str(name)));
                        } else if let Some(py) =
                            d.value.as_ref().and_then(from_json).filter(|p| *p != Py::raw("None"))
                        {
                            kw.push(("default".into(), py));
                        }
                    }
                },
                "callable" => match d.callable.as_deref().and_then(importable_callable) {
                    Some(path) => {
                        kw.push(("default".into(), Py::raw(path)));
                        if d.callable.as_deref().is_some_and(|c| c.ends_with("utcnow")) {
                            escalate(status, reason, "review", "default is datetime.utcnow (naive UTC): with USE_TZ Django expects aware datetimes; consider django.utils.timezone.now");
                        }
                    }
                    None => escalate(
                        status,
                        reason,
                        "manual",
                        &format!("default={} is project code: import it in the Django project or port it", d.source),
                    ),
                },
                "sql" if now_like(d) => {
                    kw.push(("default".into(), Py::raw("django.utils.timezone.now")));
                    escalate(
                        status,
                        reason,
                        "review",
                        "the SQL default now() is computed in Python by django.utils.timezone.now",
                    );
                }
                _ => escalate(
                    status,
                    reason,
                    "review",
                    &format!("default={} is evaluated once, or is an expression: set the default by hand", d.source),
                ),
            }
        }
        if let Some(d) = &col.server_default {
            let sql_value = if d.kind == "sql" { sql_literal(&d.source, &col.col_type.name) } else { None };
            match (d.kind.as_str(), sql_value) {
                ("literal", _) => match d.value.as_ref() {
                    Some(serde_json::Value::String(v)) => {
                        kw.push(("db_default".into(), server_literal(v, &col.col_type.name)))
                    }
                    Some(v) => {
                        if let Some(py) = from_json(v) {
                            kw.push(("db_default".into(), py));
                        }
                    }
                    None => {}
                },
                ("sql", _) if now_like(d) => {
                    kw.push(("db_default".into(), Py::raw("django.db.models.functions.Now()")))
                }
                ("sql", Some(v)) => kw.push(("db_default".into(), server_literal(&v, &col.col_type.name))),
                _ => escalate(
                    status,
                    reason,
                    "manual",
                    &format!("server_default={} has no db_default form here: write it as an expression", d.source),
                ),
            }
        }
        if let Some(c) = &col.comment {
            kw.push(("db_comment".into(), Py::str(c.clone())));
        }
    }

    /// A key to a table no model maps, or whose target is computed at run time: the column is
    /// kept as a plain field, with a TODO.
    fn unmapped_fk_field(
        &mut self,
        col: &Column,
        taken: &mut BTreeSet<String>,
    ) -> (DjangoField, &'static str, Option<String>) {
        let fk = col.foreign_key.as_ref().unwrap();
        let why = if fk.table.is_empty() {
            "a foreign key whose target is computed at run time".to_string()
        } else {
            format!("foreign key to `{}.{}`, a table with no model", fk.table, fk.column)
        };
        self.fk_as_column(col, why, taken)
    }

    /// A foreign-key column Django cannot follow, kept as the plain column it is, with why.
    fn fk_as_column(
        &mut self,
        col: &Column,
        why: String,
        taken: &mut BTreeSet<String>,
    ) -> (DjangoField, &'static str, Option<String>) {
        let (mut field, _, _) = self.plain_field(col, true, taken);
        field.comments.push(format!("TODO: {why}"));
        (field, "manual", Some(why))
    }

    /// A foreign-key column: a ForeignKey or OneToOneField.
    #[allow(clippy::too_many_arguments)]
    fn fk_field(
        &mut self,
        m: &Model,
        app: &str,
        col: &Column,
        relationships: &[&Relationship],
        composite: bool,
        taken: &mut BTreeSet<String>,
        inheritance: Option<&crate::inventory::model::Inheritance>,
    ) -> (DjangoField, &'static str, Option<String>) {
        let fk = col.foreign_key.as_ref().unwrap();
        let target_path = self.fk_target(fk);
        let target_ref = target_path.as_deref().and_then(|p| self.reference(p, app));
        let Some(target_ref) = target_ref else {
            return self.unmapped_fk_field(col, taken);
        };
        let target_path = target_path.unwrap();
        let target_model = self.inv.models.iter().find(|x| x.path == target_path);
        // A key to a column Django cannot point a ForeignKey at (not unique): the column as is.
        let to = self.target_columns(&target_path).map(|c| to_field(c, fk));
        if let Some(Err(why)) = to {
            return self.fk_as_column(col, why, taken);
        }
        let parent_link = inheritance.is_some_and(|i| i.kind == "joined" && i.parent == target_path) && col.primary_key;
        // The relationship that uses this key, for the field name and related_name.
        // The relationship that uses this key: the one whose `foreign_keys` names it, else the
        // only one to that model that names no keys.
        let to_target: Vec<&Relationship> = relationships
            .iter()
            .filter(|r| r.model.as_deref() == Some(&target_path) && r.secondary.is_none())
            .copied()
            .collect();
        let rel: Option<&Relationship> = to_target.iter().copied().find(|r| names_key(r, col)).or_else(|| {
            let unnamed: Vec<&Relationship> =
                to_target.iter().copied().filter(|r| !r.options.contains_key("foreign_keys")).collect();
            (unnamed.len() == 1).then(|| unnamed[0])
        });
        let mut single_rel = to_target.len() == 1 || rel.is_some_and(|r| names_key(r, col));
        // A key to its own model: which relationship is the many-to-one side is SQLAlchemy's
        // `remote_side`, not which class declares it (see [`self_referential`]).
        let mut reverse: Option<&Relationship> = None;
        let rel = if target_path == m.path {
            let (many_to_one, one_to_many) = self_referential(&to_target, col);
            single_rel = many_to_one.is_some();
            reverse = one_to_many;
            many_to_one
        } else {
            rel
        };
        let mut status: &'static str = "auto";
        let mut reason: Option<String> = None;
        let mut comments = vec![];
        // A key column typed otherwise than its target (keystone's `service_id = Column(String(255),
        // ForeignKey("service.id"))`, a String(64)): Django's ForeignKey takes the target's type.
        let target_col = self.target_columns(&target_path).and_then(|cs| cs.iter().find(|c| c.name == fk.column));
        if let Some(tc) = target_col {
            if let (Some(own), Some(theirs)) = (self.storage_type(col), self.storage_type(tc)) {
                if own != theirs {
                    let why = format!(
                        "the column is `{}` but its target `{}.{}` is `{}`: a Django ForeignKey takes its target's type, so the column becomes {theirs}; check the data fits, or keep the column as it is with a plain field",
                        col.col_type.source, fk.table, fk.column, tc.col_type.source
                    );
                    comments.push(format!("TODO: {why}"));
                    escalate(&mut status, &mut reason, "review", &why);
                }
            }
        }
        let name = if parent_link {
            unique_name(&format!("{}_ptr", snake(&target_model.map(|t| t.name.clone()).unwrap_or_default())), taken)
        } else {
            let preferred = rel
                .filter(|_| single_rel)
                .map(|r| r.attribute.clone())
                .or_else(|| reverse.and_then(|r| r.backref.clone().or_else(|| r.back_populates.clone())))
                .or_else(|| col.attribute.as_deref().and_then(|a| a.strip_suffix("_id")).map(str::to_string))
                .unwrap_or_else(|| col.attribute.clone().unwrap_or(col.name.clone()));
            let preferred = clean_field_name(&preferred);
            unique_name(&preferred, taken)
        };
        let one_to_one = !composite && (col.unique || col.primary_key);
        let class = if one_to_one { "models.OneToOneField" } else { "models.ForeignKey" };
        let mut kw: Vec<(String, Py)> = Vec::new();
        // on_delete: the database rule, else what SQLAlchemy's relationship cascade does.
        let on_delete = if parent_link {
            "models.CASCADE".to_string()
        } else {
            match fk.ondelete.as_deref() {
                Some("CASCADE") => "models.CASCADE".into(),
                Some("SET NULL") => "models.SET_NULL".into(),
                Some("RESTRICT") => "models.RESTRICT".into(),
                Some("SET DEFAULT") => "models.SET_DEFAULT".into(),
                _ => {
                    let cascade = match reverse {
                        Some(r) => cascades_delete(r, "cascade"),
                        None if target_path == m.path => rel.is_some_and(|r| cascades_delete(r, "backref.cascade")),
                        None => self.cascade_to(m, &target_path, rel),
                    };
                    if cascade {
                        "models.CASCADE".into()
                    } else {
                        escalate(&mut status, &mut reason, "review", "no ondelete on the foreign key: on_delete=DO_NOTHING keeps the database's behaviour; SQLAlchemy's ORM nulled or deleted loaded children by its cascade rules");
                        "models.DO_NOTHING".into()
                    }
                }
            }
        };
        kw.push(("on_delete".into(), Py::raw(on_delete)));
        if parent_link {
            kw.push(("parent_link".into(), Py::raw("True")));
        }
        if col.primary_key && !composite {
            kw.push(("primary_key".into(), Py::raw("True")));
        }
        if col.nullable && !col.primary_key {
            kw.push(("null".into(), Py::raw("True")));
            kw.push(("blank".into(), Py::raw("True")));
        }
        if !one_to_one && col.unique {
            kw.push(("unique".into(), Py::raw("True")));
        }
        // A key in a composite primary key has no index of its own in SQLAlchemy's table either.
        if !col.index && !col.unique && (!col.primary_key || composite) {
            kw.push(("db_index".into(), Py::raw("False")));
        }
        if col.name != format!("{name}_id") {
            kw.push(("db_column".into(), Py::str(col.name.clone())));
        }
        if let Some(Ok(Some(f))) = to {
            kw.push(("to_field".into(), Py::str(f)));
        }
        if !parent_link {
            if let Some(related) = self.related_name(m, &target_path, rel, reverse, &name, col) {
                kw.push(("related_name".into(), Py::str(related)));
            }
        }
        if let Some(c) = &col.comment {
            kw.push(("db_comment".into(), Py::str(c.clone())));
        }
        let target_arg = if target_ref == self.targets[&m.path].class { Py::str("self") } else { Py::str(target_ref) };
        if let Some(r) = rel {
            comments.push(format!("relationship {}", r.attribute));
        } else if let Some(r) = reverse {
            match r.backref.as_ref().or(r.back_populates.as_ref()) {
                Some(b) => comments.push(format!("relationship {b} (the many-to-one side of {})", r.attribute)),
                None => comments.push(format!("the key of relationship {} (one-to-many)", r.attribute)),
            }
        }
        let field = DjangoField { name, value: Py::Call(class.into(), vec![target_arg], kw), comments };
        (field, status, reason)
    }

    /// True when deleting the target deletes these rows in SQLAlchemy (a `delete` cascade on the
    /// one-to-many side).
    fn cascade_to(&self, m: &Model, target_path: &str, rel: Option<&Relationship>) -> bool {
        let has_delete = |r: &Relationship| cascades_delete(r, "cascade") || cascades_delete(r, "backref.cascade");
        if rel.is_some_and(|r| cascades_delete(r, "backref.cascade")) {
            return true;
        }
        self.inv
            .models
            .iter()
            .filter(|t| t.path == target_path)
            .flat_map(|t| t.relationships.iter())
            .any(|r| r.model.as_deref() == Some(&m.path) && r.secondary.is_none() && has_delete(r))
    }

    /// related_name from `backref` / `back_populates`, or the one-to-many side's attribute.
    fn related_name(
        &mut self,
        m: &Model,
        target_path: &str,
        rel: Option<&Relationship>,
        reverse: Option<&Relationship>,
        field: &str,
        col: &Column,
    ) -> Option<String> {
        let from_rel = rel
            .and_then(|r| r.backref.clone().or_else(|| r.back_populates.clone()))
            .or_else(|| reverse.map(|r| r.attribute.clone()));
        let self_referential = target_path == m.path;
        let from_target = || {
            if self_referential {
                // The model's own relationships were read by [`self_referential`].
                return None;
            }
            let back: Vec<&Relationship> = self
                .inv
                .models
                .iter()
                .filter(|t| t.path == target_path)
                .flat_map(|t| t.relationships.iter())
                .filter(|r| r.model.as_deref() == Some(&m.path) && r.secondary.is_none())
                .collect();
            back.iter()
                .find(|r| names_key(r, col))
                .or_else(|| (back.len() == 1 && !back[0].options.contains_key("foreign_keys")).then(|| &back[0]))
                .map(|r| r.attribute.clone())
        };
        let wanted = from_rel.or_else(from_target);
        let taken = self.reverse_names.entry(target_path.to_string()).or_default();
        let default = format!("{}_set", m.name.to_lowercase());
        match wanted {
            Some(w) if super::py::is_identifier(&w) && !taken.contains(&w) => {
                taken.insert(w.clone());
                Some(w)
            }
            _ => {
                if taken.insert(default.clone()) {
                    None
                } else {
                    let alt = format!("{}_{}_set", m.name.to_lowercase(), field);
                    taken.insert(alt.clone());
                    Some(alt)
                }
            }
        }
    }

    fn reverse_handled(&self, m: &Model, r: &Relationship) -> Option<String> {
        let target = r.model.as_ref()?;
        let t = self.inv.models.iter().find(|x| &x.path == target)?;
        let col =
            t.columns.iter().find(|c| c.foreign_key.as_ref().is_some_and(|fk| fk.model.as_deref() == Some(&m.path)))?;
        Some(format!("{}.{}", t.name, col.attribute.as_deref().unwrap_or(&col.name)))
    }

    fn many_to_many(
        &mut self,
        m: &Model,
        app: &str,
        dm: &mut DjangoModel,
        r: &Relationship,
        secondary: &str,
        taken: &mut BTreeSet<String>,
    ) {
        let Some(target) = r.model.clone() else {
            let via = format!("-> {}", r.target);
            self.m2m_by_hand(m, dm, r, &via, "target model not found", "target model not found".into());
            return;
        };
        // Only one side of a back_populates pair carries the field (on a self-referential pair,
        // the attribute that sorts first).
        if let Some(bp) = &r.back_populates {
            let partner_first = self.inv.models.iter().find(|x| x.path == target).is_some_and(|t| {
                t.relationships.iter().any(|o| &o.attribute == bp && o.secondary.as_deref() == Some(secondary))
                    && (t.path < m.path || (t.path == m.path && bp < &r.attribute))
            });
            if partner_first {
                self.item(
                    "relationship",
                    format!("{}.{}", m.name, r.attribute),
                    &r.location,
                    "auto",
                    format!("reverse of {}", bp),
                    None,
                );
                return;
            }
        }
        let Some(through_table) = self.inv.tables.iter().find(|t| t.name == secondary) else {
            let through_model = self.table_model.get(secondary).cloned();
            // Django needs the through model's keys to both models (not a key that points at
            // one of several tables, as a polymorphic `tagged_object` does).
            let complete = through_model
                .as_deref()
                .and_then(|p| self.target_columns(p))
                .is_some_and(|cols| keys_to_both(cols, &m.path, &target));
            if through_model.is_some() && !complete {
                self.m2m_by_hand(
                    m,
                    dm,
                    r,
                    &format!("via {secondary}"),
                    "the through model's foreign keys to both models are not all known",
                    format!("`{secondary}` lacks a known foreign key to one of the two models: add the field by hand"),
                );
                return;
            }
            match through_model.and_then(|p| self.reference(&p, app)) {
                Some(through) => self.push_m2m(m, app, dm, r, &target, through, taken),
                None => self.m2m_by_hand(
                    m,
                    dm,
                    r,
                    &format!("via {secondary}"),
                    "the table is not known",
                    format!("secondary table `{secondary}` not found"),
                ),
            }
            return;
        };
        // Django needs the through table's keys to both models.
        if !keys_to_both(&through_table.columns, &m.path, &target) {
            self.m2m_by_hand(
                m,
                dm,
                r,
                &format!("via {secondary}"),
                "the table's foreign keys to both models are not all known",
                format!("`{secondary}` lacks a known foreign key to one of the two models: add the field by hand"),
            );
            return;
        }
        let through = self.reference(&format!("table:{}", through_table.name), app).unwrap_or_default();
        self.push_m2m(m, app, dm, r, &target, through, taken);
    }

    /// A table constraint with no generated counterpart.
    fn manual_constraint(&mut self, name: String, c: &Constraint, reason: String) {
        self.item("constraint", name, &c.location, "manual", String::new(), Some(reason));
    }

    /// A many-to-many field left to write by hand: a TODO on the model and a manual item.
    fn m2m_by_hand(
        &mut self,
        m: &Model,
        dm: &mut DjangoModel,
        r: &Relationship,
        via: &str,
        todo: &str,
        reason: String,
    ) {
        dm.todos.push(format!("many-to-many {} {via} ({}:{}): {todo}", r.attribute, r.location.file, r.location.line));
        self.item(
            "relationship",
            format!("{}.{}", m.name, r.attribute),
            &r.location,
            "manual",
            String::new(),
            Some(reason),
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn push_m2m(
        &mut self,
        m: &Model,
        app: &str,
        dm: &mut DjangoModel,
        r: &Relationship,
        target: &str,
        through: String,
        taken: &mut BTreeSet<String>,
    ) {
        let name = unique_name(&clean_field_name(&r.attribute), taken);
        let target_ref = self.reference(target, app).unwrap_or_default();
        let target_arg = if target == m.path { Py::str("self") } else { Py::str(target_ref) };
        let mut kw: Vec<(String, Py)> = vec![("through".into(), Py::str(through))];
        let related = r.backref.clone().or_else(|| r.back_populates.clone());
        if target == m.path {
            kw.push(("symmetrical".into(), Py::raw("False")));
        }
        if let Some(rn) = related {
            let set = self.reverse_names.entry(target.to_string()).or_default();
            if set.insert(rn.clone()) {
                kw.push(("related_name".into(), Py::str(rn)));
            }
        } else {
            let set = self.reverse_names.entry(target.to_string()).or_default();
            let default = format!("{}_set", m.name.to_lowercase());
            if !set.insert(default) {
                kw.push(("related_name".into(), Py::str(format!("{}_{}_set", m.name.to_lowercase(), name))));
            }
        }
        // Which through fields point at each side, when both point at this model: the source is
        // the key `primaryjoin` compares with this model's key.
        let join = r.options.get("primaryjoin").cloned().unwrap_or_default();
        let source_first = |fks: &[&Column]| {
            let mentions = |c: &Column| {
                mentions_word(&join, &c.name) || c.attribute.as_deref().is_some_and(|a| mentions_word(&join, a))
            };
            !mentions(fks[1]) || mentions(fks[0])
        };
        // The through model, a `Table`'s or a model's: its key fields are named when it is
        // planned, so `through_fields` is filled in once every model is
        // ([`Self::settle_through_fields`]).
        let secondary = r.secondary.as_deref().unwrap_or_default();
        let through_columns = match self.inv.tables.iter().find(|t| t.name == secondary) {
            Some(t) => Some((format!("table:{}", t.name), &t.columns)),
            None => self
                .table_model
                .get(secondary)
                .and_then(|p| self.inv.models.iter().find(|x| &x.path == p))
                .map(|tm| (tm.path.clone(), &tm.columns)),
        };
        if let Some((through, columns)) = through_columns.filter(|_| target == m.path) {
            let fks: Vec<&Column> = columns
                .iter()
                .filter(|c| c.foreign_key.as_ref().is_some_and(|f| f.model.as_deref() == Some(&m.path)))
                .collect();
            if fks.len() == 2 {
                let (a, b) = if source_first(&fks) { (fks[0], fks[1]) } else { (fks[1], fks[0]) };
                self.pending_through.push(PendingThrough {
                    label: app.to_string(),
                    model: dm.name.clone(),
                    field: name.clone(),
                    through,
                    columns: (a.name.clone(), b.name.clone()),
                });
            }
        }
        // A join on more than the keys (`and_(id == F.followed_id, F.is_approved == True)`)
        // selects fewer rows than the ManyToManyField gives.
        let secondary_join = r.options.get("secondaryjoin").cloned().unwrap_or_default();
        let filtered = [&join, &secondary_join].iter().any(|j| j.contains("and_(") || j.contains(" & "));
        if filtered {
            dm.todos.push(format!(
                "many-to-many {name} ({}:{}): the Flask relationship also filters the rows (primaryjoin={join}{}); the field gives every row of the through table",
                r.location.file,
                r.location.line,
                if secondary_join.is_empty() { String::new() } else { format!(", secondaryjoin={secondary_join}") }
            ));
        }
        dm.fields.push(DjangoField {
            name: name.clone(),
            value: Py::Call("models.ManyToManyField".into(), vec![target_arg], kw),
            comments: vec![format!(
                "relationship {} (secondary={})",
                r.attribute,
                r.secondary.clone().unwrap_or_default()
            )],
        });
        let cls = self.targets[&m.path].class.clone();
        let (status, reason) = if filtered {
            (
                "review",
                Some("the relationship's join also filters the rows: filter the field's queries by hand".to_string()),
            )
        } else {
            ("auto", None)
        };
        self.item(
            "relationship",
            format!("{}.{}", m.name, r.attribute),
            &r.location,
            status,
            format!("{app}.{cls}.{name}"),
            reason,
        );
    }

    /// A `Table(...)`: a model of its own (the through model of a many-to-many, when used so).
    fn table(&mut self, t: &TableDef) {
        let key = format!("table:{}", t.name);
        let target = &self.targets[&key];
        let (app, class) = (target.app.clone(), target.class.clone());
        let mut dm = DjangoModel {
            name: class.clone(),
            source: key.clone(),
            location: t.location.clone(),
            bases: vec!["models.Model".into()],
            fields: vec![],
            meta: vec![],
            todos: vec![],
        };
        let mut taken = BTreeSet::new();
        taken.insert("pk".to_string());
        let pk: Vec<&Column> = t.columns.iter().filter(|c| c.primary_key).collect();
        let mut key_cols: Vec<&Column> = pk.clone();
        let mut status = "auto";
        let mut reason = None;
        if key_cols.is_empty() {
            // Django needs a primary key: the foreign-key columns together, else all columns.
            key_cols = t.columns.iter().filter(|c| c.foreign_key.is_some()).collect();
            if key_cols.is_empty() {
                key_cols = t.columns.iter().collect();
            }
            status = "review";
            let nullable = key_cols.iter().any(|c| c.nullable);
            let names: BTreeSet<&str> = key_cols.iter().map(|c| c.name.as_str()).collect();
            // A unique constraint or unique index on exactly those columns.
            let unique = t.constraints.iter().find(|c| {
                (c.kind == "unique" || (c.kind == "index" && c.unique))
                    && c.columns.iter().map(|x| x.trim_start_matches('-')).collect::<BTreeSet<_>>() == names
            });
            let kept = match unique {
                Some(u) => format!(
                    "The database keeps them unique together ({}) but not as a primary key",
                    u.name.as_deref().map(|n| format!("`{n}`")).unwrap_or_else(|| "a unique constraint".into())
                ),
                None => "The database keeps no such constraint: make sure those columns are unique together".into(),
            };
            reason = Some(format!(
                "table `{}` has no primary key; Django needs one, so ({}) is declared the primary key. {kept}{}",
                t.name,
                key_cols.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", "),
                match (nullable, unique.is_some()) {
                    (false, _) => "",
                    (true, false) => " and never null (`check_legacy_schema` reports the ones the database lets be null)",
                    (true, true) => "; make sure they are never null (`check_legacy_schema` reports the ones the database lets be null)",
                }
            ));
            dm.todos.push(reason.clone().unwrap());
        }
        let composite = key_cols.len() > 1;
        for col in &t.columns {
            let mut c = (*col).clone();
            if key_cols.iter().any(|k| k.name == col.name) {
                c.primary_key = true;
                c.nullable = false;
            }
            let (mut field, mut st, mut why) = if c.foreign_key.is_some() {
                self.table_fk_field(&app, &c, composite, &mut taken, !t.used_by.is_empty())
            } else {
                self.plain_field(&c, composite || !c.primary_key, &mut taken)
            };
            more_keys(&c, &mut field, &mut st, &mut why);
            self.item(
                "column",
                format!("{}.{}", t.name, c.name),
                &c.location,
                st,
                format!("{app}.{class}.{}", field.name),
                why,
            );
            dm.fields.push(field);
        }
        if composite {
            let names: Vec<Py> = key_cols
                .iter()
                .filter_map(|c| dm.fields.iter().find(|f| field_column(f, c)).map(|f| Py::str(f.name.clone())))
                .collect();
            dm.fields.insert(
                0,
                DjangoField {
                    name: "pk".into(),
                    value: Py::call("models.CompositePrimaryKey", names, vec![]),
                    comments: vec![],
                },
            );
        }
        dm.meta.push(("db_table".into(), db_table(&t.name)));
        if let Some(todo) = schema_todo(&t.name) {
            dm.todos.push(todo);
        }
        let (constraints, indexes) = self.constraints(&t.name, &t.constraints, &dm);
        let mut todos = Vec::new();
        self.constraint_todos(&t.name, &t.constraints, &mut todos);
        dm.todos.extend(todos);
        if !constraints.is_empty() {
            dm.meta.push(("constraints".into(), Py::List(constraints)));
        }
        if !indexes.is_empty() {
            dm.meta.push(("indexes".into(), Py::List(indexes)));
        }
        let used =
            if t.used_by.is_empty() { String::new() } else { format!(" (through table of {})", t.used_by.join(", ")) };
        self.item("table", t.name.clone(), &t.location, status, format!("{app}.{class}{used}"), reason);
        self.out.entry(app).or_default().push(dm);
    }

    fn table_fk_field(
        &mut self,
        app: &str,
        col: &Column,
        composite: bool,
        taken: &mut BTreeSet<String>,
        association: bool,
    ) -> (DjangoField, &'static str, Option<String>) {
        let fk = col.foreign_key.as_ref().unwrap();
        let target_path = self.fk_target(fk);
        let Some(target_ref) = target_path.as_deref().and_then(|p| self.reference(p, app)) else {
            return self.unmapped_fk_field(col, taken);
        };
        let to = target_path.as_deref().and_then(|p| self.target_columns(p)).map(|c| to_field(c, fk));
        if let Some(Err(why)) = to {
            return self.fk_as_column(col, why, taken);
        }
        let name = unique_name(&through_fk_name(col), taken);
        let on_delete = match fk.ondelete.as_deref() {
            Some("SET NULL") => "models.SET_NULL",
            Some("RESTRICT") => "models.RESTRICT",
            Some("CASCADE") => "models.CASCADE",
            // An association table's rows go with the deleted object: SQLAlchemy removes them.
            None if association => "models.CASCADE",
            _ => "models.DO_NOTHING",
        };
        let mut kw: Vec<(String, Py)> = vec![("on_delete".into(), Py::raw(on_delete))];
        if col.primary_key && !composite {
            kw.push(("primary_key".into(), Py::raw("True")));
        }
        if col.nullable && !col.primary_key {
            kw.push(("null".into(), Py::raw("True")));
            kw.push(("blank".into(), Py::raw("True")));
        }
        if col.unique && !col.primary_key {
            kw.push(("unique".into(), Py::raw("True")));
        }
        if !col.index && !col.unique {
            kw.push(("db_index".into(), Py::raw("False")));
        }
        if col.name != format!("{name}_id") {
            kw.push(("db_column".into(), Py::str(col.name.clone())));
        }
        kw.push(("related_name".into(), Py::str("+")));
        let class = if col.primary_key && !composite { "models.OneToOneField" } else { "models.ForeignKey" };
        let status = if fk.ondelete.is_none() { "review" } else { "auto" };
        let reason = fk.ondelete.is_none().then(|| {
            if association {
                "no ondelete on the association table's key: rows go with the deleted object, as SQLAlchemy removes them from the secondary table"
            } else {
                "no ondelete on the foreign key: on_delete=DO_NOTHING keeps the database's behaviour"
            }
            .to_string()
        });
        if let Some(Ok(Some(f))) = to {
            kw.push(("to_field".into(), Py::str(f)));
        }
        (
            DjangoField { name, value: Py::Call(class.into(), vec![Py::str(target_ref)], kw), comments: vec![] },
            status,
            reason,
        )
    }

    /// `Meta.constraints` and `Meta.indexes` from table-level constraints.
    fn constraints(&self, table: &str, cons: &[Constraint], dm: &DjangoModel) -> (Vec<Py>, Vec<Py>) {
        let mut constraints = Vec::new();
        let mut indexes = Vec::new();
        let field_for = |col: &str| -> Option<String> {
            dm.fields.iter().find(|f| field_db_column(f) == col).map(|f| f.name.clone())
        };
        for c in cons {
            // `-name`: a descending index column (`Index("ix", created.desc())`).
            let fields: Option<Vec<String>> = c
                .columns
                .iter()
                .map(|col| match col.strip_prefix('-') {
                    Some(bare) if c.kind == "index" && !c.unique => field_for(bare).map(|f| format!("-{f}")),
                    Some(bare) => field_for(bare),
                    None => field_for(col),
                })
                .collect();
            let Some(fields) = fields else { continue };
            if fields.is_empty() {
                continue;
            }
            let list = Py::List(fields.iter().map(|f| Py::str(f.clone())).collect());
            match c.kind.as_str() {
                "unique" => {
                    let name = c.name.clone().unwrap_or_else(|| format!("{table}_{}_key", c.columns.join("_")));
                    constraints.push(Py::call(
                        "models.UniqueConstraint",
                        vec![],
                        vec![("fields", list), ("name", Py::str(name))],
                    ));
                }
                "index" => {
                    // A partial index keeps its WHERE as a condition, or is left to a person
                    // (constraint_todos): an index without it would hold other rows.
                    let condition = match &c.expression {
                        Some(sql) => match check_to_q(sql, &field_for) {
                            Some(q) => Some(q),
                            None => continue,
                        },
                        None => None,
                    };
                    let mut kw = vec![("fields", list)];
                    let name = c.name.clone().filter(|n| n.len() <= MAX_INDEX_NAME);
                    if c.unique {
                        let name = c.name.clone().unwrap_or_else(|| format!("{table}_{}_key", c.columns.join("_")));
                        let mut kw = vec![
                            ("fields", Py::List(fields.iter().map(|f| Py::str(f.clone())).collect())),
                            ("name", Py::str(name)),
                        ];
                        if let Some(q) = condition {
                            kw.push(("condition", q));
                        }
                        constraints.push(Py::call("models.UniqueConstraint", vec![], kw));
                        continue;
                    }
                    // Django names a partial index itself only when given a name: it needs one.
                    let name =
                        name.or_else(|| condition.as_ref().map(|_| format!("{table}_{}_idx", c.columns.join("_"))));
                    if let Some(n) = name {
                        kw.push(("name", Py::str(n)));
                    }
                    if let Some(q) = condition {
                        kw.push(("condition", q));
                    }
                    indexes.push(Py::call("models.Index", vec![], kw));
                }
                _ => {}
            }
        }
        for (i, c) in cons.iter().filter(|c| c.kind == "check").enumerate() {
            let Some(sql) = &c.expression else { continue };
            if let Some(q) = check_to_q(sql, &field_for) {
                let name = c.name.clone().unwrap_or_else(|| format!("{table}_check_{}", i + 1));
                constraints.push(Py::call(
                    "models.CheckConstraint",
                    vec![],
                    vec![("condition", q), ("name", Py::str(name))],
                ));
            }
        }
        (constraints, indexes)
    }

    fn constraint_todos(&mut self, owner: &str, cons: &[Constraint], todos: &mut Vec<String>) {
        for c in cons {
            let name =
                format!("{owner}.{}", c.name.clone().unwrap_or_else(|| format!("{}({})", c.kind, c.columns.join(","))));
            match c.kind.as_str() {
                "check"
                    if c.expression
                        .as_deref()
                        .is_some_and(|sql| check_to_q(sql, &|_: &str| Some(String::new())).is_some()) =>
                {
                    self.item(
                        "constraint",
                        name,
                        &c.location,
                        "review",
                        "Meta.constraints".into(),
                        Some("a CHECK constraint rewritten as a Q object: confirm it says the same".into()),
                    );
                }
                "check" => {
                    let sql = c.expression.clone().unwrap_or_default();
                    todos.push(format!(
                        "check constraint {} ({}:{}): {sql} -> models.CheckConstraint(condition=Q(...))",
                        c.name.clone().unwrap_or_default(),
                        c.location.file,
                        c.location.line
                    ));
                    self.manual_constraint(
                        name,
                        c,
                        format!("a CHECK constraint in SQL ({sql}): write it as a Q object"),
                    );
                }
                "foreign_key" => {
                    todos.push(format!(
                        "composite foreign key ({}) -> ({}) ({}:{}): Django has no multi-column ForeignKey",
                        c.columns.join(", "),
                        c.references.join(", "),
                        c.location.file,
                        c.location.line
                    ));
                    self.manual_constraint(name, c, "a multi-column foreign key has no Django field".into());
                }
                "primary_key" => self.item("constraint", name, &c.location, "auto", "primary key".into(), None),
                "index"
                    if c.expression
                        .as_deref()
                        .is_some_and(|sql| check_to_q(sql, &|_: &str| Some(String::new())).is_none()) =>
                {
                    let sql = c.expression.clone().unwrap_or_default();
                    todos.push(format!(
                        "partial index {} ({}:{}) WHERE {sql} -> models.{}(fields=[...], condition=Q(...), name=...)",
                        c.name.clone().unwrap_or_default(),
                        c.location.file,
                        c.location.line,
                        if c.unique { "UniqueConstraint" } else { "Index" }
                    ));
                    self.manual_constraint(
                        name,
                        c,
                        format!("a partial index WHERE {sql}: write the condition as a Q object; without it the index would cover every row"),
                    );
                }
                "index" if c.expression.is_some() => self.item(
                    "constraint",
                    name,
                    &c.location,
                    "review",
                    "Meta".into(),
                    Some("a partial index whose WHERE is rewritten as a Q object: confirm it says the same".into()),
                ),
                "index" if !c.unique && c.name.as_ref().is_some_and(|n| n.len() > MAX_INDEX_NAME) => {
                    let db_name = c.name.clone().unwrap_or_default();
                    todos.push(format!(
                        "index {db_name} ({}:{}): Django's index names are at most {MAX_INDEX_NAME} characters, so Meta.indexes gives it a name of its own; the database keeps {db_name}",
                        c.location.file, c.location.line
                    ));
                    self.item(
                        "constraint",
                        name,
                        &c.location,
                        "review",
                        "Meta.indexes".into(),
                        Some(format!("the index name is longer than Django's {MAX_INDEX_NAME} characters: Django names the index itself, and a migration that changes it will not find it under that name (rename it with RenameIndex)")),
                    );
                }
                _ => {
                    let st = if c.columns.iter().any(|x| x == "?") { "manual" } else { "auto" };
                    self.item("constraint", name, &c.location, st, "Meta".into(), None);
                }
            }
        }
    }
}

/// A column with several `ForeignKey(...)`s keeps the first as its Django field; the others
/// are named in a TODO and make the column a review item.
fn more_keys(col: &Column, field: &mut DjangoField, st: &mut &'static str, why: &mut Option<String>) {
    let Some(fk) = col.foreign_key.as_ref().filter(|f| !f.more.is_empty()) else { return };
    let line = format!(
        "the column also has {}: a Django field holds one foreign key, so the database's other key is not declared",
        fk.more.join(", ")
    );
    field.comments.push(format!("TODO: {line}"));
    if *st == "auto" {
        *st = "review";
    }
    *why = Some(match why.take() {
        Some(w) => format!("{w}; {line}"),
        None => line,
    });
}

/// `Meta.db_table` for a table name; one in a schema (`oauth.tokens`) is quoted part by part
/// (`"oauth"."tokens"`), which Django's PostgreSQL backend uses as written.
fn db_table(name: &str) -> Py {
    match name.split_once('.') {
        Some((schema, table)) => Py::str(format!("\"{schema}\".\"{table}\"")),
        None => Py::str(name.to_string()),
    }
}

fn schema_todo(name: &str) -> Option<String> {
    let (schema, table) = name.split_once('.')?;
    Some(format!(
        "table `{table}` is in the PostgreSQL schema `{schema}`: db_table names both, quoted, which only PostgreSQL reads; check_legacy_schema does not look into other schemas"
    ))
}

/// The longest index name Django accepts (models.E034).
const MAX_INDEX_NAME: usize = 30;

/// Whether a through table's columns hold a known key to each of the two models of a
/// many-to-many (two keys to the model for a self-referential one), as Django needs.
fn keys_to_both(columns: &[Column], source: &str, target: &str) -> bool {
    let keys_to = |p: &str| {
        columns.iter().filter(|c| c.foreign_key.as_ref().is_some_and(|f| f.model.as_deref() == Some(p))).count()
    };
    if source == target {
        keys_to(source) >= 2
    } else {
        keys_to(source) >= 1 && keys_to(target) >= 1
    }
}

/// The relationships of a model to itself over the key `col`, as SQLAlchemy sides them: the
/// many-to-one one is the one whose `remote_side` names another column than the key (the
/// parent's id), and the one-to-many one a relationship with no `remote_side` (SQLAlchemy's
/// default for a self-referential one) or whose `remote_side` is the key itself; its backref, if
/// it has one, is the many-to-one side. Each is None unless exactly one relationship is it.
fn self_referential<'r>(
    rels: &[&'r Relationship],
    col: &Column,
) -> (Option<&'r Relationship>, Option<&'r Relationship>) {
    let usable: Vec<&Relationship> =
        rels.iter().copied().filter(|r| !r.options.contains_key("foreign_keys") || names_key(r, col)).collect();
    let (many, one): (Vec<&Relationship>, Vec<&Relationship>) =
        usable.into_iter().partition(|r| r.options.get("remote_side").is_some_and(|w| !names_column(w, col)));
    let only = |v: Vec<&'r Relationship>| (v.len() == 1).then(|| v[0]);
    (only(many), only(one))
}

/// True when a relationship's cascade (its `option`: `cascade` or `backref.cascade`) deletes
/// the children with their parent: `delete`, `delete-orphan`, or `all`, which includes `delete`.
fn cascades_delete(r: &Relationship, option: &str) -> bool {
    r.options.get(option).is_some_and(|c| {
        c.split(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '-')).any(|w| w == "all" || w.starts_with("delete"))
    })
}

/// True when a relationship's `foreign_keys` option names this column (`[sender_id]`,
/// `"Message.sender_id"`, `Message.sender_id`).
fn names_key(r: &Relationship, col: &Column) -> bool {
    r.options.get("foreign_keys").is_some_and(|fk| names_column(fk, col))
}

/// True when an option's source text (`[sender_id]`, `"Message.sender_id"`) has the column's
/// attribute or name as one of its words.
fn names_column(text: &str, col: &Column) -> bool {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .any(|w| Some(w) == col.attribute.as_deref() || w == col.name)
}

/// A key to a column of `target` other than its primary key: the `to_field` naming that column's
/// field when it is unique; an error saying why Django cannot follow the key otherwise.
fn to_field(target: &[Column], fk: &ForeignKeyRef) -> Result<Option<String>, String> {
    let target_pk: Vec<&Column> = target.iter().filter(|c| c.primary_key).collect();
    if target_pk.len() == 1 && target_pk[0].name == fk.column {
        return Ok(None);
    }
    // A model whose key comes from a base outside the project (flexmeasures' `Sensor`, keyed by
    // timely_beliefs' mixin; FD404): the generated model has no primary key, so Django gives it
    // `id`, the column such keys point at.
    if target_pk.is_empty() && fk.column == "id" && !target.iter().any(|c| c.name == "id") {
        return Ok(None);
    }
    match target.iter().find(|c| c.name == fk.column) {
        Some(tc) if tc.unique || (tc.primary_key && target_pk.len() == 1) => Ok(Some(field_name(tc, &mut BTreeSet::new()))),
        Some(_) => Err(format!(
            "the foreign key points at `{}.{}`, which is not unique: Django refuses a ForeignKey to a non-unique column",
            fk.table, fk.column
        )),
        None => Err(format!("the foreign key's target column `{}.{}` is not a column of the model", fk.table, fk.column)),
    }
}

fn escalate(status: &mut &'static str, reason: &mut Option<String>, to: &'static str, why: &str) {
    let rank = |s: &str| match s {
        "auto" => 0,
        "review" => 1,
        _ => 2,
    };
    if rank(to) > rank(status) {
        *status = to;
    }
    *reason = Some(match reason.take() {
        Some(r) => format!("{r}\n{why}"),
        None => why.to_string(),
    });
}

/// The member a default of an `Enum(PythonEnum)` column stands for, by name: SQLAlchemy stores
/// a member's name, and the inventory reads `default=Mode.ENABLED` (or a classmethod returning
/// it) as the member's value. None when the default already is a member's name, or when no one
/// member has that value.
fn enum_member_name(t: &crate::inventory::model::ColumnType, v: &serde_json::Value) -> Option<String> {
    if t.name != "Enum" {
        return None;
    }
    let members = t.args.iter().find_map(|a| a.get("members")?.as_array())?;
    let name_of = |m: &serde_json::Value| m.get(0).and_then(|n| n.as_str()).map(str::to_string);
    if members.iter().any(|m| name_of(m).as_deref() == v.as_str()) {
        return None;
    }
    let mut with_value = members.iter().filter(|m| m.get(1) == Some(v));
    match (with_value.next(), with_value.next()) {
        (Some(m), None) => name_of(m),
        _ => None,
    }
}

fn enum_choices(t: &crate::inventory::model::ColumnType) -> (Vec<Py>, usize) {
    let mut choices = Vec::new();
    let mut longest = 0;
    for a in &t.args {
        match a {
            serde_json::Value::String(s) => {
                longest = longest.max(s.chars().count());
                choices.push(Py::Tuple(vec![Py::str(s.clone()), Py::str(s.clone())]));
            }
            serde_json::Value::Object(o) => {
                if let Some(members) = o.get("members").and_then(|m| m.as_array()) {
                    for mem in members {
                        let name = mem.get(0).and_then(|v| v.as_str()).unwrap_or_default().to_string();
                        let label = match mem.get(1) {
                            Some(serde_json::Value::String(s)) => s.clone(),
                            Some(v) => v.to_string(),
                            None => name.clone(),
                        };
                        longest = longest.max(name.chars().count());
                        choices.push(Py::Tuple(vec![Py::str(name), Py::str(label)]));
                    }
                }
            }
            _ => {}
        }
    }
    (choices, longest)
}

/// A column the database computes: a `GeneratedField` over the SQL as `RawSQL`, whose output
/// field is the column's type. Django writes no value to it, as SQLAlchemy does not. Without the
/// SQL as a string (`Computed(a + b)`), the column stays a plain field, to port by hand.
fn generated_field(
    c: &crate::inventory::model::ComputedColumn,
    class: String,
    kw: Vec<(String, Py)>,
    status: &mut &'static str,
    reason: &mut Option<String>,
) -> Py {
    let Some(sql) = &c.sql else {
        escalate(
            status,
            reason,
            "manual",
            &format!(
                "the database computes this column ({}): write it as a GeneratedField, or Django will write to it",
                c.source
            ),
        );
        return Py::Call(class, vec![], kw);
    };
    // The database gives no default to a computed column; where it is stored stays on the field.
    let (outer, mut inner): (Vec<_>, Vec<_>) = kw
        .into_iter()
        .filter(|(k, _)| !matches!(k.as_str(), "default" | "db_default" | "blank" | "unique" | "db_index" | "null"))
        .partition(|(k, _)| matches!(k.as_str(), "db_column" | "db_comment" | "primary_key"));
    inner.push(("null".into(), Py::raw("True")));
    let mut args = vec![
        (
            "expression".to_string(),
            Py::call("django.db.models.expressions.RawSQL", vec![Py::str(sql.clone()), Py::raw("()")], vec![]),
        ),
        ("output_field".to_string(), Py::Call(class, vec![], inner)),
        ("db_persist".to_string(), Py::raw(if c.persisted == Some(false) { "False" } else { "True" })),
    ];
    args.extend(outer);
    escalate(
        status,
        reason,
        "review",
        &format!("the database computes this column ({}): its SQL is kept as RawSQL; check it reads the same in Django's dialect", c.source),
    );
    Py::Call("models.GeneratedField".into(), vec![], args)
}

/// A `server_default` string as the value Django should give the column.
/// The value of `text("0")`, `text("true")` or `text("'draft'")`: SQL that is a literal of the
/// column's type (a number for a numeric column, a boolean for a Boolean one, a quoted string
/// for a string one), as a string [`server_literal`] reads.
fn sql_literal(source: &str, type_name: &str) -> Option<String> {
    let inner = source.trim().rsplit_once("text(")?.1.strip_suffix(')')?.trim();
    let quote = inner.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let sql = inner.strip_prefix(quote)?.strip_suffix(quote)?.trim();
    if sql.contains(['\\', '"']) || sql.contains(quote) && quote == '"' {
        return None;
    }
    let numeric = matches!(type_name, "Integer" | "BigInteger" | "SmallInteger" | "Float" | "Numeric");
    match type_name {
        _ if numeric => sql.parse::<f64>().is_ok().then(|| sql.to_string()),
        "Boolean" => matches!(sql.to_ascii_lowercase().as_str(), "true" | "false" | "1" | "0").then(|| sql.to_string()),
        "String" | "Text" | "Unicode" | "UnicodeText" => {
            let body = sql.strip_prefix('\'')?.strip_suffix('\'')?;
            (!body.contains('\'')).then(|| body.to_string())
        }
        _ => None,
    }
}

fn server_literal(v: &str, type_name: &str) -> Py {
    let numeric = matches!(type_name, "Integer" | "BigInteger" | "SmallInteger" | "Float" | "Numeric");
    if numeric && v.parse::<f64>().is_ok() {
        return Py::raw(v.to_string());
    }
    if type_name == "Boolean" {
        match v.to_ascii_lowercase().as_str() {
            "1" | "true" | "t" => return Py::raw("True"),
            "0" | "false" | "f" => return Py::raw("False"),
            _ => {}
        }
    }
    Py::str(v.to_string())
}

/// A callable default the generated project can import: standard library paths.
fn importable_callable(path: &str) -> Option<String> {
    if let Some(b) = path.strip_prefix("builtins.") {
        return matches!(b, "dict" | "list" | "set" | "str" | "int" | "float" | "bool" | "tuple")
            .then(|| b.to_string());
    }
    let top = path.split('.').next()?;
    matches!(top, "datetime" | "uuid" | "time" | "decimal" | "secrets" | "random" | "json" | "django")
        .then(|| path.to_string())
}

fn field_column(f: &DjangoField, c: &Column) -> bool {
    field_db_column(f) == c.name
}

/// The column a planned field stores into.
fn field_db_column(f: &DjangoField) -> String {
    if let Py::Call(class, _, kw) = &f.value {
        if let Some((_, Py::Str(c))) = kw.iter().find(|(k, _)| k == "db_column") {
            return c.clone();
        }
        if class.ends_with("ForeignKey") || class.ends_with("OneToOneField") {
            return format!("{}_id", f.name);
        }
    }
    f.name.clone()
}

/// True when `text` has `word` as a whole identifier (`follower_id` is not in `other_follower_id`).
fn mentions_word(text: &str, word: &str) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    !word.is_empty()
        && text.match_indices(word).any(|(i, _)| {
            !text[..i].chars().next_back().is_some_and(ident)
                && !text[i + word.len()..].chars().next().is_some_and(ident)
        })
}

/// The field name of a `Table`'s foreign key column in its through model: the column without `_id`.
fn through_fk_name(col: &Column) -> String {
    clean_field_name(col.name.strip_suffix("_id").unwrap_or(&col.name))
}

/// A field name Django accepts for this column: no `__`, no trailing `_`, not `pk`, `id` only as key.
fn field_name(col: &Column, taken: &mut BTreeSet<String>) -> String {
    let base = col.attribute.clone().unwrap_or(col.name.clone());
    let mut name = clean_field_name(&base);
    if name == "id" && !col.primary_key {
        name = "id_value".into();
    }
    // A private attribute whose public name the class gives a property or a synonym over it
    // (`_target_dir` and `target_dir`) keeps its underscore, which Django allows.
    if taken.contains(&name) && base.starts_with('_') {
        let private = format!("_{name}");
        if !taken.contains(&private) {
            taken.insert(private.clone());
            return private;
        }
    }
    unique_name(&name, taken)
}

/// A Django model class name for a SQLAlchemy class: no leading or trailing underscore and no
/// double underscore, which Django reserves for lookups (models.E023, models.E024).
fn model_class(name: &str) -> String {
    let mut n = identifier(name, "Model");
    while n.contains("__") {
        n = n.replace("__", "_");
    }
    let n = n.trim_matches('_');
    if n.is_empty() || n.starts_with(|c: char| c.is_ascii_digit()) || super::py::is_keyword(n) {
        format!("Model{n}")
    } else {
        n.to_string()
    }
}

fn clean_field_name(s: &str) -> String {
    let mut n = identifier(s, "field");
    while n.contains("__") {
        n = n.replace("__", "_");
    }
    let trimmed = n.trim_end_matches('_').trim_start_matches('_').to_string();
    let mut n = if trimmed.is_empty() { "field".to_string() } else { trimmed };
    if n == "pk" || super::py::is_keyword(&n) {
        n.push_str("_field");
    }
    n
}

fn unique_name(base: &str, taken: &mut BTreeSet<String>) -> String {
    let mut name = base.to_string();
    let mut i = 2;
    while taken.contains(&name) {
        name = format!("{base}_{i}");
        i += 1;
    }
    taken.insert(name.clone());
    name
}

fn camel(table: &str) -> String {
    identifier(&super::py::camel_case(table), "Table")
}

fn snake(name: &str) -> String {
    crate::inventory::models::snake_case_v3(name)
}

fn inheritance_depth(inv: &Inventory, m: &Model) -> usize {
    let mut d = 0;
    let mut cur = m;
    while let Some(i) = &cur.inheritance {
        match inv.models.iter().find(|x| x.path == i.parent) {
            Some(p) if d < 64 => {
                d += 1;
                cur = p;
            }
            _ => break,
        }
    }
    d
}

fn root_of_single(inv: &Inventory, m: &Model) -> String {
    let mut cur = m;
    for _ in 0..64 {
        match &cur.inheritance {
            Some(i) if i.kind == "single" => match inv.models.iter().find(|x| x.path == i.parent) {
                Some(p) => cur = p,
                None => break,
            },
            _ => break,
        }
    }
    cur.path.clone()
}

/// A simple SQL check (`price >= 0`, `a < b AND b <= 100`, `status IN ('a', 'b')`,
/// `x IS NOT NULL`) as a Q object; None for anything else.
fn check_to_q(sql: &str, field_for: &dyn Fn(&str) -> Option<String>) -> Option<Py> {
    let lower = sql.to_ascii_lowercase();
    if lower.contains(" or ") || sql.contains('(') && !lower.contains(" in ") {
        return None;
    }
    let mut parts = Vec::new();
    let mut rest = sql.trim();
    loop {
        let l = rest.to_ascii_lowercase();
        match l.find(" and ") {
            Some(i) => {
                parts.push(rest[..i].trim().to_string());
                rest = rest[i + 5..].trim();
            }
            None => {
                parts.push(rest.to_string());
                break;
            }
        }
    }
    let mut qs = Vec::new();
    for p in parts {
        qs.push(check_term(&p, field_for)?);
    }
    let mut it = qs.into_iter();
    let first = it.next()?;
    Some(it.fold(first, |acc, q| Py::Raw(format!("{} & {}", acc.flat(), q.flat()))))
}

fn check_term(term: &str, field_for: &dyn Fn(&str) -> Option<String>) -> Option<Py> {
    let term = term.trim();
    let lower = term.to_ascii_lowercase();
    let ident = |s: &str| -> Option<String> {
        let s = s.trim().trim_matches('"');
        (!s.is_empty()
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !s.starts_with(|c: char| c.is_ascii_digit()))
        .then(|| field_for(s))
        .flatten()
    };
    let literal = |s: &str| -> Option<Py> {
        let s = s.trim();
        if s.parse::<f64>().is_ok() {
            return Some(Py::raw(s.to_string()));
        }
        if s.len() >= 2 && s.starts_with('\'') && s.ends_with('\'') && !s[1..s.len() - 1].contains('\'') {
            return Some(Py::str(s[1..s.len() - 1].to_string()));
        }
        None
    };
    if let Some(col) = lower.strip_suffix(" is not null") {
        let f = ident(&term[..col.len()])?;
        return Some(Py::Raw(format!("models.Q({f}__isnull=False)")));
    }
    if let Some(col) = lower.strip_suffix(" is null") {
        let f = ident(&term[..col.len()])?;
        return Some(Py::Raw(format!("models.Q({f}__isnull=True)")));
    }
    if let Some(i) = lower.find(" in (") {
        let f = ident(&term[..i])?;
        let inner = term[i + 5..].strip_suffix(')')?;
        let items: Option<Vec<Py>> = inner.split(',').map(literal).collect();
        return Some(Py::Raw(format!("models.Q({f}__in={})", Py::List(items?).flat())));
    }
    for (op, lookup, negate) in [
        (">=", "gte", false),
        ("<=", "lte", false),
        ("<>", "exact", true),
        ("!=", "exact", true),
        (">", "gt", false),
        ("<", "lt", false),
        ("=", "exact", false),
    ] {
        if let Some(i) = term.find(op) {
            let f = ident(&term[..i])?;
            let rhs = &term[i + op.len()..];
            let value = match literal(rhs) {
                Some(v) => v.flat(),
                None => format!("models.F({})", super::py::quote(&ident(rhs)?)),
            };
            let q = format!("models.Q({f}__{lookup}={value})");
            return Some(Py::Raw(if negate { format!("~{q}") } else { q }));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(name: &str, primary_key: bool) -> Column {
        Column {
            attribute: Some(name.into()),
            name: name.into(),
            col_type: crate::inventory::model::ColumnType { name: "String".into(), ..Default::default() },
            primary_key,
            ..Default::default()
        }
    }

    fn model(name: &str, table: &str, columns: Vec<Column>) -> Model {
        Model {
            name: name.into(),
            path: format!("models.{name}"),
            table: Some(table.into()),
            columns,
            ..Default::default()
        }
    }

    /// A key to one column of a composite primary key (MySQL accepts it; mlflow's `input_tags`):
    /// Django refuses a ForeignKey to a column that is not unique, so the column stays a column.
    #[test]
    fn a_key_to_a_column_that_is_not_unique_stays_a_plain_column() {
        let mut key = column("input_uuid", true);
        key.foreign_key = Some(Box::new(ForeignKeyRef {
            table: "inputs".into(),
            column: "input_uuid".into(),
            model: Some("models.Input".into()),
            ..Default::default()
        }));
        let inv = Inventory {
            models: vec![
                model("Input", "inputs", vec![column("source_id", true), column("input_uuid", false)]),
                model("InputTag", "input_tags", vec![key, column("name", true)]),
            ],
            ..Default::default()
        };
        let plan = plan(&inv, &TypeTable::builtin().unwrap(), &AppAssignment::new());
        let tag = plan.apps.iter().flat_map(|a| &a.models).find(|m| m.name == "InputTag").unwrap();
        let field = tag.fields.iter().find(|f| f.name == "input_uuid").unwrap();
        assert!(matches!(&field.value, Py::Call(c, _, _) if c == "models.TextField"), "{:?}", field.value);
        assert!(field.comments.iter().any(|c| c.contains("not unique")), "{:?}", field.comments);
    }

    /// `_target_dir = Column("target_dir", ...)` with a property `target_dir` over it (odcs): the
    /// field keeps the underscore, so that porting the property beside it does not replace it;
    /// without such a member the underscore goes.
    #[test]
    fn a_private_column_attribute_keeps_its_underscore_beside_its_property() {
        let mut private = column("target_dir", false);
        private.attribute = Some("_target_dir".into());
        let mut other = column("label", false);
        other.attribute = Some("_label".into());
        let mut m = model("Compose", "composes", vec![column("id", true), private, other]);
        m.members.push(crate::inventory::model::ModelMember {
            name: "target_dir".into(),
            kind: "property".into(),
            ..Default::default()
        });
        let inv = Inventory { models: vec![m], ..Default::default() };
        let plan = plan(&inv, &TypeTable::builtin().unwrap(), &AppAssignment::new());
        let names: Vec<&str> =
            plan.apps.iter().flat_map(|a| &a.models).flat_map(|m| &m.fields).map(|f| f.name.as_str()).collect();
        assert!(names.contains(&"_target_dir") && names.contains(&"label"), "{names:?}");
    }

    /// `server_default=text("0")` and friends: SQL that is a literal of the column's type.
    #[test]
    fn a_literal_in_sql_text_is_a_db_default() {
        assert_eq!(sql_literal("text('0')", "Integer").as_deref(), Some("0"));
        assert_eq!(sql_literal("sa.text(\"true\")", "Boolean").as_deref(), Some("true"));
        assert_eq!(sql_literal("text(\"'draft'\")", "String").as_deref(), Some("draft"));
        assert_eq!(sql_literal("text('now()')", "DateTime"), None);
        assert_eq!(sql_literal("text('0')", "String"), None, "not a quoted string");
        assert_eq!(sql_literal("text(\"'a' || 'b'\")", "String"), None);
    }

    /// `Column(Enum(Role), default=Role.READER)`: SQLAlchemy stores the member's name, and the
    /// inventory reads the default as the member's value.
    #[test]
    fn an_enum_default_is_the_members_name() {
        let t = crate::inventory::model::ColumnType {
            name: "Enum".into(),
            args: vec![
                serde_json::json!({"enum": "m.Role", "members": [["READER", "reader"], ["EDITOR", 1], ["ADMIN", 1]]}),
            ],
            ..Default::default()
        };
        assert_eq!(enum_member_name(&t, &serde_json::json!("reader")).as_deref(), Some("READER"));
        assert_eq!(enum_member_name(&t, &serde_json::json!("READER")), None, "already a name");
        assert_eq!(enum_member_name(&t, &serde_json::json!(1)), None, "two members have that value");
    }

    /// `Column(ForeignKey("tag.id"), ForeignKey("other.id"))`: SQLAlchemy declares both keys; the
    /// Django field takes the first and the other is named, for review.
    #[test]
    fn a_column_with_two_keys_keeps_the_first_and_names_the_other() {
        let mut key = column("tag_id", false);
        key.foreign_key = Some(Box::new(ForeignKeyRef {
            table: "tag".into(),
            column: "id".into(),
            model: Some("models.Tag".into()),
            ondelete: Some("CASCADE".into()),
            more: vec!["ForeignKey('other.id')".into()],
            ..Default::default()
        }));
        let inv = Inventory {
            models: vec![
                model("Tag", "tag", vec![column("id", true)]),
                model("Other", "other", vec![column("id", true)]),
                model("Thing", "thing", vec![column("id", true), key]),
            ],
            ..Default::default()
        };
        let plan = plan(&inv, &TypeTable::builtin().unwrap(), &AppAssignment::new());
        let thing = plan.apps.iter().flat_map(|a| &a.models).find(|m| m.name == "Thing").unwrap();
        let field = thing.fields.iter().find(|f| f.name == "tag").unwrap();
        assert!(
            matches!(&field.value, Py::Call(c, a, _) if c == "models.ForeignKey" && a[0] == Py::str("Tag")),
            "{:?}",
            field.value
        );
        assert!(field.comments.iter().any(|c| c.contains("ForeignKey('other.id')")), "{:?}", field.comments);
        let item = plan.items.iter().find(|i| i.name == "Thing.tag_id").unwrap();
        assert_eq!(item.status, "review");
    }

    /// keystone's `service_id = Column(String(255), ForeignKey("service.id"))`, a `String(64)`:
    /// Django's ForeignKey takes its target's type, so the column's length changes. The field
    /// says so and is to review; a key typed as its target, or by its target only, is not.
    #[test]
    fn a_key_typed_otherwise_than_its_target_is_to_review() {
        let string = |name: &str, length: u64, primary_key: bool| {
            let mut c = column(name, primary_key);
            c.col_type.args = vec![serde_json::json!(length)];
            c.col_type.source = format!("String({length})");
            c
        };
        let key = |mut c: Column, table: &str| {
            c.foreign_key = Some(Box::new(ForeignKeyRef {
                table: table.into(),
                column: "id".into(),
                ondelete: Some("CASCADE".into()),
                ..Default::default()
            }));
            c
        };
        let mut untyped = column("owner_id", false);
        untyped.col_type = crate::inventory::model::ColumnType { name: "foreign_key".into(), ..Default::default() };
        let inv = Inventory {
            models: vec![
                model("Service", "service", vec![string("id", 64, true)]),
                model("Region", "region", vec![string("id", 255, true)]),
                model(
                    "Limit",
                    "registered_limit",
                    vec![
                        column("internal_id", true),
                        key(string("service_id", 255, false), "service"),
                        key(string("region_id", 255, false), "region"),
                        key(untyped, "service"),
                    ],
                ),
            ],
            ..Default::default()
        };
        let plan = plan(&inv, &TypeTable::builtin().unwrap(), &AppAssignment::new());
        let limit = plan.apps.iter().flat_map(|a| &a.models).find(|m| m.name == "Limit").unwrap();
        let service = limit.fields.iter().find(|f| f.name == "service").unwrap();
        let todo = service.comments.iter().find(|c| c.starts_with("TODO")).expect("a TODO on service");
        assert!(todo.contains("`String(255)`") && todo.contains("`service.id` is `String(64)`"), "{todo}");
        let item = |name: &str| plan.items.iter().find(|i| i.name == name).unwrap();
        assert_eq!(item("Limit.service_id").status, "review");
        assert!(item("Limit.service_id").reason.as_deref().is_some_and(|r| r.contains("String(64)")));
        for (field, column) in [("region", "Limit.region_id"), ("owner", "Limit.owner_id")] {
            let f = limit.fields.iter().find(|f| f.name == field).unwrap();
            assert!(!f.comments.iter().any(|c| c.starts_with("TODO")), "{field}: {:?}", f.comments);
            assert_eq!(item(column).status, "auto", "{column}");
        }
    }
}
