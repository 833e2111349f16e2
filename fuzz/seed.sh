#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with the project's own inputs: every Python file and template of
# fixtures/ and examples/ (not committed twice: this copies them, named by their path).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
mkdir -p "$here/corpus/python_file" "$here/corpus/jinja_template"
cd "$root"
find fixtures examples -path examples/flask_shop_django -prune -o -type f -name '*.py' -print | sort | while read -r f; do
    cp "$f" "$here/corpus/python_file/$(echo "$f" | sed 's|^fixtures/||; s|/|__|g')"
done
find fixtures examples -path examples/flask_shop_django -prune -o -type f \( -name '*.html' -o -name '*.jinja' -o -name '*.j2' -o -name '*.txt' \) -path '*templates*' -print | sort | while read -r f; do
    cp "$f" "$here/corpus/jinja_template/$(echo "$f" | sed 's|^fixtures/||; s|/|__|g')"
done
echo "seeded $(ls "$here/corpus/python_file" | wc -l) Python files and $(ls "$here/corpus/jinja_template" | wc -l) templates"
