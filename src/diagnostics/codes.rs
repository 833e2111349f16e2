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

An extension that registers routes of its own which the inventory does not follow (Flask-Admin's
views, Flask-Security's blueprint; the `routes` column of `mappings/extensions.toml`) is reported
the same way where it is bound to the app.

## What to do
Review the route by hand; if the set of values is fixed, write it as a literal list. For an
extension's routes, `flask routes` on the running app lists them.");

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
The code uses an API removed from Flask (for example `before_first_request`, removed in 2.3, or
`from flask import escape`, removed in 3.0; `mappings/removed_api.toml` lists the names), so it
does not run on current Flask either.

## Example
`@app.before_first_request`, `from flask import Markup`

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

    UnknownEndpoint = ("FD205", "unknown-endpoint", Warning, "A template's url_for names an endpoint no app has",
"## What it means
A template calls `url_for` with a literal endpoint that no route of the project has: the view
itself (`url_for('index')`), or one of a blueprint of the project (`url_for('auth.login')`). Flask
raises `BuildError` when the template is rendered, and the generated Django project raises
`NoReverseMatch`. Endpoints of blueprints the project does not define (an extension's, such as
`security.login`) and relative ones (`.index`) are not checked, nor is anything when some route's
endpoint is only known at run time.

## Example
`{{ url_for('main.old_page') }}` after `old_page` was removed from the `main` blueprint.

## What to do
Fix the endpoint, or remove the link.");

    UnmappedExtension = ("FD301", "unmapped-extension", Info, "A Flask extension has no known Django counterpart",
"## What it means
An object from a `flask_*` package, or a class of another library given the app (by position
or by keyword, as `Dash(server=app)`), is attached to the app, but `mappings/extensions.toml`
has no row for it. What it adds to the app at run time (routes, hooks, handlers) is not in the
inventory.

## Example
`Flask_Whatever(app)`, `Board(server=app)`

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
model base among the bases, or the application reads its tables from the database when it runs:
`automap_base()` (mapped by `prepare()`), `metadata.reflect(...)`, Flask-SQLAlchemy's
`db.reflect()`, `Table(..., autoload_with=engine)`. Their names, tables and columns are only
known when the code runs, so they are not in the inventory and no Django model is generated for
them; the generated MIGRATION.md says so.

## Example
```python
def make_model(name):
    return type(name, (db.Model,), {'id': db.Column(db.Integer, primary_key=True)})

Base = automap_base()          # one class per table of the database, after Base.prepare(...)
```

## What to do
Write the model as a class statement, or add its Django model by hand (`python manage.py
inspectdb` prints models for a database's tables).");

    ExternalModelBase = ("FD404", "external-model-base", Warning, "A model inherits from a class outside the project",
"## What it means
A model class inherits from a class the project does not define and that is not SQLAlchemy's:
a mixin of a library (`authlib.integrations.sqla_oauth2.OAuth2ClientMixin`) whose columns and
relationships the static reader cannot see, or a declarative base a library provides
(`sqlalchemy_helpers.Base`), on which a class that declares `__tablename__` and columns is read
as a model. Either way the generated Django model may lack columns the table has.
`python manage.py check_legacy_schema` reports them against the live database.

## Example
```python
from authlib.integrations.sqla_oauth2 import OAuth2ClientMixin

class OAuth2Client(db.Model, OAuth2ClientMixin):  # client_id, client_secret, ... come from the mixin
    id = db.Column(db.Integer, primary_key=True)
```

## What to do
Add the mixin's columns to the Django model by hand. A library's base whose columns are
known (or that adds none) belongs in `mappings/model_bases.toml`; a mixin of an extension that
adds no column may also go in the extension's `model_mixins` in `mappings/extensions.toml`.");

    // FD5xx: migration items. Every inventoried item carries one of these codes; its status
    // (auto, review or manual) is the item's own, so the table's severity is `Info`.

    RouteItem = ("FD501", "route", Info, "A Flask URL rule and the Django path() it becomes",
"## What it means
Each rule of the Flask URL map becomes a `path()` in the URLconf of its blueprint's app, named so
that `reverse('bp:endpoint')` equals Flask's `url_for('bp.endpoint')`. The item is `review` when a
decorator on the view maps only approximately, and `manual` when the rule or endpoint is only known
at run time, or uses subdomain or host matching.

## Example
```python
@bp.route('/post/<int:id>', methods=['GET', 'POST'])   # → path('post/<flask_int:id>', views.post, name='post')
```

## What to do
For `manual` routes, add the `path()` by hand (the reason says what the rule depends on); for
`review`, check the decorator line the generated view carries.");

    ViewItem = ("FD502", "view", Info, "A Flask view and the Django view generated for it",
"## What it means
Every view function or class becomes a Django view with the same URL parameters and allowed
methods. Views that only render a template with a literal context, and the dispatchers that join a
function per HTTP method, are `auto`. Every other view is a stub that keeps the Flask source as a
comment and answers 501: its body is `manual`.

## Example
```python
@bp.route('/cart')
def cart():
    items = Cart.query.filter_by(user_id=current_user.id).all()   # → a stub returning 501
```

## What to do
Port the body: `request.args` → `request.GET`, `request.form` → `request.POST`,
`render_template` → `render`, `redirect(url_for(...))` → `redirect(reverse(...))`, queries to the
Django ORM.");

    BlueprintItem = ("FD503", "blueprint", Info, "A blueprint and the Django app it becomes",
"## What it means
Each registered blueprint becomes a Django app whose URL namespace (`app_name`) is the blueprint's
name, included under its URL prefix. It is `manual` when the blueprint takes a namespace Django
needs (`admin`) or its registration could not be followed.

## Example
```python
app.register_blueprint(shop, url_prefix='/shop')   # → path('shop/', include('shop.urls'))
```

## What to do
Rename one of two clashing namespaces, or include the app by hand.");

    RequestHookItem = ("FD504", "request-hook", Info, "A request hook that must become middleware",
"## What it means
`before_request`, `after_request`, `teardown_request`, `url_value_preprocessor` and the like run
around every request (or every request of one blueprint). Django runs such code as middleware, which
is not generated.

## Example
```python
@app.before_request
def load_user():
    g.user = ...
```

## What to do
Write a middleware class in `core/middleware.py` and add it to `MIDDLEWARE`; for a blueprint-scoped
hook, check `request.resolver_match.app_name` inside it.");

    ErrorHandlerItem = ("FD505", "error-handler", Info, "An error handler and its Django counterpart",
"## What it means
App-level handlers for 400, 403, 404 and 500 become `handler400`... in the root URLconf (`review`:
Django calls them only with `DEBUG = False`). Handlers for other codes, exceptions or one blueprint
have no Django counterpart (`manual`).

## Example
```python
@app.errorhandler(404)
def not_found(e): ...
```

## What to do
Port other handlers to a middleware with `process_exception`, or handle the error in the views.");

    TemplateHelperItem = ("FD506", "template-helper", Info, "A context processor, template filter, global or test",
"## What it means
Functions registered with `context_processor`, `template_filter`, `template_global` or
`template_test` add names to every template. The generated Jinja2 environment (`core/jinja2.py`)
provides Flask's own globals, but not the project's.

## Example
```python
@app.template_filter('money')
def money(value): ...
```

## What to do
Add the function to the environment in `core/jinja2.py` (`env.filters['money'] = money`), or, for a
context processor, to the backend's `context_processors` option.");

    CliCommandItem = ("FD507", "cli-command", Info, "A Flask CLI command that must become a management command",
"## What it means
Commands registered with `@app.cli.command()` or a blueprint's `cli` run under `flask NAME`. Django
runs such code as management commands, which are not generated.

## Example
```python
@app.cli.command('seed')
def seed(): ...
```

## What to do
Write `APP/management/commands/NAME.py` with a `Command(BaseCommand)` whose `handle()` does the same.");

    ExtensionItem = ("FD508", "extension", Info, "A Flask extension and its Django counterpart",
"## What it means
Each extension the app uses is looked up in `mappings/extensions.toml`, which names the Django
counterpart and what it implies (apps, middleware, packages). Extensions whose counterpart is Django
itself (the ORM, sessions, CSRF) are `auto`; those that need a third-party package or different code
are `review`; extensions with no row are `manual` (and FD301 is reported).

## Example
```python
limiter = Limiter(key_func=get_remote_address)   # → django-ratelimit, review
```

## What to do
Follow the note of the row; add a row to the table (or to `[tool.flask2django]`) to teach the tool.");

    ConfigItem = ("FD509", "config-key", Info, "A configuration key and the Django setting it becomes",
"## What it means
Keys of the primary app's configuration are looked up in `mappings/config.toml`. Known keys become
settings (`auto`; `review` when the row has a note); keys with no Django counterpart, and keys set
from values only known at run time, are `manual`.

## Example
```python
app.config['MAIL_SERVER'] = 'smtp.example.com'   # → EMAIL_HOST = 'smtp.example.com'
app.config['FEATURE_X'] = True                   # → manual: no Django setting
```

## What to do
Carry the key into `settings.py` if the code reads it (`settings.FEATURE_X`), or drop it.");

    ConverterItem = ("FD510", "url-converter", Info, "An app-defined URL converter",
"## What it means
A converter class the app adds to `url_map.converters` becomes a Django converter with the same
regex, but its `to_python` and `to_url` conversions are not ported.

## Example
```python
app.url_map.converters['list'] = ListConverter
```

## What to do
Port `to_python`/`to_url` into the generated class in `core/converters.py`.");

    ModelItem = ("FD511", "model", Info, "A SQLAlchemy model or table and the Django model it becomes",
"## What it means
Each mapped class (and each `Table(...)` that is not a plain association table) becomes a Django
model on the same table (`Meta.db_table`), so the existing database is kept. It is `review` when
part of it maps approximately, `manual` when Django cannot express it (an FK to a composite key, a
table computed at run time).

## Example
```python
class User(db.Model): ...   # → class User(models.Model): ... Meta.db_table = 'user'
```

## What to do
Follow the reason; then run `manage.py check_legacy_schema` against a copy of the database.");

    ColumnItem = ("FD512", "column", Info, "A column and the Django field it becomes",
"## What it means
Column types go through `mappings/sqlalchemy_types.toml`; nullability, keys, defaults, uniqueness
and indexes carry over. `review`: the type or default is approximated (a default evaluated once, a
`String` without a length, an `Interval` on SQLite). `manual`: no Django field fits.

## Example
```python
created = db.Column(db.DateTime, default=datetime.utcnow)   # → default=timezone.now, review
```

## What to do
Check the generated field against the reason; write a data migration where the stored format
differs.");

    RelationshipItem = ("FD513", "relationship", Info, "A relationship and the Django relation it becomes",
"## What it means
Foreign keys become `ForeignKey`/`OneToOneField` with `related_name` from `backref`/`back_populates`;
many-to-many relationships become `ManyToManyField` through a model of the association table.
`manual` when the target or the association table cannot be resolved.

## Example
```python
tags = db.relationship('Tag', secondary=post_tags, backref='posts')
```

## What to do
Add the relation by hand, following the reason.");

    ConstraintItem = ("FD514", "constraint", Info, "A table constraint or index and its Django Meta entry",
"## What it means
`UniqueConstraint`, `Index` and `CheckConstraint` go to `Meta.constraints`/`Meta.indexes`. A CHECK
written in SQL that could be read is rewritten as a `Q` object (`review`); others are `manual`.

## Example
```python
__table_args__ = (db.CheckConstraint('price >= 0'),)   # → CheckConstraint(condition=Q(price__gte=0))
```

## What to do
Write the condition as a `Q` object, or keep it in the database only.");

    ModelMemberItem = ("FD515", "model-member", Info, "A model method, property, validator or event",
"## What it means
Methods, hybrid properties, `@validates` validators, ORM events and custom query classes carry
behaviour that is not translated: the model gets a `# TODO` comment with the file and line.

## Example
```python
@validates('email')
def validate_email(self, key, value): ...
```

## What to do
Port methods as they are; validators to `clean()` or field validators; events to signals; query
classes to a custom `Manager`.");

    TemplateItem = ("FD516", "template", Info, "A Jinja template and how it runs on Django",
"## What it means
Templates are copied to `templates/` and run on Django's Jinja2 backend with Flask's globals
(`url_for`, `get_flashed_messages`, `current_user`, `csrf_token()`). A template that could not be
read or parsed is `manual`.

## Example
`templates/shop/cart.html` → `templates/shop/cart.html`

## What to do
Fix the template (FD201 says where), then check it renders.");

    TemplateConstructItem = ("FD517", "template-construct", Info, "A template construct that needs attention on Django",
"## What it means
Counts, per template, of constructs that behave differently on Django's Jinja2 backend or need
something the generated environment lacks: a computed `extends`, tags of Jinja extensions the
environment does not load, and the like. Statuses come from `mappings/template_constructs.toml`.

## Example
```jinja
{% cache 60 %}...{% endcache %}   {# Flask-Caching's tag #}
```

## What to do
Follow the row's note: load the extension in `core/jinja2.py`, or rewrite the construct.");

    TemplateReferenceItem = ("FD518", "template-reference", Info, "A render_template call whose template name is computed",
"## What it means
The view renders a template whose name is only known at run time, so the tool cannot tell which
template it uses, or check that it exists.

## Example
```python
return render_template(f'{kind}/list.html')
```

## What to do
Check that every template it can name is among the copied ones.");

    GeneratedDrift = ("FD601", "generated-drift", Error, "The committed Django output differs from what would be generated now",
"## What it means
`check --against DIR` generated the Django project in memory and found a file in `DIR` that differs,
or is missing, or that flask2django generated and would no longer write (the app of a removed
blueprint): the Flask code changed since the output was committed, or the output was edited.

## Example
`config/urls.py` lacks the route added to the Flask app yesterday.

## What to do
Run `flask2django convert PATH --out DIR` and commit the result (use `--diff` to review it
first); move hand edits out of generated files, which carry a header saying so.");

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
