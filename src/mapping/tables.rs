//! Loading the mapping tables shipped in `mappings/` (compiled in with `include_str!`).
//!
//! A table is checked when it loads: serde rejects unknown and missing columns, and
//! [`ExtensionTable::builtin`] rejects empty cells, duplicate classes and rows that a lookup
//! could not tell apart. Every error names the file, the row and, where known, the line.

use std::borrow::Cow;

/// One row of `mappings/extensions.toml`.
#[derive(Debug, Clone, serde::Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ExtensionRow {
    /// Fully qualified Flask-side class or factory, e.g. `flask_sqlalchemy.SQLAlchemy`.
    pub class: String,
    /// Human name of the extension, e.g. `Flask-SQLAlchemy`.
    pub extension: String,
    /// Django counterpart, e.g. `Django ORM (django.db.models)`.
    pub django: String,
    /// Extra Django packages to install, if any.
    #[serde(default)]
    pub packages: Vec<String>,
    /// Settings implied: INSTALLED_APPS entries.
    #[serde(default)]
    pub installed_apps: Vec<String>,
    /// Middleware implied.
    #[serde(default)]
    pub middleware: Vec<String>,
    /// Templates the extension's own package provides: names, or folders ending in `/`.
    #[serde(default)]
    pub templates: Vec<String>,
    /// The blueprint the extension registers on the app it is bound to, for its static files:
    /// its name and static URL path (`{static_url_path}` is the app's).
    #[serde(default)]
    pub blueprint: Option<ExtensionBlueprint>,
    /// Routes the extension registers on the app that the inventory does not list, in words:
    /// binding the extension to an app is then a dynamic-route finding (FD102) saying so.
    #[serde(default)]
    pub routes: Option<String>,
    /// Classes of the extension's package that a model may inherit from and that add no
    /// column (`flask_login.UserMixin`): a model inheriting one is not missing columns.
    #[serde(default)]
    pub model_mixins: Vec<String>,
    /// The class this library class subclasses and is used as (`flask_sqlalchemy.SQLAlchemy`
    /// for Flask-AppBuilder's `SQLA`): the inventory reads its objects as the parent's.
    #[serde(default)]
    pub subclass_of: Option<String>,
    /// Set when the class is a subclass of `flask.Flask`: calling it makes the app itself
    /// (`app = Eve(settings=...)`), which has this row as one of its extensions.
    #[serde(default)]
    pub app: Option<AppClass>,
    /// Flows into the report.
    pub note: String,
    /// `auto` when the generated project covers the extension (the ORM), else `review` (the
    /// default): the note says what the port needs.
    #[serde(default = "review")]
    pub status: String,
}

/// A blueprint an extension registers in `init_app` to serve its static files.
#[derive(Debug, Clone, serde::Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ExtensionBlueprint {
    pub name: String,
    pub static_url_path: String,
}

/// What a library's subclass of `flask.Flask` does differently from Flask when it is made.
#[derive(Debug, Clone, serde::Deserialize, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct AppClass {
    /// The import name its constructor passes on when the project gives none (Eve's is `eve`:
    /// the app's templates and static files are looked up in Eve's package).
    #[serde(default)]
    pub import_name: Option<String>,
    /// `class` when its `add_url_rule` takes a view class as the view (APIFlask's does, as
    /// `as_view(endpoint)`); Flask's rules otherwise.
    #[serde(default)]
    pub views: Option<String>,
}

fn review() -> String {
    "review".into()
}

#[derive(Debug, thiserror::Error)]
pub enum TableError {
    #[error("mappings/{file}: {message}")]
    Parse { file: &'static str, message: String },
}

/// One row of `mappings/removed_api.toml`: a name current Flask no longer has.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemovedApi {
    pub path: String,
    pub version: String,
    pub instead: String,
}

const REMOVED_API_TOML: &str = include_str!("../../mappings/removed_api.toml");

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RemovedApiFile {
    removed: Vec<RemovedApi>,
}

fn removed_api_rows() -> Result<Vec<RemovedApi>, TableError> {
    toml::from_str::<RemovedApiFile>(REMOVED_API_TOML)
        .map(|f| f.removed)
        .map_err(|e| TableError::Parse { file: "removed_api.toml", message: e.to_string() })
}

/// The row of a name Flask removed, by its import path (`flask.escape`); a row of a module
/// (`flask.ext`) is also the row of every name in it (`flask.ext.cache.Cache`). The shipped
/// table is checked when the tests run.
pub fn removed_api(path: &str) -> Option<&'static RemovedApi> {
    static ROWS: std::sync::OnceLock<Vec<RemovedApi>> = std::sync::OnceLock::new();
    ROWS.get_or_init(|| removed_api_rows().unwrap_or_default()).iter().find(|r| is_within(path, &r.path))
}

/// One row of `mappings/model_bases.toml`: a library's class that models inherit from, and what
/// it adds to their tables.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelBaseRow {
    /// Fully qualified name as users import it: `oslo_db.sqlalchemy.models.TimestampMixin`.
    pub class: String,
    /// The distribution that ships it.
    pub package: String,
    /// A declarative base: a class declaring a table and columns on it alone is a model.
    #[serde(default)]
    pub declarative: bool,
    /// The columns it adds to the table of a model inheriting it.
    #[serde(default)]
    pub columns: Vec<ModelBaseColumn>,
}

/// A column a library's base class adds.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelBaseColumn {
    pub name: String,
    /// A SQLAlchemy type name (`DateTime`), as `sqlalchemy_types.toml` lists it.
    #[serde(rename = "type")]
    pub col_type: String,
    #[serde(default = "yes")]
    pub nullable: bool,
    /// The Python-side default, as the library writes it.
    #[serde(default)]
    pub default: Option<String>,
    /// The Python-side `onupdate`, as the library writes it.
    #[serde(default)]
    pub onupdate: Option<String>,
}

fn yes() -> bool {
    true
}

const MODEL_BASES_TOML: &str = include_str!("../../mappings/model_bases.toml");

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelBaseFile {
    base: Vec<ModelBaseRow>,
}

fn model_base_rows() -> Result<Vec<ModelBaseRow>, TableError> {
    toml::from_str::<ModelBaseFile>(MODEL_BASES_TOML)
        .map(|f| f.base)
        .map_err(|e| TableError::Parse { file: "model_bases.toml", message: e.to_string() })
}

/// The row of a library's model base, by import path, also matching the class re-exported from
/// a submodule or parent package (`flask_appbuilder.models.sqla.Model`). The shipped table is
/// checked when the tests run.
pub fn model_base(class: &str) -> Option<&'static ModelBaseRow> {
    static ROWS: std::sync::OnceLock<Vec<ModelBaseRow>> = std::sync::OnceLock::new();
    let rows = ROWS.get_or_init(|| model_base_rows().unwrap_or_default());
    rows.iter().find(|r| r.class == class).or_else(|| rows.iter().find(|r| same_import(&r.class, class)))
}

/// The extensions table.
#[derive(Debug, Clone)]
pub struct ExtensionTable {
    pub rows: Vec<ExtensionRow>,
}

const EXTENSIONS_FILE: &str = "extensions.toml";
const EXTENSIONS_TOML: &str = include_str!("../../mappings/extensions.toml");

/// The whole file: `[[extension]]` rows and nothing else.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtensionFile {
    extension: Vec<ExtensionRow>,
}

impl ExtensionTable {
    pub fn builtin() -> Result<Self, TableError> {
        Self::parse(EXTENSIONS_FILE, EXTENSIONS_TOML)
    }

    /// The shipped table with the project's own rows in front; a project row replaces the
    /// shipped row of the same class.
    pub fn with_extra(extra: &[ExtensionRow]) -> Result<Self, TableError> {
        let shipped = Self::builtin()?;
        if extra.is_empty() {
            return Ok(shipped);
        }
        let mut rows = extra.to_vec();
        rows.extend(shipped.rows.into_iter().filter(|r| !extra.iter().any(|e| e.class == r.class)));
        let table = ExtensionTable { rows };
        table.check().map_err(|(index, problem)| TableError::Parse {
            file: "the project's [[tool.flask2django.extension]] rows",
            message: format!("`{}`: {problem}", table.rows[index].class),
        })?;
        Ok(table)
    }

    /// Parses and checks the text of an extensions table; `file` names it in errors.
    fn parse(file: &'static str, text: &str) -> Result<Self, TableError> {
        let error = |message: String| TableError::Parse { file, message };
        let layout = RowLayout::new(text);
        let parsed: ExtensionFile = toml::from_str(text).map_err(|e| error(describe_toml_error(&e, text, &layout)))?;
        let table = ExtensionTable { rows: parsed.extension };
        table.check().map_err(|(index, problem)| {
            let row = describe_row(index, Some(&table.rows[index].class), layout.header_line(index));
            error(format!("{row}: {problem}"))
        })?;
        Ok(table)
    }

    /// Checks what serde cannot: filled-in cells, unique classes, unambiguous lookups.
    /// Returns the index of the offending row and what is wrong with it.
    fn check(&self) -> Result<(), (usize, String)> {
        for (index, row) in self.rows.iter().enumerate() {
            for (key, value) in
                [("class", &row.class), ("extension", &row.extension), ("django", &row.django), ("note", &row.note)]
            {
                if value.trim().is_empty() {
                    return Err((index, format!("`{key}` is empty")));
                }
            }
            if row.app.as_ref().and_then(|a| a.views.as_deref()).is_some_and(|v| v != "class") {
                return Err((index, "`app.views` is not `class`".to_owned()));
            }
            if !matches!(row.status.as_str(), "auto" | "review" | "manual") {
                return Err((index, format!("`status` is `{}`, not auto, review or manual", row.status)));
            }
            if split_qualified(&row.class).is_none() || !is_dotted_path(&row.class) {
                return Err((index, "`class` is not a qualified name like `package.Class`".to_owned()));
            }
            if let Some(parent) = &row.subclass_of {
                if !self.rows.iter().any(|r| &r.class == parent) {
                    return Err((index, format!("`subclass_of` names `{parent}`, which has no row")));
                }
            }
            for (earlier_index, earlier) in self.rows[..index].iter().enumerate() {
                if earlier.class == row.class {
                    return Err((index, format!("`class` repeats row {}", earlier_index + 1)));
                }
                if same_import(&earlier.class, &row.class) {
                    return Err((
                        index,
                        format!(
                            "`class` cannot be told apart from `{}` (row {}): same final name in related modules",
                            earlier.class,
                            earlier_index + 1
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The row for a fully qualified class (`flask_login.LoginManager`), also matching a class
    /// re-exported from a submodule (`flask_login.login_manager.LoginManager`).
    ///
    /// In order: the exact name; the same final name in a submodule or parent package of the
    /// row's module (`flask_wtf.csrf.CSRFProtect` → `flask_wtf.CSRFProtect`); the same two
    /// steps for the legacy spellings `flask.ext.X.Y` and `flaskext.X.Y` of `flask_X.Y`.
    pub fn lookup(&self, class: &str) -> Option<&ExtensionRow> {
        self.lookup_as_written(class)
            .or_else(|| legacy_to_modern(class).and_then(|modern| self.lookup_as_written(&modern)))
    }

    /// The row of a library's subclass of `flask.Flask` (`eve.Eve`): calling it makes an app.
    pub fn app_class(&self, class: &str) -> Option<&ExtensionRow> {
        self.lookup(class).filter(|row| row.app.is_some())
    }

    fn lookup_as_written(&self, class: &str) -> Option<&ExtensionRow> {
        self.rows
            .iter()
            .find(|row| row.class == class)
            .or_else(|| self.rows.iter().find(|row| same_import(&row.class, class)))
    }

    /// The class an extension class is used as: the `subclass_of` of its row (Flask-AppBuilder's
    /// `SQLA` is `flask_sqlalchemy.SQLAlchemy`), else the class itself.
    pub fn used_as<'s>(&'s self, class: &'s str) -> &'s str {
        self.lookup(class).and_then(|r| r.subclass_of.as_deref()).unwrap_or(class)
    }

    /// True when a row lists the class among its `model_mixins` (as written or re-exported).
    pub fn is_model_mixin(&self, class: &str) -> bool {
        let modern = legacy_to_modern(class);
        let class = modern.as_deref().unwrap_or(class);
        self.rows.iter().flat_map(|r| &r.model_mixins).any(|m| m == class || same_import(m, class))
    }

    /// True when the table has a row for the qualified name ([`Self::lookup`]), or when it looks
    /// like a Flask extension class: a capitalised name in a `flask_*` top-level package
    /// (legacy spellings included). Calling it creates an extension object.
    pub fn is_extension_class(&self, class: &str) -> bool {
        if self.lookup(class).is_some() {
            return true;
        }
        let class: Cow<'_, str> = match legacy_to_modern(class) {
            Some(modern) => Cow::Owned(modern),
            None => Cow::Borrowed(class),
        };
        let Some((module, name)) = split_qualified(&class) else {
            return false;
        };
        let package = top_level(module);
        package.strip_prefix("flask_").is_some_and(|rest| !rest.is_empty())
            && name.chars().next().is_some_and(char::is_uppercase)
    }
}

/// `flask.ext.sqlalchemy.SQLAlchemy` and `flaskext.sqlalchemy.SQLAlchemy` →
/// `flask_sqlalchemy.SQLAlchemy`; `None` for any other name.
fn legacy_to_modern(class: &str) -> Option<String> {
    let rest = class.strip_prefix("flask.ext.").or_else(|| class.strip_prefix("flaskext."))?;
    (!rest.is_empty()).then(|| format!("flask_{rest}"))
}

/// `a.b.Name` → (`a.b`, `Name`); `None` without a module part.
fn split_qualified(class: &str) -> Option<(&str, &str)> {
    class.rsplit_once('.').filter(|(module, name)| !module.is_empty() && !name.is_empty())
}

fn top_level(module: &str) -> &str {
    module.split('.').next().unwrap_or(module)
}

/// True when `a` and `b` name the same final object in modules of which one is the other or
/// lies inside it: `flask_login.LoginManager` and `flask_login.login_manager.LoginManager`.
/// Sibling modules (`authlib.integrations.flask_client` vs `…django_client`) do not match.
fn same_import(a: &str, b: &str) -> bool {
    let (Some((a_module, a_name)), Some((b_module, b_name))) = (split_qualified(a), split_qualified(b)) else {
        return false;
    };
    a_name == b_name && (is_within(a_module, b_module) || is_within(b_module, a_module))
}

/// `inner` is `outer` or one of its submodules.
fn is_within(inner: &str, outer: &str) -> bool {
    inner.strip_prefix(outer).is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

/// Python identifiers joined by dots: `django.middleware.csrf.CsrfViewMiddleware`.
fn is_dotted_path(path: &str) -> bool {
    path.split('.').all(|part| {
        let mut chars = part.chars();
        chars.next().is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
            && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
    })
}

/// Where the `[[extension]]` headers are, to turn byte offsets and row indexes into words.
struct RowLayout {
    /// Byte offset and 1-based line of each `[[extension]]` header, in file order.
    headers: Vec<(usize, usize)>,
    /// Byte offset of the start of each line.
    line_starts: Vec<usize>,
}

impl RowLayout {
    fn new(text: &str) -> Self {
        let line_starts: Vec<usize> =
            std::iter::once(0).chain(text.match_indices('\n').map(|(at, _)| at + 1)).collect();
        let headers = line_starts
            .iter()
            .enumerate()
            .filter(|(_, &start)| {
                let line = text[start..].lines().next().unwrap_or("");
                line.split('#').next().unwrap_or("").trim() == "[[extension]]"
            })
            .map(|(index, &start)| (start, index + 1))
            .collect();
        RowLayout { headers, line_starts }
    }

    fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset)
    }

    /// Index of the row whose text holds `offset`, if it is past the first header.
    fn row_at(&self, offset: usize) -> Option<usize> {
        self.headers.partition_point(|&(start, _)| start <= offset).checked_sub(1)
    }

    /// 1-based line of the header of row `index`.
    fn header_line(&self, index: usize) -> Option<usize> {
        self.headers.get(index).map(|&(_, line)| line)
    }
}

/// Names a row in messages, as in "[[extension]] row 3 (`flask_x.Y`), line 40"; the class and
/// the line are left out when unknown.
fn describe_row(index: usize, class: Option<&str>, line: Option<usize>) -> String {
    let mut words = format!("[[extension]] row {}", index + 1);
    if let Some(class) = class.filter(|class| !class.is_empty()) {
        words.push_str(&format!(" (`{class}`)"));
    }
    if let Some(line) = line {
        words.push_str(&format!(", line {line}"));
    }
    words
}

/// A TOML or schema error as `[[extension]] row N (class), line L: message`, or
/// `line L: message` outside the rows.
fn describe_toml_error(error: &toml::de::Error, text: &str, layout: &RowLayout) -> String {
    let message = error.message().trim_end();
    let Some(span) = error.span() else {
        return message.to_owned();
    };
    let line = layout.line_of(span.start);
    match layout.row_at(span.start) {
        Some(index) => {
            let class = class_of_row(text, index);
            format!("{}: {message}", describe_row(index, class.as_deref(), Some(line)))
        }
        None => format!("line {line}: {message}"),
    }
}

/// The `class` cell of row `index`, when the file is valid TOML even if the row is not.
fn class_of_row(text: &str, index: usize) -> Option<String> {
    let value: toml::Table = toml::from_str(text).ok()?;
    value.get("extension")?.as_array()?.get(index)?.get("class")?.as_str().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn the_removed_api_table_loads() {
        let rows = removed_api_rows().expect("mappings/removed_api.toml loads");
        assert!(rows.iter().all(|r| r.path.starts_with("flask.") && !r.version.is_empty() && !r.instead.is_empty()));
        let paths: BTreeSet<&str> = rows.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(paths.len(), rows.len(), "one row per path");
        assert_eq!(removed_api("flask.escape").map(|r| r.version.as_str()), Some("3.0"));
        assert!(removed_api("flask.Flask").is_none());
        // A removed module: the names in it.
        assert_eq!(removed_api("flask.ext.cache.Cache").map(|r| r.version.as_str()), Some("1.0"));
        assert_eq!(removed_api("flask.ext.cache").map(|r| r.path.as_str()), Some("flask.ext"));
        assert!(removed_api("flask.extensions").is_none());
    }

    fn table() -> ExtensionTable {
        ExtensionTable::builtin().expect("mappings/extensions.toml loads")
    }

    fn parse_error(text: &str) -> String {
        match ExtensionTable::parse("test.toml", text) {
            Ok(_) => panic!("expected an error for:\n{text}"),
            Err(error) => error.to_string(),
        }
    }

    const ROW: &str =
        "[[extension]]\nclass = \"flask_x.X\"\nextension = \"Flask-X\"\ndjango = \"django.x\"\nnote = \"n\"\n";

    #[test]
    fn model_bases_table_loads() {
        let rows = model_base_rows().expect("mappings/model_bases.toml loads");
        let types = crate::mapping::types::TypeTable::builtin().unwrap();
        for row in &rows {
            assert!(split_qualified(&row.class).is_some() && is_dotted_path(&row.class), "{}", row.class);
            for c in &row.columns {
                assert!(types.lookup(&c.col_type).is_some(), "{}: no type row for {}", row.class, c.col_type);
            }
        }
        assert!(model_base("flask_appbuilder.models.sqla.Model").is_some_and(|r| r.declarative));
        assert!(model_base("oslo_db.sqlalchemy.models.TimestampMixin").is_some_and(|r| r.columns.len() == 2));
        assert!(model_base("flask_appbuilder.security.sqla.models.User").is_none());
    }

    #[test]
    fn builtin_table_loads() {
        let table = table();
        assert!(table.rows.len() >= 40, "only {} rows", table.rows.len());
    }

    #[test]
    fn classes_are_unique() {
        let mut seen = BTreeSet::new();
        for row in &table().rows {
            assert!(seen.insert(row.class.as_str()), "duplicate class {}", row.class);
        }
    }

    #[test]
    fn every_row_has_a_note() {
        for row in &table().rows {
            assert!(!row.note.trim().is_empty(), "{} has an empty note", row.class);
            assert!(row.note.trim_end().ends_with('.'), "{}: note is not a sentence", row.class);
        }
    }

    #[test]
    fn settings_entries_are_dotted_paths() {
        for row in &table().rows {
            for app in &row.installed_apps {
                assert!(is_dotted_path(app), "{}: installed app {app:?}", row.class);
            }
            for middleware in &row.middleware {
                let (_, class) = split_qualified(middleware)
                    .unwrap_or_else(|| panic!("{}: middleware {middleware:?} has no module", row.class));
                assert!(is_dotted_path(middleware), "{}: middleware {middleware:?}", row.class);
                assert!(
                    class.starts_with(|c: char| c.is_ascii_uppercase()),
                    "{}: middleware {middleware:?} does not name a class",
                    row.class
                );
            }
            for package in &row.packages {
                assert!(
                    !package.is_empty() && !package.contains(char::is_whitespace),
                    "{}: package {package:?}",
                    row.class
                );
            }
        }
    }

    #[test]
    fn settings_entries_are_not_repeated_within_a_row() {
        for row in &table().rows {
            for list in [&row.installed_apps, &row.middleware, &row.packages] {
                let unique: BTreeSet<_> = list.iter().collect();
                assert_eq!(unique.len(), list.len(), "{}: repeated entry in {list:?}", row.class);
            }
        }
    }

    #[test]
    fn required_extensions_are_covered() {
        let table = table();
        for class in [
            "flask_sqlalchemy.SQLAlchemy",
            "flask_migrate.Migrate",
            "flask_login.LoginManager",
            "flask_wtf.CSRFProtect",
            "flask_wtf.CsrfProtect",
            "flask_mail.Mail",
            "flask_babel.Babel",
            "flask_caching.Cache",
            "flask_cache.Cache",
            "flask_cors.CORS",
            "flask_restful.Api",
            "flask_restx.Api",
            "flask_restplus.Api",
            "flask_marshmallow.Marshmallow",
            "flask_admin.Admin",
            "flask_socketio.SocketIO",
            "flask_limiter.Limiter",
            "flask_session.Session",
            "flask_bcrypt.Bcrypt",
            "flask_jwt_extended.JWTManager",
            "flask_security.Security",
            "flask_principal.Principal",
            "flask_moment.Moment",
            "flask_bootstrap.Bootstrap",
            "flask_bootstrap.Bootstrap5",
            "flask_debugtoolbar.DebugToolbarExtension",
            "flask_compress.Compress",
            "flask_talisman.Talisman",
            "flask_seasurf.SeaSurf",
            "flask_assets.Environment",
            "flask_smorest.Api",
            "flask_apscheduler.APScheduler",
            "flask_pymongo.PyMongo",
            "flask_redis.FlaskRedis",
            "flask_uploads.UploadSet",
            "flask_httpauth.HTTPBasicAuth",
            "flask_httpauth.HTTPTokenAuth",
            "flask_ckeditor.CKEditor",
            "flask_dance.consumer.OAuth2ConsumerBlueprint",
            "authlib.integrations.flask_client.OAuth",
        ] {
            assert_eq!(table.lookup(class).map(|row| row.class.as_str()), Some(class));
        }
    }

    #[test]
    fn lookup_matches() {
        let table = table();
        // (as written in the project, the row it finds)
        let cases = [
            ("flask_sqlalchemy.SQLAlchemy", "flask_sqlalchemy.SQLAlchemy"),
            // submodule of the row's package
            ("flask_sqlalchemy.extension.SQLAlchemy", "flask_sqlalchemy.SQLAlchemy"),
            ("flask_login.login_manager.LoginManager", "flask_login.LoginManager"),
            ("flask_wtf.csrf.CSRFProtect", "flask_wtf.CSRFProtect"),
            ("flask_wtf.csrf.CsrfProtect", "flask_wtf.CsrfProtect"),
            // parent package of the row's module
            ("flask_dance.OAuth2ConsumerBlueprint", "flask_dance.consumer.OAuth2ConsumerBlueprint"),
            ("flask_dance.consumer.oauth2.OAuth2ConsumerBlueprint", "flask_dance.consumer.OAuth2ConsumerBlueprint"),
            // legacy spellings
            ("flask.ext.sqlalchemy.SQLAlchemy", "flask_sqlalchemy.SQLAlchemy"),
            ("flask.ext.login.LoginManager", "flask_login.LoginManager"),
            ("flask.ext.wtf.csrf.CsrfProtect", "flask_wtf.CsrfProtect"),
            ("flaskext.sqlalchemy.SQLAlchemy", "flask_sqlalchemy.SQLAlchemy"),
            // same final name, different packages: each finds its own row
            ("flask_restx.Api", "flask_restx.Api"),
            ("flask_restful.Api", "flask_restful.Api"),
            ("flask_smorest.Api", "flask_smorest.Api"),
        ];
        for (written, expected) in cases {
            assert_eq!(table.lookup(written).map(|row| row.class.as_str()), Some(expected), "lookup({written:?})");
        }
    }

    #[test]
    fn lookup_misses() {
        let table = table();
        for written in [
            "",
            "SQLAlchemy",
            "flask.Flask",
            "sqlalchemy.SQLAlchemy",
            // same final name, other package
            "flask_sqlalchemy_session.SQLAlchemy",
            "flask_login_extra.LoginManager",
            // same package, other name
            "flask_login.UserMixin",
            // sibling module of a row's module
            "authlib.integrations.django_client.OAuth",
            "authlib.integrations.starlette_client.OAuth",
            // legacy spelling of an unknown extension
            "flask.ext.unknown.Thing",
            "flask.ext.",
        ] {
            assert_eq!(table.lookup(written), None, "lookup({written:?})");
        }
    }

    #[test]
    fn extension_classes() {
        let table = table();
        let cases = [
            ("flask_sqlalchemy.SQLAlchemy", true),
            ("flask_login.login_manager.LoginManager", true),
            ("authlib.integrations.flask_client.OAuth", true),
            ("flask.ext.login.LoginManager", true),
            // not in the table, but shaped like an extension
            ("flask_unknown.Unknown", true),
            ("flask_unknown.sub.Thing", true),
            ("flask.ext.unknown.Thing", true),
            // functions and modules of extension packages
            ("flask_login.login_required", false),
            ("flask_unknown.helper", false),
            ("flask_unknown", false),
            // not an extension package
            ("flask.Flask", false),
            ("flask.Blueprint", false),
            ("flask_.Thing", false),
            ("flaskr.Thing", false),
            ("sqlalchemy.orm.DeclarativeBase", false),
            ("authlib.integrations.django_client.OAuth", false),
            ("Thing", false),
        ];
        for (class, expected) in cases {
            assert_eq!(table.is_extension_class(class), expected, "is_extension_class({class:?})");
        }
    }

    #[test]
    fn legacy_names() {
        let cases = [
            ("flask.ext.sqlalchemy.SQLAlchemy", Some("flask_sqlalchemy.SQLAlchemy")),
            ("flask.ext.wtf.csrf.CsrfProtect", Some("flask_wtf.csrf.CsrfProtect")),
            ("flaskext.cache.Cache", Some("flask_cache.Cache")),
            ("flask.ext.", None),
            ("flask.Flask", None),
            ("flask_login.LoginManager", None),
        ];
        for (written, expected) in cases {
            assert_eq!(legacy_to_modern(written).as_deref(), expected, "{written:?}");
        }
    }

    #[test]
    fn parse_accepts_a_minimal_row() {
        let table = ExtensionTable::parse("test.toml", ROW).expect("parses");
        assert_eq!(table.rows.len(), 1);
        assert!(table.rows[0].packages.is_empty());
    }

    #[test]
    fn parse_errors_name_file_row_and_line() {
        let cases: [(String, &[&str]); 7] = [
            (
                format!("{ROW}\n[[extension]]\nclass = \"flask_y.Y\"\nextension = \"Y\"\ndjango = \"y\"\nnote = \"n\"\ncolour = \"red\"\n"),
                &["mappings/test.toml:", "row 2", "`flask_y.Y`", "line 12", "colour"],
            ),
            (
                "[[extension]]\nclass = \"flask_x.X\"\nextension = \"Flask-X\"\ndjango = \"x\"\n".to_owned(),
                &["mappings/test.toml:", "row 1", "note"],
            ),
            ("[[extension]\nclass = 1\n".to_owned(), &["mappings/test.toml:", "line 1"]),
            (format!("{ROW}{ROW}"), &["row 2", "`flask_x.X`", "line 6", "repeats row 1"]),
            (
                ROW.replace("note = \"n\"", "note = \"  \""),
                &["row 1", "`flask_x.X`", "line 1", "`note` is empty"],
            ),
            (ROW.replace("flask_x.X", "X"), &["row 1", "not a qualified name"]),
            (
                format!("{ROW}{}", ROW.replace("flask_x.X", "flask_x.sub.X")),
                &["row 2", "`flask_x.sub.X`", "cannot be told apart from `flask_x.X`"],
            ),
        ];
        for (text, expected) in cases {
            let message = parse_error(&text);
            for part in expected {
                assert!(message.contains(part), "{part:?} missing from {message:?}");
            }
        }
    }

    #[test]
    fn unknown_top_level_keys_are_errors() {
        let message = parse_error(&format!("version = 2\n{ROW}"));
        assert!(message.contains("version"), "{message}");
        let message = parse_error("");
        assert!(message.contains("extension"), "{message}");
    }
}
