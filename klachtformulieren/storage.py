"""Storage for complaint attachments: outside the public media URL.

Attachments may hold health data or other personal data. They are written below
KLACHTFORMULIEREN_PRIVATE_MEDIA_ROOT, which no web server serves; staff download them
through a view that checks who may see the case.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage

from klachtformulieren import conf


def private_storage():
    location = conf.setting("PRIVATE_MEDIA_ROOT")
    if not location:
        raise ImproperlyConfigured("Set KLACHTFORMULIEREN_PRIVATE_MEDIA_ROOT to a directory no web server serves.")
    if str(location).startswith(str(settings.MEDIA_ROOT)):
        raise ImproperlyConfigured("KLACHTFORMULIEREN_PRIVATE_MEDIA_ROOT must not lie inside MEDIA_ROOT.")
    return FileSystemStorage(location=location, base_url=None, file_permissions_mode=0o600)
