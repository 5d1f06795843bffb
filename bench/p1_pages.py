"""Benchmark P1: how fast are public pages compared with a bare Django view?

P1 measures requests per second for three URLs on a production-like server:

* ``/__bench__/bare/``: a view that returns "ok" (see bench/urls.py). It goes through the
  whole middleware stack (security headers, sessions, CSP, redirects, ...) but does no
  database queries and renders no template. This is the ceiling for this machine.
* ``/``: the demo home page.
* ``/zo-gaat-het/``: a demo information page.

The figure that matters is the ratio page/bare: it says how much of the server's capacity
goes into finding and rendering a Wagtail page, independent of how fast the machine is.
The target is a ratio of at least 0.5 for both pages.

To be production-like, the script builds everything from scratch in a temporary directory:
a fresh SQLite database (``migrate`` + ``seed_demo``), collected static files, and gunicorn
with two sync workers running ``portal.wsgi`` with ``bench.settings`` (the production
settings plus the bare view); bench/server.py does this for every benchmark. The load
comes from ``wrk`` if it is installed, otherwise from a small Python load generator. Each
URL is measured in several interleaved rounds and the best round counts, to reduce noise
from other work on the machine.

Everything runs on the loopback interface. The exit status is 0 whether or not the target
is met (this is a benchmark, not a test), and non-zero if the setup fails, the server does
not start, or a page does not answer 200.

Usage, from the repository root::

    .venv/bin/python -m bench.p1_pages [--duration 8] [--rounds 3] [--concurrency 8]
"""

import argparse
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

from bench.server import (
    BARE_URL,
    HOST,
    REQUEST_TIMEOUT,
    BenchError,
    build_env,
    check_server_alive,
    free_port,
    get,
    prepare_site,
    start_server,
    stop_server,
    wait_until_ready,
)

TARGET_RATIO = 0.5
WARMUP_SECONDS = 1.0

HOME_URL = "/"
INFORMATION_URL = "/zo-gaat-het/"
URLS = [BARE_URL, HOME_URL, INFORMATION_URL]


def check_pages(port):
    for path in URLS:
        status, body = get(port, path)
        if status != 200:
            raise BenchError(f"GET {path} returned {status}, expected 200:\n{body[:500].decode(errors='replace')}")
        print(f"GET {path} -> 200 ({len(body)} bytes)", flush=True)


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


def measure(load, port, duration, rounds):
    """Best requests/s per URL over interleaved rounds (bare, home, information, bare, ...)."""
    best = dict.fromkeys(URLS, 0.0)
    for round_number in range(1, rounds + 1):
        for path in URLS:
            load.run(port, path, WARMUP_SECONDS)
            rate = load.run(port, path, duration)
            print(f"round {round_number}: {path:<20} {rate:9.1f} req/s", flush=True)
            best[path] = max(best[path], rate)
    return best


def report(best, load, duration, rounds):
    bare = best[BARE_URL]
    if bare <= 0:
        raise BenchError("The bare view served no requests; nothing to compare with.")
    print()
    print(f"P1 results: best of {rounds} rounds of {duration:g} s per URL, {load.name}, {os.cpu_count()} CPUs")
    print(f"{'URL':<20} {'requests/s':>12} {'vs bare':>9}")
    for path in URLS:
        print(f"{path:<20} {best[path]:>12.1f} {best[path] / bare:>9.2f}")
    print()
    for label, path in (("home", HOME_URL), ("information", INFORMATION_URL)):
        print(f"P1 {label}/bare = {best[path] / bare:.2f} (target >= {TARGET_RATIO})")


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Benchmark P1: page requests/s compared with a bare Django view.")
    parser.add_argument("--duration", type=float, default=8.0, help="seconds of load per URL per round (default 8)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the best counts (default 3)")
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent connections (default 8)")
    args = parser.parse_args(argv)
    if args.duration <= 0 or args.rounds < 1 or args.concurrency < 1:
        parser.error("--duration must be positive; --rounds and --concurrency at least 1.")
    return args


def main(argv=None):
    args = parse_args(argv)
    tmp_dir = Path(tempfile.mkdtemp(prefix="klachtenportaal-bench-"))
    server = None
    load = None
    try:
        env = build_env(tmp_dir)
        prepare_site(env)
        port = free_port()
        log_path = tmp_dir / "gunicorn.log"
        server = start_server(env, port, log_path)
        wait_until_ready(server, port, log_path)
        check_pages(port)
        wrk = shutil.which("wrk")
        load = WrkLoad(wrk, args.concurrency) if wrk else PythonLoad(args.concurrency)
        print(f"Load: {load.name}, {args.rounds} rounds of {args.duration:g} s per URL", flush=True)
        best = measure(load, port, args.duration, args.rounds)
        check_server_alive(server, log_path)
        report(best, load, args.duration, args.rounds)
        return 0
    except BenchError as error:
        print(f"\nP1 FAILED: {error}", file=sys.stderr)
        return 1
    finally:
        if load is not None:
            load.close()
        if server is not None:
            stop_server(server)
        shutil.rmtree(tmp_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
