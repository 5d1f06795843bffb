"""Settings for the benchmarks: production settings plus a bare view to compare against.

The runner (e.g. bench/p1_pages.py) sets the production environment variables
(DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL, ...) before Django imports this.
"""

from portal.settings.production import *

ROOT_URLCONF = "bench.urls"
