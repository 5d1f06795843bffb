"""Storage for complaint attachments: outside the public media URL.

Attachments may hold health data or other personal data. They are written below
KLACHTFORMULIEREN_PRIVATE_MEDIA_ROOT, which no web server serves, or to the storage that
KLACHTFORMULIEREN_PRIVATE_STORAGE names in STORAGES (a private bucket shared by several app
servers, say); staff download them through a view that checks who may see the case.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, storages

from klachtformulieren import conf


def private_storage():
    alias = conf.setting("PRIVATE_STORAGE")
    if alias:
        return storages[alias]
    location = conf.setting("PRIVATE_MEDIA_ROOT")
    if not location:
        raise ImproperlyConfigured(
            "Set KLACHTFORMULIEREN_PRIVATE_MEDIA_ROOT to a directory no web server serves, "
            "or KLACHTFORMULIEREN_PRIVATE_STORAGE to a private storage."
        )
    if str(location).startswith(str(settings.MEDIA_ROOT)):
        raise ImproperlyConfigured("KLACHTFORMULIEREN_PRIVATE_MEDIA_ROOT must not lie inside MEDIA_ROOT.")
    return FileSystemStorage(location=location, base_url=None, file_permissions_mode=0o600)
