//! The code table: every diagnostic the tool can emit, with its documentation.
//!
//! Codes are never reused. `flask2django explain CODE` and the README table are generated from
//! [`CODES`]; a test fails when the README is stale or a code has no documentation.

use super::Severity;

/// Static description of one diagnostic code.
#[derive(Debug, Clone, Copy)]
pub struct CodeInfo {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    /// Markdown with the headings *What it means*, *Example*, *What to do*.
    pub doc: &'static str,
}

macro_rules! codes {
    ($( $variant:ident = ($code:literal, $name:literal, $sev:ident, $summary:literal, $doc:literal); )*) => {
        /// A diagnostic code. The discriminant order is the table order.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code { $($variant,)* }

        /// Every code, in table order.
        pub const CODES: &[CodeInfo] = &[
            $(CodeInfo { code: $code, name: $name, severity: Severity::$sev, summary: $summary, doc: $doc },)*
        ];

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];
            pub fn info(self) -> &'static CodeInfo {
                &CODES[self as usize]
            }
        }
    };
}

codes! {
    SyntaxError = ("FD001", "syntax-error", Error, "A Python file does not parse",
"## What it means
The file is not valid Python 3. The inventory keeps whatever the parser could recover from it, so
routes after the error may be missing. A file that looks like Python 2 (print statements,
`except X, e`) says so in the help line.

## Example
```python
@app.route('/'
def index(): ...
```

## What to do
Fix the syntax, or exclude the file with `--exclude` if it is not part of the application.");

    UndecodableSource = ("FD002", "undecodable-source", Error, "A file could not be decoded as text",
"## What it means
The file is neither valid UTF-8 nor valid in the encoding its PEP 263 coding cookie names, names an
unknown encoding, or contains NUL bytes (which CPython refuses too).

## Example
```python
# -*- coding: klingon -*-
```

## What to do
Re-encode the file as UTF-8, or fix its coding cookie.");

    UnreadableFile = ("FD003", "unreadable-file", Error, "A file or folder could not be read",
"## What it means
The walk met a file or folder it was not allowed to read, or a read failed.

## Example
A `chmod 000` file inside the project.

## What to do
Fix the permissions, or exclude the path with `--exclude`.");

    SymlinkSkipped = ("FD004", "symlink-skipped", Warning, "A symbolic link was not followed",
"## What it means
A symbolic link points outside the analyzed root, or back into one of its own ancestors (a loop).
It is never followed, so the walk stays inside the root and always ends.

## Example
`app/loop -> ..`

## What to do
Nothing, if the link is not part of the application. Otherwise analyze the link's target directly.");

    InternalError = ("FD005", "internal-error", Error, "The tool failed on one file",
"## What it means
Extracting facts from one file hit a bug in flask2django. The file was skipped and the run went on.

## Example
Any file; the message carries the panic text.

## What to do
Report it with the file (or a reduced copy). The rest of the inventory is still valid.");

    ExpressionTooDeep = ("FD006", "expression-too-deep", Warning, "An expression is nested too deeply to follow",
"## What it means
A statement or expression is nested deeper than the analyzer follows (hundreds of levels). Its
contents are treated as unknown values.

## Example
`x = ((((((((...))))))))` nested thousands of times, usually in generated code.

## What to do
Nothing, unless the nested code registers routes; then restructure it.");

    AppNotFound = ("FD101", "app-not-found", Warning, "No Flask application was found",
"## What it means
Neither `--app`, `FLASK_APP` (in `.flaskenv` or `.env`), an `app.py`/`wsgi.py`, nor a module with a
`Flask(...)` instance or a `create_app`/`make_app` factory was found. Routes attached to
blueprints that no app registers are still listed, under no app.

## Example
A library of blueprints without an application.

## What to do
Pass `--app module:name` or `--app 'module:create_app()'` as you would to `flask --app`.");

    DynamicRoute = ("FD102", "dynamic-route", Warning, "A route could not be resolved statically",
"## What it means
The rule, endpoint, methods or view of a registration are computed at run time (a value read from
the environment, a call whose result cannot be known, a blueprint prefix that is not a constant).
The route is listed with status `dynamic` and whatever parts were known; nothing is guessed.

## Example
```python
app.add_url_rule(os.environ['HEALTH_URL'], 'health', health)
```

## What to do
Review the route by hand; if the set of values is fixed, write it as a literal list.");

    ConditionalRegistration = ("FD103", "conditional-registration", Warning, "A registration depends on a run-time condition",
"## What it means
A route, blueprint or hook is registered inside an `if` whose condition depends on run-time
configuration, or inside a loop over values known only at run time. The item is listed with status
`dynamic` (with a `null` rule or endpoint where they vary): it exists only when the condition
holds, once per value of the loop.

## Example
```python
if app.config['ENABLE_ADMIN']:
    app.register_blueprint(admin)

for name in os.listdir('pages'):
    app.add_url_rule(f'/{name}', name, make_view(name))
```

## What to do
Decide which configurations the Django project must cover.");

    DuplicateRule = ("FD104", "duplicate-rule", Warning, "The same rule and methods are registered twice",
"## What it means
Two registrations have the same rule, methods, host and subdomain. Werkzeug matches the first one;
the second view is unreachable.

## Example
```python
@app.route('/a')
def first(): ...
@app.route('/a')
def second(): ...
```

## What to do
Remove the unreachable registration or change its rule.");

    DuplicateEndpoint = ("FD105", "duplicate-endpoint", Error, "Two different views use one endpoint",
"## What it means
Flask raises `AssertionError: View function mapping is overwriting an existing endpoint function`
when one endpoint name is given to two different view functions.

## Example
```python
app.add_url_rule('/a', 'page', view_a)
app.add_url_rule('/b', 'page', view_b)
```

## What to do
Give each view its own endpoint.");

    BlueprintRegisteredTwice = ("FD106", "blueprint-registered-twice", Error, "A blueprint is registered twice under one name",
"## What it means
Flask refuses to register the same blueprint twice under the same name (`ValueError`). The second
registration is ignored here as it would fail there.

## Example
```python
app.register_blueprint(bp)
app.register_blueprint(bp, url_prefix='/v2')
```

## What to do
Pass `name='...'` to the second registration.");

    InvalidRule = ("FD107", "invalid-rule", Error, "A rule string is not valid for Werkzeug",
"## What it means
The rule does not start with `/`, has an unbalanced `<...>`, names a converter that is neither
built in nor registered on `url_map.converters`, or repeats a variable name. Werkzeug would raise
when the rule is added.

## Example
`@app.route('/item/<unknown:id>')`

## What to do
Fix the rule, or register the converter where the analysis can see it.");

    UnregisteredBlueprint = ("FD108", "unregistered-blueprint", Info, "A blueprint is never registered on an app",
"## What it means
A blueprint is created but no application reachable from the analyzed app registers it, so Flask
serves none of its routes. Its routes are listed with no app.

## Example
`legacy = Blueprint('legacy', __name__)` in a module nothing registers.

## What to do
Delete it, or check whether it is registered in a way the analysis cannot follow.");

    DynamicConfig = ("FD109", "dynamic-config", Info, "Configuration is loaded at run time",
"## What it means
`from_pyfile`, `from_envvar`, `from_file`, `from_prefixed_env` or a `from_object` with a run-time
argument load settings that cannot be read statically. Keys set there are not in the inventory.

## Example
`app.config.from_envvar('APP_SETTINGS')`

## What to do
Carry these settings over by hand.");

    UnresolvedCall = ("FD110", "unresolved-call", Info, "A registration goes through a call that could not be followed",
"## What it means
A project function that registers routes or blueprints was called with arguments whose values are
unknown, or calls itself, or is nested too deep. The registrations inside are listed as `dynamic`.

## Example
`register_all(app, discover_plugins())`

## What to do
Review the registrations by hand.");

    RemovedApi = ("FD111", "removed-api", Warning, "A Flask API that current Flask no longer has",
"## What it means
The code uses an API removed from Flask (for example `before_first_request`, removed in 2.3), so it
does not run on current Flask either.

## Example
`@app.before_first_request`

## What to do
Port it to current Flask, or straight to Django (app `ready()` or a startup command).");

    DynamicTemplate = ("FD201", "dynamic-template-name", Info, "A template name is computed at run time",
"## What it means
`render_template` is called with a name that is not a literal or a foldable constant.

## Example
`render_template(page + '.html')`

## What to do
Check that every template it can name exists in the Django project.");

    MissingTemplate = ("FD202", "missing-template", Warning, "A referenced template does not exist",
"## What it means
A `render_template` call or an `extends`/`include`/`import` names a template that is in no template
folder of the app or its blueprints.

## Example
`render_template('missing.html')`

## What to do
Add the template or fix the name.");

    UnusedTemplate = ("FD203", "unused-template", Info, "A template is never referenced",
"## What it means
No `render_template` call and no other template names this template.

## Example
An old `legacy.html` in `templates/`.

## What to do
Delete it, or check whether it is rendered by a computed name.");

    TemplateSyntaxError = ("FD204", "template-syntax-error", Error, "A Jinja template does not parse",
"## What it means
The template is not valid Jinja syntax; its constructs are not inventoried.

## Example
`{% if x %}` without `{% endif %}`.

## What to do
Fix the template.");

    UnmappedExtension = ("FD301", "unmapped-extension", Info, "A Flask extension has no known Django counterpart",
"## What it means
An object from a `flask_*` package (or another package) is attached to the app, but
`mappings/extensions.toml` has no row for it.

## Example
`Flask_Whatever(app)`

## What to do
Find a Django counterpart by hand; add a row to the mapping table to teach the tool.");

    DynamicTableName = ("FD401", "dynamic-table-name", Warning, "A model's table name is computed at run time",
"## What it means
The table a model maps to could not be read from the source: `__tablename__` is computed from a
value only known at run time, a `declared_attr` returns such a value, a `Table(...)` gets a computed
name, or a mapped class has neither `__tablename__` nor `__table__` and no mapped parent. Without
the table name, the generated Django model cannot point `Meta.db_table` at the existing table.

## Example
```python
class Order(db.Model):
    __tablename__ = os.environ['ORDERS_TABLE']
```

## What to do
Use a string literal for the table name, or set `db_table` in the generated model by hand.");

    UnresolvedForeignKey = ("FD402", "unresolved-foreign-key", Warning, "A foreign key points at a table no model defines",
"## What it means
A `ForeignKey('table.column')` names a table that no model and no `Table(...)` in the analyzed
code defines: a typo, a table owned by another service, or one created by a migration only. The
generated field cannot reference a Django model.

## Example
```python
owner_id = db.Column(db.Integer, db.ForeignKey('users.id'))  # the model's table is 'user'
```

## What to do
Fix the target, or map the table with a model (or an unmanaged Django model) before converting.");

    DynamicModel = ("FD403", "dynamic-model", Warning, "A model class is created at run time",
"## What it means
A mapped class is built by calling `type(name, bases, attributes)` (or a factory that does) with a
model base among the bases. Its name, table and columns are only known when the code runs, so it
is not in the inventory and no Django model is generated for it.

## Example
```python
def make_model(name):
    return type(name, (db.Model,), {'id': db.Column(db.Integer, primary_key=True)})
```

## What to do
Write the model as a class statement, or add its Django model by hand.");
}

/// Look a code up by its code (`FD102`) or its name (`dynamic-route`), case-insensitively.
pub fn find(key: &str) -> Option<&'static CodeInfo> {
    CODES.iter().find(|c| c.code.eq_ignore_ascii_case(key) || c.name.eq_ignore_ascii_case(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_documented() {
        let mut seen = std::collections::BTreeSet::new();
        for (i, c) in CODES.iter().enumerate() {
            assert!(seen.insert(c.code), "duplicate code {}", c.code);
            assert!(seen.insert(c.name), "duplicate name {}", c.name);
            for heading in ["## What it means", "## Example", "## What to do"] {
                assert!(c.doc.contains(heading), "{} lacks {heading}", c.code);
            }
            assert_eq!(Code::ALL[i].info().code, c.code);
        }
    }
}
