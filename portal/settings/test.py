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
FILE_UPLOAD_TEMP_DIR = str(KLACHTFORMULIEREN_PRIVATE_MEDIA_ROOT / "tmp")
# Tasks run the moment their transaction commits; tests of the worker use the database backend.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Tests that are about timing set their own; the rest should not wait.
KLACHTFORMULIEREN_MINIMUM_FILL_SECONDS = 0
KLACHTFORMULIEREN_FORM_TOKEN_HOURS = 100 * 365 * 24
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
