"""Settings for the benchmarks: production settings plus what the benchmarks compare against.

The runners (bench/p1_pages.py, bench/p2_submissions.py, via bench/server.py) set the
production environment variables (DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL, ...)
before Django imports this.
"""

from portal.settings.production import *

ROOT_URLCONF = "bench.urls"

# The bench app (bench/models.py): a plain wagtail.contrib.forms page, P2's baseline.
# Only here: the portal's own settings never install it.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405

# P2 posts the complaint form hundreds of times a second from one address. The rate limit
# (10 an hour by default) is not what P2 measures, so it is set out of reach; the limiter
# itself still runs on every POST, as in production.
KLACHTFORMULIEREN_SUBMIT_RATE = "1000000/h"

# Mails are kept in memory instead of printed: no console spam from P2. The outbox records
# are still written and delivered in-process after each commit, as in production.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
