//! Every inventoried item with its Django target, its status and its code: what the report sizes
//! and what `check` gates on.
//!
//! Consumes the inventory and the URL and model plans; produces [`Item`]s, one per route, view,
//! blueprint, hook, error handler, template helper, CLI command, extension, configuration key,
//! converter, model, column, relationship, constraint, model member, template, template construct
//! and computed template reference. Statuses come from the plans and from the tables in
//! `mappings/` (`extensions.toml`, `config.toml`, `template_constructs.toml`), never from `if`s on
//! names here. Codes are the FD5xx rows of [`crate::diagnostics::codes`].

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::models::{ModelsPlan, PlanItem};
use super::urls::UrlsPlan;
use crate::diagnostics::Code;
use crate::inventory::model::{Inventory, Location, Status};

const CONSTRUCTS_TOML: &str = include_str!("../../mappings/template_constructs.toml");
const HOOKS_TOML: &str = include_str!("../../mappings/hooks.toml");

/// One row of `mappings/hooks.toml`: kinds of request hooks and what takes their place.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HookRow {
    pub kinds: Vec<String>,
    pub status: String,
    pub django: String,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct HookFile {
    hook: Vec<HookRow>,
}

/// The hooks table; every kind the inventory records has exactly one row.
pub fn hook_table() -> Result<Vec<HookRow>, super::tables::TableError> {
    let error = |message: String| super::tables::TableError::Parse { file: "hooks.toml", message };
    let f: HookFile = toml::from_str(HOOKS_TOML).map_err(|e| error(e.to_string()))?;
    for r in &f.hook {
        if !matches!(ItemStatus::parse(&r.status), Some(ItemStatus::Manual | ItemStatus::Review)) {
            return Err(error(format!("hook {:?}: status must be manual or review", r.kinds)));
        }
    }
    for kind in crate::inventory::flask::HOOK_METHODS {
        let rows = f.hook.iter().filter(|r| r.kinds.iter().any(|k| k == kind)).count();
        if rows != 1 {
            return Err(error(format!("hook `{kind}`: {rows} rows, one expected")));
        }
    }
    Ok(f.hook)
}

/// The row of a kind of hook.
pub fn hook_row<'a>(table: &'a [HookRow], kind: &str) -> Option<&'a HookRow> {
    table.iter().find(|r| r.kinds.iter().any(|k| k == kind))
}

/// How far the generated Django code goes for an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemStatus {
    /// Generated, and equivalent.
    Auto,
    /// Generated, but a person must confirm it (the reason says why).
    Review,
    /// Not generated: the reason says what to do.
    Manual,
}

impl ItemStatus {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "auto" => Some(Self::Auto),
            "review" => Some(Self::Review),
            "manual" => Some(Self::Manual),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Review => "review",
            Self::Manual => "manual",
        }
    }
}

/// One migration item.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Item {
    /// `route`, `view`, `model`, ... (the code's name).
    pub category: &'static str,
    pub code: &'static str,
    /// What it is, in Flask's terms and independent of where it is written: the endpoint of a
    /// route, `Model.attribute` of a column, the key of a setting, the template's name.
    pub name: String,
    /// Relative path and 1-based line (0: the whole file; an empty file: the whole project).
    pub file: String,
    pub line: u32,
    /// First line of the construct when it starts before `line` (a view's decorators); 0 when
    /// it starts on `line`. Suppression comments anywhere from there to `line` apply.
    #[serde(skip)]
    pub first_line: u32,
    pub status: ItemStatus,
    /// What it became on the Django side (empty when nothing was generated).
    pub target: String,
    /// Why it is not `auto`, or what to do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Item {
    fn new(code: Code, name: impl Into<String>, loc: &Location, status: ItemStatus, target: impl Into<String>) -> Self {
        let info = code.info();
        Item {
            category: info.name,
            code: info.code,
            name: name.into(),
            file: loc.file.to_string(),
            line: loc.line,
            first_line: 0,
            status,
            target: target.into(),
            reason: None,
        }
    }

    fn because(mut self, reason: impl Into<String>) -> Self {
        let r = reason.into();
        self.reason = if r.is_empty() { None } else { Some(r) };
        self
    }

    /// The baseline key: the code and the item's name; no file or line, so moving code around
    /// keeps it.
    pub fn key(&self) -> String {
        format!("{}:{}", self.code, self.name)
    }
}

#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConstructRow {
    pub construct: String,
    pub status: String,
    pub target: String,
    #[serde(default)]
    pub note: Option<String>,
    /// The Jinja extension the generated environment loads when a template uses the construct.
    #[serde(default)]
    pub extension: Option<String>,
}

/// The Jinja environment the Flask templates need on Django's side (`core/jinja2.py`).
#[derive(Debug, Clone, Default)]
pub struct JinjaEnvironment {
    /// Extensions to load: Jinja's own that the app adds, and those the templates' constructs
    /// need (a `{% continue %}` needs `loopcontrols`, whatever loaded it in Flask).
    pub extensions: Vec<String>,
    /// The app's literal environment options (`trim_blocks`), as Python.
    pub options: Vec<(String, super::py::Py)>,
    /// Extensions from elsewhere (a project's own class), to make importable and add by hand.
    pub to_port: Vec<String>,
}

pub fn jinja_environment(inv: &Inventory) -> Result<JinjaEnvironment, super::tables::TableError> {
    let constructs = construct_table()?;
    let mut env = JinjaEnvironment::default();
    let add = |list: &mut Vec<String>, e: &str| {
        if !list.iter().any(|x| x == e) {
            list.push(e.to_string());
        }
    };
    if let Some(app) = inv.apps.first() {
        for e in &app.jinja_extensions {
            if e.starts_with("jinja2.ext.") {
                add(&mut env.extensions, e);
            } else {
                add(&mut env.to_port, e);
            }
        }
        for (k, v) in &app.jinja_options {
            if let Some(py) = super::py::from_json(v) {
                env.options.push((k.clone(), py));
            }
        }
    }
    for t in &inv.templates {
        for (name, _) in t.constructs.iter() {
            if let Some(e) = construct_row(&constructs, name).and_then(|r| r.extension.as_deref()) {
                add(&mut env.extensions, e);
            }
        }
    }
    env.extensions.sort();
    Ok(env)
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ConstructFile {
    construct: Vec<ConstructRow>,
}

pub fn construct_table() -> Result<Vec<ConstructRow>, super::tables::TableError> {
    let error = |message: String| super::tables::TableError::Parse { file: "template_constructs.toml", message };
    let f: ConstructFile = toml::from_str(CONSTRUCTS_TOML).map_err(|e| error(e.to_string()))?;
    for r in &f.construct {
        match ItemStatus::parse(&r.status) {
            None => return Err(error(format!("construct `{}`: unknown status `{}`", r.construct, r.status))),
            Some(ItemStatus::Auto) => {}
            Some(_) if r.note.is_none() => {
                return Err(error(format!("construct `{}`: a `{}` row needs a note", r.construct, r.status)))
            }
            Some(_) => {}
        }
    }
    Ok(f.construct)
}

fn construct_row<'a>(table: &'a [ConstructRow], name: &str) -> Option<&'a ConstructRow> {
    table.iter().find(|r| match r.construct.strip_suffix('*') {
        Some(prefix) => name.starts_with(prefix),
        None => r.construct == name,
    })
}

/// Every item, sorted by file, line, code and name.
pub fn items(
    inv: &Inventory,
    models: &ModelsPlan,
    urls: &UrlsPlan,
    extensions: &super::tables::ExtensionTable,
    settings: &[super::config::SettingRow],
) -> Result<Vec<Item>, super::tables::TableError> {
    let constructs = construct_table()?;
    let primary = inv.apps.first().map(|a| a.id.clone());
    let mut out = Vec::new();

    // Plan items: routes, converters, error handlers, blueprints, models and their parts.
    for p in urls.items.iter().chain(&models.items) {
        out.push(plan_item(p));
    }

    // Routes of the other apps: one project converts one app.
    for r in inv.routes.iter().filter(|r| r.app != primary) {
        let name = r.endpoint.clone().or_else(|| r.rule.clone()).unwrap_or_else(|| "<dynamic>".into());
        let why = match &r.app {
            Some(app) => {
                format!("a route of app `{app}`, which this conversion does not cover: convert it with `--app {app}`")
            }
            None => "a route no app registers: register its blueprint, or remove it".to_string(),
        };
        out.push(Item::new(Code::RouteItem, name, &r.location, ItemStatus::Manual, "").because(why));
    }

    // Blueprints the plan did not report on are apps of their own.
    let reported: BTreeSet<&str> =
        urls.items.iter().filter(|i| i.kind == "blueprint").map(|i| i.name.as_str()).collect();
    for b in inv.blueprints.iter().filter(|b| b.app == primary && !reported.contains(b.name.as_str())) {
        let app = urls.apps.iter().find(|a| a.blueprint.as_deref() == Some(&b.name));
        out.push(match (app, b.status) {
            (Some(a), _) => {
                Item::new(Code::BlueprintItem, &b.name, &b.location, ItemStatus::Auto, format!("app `{}`", a.label))
            }
            (None, Status::Resolved) => {
                Item::new(Code::BlueprintItem, &b.name, &b.location, ItemStatus::Auto, "no routes: nothing to include")
            }
            (None, _) => Item::new(Code::BlueprintItem, &b.name, &b.location, ItemStatus::Manual, "")
                .because("the blueprint's registration could not be followed: create its app and include it by hand"),
        });
    }

    // Views: render-only views and dispatchers are generated; every other body is a stub.
    for app in &urls.apps {
        for v in &app.views {
            let target = format!("{}.views.{}", app.label, v.name);
            // Named by the endpoints it serves: a view moved to another module keeps its name.
            let name = if v.endpoints.is_empty() { v.name.clone() } else { v.endpoints.join(", ") };
            let item = match (v.kind.as_str(), &v.render) {
                ("dispatch", _) | ("function", Some(_)) => {
                    Item::new(Code::ViewItem, name, &v.location, ItemStatus::Auto, target)
                }
                _ => Item::new(Code::ViewItem, name, &v.location, ItemStatus::Manual, target).because(
                    "the generated view is a stub answering 501 with the Flask source as a comment: port its body",
                ),
            };
            let first = v.lines.map_or(0, |[a, _]| a);
            out.push(Item { first_line: if first < item.line { first } else { 0 }, ..item });
        }
    }

    let hooks = hook_table()?;
    for h in inv.hooks.iter().filter(|h| h.app == primary) {
        let scope = if h.scope == "app" { String::new() } else { format!(" of blueprint `{}`", h.scope) };
        let (status, django) = match hook_row(&hooks, &h.kind) {
            Some(r) => (ItemStatus::parse(&r.status).unwrap_or(ItemStatus::Manual), r.django.as_str()),
            None => (ItemStatus::Manual, "no row in mappings/hooks.toml: port it by hand"),
        };
        out.push(
            Item::new(Code::RequestHookItem, format!("{}:{}", h.kind, last_part(&h.function)), &h.location, status, "")
                .because(format!("`{}`{scope}: {django}", h.kind)),
        );
    }
    for t in inv.template_functions.iter().filter(|t| t.app == primary) {
        let name = t.name.clone().unwrap_or_else(|| last_part(&t.function).to_string());
        out.push(
            Item::new(Code::TemplateHelperItem, format!("{}:{name}", t.kind), &t.location, ItemStatus::Manual, "")
                .because(format!("a `{}`: add `{name}` to the environment in core/jinja2.py", t.kind)),
        );
    }
    for c in inv.cli_commands.iter().filter(|c| c.app == primary) {
        let name = c.name.clone().unwrap_or_else(|| c.function.clone());
        out.push(Item::new(Code::CliCommandItem, &name, &c.location, ItemStatus::Manual, "").because(format!(
            "write a management command `{name}` (APP/management/commands/) that does what `flask {name}` does"
        )));
    }

    for e in inv.extensions.iter().filter(|e| e.app == primary || e.app.is_none()) {
        let name = e.variable.clone().unwrap_or_else(|| e.class.clone());
        let item = match extensions.lookup(&e.class) {
            Some(row) => {
                let status = ItemStatus::parse(&row.status).unwrap_or(ItemStatus::Review);
                let item = Item::new(
                    Code::ExtensionItem,
                    format!("{} ({name})", row.extension),
                    &e.location,
                    status,
                    &row.django,
                );
                if status == ItemStatus::Auto {
                    item
                } else {
                    item.because(row.note.clone())
                }
            }
            None if e.wsgi_middleware => {
                Item::new(Code::ExtensionItem, format!("{} ({name})", e.class), &e.location, ItemStatus::Manual, "")
                    .because("a WSGI middleware wrapping the app: port what it does as a Django middleware, or wrap Django's WSGI application with it in wsgi.py")
            }
            None => {
                Item::new(Code::ExtensionItem, format!("{} ({name})", e.class), &e.location, ItemStatus::Manual, "")
                    .because("no Django counterpart is known: find one, or add a row to the extensions table")
            }
        };
        out.push(item);
    }

    // Without an extension that checks CSRF tokens on every request, neither does the project.
    let unchecked = super::config::extension_needs(inv, extensions).unchecked_unsafe_requests(inv);
    if let Some(app) = inv.apps.first().filter(|_| unchecked) {
        out.push(
            Item::new(Code::ConfigItem, "CSRF protection", &app.location, ItemStatus::Review, "MIDDLEWARE")
                .because(super::config::csrf_unchecked_note()),
        );
    }

    // Configuration of the primary app: each key as it stands at run time, and every load of
    // configuration the analysis could not read.
    for c in inv.config.iter().filter(|c| c.app == primary && c.key.is_none()) {
        out.push(
            Item::new(Code::ConfigItem, format!("<{}>", c.expression), &c.location, ItemStatus::Manual, "").because(
                format!("configuration loaded at run time ({}): carry what it sets into settings.py", c.source),
            ),
        );
    }
    for (key, c) in super::config::effective(inv) {
        out.push(config_item(settings, key, c));
    }

    // Templates, their constructs, and render_template calls with computed names.
    for t in &inv.templates {
        let loc = Location { file: t.file.as_str().into(), line: 0 };
        out.push(match t.status {
            Status::Resolved => {
                Item::new(Code::TemplateItem, &t.name, &loc, ItemStatus::Auto, format!("templates/{}", t.name))
            }
            _ => Item::new(Code::TemplateItem, &t.name, &loc, ItemStatus::Manual, format!("templates/{}", t.name))
                .because("the template could not be read as Jinja: fix it (see its diagnostic), then check it renders"),
        });
        for (construct, count) in t.constructs.iter() {
            let Some(row) = construct_row(&constructs, construct) else { continue };
            let status = ItemStatus::parse(&row.status).unwrap_or(ItemStatus::Review);
            let times = if count == 1 { String::new() } else { format!(" ({count} times)") };
            let item =
                Item::new(Code::TemplateConstructItem, format!("{}:{construct}", t.name), &loc, status, &row.target);
            out.push(match &row.note {
                Some(n) if status != ItemStatus::Auto => item.because(format!("{n}{times}")),
                _ => item,
            });
        }
    }
    // A computed name for an environment of the project's own is not the app's to check.
    for r in inv
        .template_refs
        .iter()
        .filter(|r| r.name.is_none() && r.function != crate::inventory::model::OWN_JINJA_ENVIRONMENT)
    {
        out.push(
            Item::new(
                Code::TemplateReferenceItem,
                format!("{}:{}", last_part(r.caller.as_deref().unwrap_or_default()), r.function),
                &r.location,
                ItemStatus::Review,
                "",
            )
            .because("the template name is computed at run time: check that every template it can name was copied"),
        );
    }

    out.sort();
    out.dedup();
    Ok(out)
}

/// Reasons kept one per line, joined into one: sentences follow each other, clauses get a `;`.
fn one_line(r: &str) -> String {
    let mut out = String::new();
    for part in r.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !out.is_empty() {
            out.push_str(if out.ends_with('.') { " " } else { "; " });
        }
        out.push_str(part);
    }
    out
}

fn last_part(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}

fn plan_item(p: &PlanItem) -> Item {
    let code = match p.kind.as_str() {
        "route" => Code::RouteItem,
        "converter" => Code::ConverterItem,
        "error_handler" => Code::ErrorHandlerItem,
        "blueprint" => Code::BlueprintItem,
        "model" | "table" => Code::ModelItem,
        "column" => Code::ColumnItem,
        "relationship" => Code::RelationshipItem,
        "constraint" => Code::ConstraintItem,
        _ => Code::ModelMemberItem,
    };
    let status = ItemStatus::parse(&p.status).unwrap_or(ItemStatus::Review);
    let item = Item::new(code, &p.name, &p.location, status, &p.target);
    match &p.reason {
        // An auto item's note (static files served by staticfiles) says what it became.
        Some(r) if status != ItemStatus::Auto => item.because(one_line(r)),
        _ => item,
    }
}

fn config_item(table: &[super::config::SettingRow], key: &str, c: &crate::inventory::model::ConfigEntry) -> Item {
    let Some(row) = table.iter().find(|r| r.flask == key) else {
        return Item::new(Code::ConfigItem, key, &c.location, ItemStatus::Manual, "")
            .because(format!("no Django setting: add `{key}` to settings.py if the code reads it (settings.{key})"));
    };
    let written = match row.kind.as_str() {
        "none" | "template" | "env" => true,
        _ => super::config::setting_line(table, key, c.value.as_ref()).is_some(),
    };
    let target = match row.kind.as_str() {
        "none" => "nothing needed".to_string(),
        "env" => format!("{} (from the environment)", row.django),
        _ => row.django.clone(),
    };
    if !written {
        return Item::new(Code::ConfigItem, key, &c.location, ItemStatus::Manual, target)
            .because(format!("the value is only known at run time: set {} in settings.py", row.django));
    }
    match &row.note {
        Some(n) => Item::new(Code::ConfigItem, key, &c.location, ItemStatus::Review, target).because(n.clone()),
        None => Item::new(Code::ConfigItem, key, &c.location, ItemStatus::Auto, target),
    }
}

/// Items counted per category and status, in the order of the code table.
pub fn counts(items: &[Item]) -> BTreeMap<&'static str, [usize; 3]> {
    let mut out: BTreeMap<&'static str, [usize; 3]> = BTreeMap::new();
    for i in items {
        out.entry(i.category).or_default()[i.status as usize] += 1;
    }
    out
}
