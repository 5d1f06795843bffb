"""Benchmark P1: how fast are public pages, cached and uncached, compared with their baselines?

P1 has two parts (issue 19), measured side by side in one run, in interleaved rounds:

* **P1(a), cached**: the demo home page (``/``) and information page (``/zo-gaat-het/``) as
  anonymous visitors get them, from the page cache (home/page_cache.py), against
  ``/__bench__/bare/``: a view that returns "ok" (see bench/urls.py). It goes through the whole
  middleware stack (security headers, sessions, CSP, redirects, the page cache's middlewares,
  which do not look in the cache for it) but does no database query and renders no template.
  A stored page is served early in that stack (``StoredPageMiddleware``), as any visitor
  without a session cookie gets it. Target: both ratios at least 0.8.
* **P1(b), uncached**: the information page rendered afresh (a second server with
  ``DJANGO_PAGE_CACHE=false``) against a plain Wagtail page with the same title, introduction
  and StreamField content on a bare template (``bench.PlainContentPage``, made by
  ``manage.py bench_setup_p1``; the same block templates, but no menu, breadcrumbs, site
  settings or footer). Target: at least 0.8, so the portal's layout costs at most a fifth.
  The uncached home page is measured too, for reference.

Afterwards the pages are requested in-process (``manage.py bench_p1_queries``) and the SQL
queries and milliseconds per page are printed, cached and uncached; ``--profile`` adds
cProfile's top functions of the uncached information page.

To be production-like, the script builds everything from scratch in a temporary directory:
a fresh SQLite database (``migrate`` + ``seed_demo``), collected static files, and two gunicorn
servers with two sync workers each running ``portal.wsgi`` with ``bench.settings`` (the
production settings plus the bench app), one with the page cache and one without, both keeping
their database connections open for 60 s (``DATABASE_CONN_MAX_AGE``, ``--conn-max-age``);
bench/server.py does this for every benchmark. Only one server is under load at a time. The load comes from
``wrk`` if it is installed, otherwise from a small Python load generator. Each URL is measured
in several interleaved rounds and the best round counts, to reduce noise from other work on the
machine.

Everything runs on the loopback interface. The exit status is 0 whether or not the targets
are met (this is a benchmark, not a test), and non-zero if the setup fails, a server does
not start, a page does not answer 200, or the cached server does not serve from its cache.

Usage, from the repository root::

    .venv/bin/python -m bench.p1_pages [--duration 8] [--rounds 3] [--concurrency 8] [--conn-max-age 60] [--profile]
"""

import argparse
import http.client
import json
import multiprocessing
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.cluster import Processes, start_redis
from bench.server import (
    BARE_URL,
    HOST,
    REQUEST_TIMEOUT,
    BenchError,
    build_env,
    check_server_alive,
    free_port,
    get,
    manage,
    prepare_site,
    start_server,
    stop_server,
    wait_until_ready,
)

TARGET_RATIO = 0.8
WARMUP_SECONDS = 1.0

HOME_URL = "/"
# Persistent database connections, as a production server would keep them (README,
# DATABASE_CONN_MAX_AGE): with 0, every request that reads the cache opens a new SQLite
# connection, which costs a page from the cache more than the read itself. --conn-max-age 0
# measures that.
CONN_MAX_AGE = 60
CACHED = "cached"
UNCACHED = "uncached"


def measured_urls(paths):
    """(server, path, label) in the order of each round."""
    return [
        (CACHED, BARE_URL, "bare"),
        (CACHED, HOME_URL, "home, cached"),
        (CACHED, paths["information"], "information, cached"),
        (UNCACHED, paths["information"], "information, uncached"),
        (UNCACHED, paths["plain"], "plain content page"),
        (UNCACHED, HOME_URL, "home, uncached"),
    ]


def page_cache_header(port, path):
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.getheader("X-Page-Cache")
    finally:
        connection.close()


def check_pages(ports, urls):
    for server, path, label in urls:
        status, body = get(ports[server], path)
        if status != 200:
            raise BenchError(f"GET {path} returned {status}, expected 200:\n{body[:500].decode(errors='replace')}")
        print(f"GET {path} ({label}) -> 200 ({len(body)} bytes)", flush=True)
    # The cached server must serve the pages from its cache, the other never.
    for server, path, label in urls:
        header = page_cache_header(ports[server], path)
        expected = "hit" if server == CACHED and path != BARE_URL else None
        if header != expected:
            raise BenchError(f"GET {path} ({label}) answered X-Page-Cache: {header}, expected {expected}.")


def read_until_closed(sock):
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def python_load_client(port, path, deadline):
    """One load generator process: GET path back to back until deadline; returns (ok, failed).

    gunicorn's sync workers close the connection after each response, so every request
    opens a new one, as any client would. Plain sockets rather than http.client: the client
    shares the CPUs with the server, and http.client costs about twice as much CPU per request.
    """
    request = f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nConnection: close\r\n\r\n".encode()
    ok = failed = 0
    while time.time() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=REQUEST_TIMEOUT) as sock:
                sock.sendall(request)
                response = read_until_closed(sock)
        except OSError:
            failed += 1
            continue
        if response.startswith((b"HTTP/1.1 200 ", b"HTTP/1.0 200 ")):
            ok += 1
        else:
            failed += 1
    return ok, failed


class PythonLoad:
    """Processes rather than threads, so the GIL does not make the client the bottleneck."""

    name = "Python load generator"

    def __init__(self, concurrency):
        self.concurrency = concurrency
        self.pool = multiprocessing.Pool(concurrency)

    def run(self, port, path, seconds):
        start = time.time()
        results = self.pool.starmap(python_load_client, [(port, path, start + seconds)] * self.concurrency)
        elapsed = time.time() - start
        ok = sum(result[0] for result in results)
        failed = sum(result[1] for result in results)
        if failed:
            raise BenchError(f"{failed} of {ok + failed} requests to {path} failed or did not return 200.")
        return ok / elapsed

    def close(self):
        self.pool.terminate()
        self.pool.join()


class WrkLoad:
    def __init__(self, executable, concurrency):
        self.executable = executable
        self.concurrency = concurrency
        self.threads = min(2, concurrency)
        self.name = f"wrk -t{self.threads} -c{concurrency}"

    def run(self, port, path, seconds):
        seconds = max(1, round(seconds))
        command = [
            self.executable,
            f"-t{self.threads}",
            f"-c{self.concurrency}",
            f"-d{seconds}s",
            f"http://{HOST}:{port}{path}",
        ]
        result = subprocess.run(command, check=False, capture_output=True, text=True)
        if result.returncode != 0:
            raise BenchError(f"wrk failed:\n{result.stdout}{result.stderr}")
        if "Non-2xx or 3xx responses" in result.stdout:
            raise BenchError(f"wrk got responses other than 200 from {path}:\n{result.stdout}")
        match = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
        if not match:
            raise BenchError(f"Could not find Requests/sec in wrk's output:\n{result.stdout}")
        return float(match.group(1))

    def close(self):
        pass


def measure(load, ports, urls, duration, rounds):
    """Best requests/s per URL over interleaved rounds (bare, home, information, ..., bare, ...)."""
    best = dict.fromkeys((label for _, _, label in urls), 0.0)
    for round_number in range(1, rounds + 1):
        for server, path, label in urls:
            load.run(ports[server], path, WARMUP_SECONDS)
            rate = load.run(ports[server], path, duration)
            print(f"round {round_number}: {label:<22} {path:<20} {rate:9.1f} req/s", flush=True)
            best[label] = max(best[label], rate)
    return best


def report(best, urls, load, duration, rounds):
    bare = best["bare"]
    plain = best["plain content page"]
    if bare <= 0 or plain <= 0:
        raise BenchError("A baseline served no requests; nothing to compare with.")
    print()
    print(f"P1 results: best of {rounds} rounds of {duration:g} s per URL, {load.name}, {os.cpu_count()} CPUs")
    print(f"{'page':<22} {'URL':<20} {'requests/s':>12}")
    for _, path, label in urls:
        print(f"{label:<22} {path:<20} {best[label]:>12.1f}")
    print()
    for label in ("home, cached", "information, cached"):
        print(f"P1(a) {label} / bare = {best[label] / bare:.2f} (target >= {TARGET_RATIO})")
    ratio = best["information, uncached"] / plain
    print(f"P1(b) information, uncached / plain content page = {ratio:.2f} (target >= {TARGET_RATIO})")
    print(f"      (home, uncached / plain content page = {best['home, uncached'] / plain:.2f}, for reference)")


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Benchmark P1: page requests/s compared with a bare Django view.")
    parser.add_argument("--duration", type=float, default=8.0, help="seconds of load per URL per round (default 8)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the best counts (default 3)")
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent connections (default 8)")
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=CONN_MAX_AGE,
        help=f"DATABASE_CONN_MAX_AGE of both servers, in seconds (default {CONN_MAX_AGE})",
    )
    parser.add_argument(
        "--cache",
        choices=["database", "redis"],
        default="database",
        help="the shared cache both servers use: the database cache (the default install) or a "
        "redis-server started on loopback for the run (DJANGO_CACHE_URL, as on several app servers)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="add cProfile's top functions of the uncached information page"
    )
    args = parser.parse_args(argv)
    if args.duration <= 0 or args.rounds < 1 or args.concurrency < 1:
        parser.error("--duration must be positive; --rounds and --concurrency at least 1.")
    return args


def main(argv=None):
    args = parse_args(argv)
    tmp_dir = Path(tempfile.mkdtemp(prefix="klachtenportaal-bench-"))
    servers = []
    load = None
    processes = Processes()
    try:
        env = {**build_env(tmp_dir), "DATABASE_CONN_MAX_AGE": str(args.conn_max_age)}
        if args.cache == "redis":
            env["DJANGO_CACHE_URL"] = start_redis(tmp_dir, processes)
        prepare_site(env)
        paths = json.loads(manage(env, "bench_setup_p1").strip().splitlines()[-1])
        urls = measured_urls(paths)
        ports = {}
        for server, page_cache in ((CACHED, "true"), (UNCACHED, "false")):
            port = free_port()
            log_path = tmp_dir / f"gunicorn-{server}.log"
            process = start_server({**env, "DJANGO_PAGE_CACHE": page_cache}, port, log_path)
            servers.append((process, log_path))
            wait_until_ready(process, port, log_path)
            ports[server] = port
        check_pages(ports, urls)
        wrk = shutil.which("wrk")
        load = WrkLoad(wrk, args.concurrency) if wrk else PythonLoad(args.concurrency)
        print(
            f"Load: {load.name}, {args.rounds} rounds of {args.duration:g} s per URL, "
            f"DATABASE_CONN_MAX_AGE={args.conn_max_age}, cache: {args.cache}",
            flush=True,
        )
        best = measure(load, ports, urls, args.duration, args.rounds)
        for process, log_path in servers:
            check_server_alive(process, log_path)
        report(best, urls, load, args.duration, args.rounds)
        print()
        print("In-process, per request (manage.py bench_p1_queries):")
        print(manage(env, "bench_p1_queries", *(["--cprofile", paths["information"]] if args.profile else [])))
        return 0
    except BenchError as error:
        print(f"\nP1 FAILED: {error}", file=sys.stderr)
        return 1
    finally:
        if load is not None:
            load.close()
        for process, _ in servers:
            stop_server(process)
        processes.stop_all()
        shutil.rmtree(tmp_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
