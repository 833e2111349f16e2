"""Flask before 1.0 redirected `flask.ext.X` to `flask_X`; `install()` puts that redirect back so
that a project written for it loads with the pinned Flask. The module `flask_X` itself is what
`flask.ext.X` names (no second copy is executed)."""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import types

_PREFIX = "flask.ext."


class _Redirect(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path=None, target=None):
        if fullname == "flask.ext" or fullname.startswith(_PREFIX):
            return importlib.util.spec_from_loader(fullname, self, is_package=True)
        return None

    def create_module(self, spec):
        if spec.name == "flask.ext":
            return types.ModuleType(spec.name)
        return importlib.import_module("flask_" + spec.name[len(_PREFIX) :])

    def exec_module(self, module):
        pass


def install() -> None:
    if not any(isinstance(f, _Redirect) for f in sys.meta_path):
        sys.meta_path.append(_Redirect())
