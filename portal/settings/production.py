"""Production: refuses to start without a secret key and allowed hosts; HTTPS only.

Behind a TLS-terminating proxy, set DJANGO_SECURE_PROXY_SSL_HEADER=true so Django trusts
the proxy's X-Forwarded-Proto header (only when the proxy always sets it). See README,
"Deployment".
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_list, env_required

DEBUG = False
SECRET_KEY = env_required("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set in production.")

# No silent SQLite: a production site without DATABASE_URL would keep its cases in a file
# next to the code. A very small install may choose SQLite knowingly.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and not env_bool("DJANGO_ALLOW_SQLITE", False):
    raise ImproperlyConfigured(
        "Set DATABASE_URL (postgres://user:password@host:5432/name) in production, "
        "or DJANGO_ALLOW_SQLITE=true for a very small install on SQLite."
    )

DJANGO_ADMIN_ENABLED = False
# Two-factor sign-in for every staff account, whatever the environment says.
STAFF_2FA = True

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
# The API's OpenAPI schema and docs page are for development only.
WAGTAILAPI_DOCS_ENABLED = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# Hashed file names, so browsers never keep an outdated stylesheet after an upgrade.
STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"
