"""Print the URL map of a Flask project as real Flask builds it, as JSON.

Usage: python tests/py/flask_url_map.py FIXTURE_DIR [--app APP_SPEC]

The app is loaded the way ``flask --app APP_SPEC`` loads it: the working
directory becomes FIXTURE_DIR, its ``.flaskenv``/``.env`` are read with
``flask.cli.load_dotenv`` (not those of parent folders), and ``flask.cli.ScriptInfo.load_app`` imports the
module and finds the app or calls the factory. Without ``--app``, ``FLASK_APP``
(from the dotenv files) is used, and failing that Flask's own discovery of
``wsgi.py`` / ``app.py``.

FIXTURE_DIR and FIXTURE_DIR/src are put on ``sys.path``, as an editable install
of a src-layout project would. ``FLASK_*`` variables inherited from the calling
environment are dropped so the result depends on the project only.

Output on stdout (anything the project prints while loading goes to stderr):

    {"app": spec or null, "import_name": ..., "rules": [...], "converters": {...},
     "blueprints": [...], "hooks": {"before_request app": N, "after_request bp": N, ...},
     "hook_functions": ["before_request app pkg.views.load_user", ...],
     "template_functions": [...], "error_handlers": ["app 404 pkg.views.not_found", ...]}

``hooks`` counts the request hooks the project's own code registered (functions defined
under FIXTURE_DIR, or partials of them; extensions' hooks are left out), by kind and scope
(``app`` or the blueprint's dotted name); ``hook_functions`` names each.

Exit status: 0 on success, 1 when the app cannot be loaded (traceback on
stderr), 2 on bad usage.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import sys
import traceback


def _parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("fixture_dir", help="root of the Flask project")
    parser.add_argument(
        "--app",
        dest="app",
        default=None,
        help="what `flask --app` would be given: module, module:name or module:factory(args)",
    )
    return parser.parse_args(argv)


def _rule_entry(rule) -> dict:
    methods = sorted(m.upper() for m in (rule.methods or ()))
    defaults = dict(rule.defaults) if rule.defaults else None
    return {
        "rule": rule.rule,
        "endpoint": rule.endpoint,
        "methods": methods,
        "defaults": defaults,
        "strict_slashes": bool(rule.strict_slashes),
        # Werkzeug fills in the map's default ("") when a rule has none.
        "subdomain": rule.subdomain or None,
        "host": rule.host or None,
    }


def _custom_converters(app) -> dict[str, str]:
    defaults = type(app.url_map).default_converters
    result = {}
    for name, cls in sorted(app.url_map.converters.items()):
        if defaults.get(name) is cls:
            continue
        result[name] = f"{cls.__module__}.{cls.__qualname__}"
    return result


def _load(fixture_dir: str, app_spec: str | None):
    from flask.cli import ScriptInfo, load_dotenv
    import legacy_flask_ext

    legacy_flask_ext.install()

    root = os.path.realpath(fixture_dir)
    if not os.path.isdir(root):
        raise SystemExit(f"flask_url_map: not a directory: {fixture_dir}")

    for key in [k for k in os.environ if k.startswith("FLASK_")]:
        del os.environ[key]

    os.chdir(root)
    src = os.path.join(root, "src")
    if os.path.isdir(src):
        sys.path.insert(0, src)
    sys.path.insert(0, root)

    # What FlaskGroup.make_context does before loading anything: app.run() becomes a no-op,
    # and the dotenv files are read (values already in the environment win, .env over
    # .flaskenv). Flask would also search the parent folders for them; only the project's own
    # are read here, so that nothing outside the fixture changes the result.
    os.environ["FLASK_RUN_FROM_CLI"] = "true"
    info = ScriptInfo(app_import_path=None)
    if info.load_dotenv_defaults:
        for name in (".env", ".flaskenv"):
            if os.path.isfile(name):
                load_dotenv(name, load_defaults=False)

    # `--app` wins over FLASK_APP, which click reads from the environment.
    spec = app_spec if app_spec else os.environ.get("FLASK_APP") or None
    info.app_import_path = spec
    app = info.load_app()
    return spec, app


HOOK_KINDS = {
    "before_request_funcs": "before_request",
    "after_request_funcs": "after_request",
    "teardown_request_funcs": "teardown_request",
    "url_value_preprocessors": "url_value_preprocessor",
    "url_default_functions": "url_defaults",
}


def _project_hook_functions(app, root: str) -> list[str]:
    """``"<kind> <scope> <module>.<qualname>"`` of each request hook the project's own code
    registered (``<lambda>`` for a lambda; a ``functools.partial`` by the function it runs)."""
    root = root + os.sep

    def unwrap(f):
        # `functools.partial(f, ...)` runs `f`.
        while isinstance(f, functools.partial):
            f = f.func
        return f

    def ours(f) -> bool:
        code = getattr(unwrap(f), "__code__", None)
        return code is not None and os.path.realpath(code.co_filename).startswith(root)

    def name(f) -> str:
        f = unwrap(f)
        if f.__qualname__.endswith("<lambda>"):
            return "<lambda>"
        return f"{f.__module__}.{f.__qualname__}"

    out = []
    for attr, kind in HOOK_KINDS.items():
        for scope, funcs in getattr(app, attr).items():
            out.extend(f"{kind} {scope or 'app'} {name(f)}" for f in funcs if ours(f))
    out.extend(f"teardown_appcontext app {name(f)}" for f in app.teardown_appcontext_funcs if ours(f))
    return sorted(out)


def _project_hooks(functions: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for f in functions:
        key = " ".join(f.split(" ")[:2])
        counts[key] = counts.get(key, 0) + 1
    return counts


def _project_error_handlers(app, root: str) -> list[str]:
    """``"<scope> <error> <module>.<function>"`` of the error handlers the project's own code
    registered: ``error`` is the status code, or the exception class's name for a class that has
    none. Extensions' handlers are left out; flask-restx's come after, marked ``restx``."""
    root = root + os.sep
    out = []
    for scope, by_code in app.error_handler_spec.items():
        for code, by_class in by_code.items():
            for exc, f in by_class.items():
                co = getattr(f, "__code__", None)
                if co is None or not os.path.realpath(co.co_filename).startswith(root):
                    continue
                error = str(code) if code is not None else exc.__name__
                out.append(f"{scope or 'app'} {error} {f.__module__}.{f.__qualname__}")
    # flask-restx's handlers, as ``"restx <scope> <exception or default> <function>"``: each Api
    # bound to the app wraps ``app.handle_user_exception`` in a ``partial`` of its
    # ``error_router``.
    router = app.handle_user_exception
    while isinstance(router, functools.partial):
        api = getattr(router.func, "__self__", None)
        router = router.args[0] if router.args else None
        if api is None or not hasattr(api, "error_handlers"):
            continue
        blueprint = getattr(api, "blueprint", None)
        scope = blueprint.name if blueprint is not None else "app"
        # The Api's own and its namespaces' (which `handle_error` also consults).
        own = getattr(api, "_own_and_child_error_handlers", api.error_handlers)
        handlers = [(exc.__name__, f) for exc, f in own.items()]
        if getattr(api, "_default_error_handler", None) is not None:
            handlers.append(("default", api._default_error_handler))
        for error, f in handlers:
            co = getattr(f, "__code__", None)
            if co is not None and os.path.realpath(co.co_filename).startswith(root):
                out.append(f"restx {scope} {error} {f.__module__}.{f.__qualname__}")
    return sorted(out)


def _project_template_functions(app, root: str) -> list[str]:
    """``"<kind> <name>"`` of the Jinja filters, globals and tests the project provides: its own
    functions, and builtins it registers under names a fresh app's environment lacks
    (``app.add_template_global(len, name="length_of")``). Flask's and the extensions' are left
    out."""
    from flask import Flask

    root = root + os.sep
    fresh = Flask("defaults").jinja_env

    def ours(f, name: str, defaults) -> bool:
        try:  # `request`, `session`, `g` are proxies that fail outside a request
            code = getattr(f, "__code__", None)
            module = getattr(f, "__module__", None)
        except RuntimeError:
            return False
        if code is None:
            return module == "builtins" and name not in defaults
        return os.path.realpath(code.co_filename).startswith(root)

    env = app.jinja_env
    out = []
    for kind, mapping, defaults in (
        ("filter", env.filters, fresh.filters),
        ("global", env.globals, fresh.globals),
        ("test", env.tests, fresh.tests),
    ):
        out.extend(f"{kind} {name}" for name, f in mapping.items() if ours(f, name, defaults))
    return sorted(out)


def main(argv: list[str]) -> int:
    args = _parse_args(argv)
    real_stdout = sys.stdout
    try:
        with contextlib.redirect_stdout(sys.stderr):
            root = os.path.realpath(args.fixture_dir)
            spec, app = _load(args.fixture_dir, args.app)
            rules = sorted(
                (_rule_entry(r) for r in app.url_map.iter_rules()),
                key=lambda e: (e["rule"], e["endpoint"]),
            )
            result = {
                "app": spec,
                "import_name": app.import_name,
                "rules": rules,
                "converters": _custom_converters(app),
                "blueprints": sorted(app.blueprints),
                "hooks": _project_hooks(_project_hook_functions(app, root)),
                "hook_functions": _project_hook_functions(app, root),
                "template_functions": _project_template_functions(app, root),
                "error_handlers": _project_error_handlers(app, root),
            }
    except SystemExit:
        raise
    except BaseException:  # noqa: BLE001 - report any failure to load, then fail
        traceback.print_exc(file=sys.stderr)
        print(
            f"flask_url_map: could not load the app of {args.fixture_dir!r}"
            f" (--app {args.app!r})",
            file=sys.stderr,
        )
        return 1

    json.dump(result, real_stdout, indent=2, sort_keys=True, default=repr)
    real_stdout.write("\n")
    real_stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
