"""Check that a Django project's URLconf answers every URL of a Flask project as Flask does.

Usage: python tests/py/url_roundtrip.py FLASK_DIR DJANGO_DIR [--app APP_SPEC]

The naming convention under test: a Flask endpoint is a Django URL name, each
dotted part before the last one a namespace. ``index`` stays ``index``,
``auth.login`` (blueprint ``auth``) becomes ``auth:login``, and ``api.v1.users``
(blueprint ``v1`` nested in ``api``) becomes ``api:v1:users``; an endpoint of the app
itself that has a dot (``apiv2.versions``, no such blueprint) keeps it.

1. Flask side, in a subprocess of this script (so that Flask, the project's
   modules and Django never share an interpreter): the app is loaded as
   ``flask_url_map.py`` loads it (same ``--app``; without it, ``FLASK_APP``
   from the project's dotenv files, then ``wsgi.py``/``app.py``). For each rule
   of ``app.url_map``, every variable gets a sample value that its converter
   accepts: ``int`` 7 (moved into ``min``/``max``, padded to ``fixed_digits``),
   ``float`` 1.5, ``string`` ``abc`` (cut or repeated to ``length``,
   ``minlength``, ``maxlength``), ``path`` ``a/b``, ``uuid``
   ``12345678-1234-5678-1234-567812345678``, ``any`` its first item; the next
   variables of a rule get the next values (8, 2.5, ``bcd``, ``a/b1``, the
   second item…) so that swapped names show. Other converters get the first
   of a few candidate strings (``abc``, ``7``, ``a-b``, ``2024-01-31``,
   ``abc,def``…) that fully matches the converter's ``regex`` and that its
   ``to_python`` accepts. ``rule.build`` makes the path; ``MapAdapter.match``
   must give it back to the same rule, and the ``view_args`` it returns (rule
   ``defaults`` included) are what the view would receive.
2. Django side: DJANGO_DIR goes on ``sys.path`` and ``django.setup()`` runs with
   the settings module named in ``DJANGO_DIR/manage.py`` (as
   ``django_schema.py`` does). For each sample, ``resolve(path)`` must give the
   conventional URL name, no positional arguments, and kwargs equal to Flask's
   ``view_args`` in value and in type (an ``int`` stays an ``int``, a ``UUID``
   a ``UUID``; kwargs that come from the rule's ``defaults`` must equal them).
   Then ``reverse(name, kwargs=<the rule's own variables>)`` must give what
   ``url_for(endpoint, **variables)`` gives in Flask: the sample's path, or,
   when an endpoint has several rules, the path of the first rule that fits
   (Flask builds with the first rule registered, Django's ``reverse`` uses the
   last pattern of that name). Paths are compared percent-decoded, as Flask's
   are.

Django resolves by path alone. For a rule without GET, Flask's answer is the one
for its first method, and Django may give instead what Flask gives to a GET on the
same path: a ``POST`` rule ``create`` beside a ``GET`` rule ``list`` on ``/items``
passes when ``/items`` resolves to ``list`` (one Django view then serves both
methods) and ``reverse("create")`` still builds ``/items``.

Not checked, and listed under ``skipped`` with the reason: the ``static``
endpoint of the app and those of blueprints (Django's staticfiles serves
them), rules with a subdomain or a host, WebSocket rules, ``redirect_to``
rules, rules without a sample value, and samples that Flask itself routes to
another rule (one registered earlier for the same path, say).

Output on stdout, lists sorted::

    {"checked": N,
     "skipped": [{"endpoint", "rule", "methods", "reason"}],
     "failures": [{"endpoint", "rule", "methods", "path", "problem"}]}

``methods`` are the rule's, as Flask lists them; they tell apart two rules of one
endpoint on one path (a ``GET`` rule with ``defaults`` beside a ``POST`` rule
without, as in Flask's ``register_api`` pattern). Flask matches the sample with
``GET`` when the rule allows it, otherwise with its first other method.

Exit status: 0 when there is no failure, 1 when there is one, 2 on bad usage or
when either project cannot be loaded (the reason on stderr).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import subprocess
import sys
import traceback
from urllib.parse import unquote

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

FLASK_SIDE = "--flask-side"

# Tried in this order for converters other than Werkzeug's own.
CANDIDATES = [
    "abc",
    "7",
    "a-b",
    "2024-01-31",
    "abc,def",
    "1.5",
    "a/b",
    "12345678-1234-5678-1234-567812345678",
    "ab",
    "a",
    "abc123",
    "ABC",
    "a_b",
    "a.b",
    "0",
    "-1",
    "true",
    "2024-01-31T12:30:00",
    "12:30",
]

STRING_LENGTH_RE = re.compile(r"\[\^/\]\{(\d+)(?:(,)(\d*))?\}")


class SetupError(Exception):
    """A project could not be loaded, or the arguments are wrong; the message says why."""


def url_name(endpoint: str, blueprints) -> str:
    """The Django URL name of a Flask endpoint: ``api.v1.users`` → ``api:v1:users`` when
    ``api.v1`` is a blueprint; an endpoint of the app itself keeps its dots (``app.add_url_rule``
    takes ``endpoint="apiv2.versions"``; a blueprint's may not contain one). A ``:`` in the
    view's own name (Flask-Classful's ``HostsView:get``) is a ``.``: ``:`` separates namespaces
    in a URL name."""
    scope, _, last = endpoint.rpartition(".")
    if scope in blueprints:
        return scope.replace(".", ":") + ":" + last.replace(":", ".")
    return endpoint.replace(":", ".")


def jsonable(value):
    """``value`` as JSON data: UUIDs and unknown objects as strings, tuples as lists."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return str(value)


def type_name(value) -> str:
    """``int``, ``str``, ``uuid.UUID``…: builtins without their module."""
    cls = type(value)
    if cls.__module__ == "builtins":
        return cls.__qualname__
    return f"{cls.__module__}.{cls.__qualname__}"


# --- Flask side -----------------------------------------------------------------------------------


def _clamp(value, low, high):
    if low is not None and value < low:
        value = low
    if high is not None and value > high:
        value = high
    return value


def _any_items(regex: str) -> list[str]:
    """The items of ``AnyConverter``'s ``(?:a|b\\.c)`` in the order of the rule."""
    body = regex[3:-1] if regex.startswith("(?:") and regex.endswith(")") else regex
    items, current, escaped = [], [], False
    for char in body:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "|":
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return items


def _string_sample(regex: str, index: int) -> str:
    """``abc`` (``bcd`` for the second variable…) fitted to ``UnicodeConverter``'s length."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    start = index % 24
    base = letters[start : start + 3]
    match = STRING_LENGTH_RE.fullmatch(regex)
    if match is None:
        return base
    low, comma, high = match.groups()
    if comma is None:
        size = int(low)
    else:
        size = _clamp(3, int(low), int(high) if high else None)
    return (base * (size // 3 + 1))[:size]


def _preferred_texts(converter, index: int) -> list[str]:
    """The URL text to try first for one of Werkzeug's own converters (exact class only).

    ``index`` is the variable's position in the rule: each variable of a rule gets its own
    value where the converter allows, so that swapped names show up.
    """
    from werkzeug.routing import converters as wz

    cls = type(converter)
    if cls is wz.IntegerConverter:
        number = _clamp(7 + index, converter.min, converter.max)
        return [str(number).zfill(converter.fixed_digits)]
    if cls is wz.FloatConverter:
        return [str(float(_clamp(1.5 + index, converter.min, converter.max)))]
    if cls is wz.UnicodeConverter:
        return [_string_sample(converter.regex, index)]
    if cls is wz.PathConverter:
        return [f"a/b{index or ''}"]
    if cls is wz.UUIDConverter:
        return [f"12345678-1234-5678-1234-5678123456{(0x78 + index) % 256:02x}"]
    if cls is wz.AnyConverter:
        items = _any_items(converter.regex)
        return [items[index % len(items)], items[0]]
    return []


def sample_value(converter, index: int = 0):
    """A Python value the converter turns into a URL part it matches and reads back.

    Returns ``(value, None)``, or ``(None, reason)`` when no candidate fits.
    """
    for text in _preferred_texts(converter, index) + CANDIDATES:
        if re.fullmatch(converter.regex, text) is None:
            continue
        try:
            value = converter.to_python(text)
            part = converter.to_url(value)
        except Exception:  # noqa: BLE001, S112 - a converter may raise anything on a value it refuses
            continue
        if re.fullmatch(converter.regex, part) is not None:
            return value, None
    kind = type(converter).__name__
    return None, f"no sample value for a {kind} (regex {converter.regex!r}) among {len(CANDIDATES)} candidates"


def _match_method(rule) -> str:
    methods = set(rule.methods or ())
    if not methods or "GET" in methods:
        return "GET"
    plain = sorted(methods - {"HEAD", "OPTIONS"})
    return plain[0] if plain else min(methods)


def sample_rule(adapter, rule) -> dict:
    """The sample of one rule: its path and what Flask's view receives, or why there is none."""
    from werkzeug.exceptions import HTTPException
    from werkzeug.routing import RequestRedirect

    entry = {
        "endpoint": rule.endpoint,
        "rule": rule.rule,
        "methods": sorted(rule.methods or ()),
        "arguments": sorted(rule._converters),
        "defaults": jsonable(dict(rule.defaults or {})),
    }

    def skip(reason: str) -> dict:
        entry["skip"] = reason
        return entry

    if rule.endpoint == "static" or rule.endpoint.endswith(".static"):
        return skip("static files: served by django.contrib.staticfiles, not the URLconf")
    if rule.subdomain:
        return skip(f"subdomain {rule.subdomain!r}: a Django URLconf routes by path only")
    if rule.host:
        return skip(f"host {rule.host!r}: a Django URLconf routes by path only")
    if rule.websocket:
        return skip("WebSocket rule")
    if rule.redirect_to is not None:
        return skip("redirect_to rule: Flask answers it with a redirect")

    values = {}
    for index, (name, converter) in enumerate(rule._converters.items()):
        value, reason = sample_value(converter, index)
        if reason is not None:
            return skip(f"<{name}>: {reason}")
        values[name] = value
    try:
        built = rule.build(values, append_unknown=False)
    except Exception as exc:  # noqa: BLE001 - to_url may raise anything
        return skip(f"Werkzeug cannot build the rule from {jsonable(values)!r}: {exc}")
    if built is None:
        return skip(f"Werkzeug cannot build the rule from {jsonable(values)!r}")
    path = unquote(built[1])
    entry["path"] = path

    method = _match_method(rule)
    try:
        matched, view_args = adapter.match(path, method=method, return_rule=True)
    except RequestRedirect as exc:
        return skip(f"flask redirects the sample {path} to {exc.new_url}")
    except HTTPException as exc:
        return skip(f"flask does not match its own sample {path} ({method}): {exc.code} {exc.name}")
    if matched is not rule:
        if (matched.endpoint, matched.rule, matched.methods) == (rule.endpoint, rule.rule, rule.methods):
            return skip("flask maps the sample to an identical rule registered before this one")
        return skip(f"flask maps the sample to another rule: {path} goes to {matched.endpoint!r} ({matched.rule})")
    entry["method"] = method
    entry["answer"] = _answer(rule.endpoint, view_args)
    # What url_for(endpoint, **values) gives: the first rule of the endpoint that fits the
    # values, which need not be this one (``/`` and ``/index`` for one view: both give ``/``).
    try:
        entry["url_for"] = unquote(adapter.build(rule.endpoint, values, method=None))
    except Exception as exc:  # noqa: BLE001 - to_url may raise anything
        return skip(f"url_for({rule.endpoint!r}, **{jsonable(values)!r}) fails: {exc}")
    entry["get_answer"] = None
    if method != "GET":
        # Django routes by path alone; what Flask does with a GET to the same path is an
        # answer Django may give instead (see check_sample).
        with contextlib.suppress(HTTPException, RequestRedirect):
            entry["get_answer"] = _answer(*adapter.match(path, method="GET"))
    entry["skip"] = None
    return entry


def _answer(endpoint: str, view_args: dict) -> dict:
    """What Flask calls for a request: the endpoint and its typed ``view_args``."""
    return {
        "endpoint": endpoint,
        "view_args": {k: jsonable(v) for k, v in sorted(view_args.items())},
        "view_arg_types": {k: type_name(v) for k, v in sorted(view_args.items())},
    }


def flask_side(argv: list[str]) -> int:
    """Print the samples of a Flask project as JSON (run in a subprocess by ``main``)."""
    import flask_url_map

    parser = argparse.ArgumentParser(prog=f"url_roundtrip.py {FLASK_SIDE}")
    parser.add_argument("flask_dir")
    parser.add_argument("--app", default=None)
    args = parser.parse_args(argv)

    real_stdout = sys.stdout
    try:
        with contextlib.redirect_stdout(sys.stderr):
            _spec, app = flask_url_map._load(args.flask_dir, args.app)
            adapter = app.url_map.bind("localhost")
            samples = [sample_rule(adapter, rule) for rule in app.url_map.iter_rules()]
            for sample in samples:
                for answer in [sample] + [sample.get(k) for k in ("answer", "get_answer")]:
                    if answer:
                        answer["url_name"] = url_name(answer["endpoint"], app.blueprints)
    except SystemExit as exc:
        print(exc, file=sys.stderr)
        return 2
    except BaseException:  # noqa: BLE001 - report any failure to load, then fail
        traceback.print_exc(file=sys.stderr)
        print(f"url_roundtrip: could not load the app of {args.flask_dir!r} (--app {args.app!r})", file=sys.stderr)
        return 2
    samples.sort(key=lambda s: (s["endpoint"], s["rule"], s["methods"]))
    json.dump(samples, real_stdout, indent=2, sort_keys=True)
    real_stdout.write("\n")
    real_stdout.flush()
    return 0


def flask_samples(flask_dir: str, app_spec: str | None) -> list[dict]:
    """Run the Flask side in a fresh interpreter and read its samples."""
    cmd = [sys.executable, os.path.abspath(__file__), FLASK_SIDE, flask_dir]
    if app_spec:
        cmd += ["--app", app_spec]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=False)
    if proc.returncode != 0:
        raise SetupError(f"the Flask side failed with exit status {proc.returncode}: {' '.join(cmd)}")
    return json.loads(proc.stdout)


# --- Django side ----------------------------------------------------------------------------------


def _show(value) -> str:
    return f"{type_name(value)} {value!r}"


def _resolve_problems(match, answer: dict, sample: dict) -> list[str]:
    """How Django's ``ResolverMatch`` differs from Flask's answer (endpoint, view_args)."""
    name = answer["url_name"]
    problems = []
    # One URL served by a Flask view per method is one Django view that dispatches on the
    # method; it lists where each method goes in ``flask_endpoints``.
    dispatch = getattr(match.func, "flask_endpoints", None) or {}
    methods = set(sample.get("methods") or [])
    dispatched = any(dispatch.get(m) == name for m in methods)
    if match.view_name != name and not dispatched:
        problems.append(f"Django resolves {sample['path']} to {match.view_name!r}, expected {name!r}")
    if match.args:
        problems.append(f"Django passes positional args {list(match.args)!r}; Flask passes keywords only")
    expected = answer["view_args"]
    types = answer["view_arg_types"]
    kwargs = match.kwargs
    own_defaults = sample["defaults"] if answer is sample["answer"] else {}
    for key in sorted(set(expected) | set(kwargs)):
        from_defaults = key in own_defaults and key not in sample["arguments"]
        source = "the rule's defaults give" if from_defaults else "Flask gives"
        if key not in kwargs:
            problems.append(f"kwarg {key!r} missing, {source} {types[key]} {expected[key]!r}")
        elif key not in expected:
            problems.append(f"extra kwarg {key!r} = {_show(kwargs[key])}, Flask gives none")
        elif type_name(kwargs[key]) != types[key] or jsonable(kwargs[key]) != expected[key]:
            problems.append(f"kwarg {key!r} is {_show(kwargs[key])}, {source} {types[key]} {expected[key]!r}")
    return problems


def check_sample(sample: dict) -> list[str]:
    """The problems Django has with one sample; empty when it routes it as Flask does."""
    from django.urls import NoReverseMatch, Resolver404, resolve, reverse

    path = sample["path"]
    name = sample["url_name"]
    problems = []
    try:
        match = resolve(path)
    except Resolver404:
        problems.append(f"Django resolves nothing for {path} (expected {name!r})")
    except Exception as exc:  # noqa: BLE001 - a converter's to_python may raise anything
        problems.append(f"resolve({path!r}) raises {type(exc).__name__}: {exc}")
    else:
        own = _resolve_problems(match, sample["answer"], sample)
        # A rule without GET: Django cannot tell it from a GET rule on the same path, so
        # answering the path as Flask answers a GET to it is enough.
        if own and sample["get_answer"] is not None and not _resolve_problems(match, sample["get_answer"], sample):
            own = []
        problems += own

    kwargs = {k: sample["answer"]["view_args"][k] for k in sample["arguments"]}
    try:
        reversed_path = reverse(name, kwargs=kwargs)
    except NoReverseMatch as exc:
        problems.append(f"reverse({name!r}, kwargs={kwargs!r}) fails: {exc}")
    except Exception as exc:  # noqa: BLE001 - a converter's to_url may raise anything
        problems.append(f"reverse({name!r}, kwargs={kwargs!r}) raises {type(exc).__name__}: {exc}")
    else:
        if unquote(reversed_path) != sample["url_for"]:
            problems.append(
                f"reverse({name!r}, kwargs={kwargs!r}) gives {reversed_path}, Flask's url_for gives {sample['url_for']}"
            )
    return problems


def load_urlconf(django_dir: str) -> None:
    """Set up Django for DJANGO_DIR and import its root URLconf, so that errors show up here."""
    import django_schema

    try:
        django_schema.setup_django(django_dir)
    except django_schema.SetupError as exc:
        raise SetupError(str(exc)) from exc
    try:
        from django.urls import get_resolver

        with contextlib.redirect_stdout(sys.stderr):
            get_resolver().url_patterns  # noqa: B018 - imports ROOT_URLCONF and what it includes
    except BaseException as exc:
        detail = "".join(traceback.format_exception(exc))
        raise SetupError(f"the URLconf of {django_dir} cannot be loaded:\n{detail}") from exc


def roundtrip(samples: list[dict]) -> dict:
    checked = 0
    skipped, failures = [], []
    for sample in samples:
        if sample["skip"] is not None:
            skipped.append(
                {
                    "endpoint": sample["endpoint"],
                    "rule": sample["rule"],
                    "methods": sample["methods"],
                    "reason": sample["skip"],
                }
            )
            continue
        checked += 1
        for problem in check_sample(sample):
            failures.append(
                {
                    "endpoint": sample["endpoint"],
                    "rule": sample["rule"],
                    "methods": sample["methods"],
                    "path": sample["path"],
                    "problem": problem,
                }
            )
    skipped.sort(key=lambda s: (s["endpoint"], s["rule"], s["methods"], s["reason"]))
    failures.sort(key=lambda f: (f["endpoint"], f["rule"], f["methods"], f["path"], f["problem"]))
    return {"checked": checked, "skipped": skipped, "failures": failures}


def main(argv: list[str]) -> int:
    if argv[:1] == [FLASK_SIDE]:
        return flask_side(argv[1:])

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("flask_dir", help="root of the Flask project")
    parser.add_argument("django_dir", help="folder of the Django project (with manage.py)")
    parser.add_argument(
        "--app",
        dest="app",
        default=None,
        help="what `flask --app` would be given: module, module:name or module:factory(args)",
    )
    args = parser.parse_args(argv)

    real_stdout = sys.stdout
    try:
        for label, folder in (("FLASK_DIR", args.flask_dir), ("DJANGO_DIR", args.django_dir)):
            if not os.path.isdir(folder):
                raise SetupError(f"{label} is not a directory: {folder}")
        samples = flask_samples(args.flask_dir, args.app)
        with contextlib.redirect_stdout(sys.stderr):
            load_urlconf(args.django_dir)
            result = roundtrip(samples)
    except SetupError as exc:
        print(f"url_roundtrip: {exc}", file=sys.stderr)
        return 2
    status = 1 if result["failures"] else 0
    try:
        json.dump(result, real_stdout, indent=2, sort_keys=True)
        real_stdout.write("\n")
        real_stdout.flush()
    except BrokenPipeError:  # `| head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), real_stdout.fileno())
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
