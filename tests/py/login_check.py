"""After db_roundtrip.py: users log in through Django with the password hashes the Flask app wrote.

Usage: python tests/py/login_check.py WORKDIR

WORKDIR is db_roundtrip.py's: the project copy, its settings override and the SQLite database
with rows SQLAlchemy wrote. For the first user, the password column is set (through a plain
UPDATE, as the Flask app would have written it) to a Werkzeug scrypt hash, a Werkzeug pbkdf2
hash and a bcrypt hash (Flask-Bcrypt's format) of the same password, in the column's own type
(text, or bytes for a binary column). Each time ``django.contrib.auth.authenticate`` must accept
the password, refuse a wrong one, and leave the stored hash as it was (the Flask app still reads
it). On a text column, a password set through Django must then log in too.

Output: a JSON summary on stdout; exit status 0 when every check holds, 1 otherwise.
"""

import json
import os
import sys


def main() -> int:
    workdir = sys.argv[1]
    sys.path[:0] = [workdir, os.path.join(workdir, "project")]
    os.environ["DJANGO_SETTINGS_MODULE"] = "roundtrip_settings"
    os.environ.setdefault("DJANGO_SECRET_KEY", "test")
    import django

    django.setup()
    import bcrypt
    from django.contrib.auth import authenticate, get_user_model
    from werkzeug.security import generate_password_hash

    User = get_user_model()
    binary = User._meta.get_field("password").get_internal_type() == "BinaryField"
    manager = User._base_manager
    user = manager.order_by("pk").first()
    login = {User.USERNAME_FIELD: getattr(user, User.USERNAME_FIELD)}

    def stored():
        value = manager.get(pk=user.pk).password
        return bytes(value) if isinstance(value, memoryview) else value

    results = {"model": f"{User._meta.label}", "binary": binary, "checks": {}}
    ok = True
    hashes = {
        "werkzeug-scrypt": generate_password_hash("s3cret"),
        "werkzeug-pbkdf2": generate_password_hash("s3cret", method="pbkdf2:sha256"),
        "bcrypt": bcrypt.hashpw(b"s3cret", bcrypt.gensalt(4)).decode(),
    }
    for scheme, encoded in hashes.items():
        value = encoded.encode() if binary else encoded
        manager.filter(pk=user.pk).update(password=value)
        good = authenticate(None, password="s3cret", **login)
        bad = authenticate(None, password="wrong", **login)
        check = {
            "accepts": good is not None and good.pk == user.pk,
            "refuses": bad is None,
            "unchanged": stored() == value,
        }
        results["checks"][scheme] = check
        ok = ok and all(check.values())
    if not binary:
        u = manager.get(pk=user.pk)
        u.set_password("django-pass")
        u.save(update_fields=["password"])
        good = authenticate(None, password="django-pass", **login)
        results["checks"]["django"] = {"accepts": good is not None and good.pk == user.pk}
        ok = ok and good is not None
    results["ok"] = ok
    print(json.dumps(results, indent=2, sort_keys=True))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
