//! The typed, serializable model of a Flask project: what `inventory --format json` prints.
//!
//! Every collection is sorted before it is serialized and maps are `BTreeMap`, so the JSON is
//! byte-identical across runs and thread counts. Paths are relative to the analyzed root, `/`-separated.
//! Bump [`SCHEMA_VERSION`] on any incompatible change; the schema is documented in `docs/inventory-schema.md`.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::diagnostics::Diagnostic;

pub const SCHEMA_VERSION: u32 = 1;

/// Whether an item is known exactly, or only partly because something was computed at run time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Known exactly, as Flask registers it.
    #[default]
    Resolved,
    /// Exists, but part of it (rule, endpoint, the registration itself) depends on run time.
    Dynamic,
    /// Registered, but shadowed by an earlier identical registration.
    Unreachable,
}

impl Status {
    pub fn is_resolved(&self) -> bool {
        matches!(self, Status::Resolved)
    }
}

/// A source location.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Default, Hash)]
pub struct Location {
    /// Shared by every location in the same file (a large project has hundreds of thousands).
    pub file: std::sync::Arc<str>,
    pub line: u32,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct Inventory {
    pub schema_version: u32,
    pub apps: Vec<App>,
    pub blueprints: Vec<Blueprint>,
    pub routes: Vec<Route>,
    pub converters: Vec<Converter>,
    pub hooks: Vec<Hook>,
    pub error_handlers: Vec<ErrorHandler>,
    pub template_functions: Vec<TemplateFunction>,
    pub cli_commands: Vec<CliCommand>,
    pub extensions: Vec<Extension>,
    pub config: Vec<ConfigEntry>,
    pub templates: Vec<Template>,
    pub template_refs: Vec<TemplateRef>,
    pub models: Vec<Model>,
    /// `Table(...)` objects that are not a model's table (association tables).
    pub tables: Vec<TableDef>,
    /// How table names were computed: the Flask-SQLAlchemy version assumed and where it was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub orm: Option<OrmInfo>,
    /// The Alembic (Flask-Migrate) history, when the project has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alembic: Option<AlembicInfo>,
    pub diagnostics: Vec<Diagnostic>,
    /// Inline `# flask2django: ignore[...]` comments, applied by `report` and `check`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suppressions: Vec<SuppressionComment>,
    pub stats: Stats,
    /// The project's top-level modules and packages (`dtale` for `dtale/utils.py`, `app` for
    /// `app.py`): names a generated Django app must not take, or it would hide them from the
    /// ported code. Not part of the JSON.
    #[serde(skip)]
    pub top_level_modules: BTreeSet<String>,
}

/// An inline suppression comment (`# flask2django: ignore[FD502]`, or `{# ... #}` in a template).
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct SuppressionComment {
    pub file: String,
    pub line: u32,
    /// Codes or names as written; empty: every code.
    pub codes: Vec<String>,
    /// Alone on its line: it covers the next line too.
    pub own_line: bool,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct Stats {
    pub python_files: usize,
    pub template_files: usize,
    pub lines: usize,
}

/// A Flask application object (`Flask(...)`, or a subclass), possibly built by a factory.
#[derive(Debug, Clone, Serialize, Default)]
pub struct App {
    /// How `flask --app` would name it: `module:name` or `module:factory()`.
    pub id: String,
    pub import_name: String,
    #[serde(flatten)]
    pub location: Location,
    /// The factory function that builds it, if any (`module.create_app`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub factory: Option<String>,
    /// Root-relative template folder, if set and resolvable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template_folder: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub static_folder: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub static_url_path: Option<String>,
    /// Jinja environment options the app sets, literal values only (`trim_blocks`, ...).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub jinja_options: BTreeMap<String, serde_json::Value>,
    /// Jinja extensions the app loads, by import path.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub jinja_extensions: Vec<String>,
    /// Names of the blueprints registered on it, in registration order (nested ones dotted).
    pub blueprints: Vec<String>,
    /// Where the app was found: `--app`, `FLASK_APP in .flaskenv` (or `.env`), `wsgi.py`,
    /// `app.py`, `factory`, `instance`.
    pub discovered_by: String,
    pub status: Status,
}

/// A blueprint as registered on an app (one entry per registration name).
#[derive(Debug, Clone, Serialize, Default)]
pub struct Blueprint {
    /// Dotted registration name (`parent.child`); the endpoint prefix.
    pub name: String,
    /// The name given to `Blueprint(...)`.
    pub declared_name: String,
    pub app: Option<String>,
    /// Module-qualified variable, e.g. `shop.views.bp`.
    pub import_name: String,
    #[serde(flatten)]
    pub location: Location,
    /// Effective URL prefix after composition with the registration and parents.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url_prefix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subdomain: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template_folder: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub static_folder: Option<String>,
    /// Where it was registered (None if never).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registered_at: Option<Location>,
    pub status: Status,
}

/// One variable part of a rule: `<int(min=1):id>`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RuleArgument {
    pub name: String,
    pub converter: String,
    /// Converter arguments as written, e.g. `min=1` or `a, b`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub args: Option<String>,
}

/// One URL rule, as it ends up in the app's `url_map`.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Route {
    pub app: Option<String>,
    pub rule: Option<String>,
    pub endpoint: Option<String>,
    /// Upper-case, sorted, with HEAD and OPTIONS added as Flask adds them.
    pub methods: Vec<String>,
    /// OPTIONS is the view's to answer: it is among the methods given (or automatic options
    /// are turned off and it is listed), so Flask does not answer it itself.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub view_options: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blueprint: Option<String>,
    /// The view: `module.function`, `module.Class` for class-based views.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub view: Option<String>,
    #[serde(flatten)]
    pub location: Location,
    /// Where the view function is defined, when it differs from the registration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub view_location: Option<Location>,
    /// Decorators on the view function, outermost first, as written (minus the route decorator);
    /// first, those a call applies to every view of its blueprint (`csrf.exempt(bp)`).
    pub decorators: Vec<String>,
    /// First line (decorators included) and last line of the view's definition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub view_lines: Option<[u32; 2]>,
    /// Set when the view's whole body is `return render_template(...)` with a literal context.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub render: Option<RenderTemplate>,
    pub arguments: Vec<RuleArgument>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub defaults: BTreeMap<String, serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strict_slashes: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subdomain: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// `route` (decorators), `add_url_rule` (also `as_view` views), `resource` (Flask-RESTful,
    /// flask-restx), `static`.
    pub kind: String,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A custom URL converter registered on `app.url_map.converters`.
#[derive(Debug, Clone, Serialize)]
pub struct Converter {
    pub app: Option<String>,
    pub name: String,
    pub class: String,
    /// `regex`, when the class or a project base sets it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regex: Option<String>,
    /// `weight`, when the class or a project base sets it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<i64>,
    /// Whether values stay within one path segment, when the class or a project base decides
    /// (its `part_isolating`, or, as Werkzeug derives it, whether its own `regex` has no `/`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part_isolating: Option<bool>,
    /// The library classes it derives from (`werkzeug.routing.PathConverter`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub bases: Vec<String>,
    #[serde(flatten)]
    pub location: Location,
}

/// A request hook: `before_request`, `after_request`, `teardown_request`, ...
#[derive(Debug, Clone, Serialize)]
pub struct Hook {
    pub app: Option<String>,
    /// `before_request`, `before_app_request`, `after_request`, `teardown_appcontext`, ...
    pub kind: String,
    /// `app` for app-wide hooks; the blueprint name for blueprint-scoped ones.
    pub scope: String,
    pub function: String,
    #[serde(flatten)]
    pub location: Location,
    pub status: Status,
}

#[derive(Debug, Clone, Serialize)]
pub struct ErrorHandler {
    pub app: Option<String>,
    /// Status code (`404`) or exception class (`ValueError`) as written.
    pub error: String,
    /// `app`, or the blueprint name (`app_errorhandler` on a blueprint is `app`).
    pub scope: String,
    pub function: String,
    #[serde(flatten)]
    pub location: Location,
    pub status: Status,
    /// First and last line of the handler function, when it is the project's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub function_lines: Option<[u32; 2]>,
    /// A flask-restx handler (`@api.errorhandler`): where its `Api` is made. It handles only
    /// what the Api's resources raise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api: Option<String>,
}

/// Context processors, template filters, globals and tests.
#[derive(Debug, Clone, Serialize)]
pub struct TemplateFunction {
    pub app: Option<String>,
    /// `context_processor`, `filter`, `global`, `test`.
    pub kind: String,
    /// The name templates use (None for context processors).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub scope: String,
    pub function: String,
    #[serde(flatten)]
    pub location: Location,
}

#[derive(Debug, Clone, Serialize)]
pub struct CliCommand {
    pub app: Option<String>,
    /// Command path as typed after `flask` (`db init`); None when computed.
    pub name: Option<String>,
    pub scope: String,
    pub function: String,
    #[serde(flatten)]
    pub location: Location,
}

/// An extension object attached to (or created for) an app.
#[derive(Debug, Clone, Serialize)]
pub struct Extension {
    pub app: Option<String>,
    /// Fully qualified class: `flask_sqlalchemy.SQLAlchemy`.
    pub class: String,
    /// The variable that holds it, module-qualified (`app.extensions.db`).
    pub variable: Option<String>,
    #[serde(flatten)]
    pub location: Location,
    /// Django counterpart from `mappings/extensions.toml`, None if unmapped.
    pub django: Option<String>,
    /// Literal attributes the project sets on the object (`login_view`), by name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub settings: BTreeMap<String, serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// A WSGI middleware wrapping the app (`app.wsgi_app = ProxyFix(app.wsgi_app)`), of a library
    /// or of the project.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub wsgi_middleware: bool,
}

/// One configuration key, or one run-time configuration source.
#[derive(Debug, Clone, Serialize)]
pub struct ConfigEntry {
    pub app: Option<String>,
    /// The key; None for a run-time source such as `from_envvar`.
    pub key: Option<String>,
    /// The value as JSON when it is a literal, else None (see `expression`).
    pub value: Option<serde_json::Value>,
    /// Source text of the value or of the loading call.
    pub expression: String,
    /// `item`, `attribute`, `update`, `from_object`, `from_mapping`, `from_pyfile`, `from_envvar`, ...
    pub source: String,
    #[serde(flatten)]
    pub location: Location,
    pub status: Status,
}

/// Names with counts, sorted by name; serialized as a JSON object. One allocation for the
/// usual one or two entries (a map's node holds room for eleven).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts(Box<[(Box<str>, u32)]>);

impl Counts {
    pub fn iter(&self) -> impl Iterator<Item = (&str, u32)> {
        self.0.iter().map(|(n, c)| (&**n, *c))
    }
}

impl From<BTreeMap<String, u32>> for Counts {
    fn from(map: BTreeMap<String, u32>) -> Self {
        Counts(map.into_iter().map(|(n, c)| (n.into_boxed_str(), c)).collect())
    }
}

impl Serialize for Counts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

/// A template file found in a template folder.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Template {
    /// The name Flask looks it up by (relative to its template folder).
    pub name: String,
    pub file: String,
    /// Which folder provides it: `app` or a blueprint name.
    pub provider: String,
    pub extends: Vec<String>,
    pub includes: Vec<String>,
    pub imports: Vec<String>,
    /// Endpoints named in `url_for(...)`, literal only.
    pub url_for: Vec<String>,
    pub filters: Vec<String>,
    pub macros: Vec<String>,
    pub blocks: Vec<String>,
    /// Other constructs that matter to a Django port, with counts: `set`, `loop.index`,
    /// `get_flashed_messages`, `csrf_token`, `raw`, `whitespace_control`, ...
    pub constructs: Counts,
    pub used: bool,
    pub status: Status,
}

/// The `function` of a template reference through a Jinja environment of the project's own
/// (`env.get_template(name)`): its loader may read folders that are not Flask's.
pub const OWN_JINJA_ENVIRONMENT: &str = "jinja2.Environment.get_template";

/// A `render_template(...)`-style reference from Python code.
#[derive(Debug, Clone, Serialize)]
pub struct TemplateRef {
    /// Literal name, None when computed.
    pub name: Option<String>,
    /// For a computed name, the parts of it that are known, `*` standing for each other part
    /// (`"errors/%s.html" % e.code` → `errors/*.html`); None when no part is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// `render_template`, `render_template_string`, `stream_template`; for a template a library
    /// renders by a name the project gives it, the setting (`flask_admin.Admin.base_template`).
    pub function: String,
    /// The function the call sits in, module-qualified.
    pub caller: Option<String>,
    #[serde(flatten)]
    pub location: Location,
    pub status: Status,
}

/// What the project pins of the ORM, as far as naming rules depend on it.
#[derive(Debug, Clone, Serialize, Default)]
pub struct OrmInfo {
    /// `3` or `2`: the Flask-SQLAlchemy major version whose table-naming rule was applied.
    pub flask_sqlalchemy_major: u32,
    /// Where the version was read (`requirements.txt:4`), or `default` when nothing pins it.
    pub flask_sqlalchemy_source: String,
}

/// A mapped class: a Flask-SQLAlchemy `db.Model` subclass or a declarative SQLAlchemy model.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Model {
    /// Class name as written (`User`).
    pub name: String,
    /// Dotted path of the class (`shop.models.User`).
    pub path: String,
    #[serde(flatten)]
    pub location: Location,
    /// The table the class maps to; for single-table inheritance, the parent's table.
    pub table: Option<String>,
    /// How the table name was found: `literal`, `declared_attr`, `automatic`, `table_object`, `parent`.
    pub table_source: String,
    /// `flask_sqlalchemy` or `declarative`.
    pub style: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inheritance: Option<Inheritance>,
    pub columns: Vec<Column>,
    pub relationships: Vec<Relationship>,
    pub constraints: Vec<Constraint>,
    /// Members with no Django counterpart: methods, hybrid properties, validators, listeners.
    pub members: Vec<ModelMember>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bind_key: Option<String>,
    /// How often the modules holding each blueprint's views mention the class, by blueprint
    /// (one shared string per blueprint name; one map shared by the models of one class name,
    /// as the counts are by name: a large project has many models of the same name).
    pub used_by: std::sync::Arc<BTreeMap<std::sync::Arc<str>, usize>>,
    pub status: Status,
    /// Why the model is not fully known, when it is not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Inheritance {
    /// `single` (no table of its own) or `joined` (own table, keyed by the parent's key).
    pub kind: String,
    /// Dotted path of the mapped parent class.
    pub parent: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub polymorphic_identity: Option<serde_json::Value>,
}

/// A table column, as SQLAlchemy builds it.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Column {
    /// Attribute on the class; None for a column only in a `Table`.
    pub attribute: Option<String>,
    /// Column name in the database.
    pub name: String,
    #[serde(rename = "type")]
    pub col_type: ColumnType,
    pub nullable: bool,
    pub primary_key: bool,
    pub unique: bool,
    pub index: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub autoincrement: Option<serde_json::Value>,
    // Boxed, as most columns have none: a model's columns are kept until the end of the run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Box<DefaultValue>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_default: Option<Box<DefaultValue>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub onupdate: Option<Box<DefaultValue>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// A column the database computes (`Computed(...)`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub computed: Option<Box<ComputedColumn>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub foreign_key: Option<Box<ForeignKeyRef>>,
    /// The mixin or abstract base it comes from, when not declared on the class itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inherited_from: Option<String>,
    #[serde(flatten)]
    pub location: Location,
}

/// `Computed(sqltext, persisted=...)`: a generated column.
#[derive(Debug, Clone, Serialize, Default)]
pub struct ComputedColumn {
    /// The SQL expression, when written as a string.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sql: Option<String>,
    /// `persisted=` when given: stored (true) or virtual (false).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub persisted: Option<bool>,
    /// The `Computed(...)` call as written.
    pub source: String,
}

/// A column type: SQLAlchemy's canonical name and its arguments.
#[derive(Debug, Clone, Serialize, Default)]
pub struct ColumnType {
    /// `String`, `Integer`, `postgresql.JSONB`, `sqlalchemy_utils.UUIDType`; `unknown` when not resolvable.
    pub name: String,
    /// Positional arguments as JSON (a Python enum class is `{"enum": path, "members": [[name, value], ...]}`).
    pub args: Vec<serde_json::Value>,
    pub kwargs: BTreeMap<String, serde_json::Value>,
    /// The type as written.
    pub source: String,
}

/// A default: a literal, a callable, or an expression we keep as source.
#[derive(Debug, Clone, Serialize)]
pub struct DefaultValue {
    /// `literal`, `callable` (a function called on insert), `sql` (`func.now()`, `text(...)`), `expression`.
    pub kind: String,
    /// The literal as JSON, for `literal`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
    /// Dotted path of the callable, for `callable` when it is importable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callable: Option<String>,
    pub source: String,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct ForeignKeyRef {
    /// Target table.
    pub table: String,
    /// Target column.
    pub column: String,
    /// The model mapped to the target table, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ondelete: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub onupdate: Option<String>,
    /// Further `ForeignKey(...)`s on the same column, as written (a Django field has one).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub more: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct Relationship {
    pub attribute: String,
    /// Target as written (`"User"`, `User`, `"models.User"`).
    pub target: String,
    /// The model it resolved to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secondary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backref: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub back_populates: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uselist: Option<bool>,
    /// Other options as written (`lazy`, `cascade`, `order_by`, `foreign_keys`, `remote_side`, ...).
    pub options: BTreeMap<String, String>,
    /// The declaring class, when inherited from a mixin.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inherited_from: Option<String>,
    #[serde(flatten)]
    pub location: Location,
}

/// A table-level constraint or index (`__table_args__`, `Table(...)` arguments, `Index(...)`).
#[derive(Debug, Clone, Serialize, Default)]
pub struct Constraint {
    /// `unique`, `index`, `check`, `primary_key`, `foreign_key`.
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub columns: Vec<String>,
    /// For an index: whether it is unique.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unique: bool,
    /// For a check constraint: the SQL; for a partial index: its WHERE (`postgresql_where`,
    /// `sqlite_where`); for a composite foreign key: `ondelete=...`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
    #[serde(flatten)]
    pub location: Location,
}

/// A member of a model with no Django field: kept for the report and as a `TODO` in the output.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ModelMember {
    pub name: String,
    /// `method`, `property`, `hybrid_property`, `validates`, `column_property`, `event_listener`,
    /// `query_class`, `association_proxy`, `synonym`, `unknown`.
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(flatten)]
    pub location: Location,
}

/// A `Table(...)` that is not a model's table.
#[derive(Debug, Clone, Serialize, Default)]
pub struct TableDef {
    pub name: String,
    /// The variable holding it (`app.models.tags`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variable: Option<String>,
    #[serde(flatten)]
    pub location: Location,
    pub columns: Vec<Column>,
    pub constraints: Vec<Constraint>,
    /// Relationships using it as `secondary`, as `Model.attribute`.
    pub used_by: Vec<String>,
}

/// An Alembic migration history (`migrations/versions/` of Flask-Migrate).
#[derive(Debug, Clone, Serialize, Default)]
pub struct AlembicInfo {
    /// Root-relative folder of the revision files.
    pub directory: String,
    pub revisions: usize,
    /// Revisions no other revision follows.
    pub heads: Vec<String>,
}

/// `return render_template("name", key=literal, ...)`: a view Django can express as `render()`.
#[derive(Debug, Clone, Serialize, Default, PartialEq)]
pub struct RenderTemplate {
    pub template: String,
    pub context: BTreeMap<String, serde_json::Value>,
}
