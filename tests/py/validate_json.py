"""Validate JSON documents against a JSON Schema (the one the schema names in `$schema`).

Usage: validate_json.py SCHEMA FILE...   Prints every error; exits 1 when there is one.
"""

import json
import sys

import jsonschema


def main() -> int:
    schema_path, *files = sys.argv[1:]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    bad = 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            document = json.load(f)
        for error in validator.iter_errors(document):
            bad += 1
            where = "/".join(str(p) for p in error.absolute_path)
            print(f"{path}: /{where}: {error.message[:300]}")
    print(f"{len(files)} documents, {bad} errors, {cls.__name__}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
