"""Settings shared by every environment.

Everything that differs between a developer's laptop and a municipality's server is
read from the environment (see README, "Configuration"); with nothing set, the portal
runs on embedded defaults: SQLite, local media files, mail to the console, the database
cache, and a task worker on the database (``manage.py db_worker``).
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "home",
    "klachtformulieren",
    "partners",
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.api.v3",
    "wagtail_modeladmin",
    "wagtail.embeds",
    "wagtail.sites",
    # wagtail.users, with user screens that keep a Beheerder within their own powers.
    "home.apps.PortalUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "csp",
    # django-ninja, under Wagtail's v3 API: listed so its docs page serves Swagger UI from
    # our own static files instead of a CDN.
    "ninja",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Serves a stored public page before the rest runs, and stores it with their headers
    # (home/page_cache.py; AnonymousPageCacheMiddleware, innermost, decides what is stored).
    "home.page_cache.StoredPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.security.StaffSessionMiddleware",
    "portal.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it answers a locked-out sign-in.
    "axes.middleware.AxesMiddleware",
    # Innermost: finds public pages for anonymous visitors in the shared cache, and marks what
    # StoredPageMiddleware may store (home/page_cache.py).
    "home.page_cache.AnonymousPageCacheMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: a SQLite file unless DATABASE_URL points elsewhere (PostgreSQL in production;
# production.py refuses SQLite unless DJANGO_ALLOW_SQLITE=true).
# SQLite for concurrent writers: readers never wait for the writer (WAL), a writing
# transaction takes the write lock when it begins (IMMEDIATE), so two submissions queue up
# instead of failing with "database is locked" halfway, and a waiting writer waits up to
# 20 seconds (the timeout, SQLite's busy timeout) before giving up.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    # synchronous stays FULL (the default): a committed complaint survives a power cut too.
    "init_command": "PRAGMA journal_mode=WAL;",
}


def database(url):
    """One DATABASES entry for ``url``, kept open DATABASE_CONN_MAX_AGE seconds; SQLite for concurrent writers."""
    entry = dj_database_url.parse(url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0), conn_health_checks=True)
    if entry["ENGINE"] == "django.db.backends.sqlite3":
        entry.setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
    return entry


DATABASES = {"default": database(env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# An optional read replica of the primary (PostgreSQL streaming replication): the annual
# report and the figures read from it, everything else from the primary (portal/db_router.py).
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = database(DATABASE_REPLICA_URL)
    # In tests the replica is the primary itself.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["portal.db_router.ReportReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "portal.security.CommonWordValidator"},
    {"NAME": "portal.security.NoRepeatsOrSequencesValidator"},
]

# Staff sign-in (portal/security.py). django-axes counts failed sign-ins per username and
# address together and blocks that pair for a while; lifting a block: Settings > Blocked
# sign-ins, or `manage.py axes_reset_username NAME`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "portal.security.client_ip"
# Sessions in the database, so every app server knows every session (not in the cache: a
# restarted or emptied Redis signs nobody out).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Sessions: at most 8 hours, and a staff session ends after 30 minutes without a request.
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_HOURS", 8) * 3600
STAFF_SESSION_IDLE_MINUTES = env_int("DJANGO_STAFF_IDLE_MINUTES", 30)
# Two-factor sign-in for staff (portal/two_factor.py): always on in production (production.py);
# development switches it off by default, so `make run` stays one step.
STAFF_2FA = env_bool("DJANGO_STAFF_2FA", True)
OTP_TOTP_ISSUER = env_str("WAGTAIL_SITE_NAME", "Klachtenportaal")
LOGIN_URL = "wagtailadmin_login"
# Django's own admin at /django-admin/: a developer's tool, never in production (production.py).
DJANGO_ADMIN_ENABLED = env_bool("DJANGO_ADMIN_ENABLED", DEBUG)

# Language: the public site is Dutch; source strings are English.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PROJECT_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# Static files are served by WhiteNoise, also behind gunicorn in production.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Several app servers: the files in S3-compatible object storage (django-storages), so every
# server reads what any of them wrote. Public media (images, documents) in DJANGO_S3_BUCKET,
# which the object store serves to anyone; complaint attachments, receipts, letters and
# incoming mail's files in DJANGO_S3_PRIVATE_BUCKET, private, with no URL at all: staff
# download them through the permission-checked views, which read them from the bucket.
# Both buckets or neither (docs/deployment.md).
S3_BUCKET = env_str("DJANGO_S3_BUCKET")
S3_PRIVATE_BUCKET = env_str("DJANGO_S3_PRIVATE_BUCKET")
if bool(S3_BUCKET) != bool(S3_PRIVATE_BUCKET) or (S3_BUCKET and S3_BUCKET == S3_PRIVATE_BUCKET):
    raise ImproperlyConfigured(
        "Set DJANGO_S3_BUCKET and DJANGO_S3_PRIVATE_BUCKET together, to two different buckets: "
        "public media in the one, complaint attachments in the other."
    )
if S3_BUCKET:
    S3_ENDPOINT_URL = env_str("DJANGO_S3_ENDPOINT_URL") or None
    S3_CONNECTION = {
        "endpoint_url": S3_ENDPOINT_URL,
        "region_name": env_str("DJANGO_S3_REGION") or None,
        "access_key": env_str("DJANGO_S3_ACCESS_KEY_ID") or None,
        "secret_key": env_str("DJANGO_S3_SECRET_ACCESS_KEY") or None,
        # Another upload of the same name gets a name of its own, as on disk.
        "file_overwrite": False,
        # Other S3-compatible servers (MinIO, Ceph, Garage) name the bucket in the path.
        **({"addressing_style": "path"} if S3_ENDPOINT_URL else {}),
    }
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        # Plain URLs: the bucket's policy lets anyone read public media.
        "OPTIONS": {**S3_CONNECTION, "bucket_name": S3_BUCKET, "querystring_auth": False},
    }
    STORAGES["private"] = {
        "BACKEND": "portal.storage.PrivateS3Storage",
        "OPTIONS": {
            **S3_CONNECTION,
            "bucket_name": S3_PRIVATE_BUCKET,
            "default_acl": "private",
            "querystring_auth": False,
        },
    }
    # The storage alias klachtformulieren keeps its private files in (klachtformulieren/storage.py).
    KLACHTFORMULIEREN_PRIVATE_STORAGE = "private"

# Complaint attachments live outside MEDIA_ROOT: no web server may serve this directory (with
# the S3 buckets above, only the temporary uploads below are kept here).
KLACHTFORMULIEREN_PRIVATE_MEDIA_ROOT = Path(env_str("DJANGO_PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private-media")))
# Uploads larger than 2.5 MB spool to disk while a request is read: into a directory of
# ours beside the attachments (never the system's /tmp), which the worker keeps clean of
# files a killed web worker left behind.
FILE_UPLOAD_TEMP_DIR = str(KLACHTFORMULIEREN_PRIVATE_MEDIA_ROOT / "tmp")
# Behind a proxy, the header that holds the client's address (for rate limiting), e.g.
# HTTP_X_FORWARDED_FOR. Empty: REMOTE_ADDR.
KLACHTFORMULIEREN_CLIENT_IP_HEADER = env_str("DJANGO_CLIENT_IP_HEADER")

# Mail: to the console unless an SMTP host is configured.
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)
    # Only the task worker talks to the mail server; a server that does not answer costs
    # it 10 seconds per try, and the mail is tried again later.
    EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 10)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "klachten@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background tasks (django-tasks, which Wagtail already uses) are stored in the database and
# run by `manage.py db_worker` (django-tasks-db): mail, search-index updates and the periodic
# housekeeping never run inside a web request.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The cache that every web worker and the task worker share: rate limits and spam tokens
# count across processes. The database by default (its table is created by `migrate`),
# Redis when DJANGO_CACHE_URL is set (redis://host:6379/0).
CACHE_URL = env_str("DJANGO_CACHE_URL")
# The page cache for anonymous visitors (home/page_cache.py); off with DJANGO_PAGE_CACHE=false.
PAGE_CACHE = env_bool("DJANGO_PAGE_CACHE", True)
if CACHE_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL},
        "renditions": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL},
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "klachtenportaal_cache",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
        # Wagtail keeps every image rendition it looks up in this cache: three writes to the
        # database cache for each image shown would cost more than they save. In memory per
        # process instead, and briefly, so a changed focal point shows within five minutes.
        "renditions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "TIMEOUT": 300},
    }

# Security headers that hold everywhere. Production adds HTTPS-only settings.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

# Content Security Policy: public pages load nothing from third parties, and run no inline
# script or style. The admin has its own policy (ADMIN_CONTENT_SECURITY_POLICY below).
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# The admin's policy, set by portal.security.SecurityHeadersMiddleware on /admin/ and
# /django-admin/: as strict as Wagtail 8's admin allows. Nothing loads from another origin,
# nothing is sent to one, no plugins, no <base>, no framing by another site. What it still
# allows, and why (README, "Security"):
# - script-src 'unsafe-inline': five Wagtail templates start their widget with an inline
#   <script> (the date, time and date-time pickers, InlinePanel and MultipleChooserPanel),
#   each with the field's id in it, so no hash can name them, and rendered by the form
#   widgets without the request, so they cannot carry the request's nonce unless we fork
#   those templates and Wagtail's widget rendering; inline event handlers (onclick=) stay
#   forbidden by script-src-attr 'none'.
# - No inline style at all: the admin's screens need none (tests/browser/test_admin_csp.py).
# - img-src data: blob:: Wagtail's icons and the image upload previews.
# - frame-src 'self' and frame-ancestors 'self': the page preview is a frame of our own.
ADMIN_CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "script-src-attr": ["'none'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
    "worker-src": ["'self'"],
    "manifest-src": ["'self'"],
}
ADMIN_PATH_PREFIXES = ("/admin/", "/django-admin/")

# Wagtail
WAGTAIL_SITE_NAME = env_str("WAGTAIL_SITE_NAME", "Klachtenportaal")
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# The public site's address: `seed_demo` gives the default Wagtail site this host and port, so
# the sitemap, robots.txt and links in mails name the real host (Settings > Sites changes it later).
PUBLIC_SITE_URL = env_str("DJANGO_SITE_URL", WAGTAILADMIN_BASE_URL)
# Wagtail's database backend with cleaned queries (portal/search.py).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "portal.search"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "rtf", "txt", "xlsx", "ods"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No requests to third parties from any page, the admin included (avatars come from gravatar.com otherwise).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_USAGE_COUNT_ENABLED = False
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {
        "WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea",
        "OPTIONS": {"features": ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]},
    }
}

# A caching proxy in front (Varnish, nginx; docs/caching.md): DJANGO_FRONTEND_CACHE_URL names
# where it takes HTTP PURGE requests (http://127.0.0.1:6081), and Wagtail's frontend cache app
# purges a page's address when it is published or unpublished, through the task worker.
# DJANGO_FRONTEND_CACHE_HOSTNAMES limits it to these host names (default: every host).
FRONTEND_CACHE_URL = env_str("DJANGO_FRONTEND_CACHE_URL")
if FRONTEND_CACHE_URL:
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")
    WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": FRONTEND_CACHE_URL,
            "HOSTNAMES": env_list("DJANGO_FRONTEND_CACHE_HOSTNAMES") or ["*"],
        }
    }

# Wagtail's v3 API at /api/v3/ (README, "API"). The OpenAPI schema and the interactive
# docs are for developers: off unless a settings file or the environment turns them on.
WAGTAILAPI_DOCS_ENABLED = env_bool("DJANGO_API_DOCS_ENABLED", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # No e-mail addresses or status-link secrets in any log line (portal/log_filters.py).
    "filters": {"mask_personal_data": {"()": "portal.log_filters.MaskPersonalDataFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_personal_data"]}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {"django": {"handlers": ["console"], "level": "WARNING", "propagate": False}},
}
