"""Benchmark P4: the complaint listing's first page with a million cases on PostgreSQL.

P4 builds a throwaway PostgreSQL 15 cluster (as .ci/run does; bench/server.py's
``PostgresCluster``), fills it like a municipality that has used the portal for years
(``migrate``, ``seed_demo``, ``collectstatic``, then ``manage.py generate_complaints N``:
cases over six years with their history, see klachtformulieren/generator.py), runs
``VACUUM ANALYZE`` as autovacuum would have by then, and measures the admin's complaint
listing (wagtail-modeladmin's index view, URL name ``klachtformulieren_cases:index``)
as a superuser, who sees every case:

* the first page as it opens,
* the first page with a typical filter: the cases being handled, and
* the overdue cases (the deadline filter, ``termijn=verlopen``),
* a work queue ("Termijn verloopt deze week", ``wachtrij=deze-week``),
* a search on a complainant's surname and one on an email address (taken from the data), and
* any query string given with ``--query`` (e.g. ``--query '?q=Jansen'``).

Then, side by side in the same run, it builds a second cluster with ``--small`` cases (1,000)
and measures the first page there too, and prints the ratio of the first page at the full
size to the small one (target: at most 1.5).

Each page is requested in-process with Django's test client under the production settings
(``bench.settings``, DEBUG off): a few warm-up requests, then ``--requests`` measured ones.
Per page it reports the median and 95th percentile of the wall time per request and the
number of SQL queries, against the targets: a median of at most 300 ms and at most 20
queries. It also names the slowest queries of a request; ``--explain`` adds PostgreSQL's
``EXPLAIN (ANALYZE, BUFFERS)`` for every query slower than ``--explain-ms``.

The exit status is 0 whether or not a target is met, and non-zero if PostgreSQL is missing,
the setup fails or a page does not answer 200.

Usage, from the repository root (as root, the cluster runs as the ``postgres`` user)::

    .venv/bin/python -m bench.p4_listing [--cases 1000000] [--requests 20] [--seed 4] [--keep] [--explain]
    .venv/bin/python -m bench.p4_listing --reuse /tmp/klachtenportaal-p4-XXXX   # measure a kept run again

``--keep`` leaves the directory (cluster, static files) behind and prints its path;
``--reuse DIR`` starts that cluster again, applies new migrations and static files, and
measures without generating: quick to repeat while working on the listing.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.server import REPO_ROOT, BenchError, PostgresCluster, build_env, manage, prepare_site

TARGET_MS = 300
TARGET_QUERIES = 20
WARMUP_REQUESTS = 3
LISTING_URL_NAME = "klachtformulieren_cases:index"
# (what, query string) of the pages measured.
PAGES = [
    ("first page", ""),
    ("status: being handled", "?status=handling"),
    ("deadline: overdue", "?termijn=verlopen"),
    ("queue: due this week", "?wachtrij=deze-week"),
]
TARGET_RATIO = 1.5
FIRST_PAGE_MARK = "P4 FIRST PAGE MEDIAN MS"
SLOWEST_SHOWN = 3


@dataclass
class Measurement:
    label: str
    path: str
    times_ms: list
    queries: int
    slowest: list  # (ms, sql) of the last request, slowest first

    @property
    def median_ms(self):
        return statistics.median(self.times_ms)

    @property
    def p95_ms(self):
        ordered = sorted(self.times_ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def generate(env, cases, seed):
    """manage.py generate_complaints, with its progress bar on our terminal; returns seconds."""
    command = [sys.executable, "manage.py", "generate_complaints", str(cases), "--seed", str(seed)]
    print(f"$ manage.py {' '.join(command[2:])}", flush=True)
    started = time.monotonic()
    result = subprocess.run(command, check=False, cwd=REPO_ROOT, env=env)
    if result.returncode != 0:
        raise BenchError(f"generate_complaints failed with status {result.returncode}.")
    return time.monotonic() - started


def setup_django(env):
    os.environ.update(env)
    import django

    django.setup()


def vacuum_analyze():
    from django.db import connection

    print("$ VACUUM ANALYZE", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def case_count():
    from klachtformulieren.models import Complaint

    return Complaint.objects.count()


def logged_in_client():
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(
        username="bench-p4", defaults={"is_staff": True, "is_superuser": True, "email": "bench-p4@example.org"}
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    # Signed in with the second step given, as staff always are (portal/two_factor.py).
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def listing_path():
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(LISTING_URL_NAME)
    except NoReverseMatch as error:
        raise BenchError(f"The complaint listing ({LISTING_URL_NAME}) does not exist (yet).") from error


def get_page(client, path):
    response = client.get(path)
    if response.status_code != 200:
        where = response.get("Location", "")
        raise BenchError(f"GET {path} returned {response.status_code} {where}".rstrip())
    return response


def measure(client, label, path, requests):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARMUP_REQUESTS):
        get_page(client, path)
    times_ms, counts = [], []
    for _ in range(requests):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            get_page(client, path)
            times_ms.append(1000 * (time.perf_counter() - started))
        counts.append(len(captured.captured_queries))
    slowest = sorted(((1000 * float(query["time"]), query["sql"]) for query in captured.captured_queries), reverse=True)
    measurement = Measurement(label, path, times_ms, max(counts), slowest)
    print(
        f"{label:<24} median {measurement.median_ms:7.1f} ms  p95 {measurement.p95_ms:7.1f} ms  "
        f"{measurement.queries} queries",
        flush=True,
    )
    return measurement


def explain(sql):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def search_pages():
    """A search on a surname and one on an email address that occur in the data."""
    from urllib.parse import urlencode

    from klachtformulieren.models import Complaint

    middle = Complaint.objects.order_by("pk").values_list("pk", flat=True).first() + case_count() // 2
    sample = Complaint.objects.filter(pk__gte=middle).exclude(email="").order_by("pk").first()
    surname = sample.name.split()[-1]
    return [
        ("search: surname", "?" + urlencode({"q": surname})),
        ("search: email", "?" + urlencode({"q": sample.email})),
    ]


def small_first_page(args):
    """The first page's median at ``args.small`` cases, measured by this module in a child
    process on its own throwaway cluster (Django here is set up on the big one)."""
    command = [sys.executable, "-m", "bench.p4_listing", "--cases", str(args.small), "--requests", str(args.requests)]
    command += ["--small", "0", "--first-page-only"]
    print(f"\n$ {' '.join(command[1:])}", flush=True)
    result = subprocess.run(command, check=False, cwd=REPO_ROOT, capture_output=True, text=True)
    for line in result.stdout.splitlines():
        if line.startswith(FIRST_PAGE_MARK):
            return float(line.split("=", 1)[1])
    raise BenchError(f"The measurement at {args.small} cases failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")


def report(cases, generation_seconds, measurements, *, explain_ms=None):
    print()
    generated = f"{generation_seconds:.0f} s" if generation_seconds is not None else "reused"
    print(f"P4 results: {cases:,} cases on PostgreSQL (generation: {generated}), {os.cpu_count()} CPUs")
    print(f"{'page':<24} {'median ms':>10} {'p95 ms':>8} {'queries':>8}  path")
    for m in measurements:
        print(f"{m.label:<24} {m.median_ms:>10.1f} {m.p95_ms:>8.1f} {m.queries:>8}  {m.path}")
    explained = set()
    for m in measurements:
        print(f"\nSlowest queries of one request, {m.label}:")
        for ms, sql in m.slowest[:SLOWEST_SHOWN]:
            print(f"  {ms:8.1f} ms  {shorten(sql)}")
        if explain_ms is not None:
            for ms, sql in m.slowest:
                if ms < explain_ms:
                    break
                if sql not in explained:
                    explained.add(sql)
                    print(f"\nEXPLAIN ANALYZE ({ms:.1f} ms when measured):\n{sql}\n{explain(sql)}")
    print()
    for m in measurements:
        time_verdict = "met" if m.median_ms <= TARGET_MS else "MISSED"
        query_verdict = "met" if m.queries <= TARGET_QUERIES else "MISSED"
        print(
            f"P4 {m.label}: median {m.median_ms:.0f} ms (target <= {TARGET_MS} ms: {time_verdict}), "
            f"{m.queries} queries (target <= {TARGET_QUERIES}: {query_verdict})"
        )


def shorten(sql, length=220):
    sql = " ".join(sql.split())
    return sql if len(sql) <= length else f"{sql[: length - 3]}..."


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Benchmark P4: the complaint listing with a million cases.")
    parser.add_argument("--cases", type=int, default=1_000_000, help="cases to generate (default 1,000,000)")
    parser.add_argument("--requests", type=int, default=20, help="measured requests per page (default 20)")
    parser.add_argument("--seed", type=int, default=4, help="seed for generate_complaints (default 4)")
    parser.add_argument("--keep", action="store_true", help="keep the cluster and files; print where")
    parser.add_argument("--reuse", type=Path, metavar="DIR", help="measure the cluster a --keep run left in DIR")
    parser.add_argument(
        "--query", action="append", default=[], metavar="QUERY", help="measure this query string too (repeatable)"
    )
    parser.add_argument(
        "--small", type=int, default=1000, help="cases of the side-by-side run for the ratio (default 1,000; 0: none)"
    )
    parser.add_argument("--first-page-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slow queries")
    parser.add_argument("--explain-ms", type=float, default=20.0, help="what --explain counts as slow (20 ms)")
    args = parser.parse_args(argv)
    if args.cases < 1 or args.requests < 1:
        parser.error("--cases and --requests must be at least 1.")
    if args.reuse and not (args.reuse / "postgres" / "data").is_dir():
        parser.error(f"{args.reuse} holds no cluster from an earlier --keep run.")
    return args


def run_with_generated_cases(label, module, args, measure):
    """Build (or, with --reuse, reopen) a PostgreSQL database with generated cases, then measure.

    ``measure(cases, generation_seconds)`` runs in-process with Django set up on it. Shared by
    P3 and P4. Exit status: 0 measured, 1 setup failed, 2 PostgreSQL is not installed.
    """
    try:
        PostgresCluster.check_installed()
    except BenchError as error:
        print(f"{label} cannot run: {error}", file=sys.stderr)
        return 2
    tmp_dir = args.reuse or Path(tempfile.mkdtemp(prefix=f"klachtenportaal-{label.lower()}-"))
    keep = args.keep or args.reuse is not None
    # The cluster runs as the postgres user, who must be able to reach its directory.
    tmp_dir.chmod(0o711)
    cluster = PostgresCluster(tmp_dir / "postgres")
    try:
        env = build_env(tmp_dir)
        env["DATABASE_URL"] = cluster.start()
        generation_seconds = None
        if args.reuse:
            manage(env, "migrate", "--noinput")
            manage(env, "collectstatic", "--noinput")
        else:
            prepare_site(env)
            generation_seconds = generate(env, args.cases, args.seed)
        setup_django(env)
        vacuum_analyze()
        measure(case_count(), generation_seconds)
        return 0
    except BenchError as error:
        print(f"\n{label} FAILED: {error}", file=sys.stderr)
        if cluster.port is not None:
            print(f"PostgreSQL log:\n{cluster.log_tail()}", file=sys.stderr)
        return 1
    finally:
        cluster.stop()
        if keep:
            print(f"Kept {tmp_dir}: measure again with python -m {module} --reuse {tmp_dir}")
        else:
            shutil.rmtree(tmp_dir, ignore_errors=True)


def main(argv=None):
    args = parse_args(argv)

    def measure_listing(cases, generation_seconds):
        client = logged_in_client()
        path = listing_path()
        print(f"Measuring {path} as a superuser: {WARMUP_REQUESTS} warm-up and {args.requests} measured requests")
        if args.first_page_only:
            first = measure(client, "first page", path, args.requests)
            print(f"{FIRST_PAGE_MARK}={first.median_ms:.3f}")
            return
        pages = PAGES + search_pages() + [(query, query) for query in args.query]
        measurements = [measure(client, label, path + query, args.requests) for label, query in pages]
        report(cases, generation_seconds, measurements, explain_ms=args.explain_ms if args.explain else None)
        if args.small:
            small = small_first_page(args)
            ratio = measurements[0].median_ms / small
            verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
            print(
                f"P4 first page at {cases:,} cases: {measurements[0].median_ms:.0f} ms; at {args.small:,} cases: "
                f"{small:.0f} ms; ratio {ratio:.2f} (target <= {TARGET_RATIO}: {verdict})"
            )

    return run_with_generated_cases("P4", "bench.p4_listing", args, measure_listing)


if __name__ == "__main__":
    sys.exit(main())
