"""Every setting of the plugin app: its name (``KLACHTFORMULIEREN_`` + the key), its default and
what it does. Read them with ``conf.setting(KEY)``, at call time, so tests and a host's
settings override them as Django's own do."""

from dataclasses import dataclass

from django.conf import settings as django_settings

PREFIX = "KLACHTFORMULIEREN_"


@dataclass(frozen=True)
class Setting:
    default: object
    doc: str


SETTINGS = {
    "PRIVATE_MEDIA_ROOT": Setting(
        None,
        "Directory for complaint attachments; no web server may serve it and it must not lie inside "
        "MEDIA_ROOT. Required unless PRIVATE_STORAGE names a storage: the app refuses to store an attachment "
        "without either.",
    ),
    "PRIVATE_STORAGE": Setting(
        "",
        "The alias in STORAGES of the storage for complaint attachments, receipts, letters and incoming mail's "
        "files (e.g. a private S3 bucket), when they are not kept in PRIVATE_MEDIA_ROOT: it must give no URL "
        "(its url() raises), as staff download them through the permission-checked views only.",
    ),
    "MAX_IMAGE_PIXELS": Setting(40_000_000, "An uploaded image with more pixels is refused (decompression bombs)."),
    "CLAMD_SOCKET": Setting(None, "Unix socket of a ClamAV daemon that scans every upload; or set CLAMD_HOST."),
    "CLAMD_HOST": Setting(None, "Host of a ClamAV daemon reached over TCP (with CLAMD_PORT)."),
    "CLAMD_PORT": Setting(3310, "TCP port of the ClamAV daemon."),
    "CLAMD_TIMEOUT": Setting(30, "Seconds to wait for the ClamAV daemon's verdict."),
    "MINIMUM_FILL_SECONDS": Setting(3, "A form sent back sooner after it was served is refused as spam."),
    "CLIENT_IP_HEADER": Setting(
        "",
        "The request header (e.g. HTTP_X_FORWARDED_FOR) in which the trusted proxy names the client, for the "
        "rate limits; empty: REMOTE_ADDR.",
    ),
    "SUBMIT_RATE": Setting("10/h", "Complaint submissions one client may send (django-ratelimit rate)."),
    "STATUS_RATE": Setting("60/h", "Status page lookups one client may make (django-ratelimit rate)."),
    "MY_COMPLAINTS_RATE": Setting("5/h", '"Mijn klachten" links one client may ask for (django-ratelimit rate).'),
    "STATUS_SESSION_MINUTES": Setting(
        30,
        "The status link is exchanged on its first request for a session of this many minutes; after it, the "
        "complainant opens the link from their mail again.",
    ),
    "FORM_TOKEN_HOURS": Setting(
        24, "A complaint form's start token expires after this many hours; each token can be sent once."
    ),
    "ACKNOWLEDGEMENTS_PER_ADDRESS": Setting(
        5,
        "Acknowledgements of receipt one email address may get per day; more complaints from it are "
        "registered, their acknowledgement waits for a coordinator (the form cannot be used to mail strangers).",
    ),
    "DELIVERY_RETRY_HOURS": Setting(
        48, "A mail the mail server keeps refusing for the time being is tried this long, then marked not sent."
    ),
    "DELIVERY_RETRY_MINUTES": Setting(
        (5, 15, 30, 60, 180, 360),
        "Minutes to wait after the 1st, 2nd, ... failed try of a mail before the next; the last repeats.",
    ),
    "ORPHAN_FILE_MINUTES": Setting(
        60, "An attachment file this old without its row (a killed request) is removed by the worker."
    ),
    "INBOUND_MAX_MESSAGE_MB": Setting(
        25, "An incoming e-mail larger than this is set aside unread, with the reason, for a coordinator."
    ),
    "INBOUND_MAX_ATTACHMENTS": Setting(
        20, "Attachments of one incoming e-mail that are checked and kept; the rest are listed as refused."
    ),
    "ROLE_NAMES": Setting(
        {
            "coordinator": "Klachtcoördinatoren",
            "handler": "Klachtbehandelaars",
            "editor": "Redacteuren",
            "administrator": "Beheerders",
        },
        "The names of the role groups ``manage.py setup_roles`` creates, per role (coordinator, handler, "
        "editor, administrator); a host sets the ones it wants other than these.",
    ),
    "HOUSEKEEPING_MINUTES": Setting(
        5, "How often the task worker runs the periodic jobs (due mails, temporary files, ...)."
    ),
}


def setting(key):
    """The value of ``KLACHTFORMULIEREN_<key>`` in the Django settings, or its default."""
    return getattr(django_settings, PREFIX + key, SETTINGS[key].default)
