"""Benchmark P1's pages in-process: SQL queries and time per page, cached and uncached.

Requests each page through Django's test client (no HTTP, no gunicorn) with the page cache as
configured and with it switched off (``PAGE_CACHE = False``), after one warm-up request each
(imports, template loading, per-process caches, and the cache filled for the cached case).
Prints one line per page: the queries and the milliseconds per request, median of ``--repeat``,
and with ``--queries`` the statements themselves. ``--cprofile PATH`` adds cProfile's top
functions of rendering that page uncached. Run by ``python -m bench.p1_pages`` on its database.
"""

import cProfile
import io
import json
import pstats
import statistics
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from bench.server import BARE_URL, HOST

HOME_URL = "/"


class Command(BaseCommand):
    help = "SQL queries and time per request for benchmark P1's pages, in-process, cached and uncached."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=20, help="requests per page and mode (default 20)")
        parser.add_argument("--queries", action="store_true", help="also print the SQL statements of each page")
        parser.add_argument("--cprofile", metavar="PATH", help="cProfile's top functions of PATH, uncached")

    def handle(self, *args, repeat, queries, cprofile, **options):
        output = io.StringIO()
        call_command("bench_setup_p1", stdout=output)
        paths = json.loads(output.getvalue().strip().splitlines()[-1])
        client = Client(HTTP_HOST=HOST)
        rows = [
            ("bare", BARE_URL, True),
            ("home, cached", HOME_URL, True),
            ("information, cached", paths["information"], True),
            ("home, uncached", HOME_URL, False),
            ("information, uncached", paths["information"], False),
            ("plain content page", paths["plain"], False),
        ]
        for label, path, cached in rows:
            with override_settings(PAGE_CACHE=cached):
                count, milliseconds, statements = self.measure(client, path, repeat)
            self.stdout.write(f"{label:<24} {path:<20} {count:3d} queries  {milliseconds:6.2f} ms per request")
            if queries:
                for sql in statements:
                    self.stdout.write(f"      {sql[:160]}")
        if cprofile:
            with override_settings(PAGE_CACHE=False):
                self.profile(client, cprofile, repeat)

    def get(self, client, path):
        response = client.get(path)
        if response.status_code != 200:
            raise CommandError(f"GET {path} returned {response.status_code}, expected 200.")
        return response

    def measure(self, client, path, repeat):
        self.get(client, path)  # warm-up; fills the page cache when it is on
        with CaptureQueriesContext(connection) as captured:
            self.get(client, path)
        # Read now: every request's start empties the connection's query log.
        statements = [query["sql"] for query in captured.captured_queries]
        timings = []
        for _ in range(repeat):
            start = time.perf_counter()
            self.get(client, path)
            timings.append((time.perf_counter() - start) * 1000)
        return len(statements), statistics.median(timings), statements

    def profile(self, client, path, repeat):
        self.get(client, path)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(repeat):
            self.get(client, path)
        profiler.disable()
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(45)
        self.stdout.write(f"cProfile of {repeat} uncached requests to {path}, by cumulative time:")
        self.stdout.write(stream.getvalue())
