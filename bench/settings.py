"""Settings for the benchmarks: production settings plus what the benchmarks compare against.

The runners (bench/p1_pages.py, bench/p2_submissions.py, via bench/server.py) set the
production environment variables (DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL, ...)
before Django imports this.
"""

import os

from portal.settings.production import *


def env_float(name, default):
    return float(os.environ.get(name, default))


ROOT_URLCONF = "bench.urls"

# The bench app (bench/models.py): a plain wagtail.contrib.forms page, P2's baseline.
# Only here: the portal's own settings never install it.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405

# P2 posts the complaint form hundreds of times a second from one address. The rate limit
# (10 an hour by default) is not what P2 measures, so it is set out of reach; the limiter
# itself still runs on every POST, as in production.
# The cluster benchmark (bench/cluster.py) checks the limit itself: BENCH_KEEP_SUBMIT_RATE=true
# keeps the portal's own (its load then comes from many client addresses).
if os.environ.get("BENCH_KEEP_SUBMIT_RATE") != "true":
    KLACHTFORMULIEREN_SUBMIT_RATE = "1000000/h"
# The same address files hundreds of complaints: its acknowledgements are still counted on every
# submission, as in production, but none is held back.
KLACHTFORMULIEREN_ACKNOWLEDGEMENTS_PER_ADDRESS = 1_000_000_000

# Mails are kept in memory instead of printed, unless a benchmark names a mail server (R1 runs
# an SMTP stand-in). The outbox records and their tasks are written as in production.
if not EMAIL_HOST:  # noqa: F405
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# R1 compresses hours into a minute: the worker's housekeeping and the retries of mails that
# met a dead mail server come every few seconds (production: minutes).
if "BENCH_HOUSEKEEPING_MINUTES" in os.environ:
    KLACHTFORMULIEREN_HOUSEKEEPING_MINUTES = env_float("BENCH_HOUSEKEEPING_MINUTES", 5)
    KLACHTFORMULIEREN_DELIVERY_RETRY_MINUTES = (KLACHTFORMULIEREN_HOUSEKEEPING_MINUTES,)
    KLACHTFORMULIEREN_ORPHAN_FILE_MINUTES = KLACHTFORMULIEREN_HOUSEKEEPING_MINUTES
