"""Settings for the test suite: fast hashing, mail kept in memory, media in a temp dir."""

import tempfile
from pathlib import Path

from .dev import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="klachtenportaal-test-media-"))
KLACHTFORMULIEREN_PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="klachtenportaal-test-private-"))
# Tests that are about timing set their own; the rest should not wait.
KLACHTFORMULIEREN_MINIMUM_FILL_SECONDS = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
