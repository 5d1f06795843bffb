"""Development: debug on, an insecure key, every host allowed on loopback."""

from .base import *  # noqa: F403
from .env import env_bool, env_list, env_str

DEBUG = env_bool("DJANGO_DEBUG", True)
DJANGO_ADMIN_ENABLED = env_bool("DJANGO_ADMIN_ENABLED", DEBUG)
STAFF_2FA = env_bool("DJANGO_STAFF_2FA", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "django-insecure-development-only-never-in-production")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
WAGTAILAPI_DOCS_ENABLED = env_bool("DJANGO_API_DOCS_ENABLED", True)
