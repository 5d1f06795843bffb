"""Where a submission's time goes: benchmark P2's two form pages posted in-process.

Posts each form page (see bench_setup_p2) ``--posts`` times through Django's test client,
without HTTP or gunicorn, and prints per submission: the time, the number of SQL queries
and which statements they are. ``--cprofile`` adds the functions that take the most time in
our submission path. Run by ``python -m bench.p2_submissions --profile`` on its database.
"""

import cProfile
import io
import json
import pstats
import re
import time
import urllib.parse
from collections import Counter

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.client import MULTIPART_CONTENT
from django.test.utils import CaptureQueriesContext

from bench.p2_submissions import CORE_FIELDS, OURS, PLAIN, PLAIN_THANKS_MARKER, FormParser, submission_values
from klachtformulieren.intake import spam


def statement_kind(sql):
    """'SELECT wagtailcore_site', 'INSERT klachtformulieren_complaint', 'SAVEPOINT', ..."""
    words = sql.split(None, 1)
    verb = words[0].upper() if words else "?"
    match = re.search(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', sql, flags=re.IGNORECASE)
    return f"{verb} {match.group(1)}" if match and verb in ("SELECT", "INSERT", "UPDATE", "DELETE") else verb


class Command(BaseCommand):
    help = "Profile one kind of submission per P2 form page in-process: time and SQL queries per POST."

    def add_arguments(self, parser):
        parser.add_argument("--posts", type=int, default=50, help="posts per page (default 50)")
        parser.add_argument("--cprofile", action="store_true", help="also print cProfile's top functions for ours")

    def handle(self, *args, posts, cprofile, **options):
        output = io.StringIO()
        call_command("bench_setup_p2", stdout=output)
        paths = json.loads(output.getvalue().strip().splitlines()[-1])
        clients = {page: self.prepared(page, paths[page]) for page in (OURS, PLAIN)}

        for page in (OURS, PLAIN):
            client, path, data, content_type = clients[page]
            self.post(client, page, path, data, content_type)  # warm-up: imports, caches, template loading
            kinds = Counter()
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                for _ in range(posts):
                    self.post(client, page, path, data, content_type)
            elapsed = time.perf_counter() - start
            for query in queries.captured_queries:
                kinds[statement_kind(query["sql"])] += 1
            per_post = len(queries.captured_queries) / posts
            self.stdout.write(
                f"{page} {path}: {elapsed / posts * 1000:.1f} ms and {per_post:.1f} SQL queries per submission "
                f"(in-process, {posts} posts)"
            )
            for kind, count in kinds.most_common():
                self.stdout.write(f"    {count / posts:5.1f}  {kind}")

        if cprofile:
            client, path, data, content_type = clients[OURS]
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(posts):
                self.post(client, OURS, path, data, content_type)
            profiler.disable()
            stream = io.StringIO()
            stats = pstats.Stats(profiler, stream=stream)
            stats.sort_stats("cumulative").print_stats(40)
            self.stdout.write(f"cProfile of {posts} posts to ours, by cumulative time:")
            self.stdout.write(stream.getvalue())

    def prepared(self, page, path):
        """A client that was shown the form, and what it posts: as bench/p2_submissions.py does."""
        client = Client(enforce_csrf_checks=True, SERVER_NAME="localhost")
        response = client.get(path)
        if response.status_code != 200:
            raise CommandError(f"GET {path} returned {response.status_code}.")
        parser = FormParser()
        parser.feed(response.content.decode())
        data = {"csrfmiddlewaretoken": parser.hidden["csrfmiddlewaretoken"], **submission_values()}
        if page == OURS:
            # Shown a minute ago: older than the minimum fill time.
            data.update({"form_started": spam.form_started_token(time.time() - 60), "website": ""})
        missing = [name for name in CORE_FIELDS if name not in parser.names]
        if missing:
            raise CommandError(f"GET {path}: no field(s) {', '.join(missing)}.")
        if parser.enctype.lower() == "multipart/form-data":
            return client, path, data, MULTIPART_CONTENT
        return client, path, urllib.parse.urlencode(data), "application/x-www-form-urlencoded"

    def post(self, client, page, path, data, content_type):
        if page == OURS:
            # Each start token can be sent once: every post has its own, as in bench/p2_submissions.py.
            data = {**data, "form_started": spam.form_started_token(time.time() - 60)}
        response = client.post(path, data, content_type=content_type)
        if page == OURS:
            ok = response.status_code == 302 and response["Location"].endswith(f"{path}bedankt/")
        else:
            ok = response.status_code == 200 and PLAIN_THANKS_MARKER in response.content
        if not ok:
            raise CommandError(f"POST {path} answered {response.status_code}:\n{response.content.decode()[:800]}")
