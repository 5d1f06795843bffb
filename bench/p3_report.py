"""Benchmark P3: the annual report (Awb 9:12a) of one year over a million cases on PostgreSQL.

P3 builds the same database as P4 (bench/p4_listing.py): a throwaway PostgreSQL 15 cluster
(bench/server.py's ``PostgresCluster``) with the demo site and ``manage.py generate_complaints N``
(cases over six years with their history), then ``VACUUM ANALYZE`` as autovacuum would have by
then. In-process, under the production settings (``bench.settings``, DEBUG off), it measures

* ``annual_report(Y)`` (klachtformulieren/reporting/annual.py) for the most recent complete
  year with cases, for all municipalities and for the demo municipality only, twice: computed
  from the cases (``kept=False``: reporting/year_rows.py's five queries, one pass over the
  year) and as the admin gets it, from the figures kept for a closed year (the warm-up run
  computes and keeps them; the measured runs read them), and checks that both give the same
  report; and
* the baseline: one hand-written grouped count over the same table and year,
  ``SELECT kind_id, outcome, count(*) FROM klachtformulieren_complaint WHERE received_at >= %s
  AND received_at < %s GROUP BY kind_id, outcome``,

each once to warm up and then ``--repeat`` times. It reports the median and maximum wall time,
the number of SQL queries of the report and its slowest queries (median over the repetitions),
against the targets: a median of at most 2 s, and at most 3 times the baseline's median.
``--explain`` adds PostgreSQL's ``EXPLAIN (ANALYZE, BUFFERS)`` for the report's queries slower
than ``--explain-ms`` and for the baseline.

The exit status is 0 whether or not a target is met, 2 without PostgreSQL 15, and 1 if the
setup fails.

Usage, from the repository root (as root, the cluster runs as the ``postgres`` user)::

    .venv/bin/python -m bench.p3_report [--cases 1000000] [--repeat 10] [--seed 3] [--keep] [--explain]
    .venv/bin/python -m bench.p3_report --reuse /tmp/klachtenportaal-p3-XXXX   # measure a kept run again

``--keep`` leaves the directory (cluster, static files) behind and prints its path;
``--reuse DIR`` starts that cluster again (one kept by P3 or by P4), applies new migrations
and static files, and measures without generating.
"""

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.p4_listing import explain, run_with_generated_cases, shorten
from bench.server import BenchError

TARGET_MS = 2000
TARGET_RATIO = 3.0
WARMUP_RUNS = 1
SLOWEST_SHOWN = 10  # all of them
BASELINE_SQL = (
    "SELECT kind_id, outcome, count(*) FROM klachtformulieren_complaint "
    "WHERE received_at >= %s AND received_at < %s GROUP BY kind_id, outcome"
)


@dataclass
class Measurement:
    label: str
    times_ms: list
    queries: int
    slowest: list  # (median ms over the runs, sql), slowest first

    @property
    def median_ms(self):
        return statistics.median(self.times_ms)

    @property
    def max_ms(self):
        return max(self.times_ms)


def report_year():
    """The most recent complete year (before the current one, local time) that has cases."""
    from django.db.models import Max
    from django.utils import timezone

    from klachtformulieren.models import Complaint
    from klachtformulieren.reporting.annual import year_bounds

    this_year_start, _end = year_bounds(timezone.localdate().year)
    last = Complaint.objects.filter(received_at__lt=this_year_start).aggregate(last=Max("received_at"))["last"]
    if last is None:
        raise BenchError("No cases received before this year: nothing to report on.")
    return timezone.localtime(last).year


def demo_municipality():
    from home import demo_content
    from klachtformulieren.models import Municipality

    slug = demo_content.MUNICIPALITY["slug"]
    municipality = Municipality.objects.filter(slug=slug).first()
    if municipality is None:
        raise BenchError(f"The demo municipality ({slug}) does not exist; did seed_demo run?")
    return municipality


def timed_runs(function, repeat):
    """One warm-up call, then ``repeat`` measured ones; returns (times in ms, captured queries per run)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARMUP_RUNS):
        function()
    times_ms, runs = [], []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            function()
            times_ms.append(1000 * (time.perf_counter() - started))
        runs.append([(1000 * float(query["time"]), query["sql"]) for query in captured.captured_queries])
    return times_ms, runs


def slowest_queries(runs):
    """(median ms, sql) per query of the report, slowest first (the report's queries come in a fixed order)."""
    if len({len(run) for run in runs}) != 1:  # not the same queries every time: use the last run
        return sorted(runs[-1], reverse=True)
    per_query = zip(*runs, strict=True)
    return sorted(((statistics.median(ms for ms, _sql in q), q[-1][1]) for q in per_query), reverse=True)


def measure_report(label, year, municipality, repeat, *, kept):
    from klachtformulieren.reporting.annual import annual_report

    times_ms, runs = timed_runs(lambda: annual_report(year, municipality, kept=kept), repeat)
    measurement = Measurement(label, times_ms, max(len(run) for run in runs), slowest_queries(runs))
    print(
        f"{label:<36} median {measurement.median_ms:8.1f} ms  max {measurement.max_ms:8.1f} ms  "
        f"{measurement.queries} queries",
        flush=True,
    )
    return measurement


def check_kept_equals_computed(year, municipalities):
    """The kept report must be the report computed from the cases, figure for figure."""
    from klachtformulieren.reporting.annual import annual_report

    for municipality in municipalities:
        same = annual_report(year, municipality).as_dict() == annual_report(year, municipality, kept=False).as_dict()
        name = municipality.slug if municipality else "all municipalities"
        print(f"kept report of {year} ({name}) equals the computed one: {'yes' if same else 'NO'}", flush=True)
        if not same:
            raise BenchError(f"The kept report of {year} ({name}) differs from the one computed from the cases.")


def measure_baseline(year, repeat):
    from django.db import connection

    from klachtformulieren.reporting.annual import year_bounds

    bounds = year_bounds(year)

    def grouped_count():
        with connection.cursor() as cursor:
            cursor.execute(BASELINE_SQL, bounds)
            return cursor.fetchall()

    times_ms, runs = timed_runs(grouped_count, repeat)
    measurement = Measurement("baseline: one GROUP BY kind, outcome", times_ms, 1, slowest_queries(runs))
    label, median, slowest = measurement.label, measurement.median_ms, measurement.max_ms
    print(f"{label:<36} median {median:8.1f} ms  max {slowest:8.1f} ms", flush=True)
    return measurement


def print_results(cases, year, generation_seconds, reports, baseline, *, explain_ms=None):
    print()
    generated = f"{generation_seconds:.0f} s" if generation_seconds is not None else "reused"
    print(f"P3 results: {cases:,} cases on PostgreSQL (generation: {generated}), year {year}, {os.cpu_count()} CPUs")
    print(f"{'measured':<36} {'median ms':>10} {'max ms':>9} {'queries':>8} {'x baseline':>11}")
    for m in [*reports, baseline]:
        print(
            f"{m.label:<36} {m.median_ms:>10.1f} {m.max_ms:>9.1f} {m.queries:>8} "
            f"{m.median_ms / baseline.median_ms:>11.2f}"
        )
    explained = set()
    for m in reports:
        sql_ms = sum(ms for ms, _sql in m.slowest)
        print(f"\nQueries of the report, {m.label}, slowest first (median of the runs; {sql_ms:.0f} ms in all):")
        for ms, sql in m.slowest[:SLOWEST_SHOWN]:
            print(f"  {ms:8.1f} ms  {shorten(sql)}")
        if explain_ms is not None:
            for ms, sql in m.slowest:
                if ms < explain_ms:
                    break
                if sql not in explained:
                    explained.add(sql)
                    print(f"\nEXPLAIN ANALYZE ({ms:.1f} ms when measured):\n{sql}\n{explain(sql)}")
    if explain_ms is not None:
        ms, sql = baseline.slowest[0]
        print(f"\nEXPLAIN ANALYZE of the baseline ({ms:.1f} ms when measured):\n{sql}\n{explain(sql)}")
    print()
    for m in reports:
        ratio = m.median_ms / baseline.median_ms
        time_verdict = "met" if m.median_ms <= TARGET_MS else "MISSED"
        ratio_verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
        print(
            f"P3 {m.label}: median {m.median_ms:.0f} ms (target <= {TARGET_MS} ms: {time_verdict}), "
            f"{ratio:.2f}x the baseline's {baseline.median_ms:.0f} ms (target <= {TARGET_RATIO:g}x: {ratio_verdict}), "
            f"{m.queries} queries"
        )


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Benchmark P3: the annual report over a million cases.")
    parser.add_argument("--cases", type=int, default=1_000_000, help="cases to generate (default 1,000,000)")
    parser.add_argument("--repeat", type=int, default=10, help="measured runs of each (default 10)")
    parser.add_argument("--seed", type=int, default=3, help="seed for generate_complaints (default 3)")
    parser.add_argument("--keep", action="store_true", help="keep the cluster and files; print where")
    parser.add_argument("--reuse", type=Path, metavar="DIR", help="measure the cluster a --keep run left in DIR")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slow queries and the baseline")
    parser.add_argument("--explain-ms", type=float, default=100.0, help="what --explain counts as slow (100 ms)")
    args = parser.parse_args(argv)
    if args.cases < 1 or args.repeat < 1:
        parser.error("--cases and --repeat must be at least 1.")
    if args.reuse and not (args.reuse / "postgres" / "data").is_dir():
        parser.error(f"{args.reuse} holds no cluster from an earlier --keep run.")
    return args


def main(argv=None):
    args = parse_args(argv)

    def measure_report_year(cases, generation_seconds):
        year = report_year()
        municipality = demo_municipality()
        print(f"Measuring annual_report({year}): {WARMUP_RUNS} warm-up and {args.repeat} measured runs each")
        reports = [
            measure_report(f"computed annual_report({year})", year, None, args.repeat, kept=False),
            measure_report(f"computed ({municipality.slug})", year, municipality, args.repeat, kept=False),
            measure_report(f"kept annual_report({year})", year, None, args.repeat, kept=True),
            measure_report(f"kept ({municipality.slug})", year, municipality, args.repeat, kept=True),
        ]
        baseline = measure_baseline(year, args.repeat)
        check_kept_equals_computed(year, [None, municipality])
        print_results(
            cases, year, generation_seconds, reports, baseline, explain_ms=args.explain_ms if args.explain else None
        )

    return run_with_generated_cases("P3", "bench.p3_report", args, measure_report_year)


if __name__ == "__main__":
    sys.exit(main())
