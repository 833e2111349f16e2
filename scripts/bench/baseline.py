#!/usr/bin/env python3
"""The inventory's core done the simple way in Python, as the reference point for benchmarks.

    baseline.py TREE [--jobs N] [--json]

Walks TREE (skipping hidden folders, virtualenvs, `site-packages`, `node_modules` and
`__pycache__`), parses every `.py` file with `ast`, and extracts

- routes: decorators `X.route/get/post/put/patch/delete(...)` and calls `X.add_url_rule(...)`
  whose rule is a string literal;
- models: classes with `db.Model` or `Model` among their bases, and their `Column(...)` /
  `db.Column(...)` assignments.

It resolves nothing: no imports, no blueprint prefixes, no endpoints, no templates. So it does
a fraction of what `flask2django inventory` does, and its time is a lower bound for a Python
tool that would.

By default it runs in one process, as a simple Python tool would. `--jobs N` spreads the files
over N worker processes (`multiprocessing`), to show what parallelism gives Python here.
Python 3.11 stdlib only.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import sys
import time
from multiprocessing import Pool
from pathlib import Path

ROUTE_METHODS = {"route", "get", "post", "put", "patch", "delete"}
SKIPPED_DIRS = {"site-packages", "node_modules", "__pycache__"}


def walk(root: Path) -> list[str]:
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith(".")
            and d not in SKIPPED_DIRS
            and not os.path.exists(os.path.join(dirpath, d, "pyvenv.cfg"))
        )
        files.extend(os.path.join(dirpath, f) for f in sorted(filenames) if f.endswith(".py"))
    return files


def dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def literal_rule(call: ast.Call) -> str | None:
    rule = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "rule"), None)
    if isinstance(rule, ast.Constant) and isinstance(rule.value, str):
        return rule.value
    return None


def extract(path: str) -> dict:
    """Routes and models of one file, or the error that stopped it."""
    try:
        with open(path, "rb") as f:
            source = f.read()
        tree = ast.parse(source, filename=path)
    except (SyntaxError, ValueError, OSError) as e:
        return {"path": path, "lines": 0, "bytes": 0, "routes": [], "models": [], "error": str(e)}
    routes: list[tuple[str, int]] = []
    models: list[tuple[str, list[str]]] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for deco in node.decorator_list:
                if (
                    isinstance(deco, ast.Call)
                    and isinstance(deco.func, ast.Attribute)
                    and deco.func.attr in ROUTE_METHODS
                ):
                    rule = literal_rule(deco)
                    if rule is not None:
                        routes.append((rule, deco.lineno))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "add_url_rule":
            rule = literal_rule(node)
            if rule is not None:
                routes.append((rule, node.lineno))
        if isinstance(node, ast.ClassDef) and any(dotted(b) in ("db.Model", "Model") for b in node.bases):
            columns = []
            for stmt in node.body:
                if (
                    isinstance(stmt, ast.Assign)
                    and isinstance(stmt.value, ast.Call)
                    and dotted(stmt.value.func) in ("Column", "db.Column")
                ):
                    columns.extend(t.id for t in stmt.targets if isinstance(t, ast.Name))
            models.append((node.name, columns))
    return {
        "path": path,
        "lines": source.count(b"\n"),
        "bytes": len(source),
        "routes": routes,
        "models": models,
        "error": None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree", type=Path)
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (default 1: no multiprocessing)")
    parser.add_argument("--json", action="store_true", help="print the counts as one JSON object")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    files = walk(args.tree)
    if args.jobs > 1:
        with Pool(args.jobs) as pool:
            results = pool.map(extract, files, chunksize=16)
    else:
        results = [extract(f) for f in files]
    elapsed = time.perf_counter() - start

    counts = {
        "files": len(results),
        "lines": sum(r["lines"] for r in results),
        "bytes": sum(r["bytes"] for r in results),
        "routes": sum(len(r["routes"]) for r in results),
        "models": sum(len(r["models"]) for r in results),
        "columns": sum(len(cols) for r in results for _, cols in r["models"]),
        "errors": sum(1 for r in results if r["error"]),
        "jobs": args.jobs,
        "seconds": round(elapsed, 3),
    }
    if args.json:
        print(json.dumps(counts, sort_keys=True))
    else:
        print(
            f"{counts['files']} files, {counts['lines']} lines, {counts['bytes'] / 1e6:.1f} MB: "
            f"{counts['routes']} routes, {counts['models']} models, {counts['columns']} columns, "
            f"{counts['errors']} files not parsed; {elapsed:.2f} s with {args.jobs} process(es)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
