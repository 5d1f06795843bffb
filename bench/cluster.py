"""Benchmark "cluster": the portal on several machines, played on loopback.

Two gunicorn app servers (A and B, two sync workers each, on their own ports) behind HAProxy
(round robin, at most as many requests per server as it has workers, the rest queued in HAProxy;
health-checked; ``option forwardfor``), one PostgreSQL (``PostgresCluster``), one Redis as the
shared cache (``DJANGO_CACHE_URL``: rate limits, page cache, form tokens), one task worker
(``manage.py db_worker``), the SMTP stand-in, and the media: a directory both servers share
(``--storage shared``, the default) or an S3-compatible server (``--storage s3``: ``moto_server``
on loopback, the ``DJANGO_S3_*`` variables set; the app uses it once the S3 settings are in).
Everything runs in a temporary directory and is stopped afterwards, also on Ctrl-C or SIGTERM.
Checks, each with its figures:

1. **R1's load through HAProxy**: ``--posters`` clients post complaints back to back for
   ``--duration`` s while ``--readers`` GET ``/``; each complaint comes from its own loopback
   address (HAProxy names it in X-Forwarded-For, the servers read it from there), so the real
   submission limit stays on and leaves the load alone. Then the worker delivers. 0 lost: every
   accepted post has exactly one case, every case was answered, and every acknowledgement and
   coordinators' notice reached the stand-in exactly once.
2. **Rate limits across the servers**: with the limit the servers apply (10 an hour unless
   configured), one client posts directly to A and B alternately, another through HAProxy; each
   time the posts after the limit are refused (429), whichever server gets them.
3. **A page published through one server is fresh on the other at once**: B serves an information
   page from its cache; an editor, signed in on A, publishes a new draft of it in A's admin (bulk
   publish); the very next GET on B shows the new title.
4. **An attachment uploaded through one server downloads through the other**: a complaint with an
   attachment posted to A; a coordinator, signed in on A, downloads it on B through the
   permission-checked view, byte for byte what is stored; anonymous, B refuses it.

Exit status 1 when a check fails, 2 when a component (HAProxy, Redis, PostgreSQL) is missing.
``--short`` is the version for the suite (tests/bench/test_cluster.py): a few seconds of load.

Usage::

    .venv/bin/python -m bench.cluster [--short] [--duration 60] [--posters 50] [--readers 10]
        [--storage shared|s3] [--database-url URL]
"""

import argparse
import csv
import hashlib
import http.client
import io
import itertools
import json
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.p2_submissions import FormClient, FormParser, encode_urlencoded
from bench.r1_resilience import (
    CLIENT_TIMEOUT,
    HOUSEKEEPING_MINUTES,
    Poster,
    check_mails,
    drained,
    load_phase,
    noise_png,
    open_posters,
    report_of,
)
from bench.server import (
    BARE_URL,
    HOST,
    BenchError,
    PostgresCluster,
    build_env,
    free_port,
    log_tail,
    manage,
    prepare_site,
    start_server,
    start_worker,
    stop_server,
    wait_until_ready,
)
from bench.smtp_standin import StandIn

WORKERS_PER_SERVER = 2
START_TIMEOUT = 30
SHORT = {"duration": 5, "posters": 10, "readers": 3}
ATTACHMENT_BYTES = 300_000
LOGIN_PATH = "/admin/login/"
VERIFY_PATH = "/admin/tweestaps/controleren/"
ATTACHMENT_PATH = "/admin/klachten/bijlagen/{id}/"
PUBLISH_PATH = "/admin/bulk/wagtailcore/page/publish/?id={id}"
S3_BUCKETS = {"DJANGO_S3_BUCKET": "klachtenportaal-media", "DJANGO_S3_PRIVATE_BUCKET": "klachtenportaal-private"}
# The load's clients: 127.1.0.1 onwards, a new address for every complaint. The checks' own
# clients have fixed addresses below that range.
LOAD_ADDRESSES = itertools.count(1)
# A second try (the limit's window turned over during the first) comes from 127.0.3.x.
RATE_CLIENTS = {"direct": "127.0.2.1", "proxy": "127.0.2.2"}
UPLOAD_CLIENT = "127.0.2.3"

HAPROXY_CONFIG = """\
global
    maxconn 2000
    stats socket {directory}/haproxy.sock mode 600 level user

defaults
    mode http
    option forwardfor
    option http-server-close
    timeout connect 5s
    timeout client 120s
    timeout server 120s
    # Requests beyond a server's sync workers wait here, not in its listen backlog, so the
    # health check (which bypasses the queue) is answered by the next free worker.
    timeout queue 120s
    timeout check 10s
    retries 0

frontend portal
    bind {host}:{port}
    default_backend apps

backend apps
    balance roundrobin
    option httpchk
    http-check send meth GET uri {check} ver HTTP/1.1 hdr Host {host}
    http-check expect status 200
{servers}
"""


def next_load_address():
    while True:
        number = next(LOAD_ADDRESSES)
        if 0 < number % 256 < 255:
            return f"127.{1 + number // 65536}.{number // 256 % 256}.{number % 256}"


class ClientPoster(Poster):
    """R1's poster, sending from a loopback address: ``source``, or a new one for every complaint."""

    source = ""

    def connect(self):
        address = self.source or next_load_address()
        return http.client.HTTPConnection(HOST, self.port, timeout=CLIENT_TIMEOUT, source_address=(address, 0))


class Browser(FormClient):
    """A visitor or a staff member with a browser's cookies, on any server."""

    def go(self, port, method, path, fields=None):
        self.port, self.path = port, path
        if fields is None:
            return self.request(method)
        return self.request(method, *encode_urlencoded(fields))

    def csrf_token(self, port, path):
        response, content = self.go(port, "GET", path)
        parser = FormParser()
        parser.feed(content.decode("utf-8", errors="replace"))
        if response.status != 200 or "csrfmiddlewaretoken" not in parser.hidden:
            raise BenchError(f"GET {path} on port {port}: {response.status}, no form with a CSRF token.")
        return parser.hidden["csrfmiddlewaretoken"]

    def sign_in(self, port, username, password, code):
        """Password, then one backup code as the second step (portal/two_factor.py)."""
        fields = {"username": username, "password": password, "next": "/admin/"}
        response, _ = self.go(
            port, "POST", LOGIN_PATH, {"csrfmiddlewaretoken": self.csrf_token(port, LOGIN_PATH), **fields}
        )
        if response.status != 302:
            raise BenchError(f"Signing in {username} on port {port}: {response.status}, expected 302.")
        verify = f"{VERIFY_PATH}?next=/admin/"
        fields = {"csrfmiddlewaretoken": self.csrf_token(port, verify), "code": code, "next": "/admin/"}
        response, _ = self.go(port, "POST", verify, fields)
        if response.status != 302:
            raise BenchError(f"The second step of {username} on port {port}: {response.status}, expected 302.")


class Processes:
    """What this run started, stopped in reverse order (``stop_all``)."""

    def __init__(self):
        self.started = []  # (name, Popen or an object with stop())

    def add(self, name, process):
        self.started.append((name, process))
        return process

    def stop_all(self):
        for name, process in reversed(self.started):
            try:
                if isinstance(process, subprocess.Popen):
                    stop_server(process, timeout=20)
                else:
                    process.stop()
            except Exception as error:
                print(f"Could not stop {name}: {error}", file=sys.stderr)
        self.started.clear()


def executable(name, *candidates):
    found = shutil.which(name) or next((str(path) for path in candidates if Path(path).exists()), None)
    if not found:
        raise MissingComponent(f"{name} is not installed (apt-get install {name.replace('_', '-')}).")
    return found


class MissingComponent(BenchError):
    pass


def wait_for(what, answers, process, log_path):
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"{what} exited with status {process.returncode}:\n{log_tail(log_path)}")
        try:
            if answers():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise BenchError(f"{what} did not answer within {START_TIMEOUT} s:\n{log_tail(log_path)}")


def start_redis(directory, processes):
    """redis-server on a free loopback port, nothing written to disk; its URL."""
    port = free_port()
    log_path = directory / "redis.log"
    command = [executable("redis-server", "/usr/bin/redis-server"), "--port", str(port), "--bind", HOST,
               "--dir", str(directory), "--save", "", "--appendonly", "no", "--logfile", str(log_path)]  # fmt: skip
    print(f"$ redis-server --port {port}", flush=True)
    process = processes.add("Redis", subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT))

    def answers():
        with socket.create_connection((HOST, port), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")

    wait_for("redis-server", answers, process, log_path)
    return f"redis://{HOST}:{port}/0"


def start_haproxy(directory, backends, processes):
    """HAProxy in front of ``backends`` ({name: port}); its port."""
    port = free_port()
    servers = "\n".join(
        f"    server {name} {HOST}:{backend} maxconn {WORKERS_PER_SERVER} check inter 2s fall 3 rise 2"
        for name, backend in backends.items()
    )
    config = directory / "haproxy.cfg"
    config.write_text(HAPROXY_CONFIG.format(directory=directory, host=HOST, port=port, check=BARE_URL, servers=servers))
    log_path = directory / "haproxy.log"
    print(f"$ haproxy -f {config} -db (port {port})", flush=True)
    with open(log_path, "wb") as log:
        command = [executable("haproxy", "/usr/sbin/haproxy"), "-f", str(config), "-db"]
        process = processes.add("HAProxy", subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT))

    def answers():
        connection = http.client.HTTPConnection(HOST, port, timeout=2)
        try:
            connection.request("GET", BARE_URL)
            return connection.getresponse().status == 200
        finally:
            connection.close()

    wait_for("haproxy", answers, process, log_path)
    return port


def haproxy_sessions(directory):
    """Requests each app server got from HAProxy so far ({server: count}), from its stats socket."""
    with socket.socket(socket.AF_UNIX) as connection:
        connection.settimeout(5)
        connection.connect(str(directory / "haproxy.sock"))
        connection.sendall(b"show stat\n")
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
    rows = csv.DictReader(io.StringIO(data.decode().lstrip("# ")))
    return {row["svname"]: int(row["stot"]) for row in rows if row["pxname"] == "apps" and row["svname"] != "BACKEND"}


def start_s3(directory, env, processes):
    """moto_server on loopback with the two buckets; the DJANGO_S3_* variables into env."""
    port = free_port()
    log_path = directory / "moto.log"
    command = [executable("moto_server", Path(sys.executable).parent / "moto_server"), "-H", HOST, "-p", str(port)]
    print(f"$ moto_server -p {port}", flush=True)
    with open(log_path, "wb") as log:
        process = processes.add("moto_server", subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT))

    def request(method, path):
        connection = http.client.HTTPConnection(HOST, port, timeout=5)
        try:
            connection.request(method, path)
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()

    wait_for("moto_server", lambda: request("GET", "/") == 200, process, log_path)
    for bucket in S3_BUCKETS.values():
        if request("PUT", f"/{bucket}") != 200:
            raise BenchError(f"moto_server did not create the bucket {bucket}.")
    env.update(S3_BUCKETS)
    env.update(
        {
            "DJANGO_S3_ENDPOINT_URL": f"http://{HOST}:{port}",
            "DJANGO_S3_ACCESS_KEY_ID": "cluster",
            "DJANGO_S3_SECRET_ACCESS_KEY": "cluster-secret",
            "DJANGO_S3_REGION": "us-east-1",
        }
    )


def check_load(args, env, haproxy_port, path, standin, directory):
    """Check 1: R1's load through HAProxy, then the drain; the failures."""
    before = haproxy_sessions(directory)
    tally, _ = load_phase("cluster", haproxy_port, path, env, args, poster_class=ClientPoster)
    after = haproxy_sessions(directory)
    shares = ", ".join(f"{name} {after[name] - before.get(name, 0)}" for name in sorted(after))
    # gunicorn answers 500 for a request its arbiter aborted after --timeout (30 s): a saturated machine.
    timeouts = sum(
        path.read_text(errors="replace").count("WORKER TIMEOUT") for path in directory.glob("gunicorn-*.log")
    )
    print(f"load: requests per app server through HAProxy: {shares}; gunicorn worker timeouts {timeouts}")
    failures = []
    if tally.lost or tally.unanswered or tally.answered_otherwise or tally.cut_off or tally.read_errors:
        failures.append(
            f"load: lost {len(tally.lost)}, unanswered {len(tally.unanswered)}, cut off {len(tally.cut_off)}, "
            f"read errors {tally.read_errors}, {tally.answered_otherwise[:3]}"
        )
    if not all(after[name] > before.get(name, 0) for name in after):
        failures.append(f"load: not every app server got requests ({shares})")
    final, drained_in = drained(env, args.drain_timeout)
    print(f"drain: {drained_in:.0f} s until no mail waits")
    return failures + check_mails(final, standin)


def check_rate_limit(facts, ports, haproxy_port, path, secret_key):
    """Check 2: the submission after the limit is refused whichever server gets it."""
    limit, period = facts["submit_limit"], facts["submit_period"]
    a, b = ports["a"], ports["b"]
    # One client posting directly to A and B in turn; one through HAProxy, then once more to each.
    plans = {
        "direct": [a if number % 2 == 0 else b for number in range(limit + 2)],
        "proxy": [haproxy_port] * (limit + 1) + [a, b],
    }
    names = {a: "A", b: "B", haproxy_port: "HAProxy"}
    failures = []
    posters = {}
    for client in RATE_CLIENTS:
        posters[client] = open_posters(haproxy_port, path, 1, secret_key, ClientPoster)[0]
    for client, plan in plans.items():
        for attempt in range(2):  # again if the limit's window turned over meanwhile
            window = int(time.time() // period)
            answers = []
            for number, port in enumerate(plan, start=1):
                posters[client].port = port
                posters[client].source = RATE_CLIENTS[client].replace(".2.", f".{2 + attempt}.")
                status = posters[client].post(f"Cluster rate {client} {attempt} {number}", with_attachment=False)
                answers.append((names[port], status))
            if int(time.time() // period) == window:
                break
        accepted = [answer for answer in answers[:limit] if answer[1] == 302]
        refused = [answer for answer in answers[limit:] if answer[1] == 429]
        print(
            f"rate limit ({client}, limit {limit} per {period} s): posts 1-{limit} accepted "
            f"{len(accepted)} of {limit}; then "
            + ", ".join(f"to {server} {status}" for server, status in answers[limit:])
        )
        if len(accepted) != limit or len(refused) != len(plan) - limit:
            failures.append(f"rate limit ({client}): {answers}")
    return failures


def check_fresh_page(env, facts, ports, haproxy_port, editor):
    """Check 3: published through A's admin, fresh on B at once (the page cache lives in Redis)."""
    a, b = ports["a"], ports["b"]
    page = facts["page"]
    title = f"Cluster check {secrets.token_hex(4)}"
    manage(env, "bench_cluster", "draft", "--page", str(page["id"]), "--title", title)
    visitor = Browser("visitor", b, page["path"])
    states = []
    for _ in range(2):  # B renders and stores the published page, then serves it from the cache
        response, content = visitor.go(b, "GET", page["path"])
        states.append((response.status, response.getheader("X-Page-Cache", ""), title.encode() in content))
    failures = []
    if states[-1] != (200, "hit", False):
        failures.append(f"fresh page: before publishing, B answered {states} (expected a cache hit, old title)")
    url = PUBLISH_PATH.format(id=page["id"])
    publish, _ = editor.go(a, "POST", url, {"csrfmiddlewaretoken": editor.csrf_token(a, url)})
    published = time.perf_counter()
    if publish.status != 302:
        failures.append(f"fresh page: publishing on A answered {publish.status}, expected 302")
    answers = {}
    for name, port in (("B", b), ("A", a), ("HAProxy", haproxy_port)):
        response, content = visitor.go(port, "GET", page["path"])
        if name == "B":
            after_ms = (time.perf_counter() - published) * 1000
        answers[name] = (response.status, response.getheader("X-Page-Cache", ""), title.encode() in content)
    print(
        f"fresh page: {page['path']} on B before publishing: {states[-1][1]} (old title); published on A "
        f"(bulk publish, {publish.status}); first GET on B {after_ms:.0f} ms later: "
        + "; ".join(
            f"{name} {status} cache {state or '-'}, new title {fresh}"
            for name, (status, state, fresh) in answers.items()
        )
    )
    if not all(status == 200 and fresh for status, _, fresh in answers.values()):
        failures.append(f"fresh page: after publishing on A: {answers}")
    return failures


def check_attachment(env, facts, ports, path, secret_key, coordinator):
    """Check 4: uploaded with a complaint on A, downloaded by a coordinator on B."""
    a, b = ports["a"], ports["b"]
    poster = open_posters(a, path, 1, secret_key, ClientPoster)[0]
    poster.source = UPLOAD_CLIENT
    poster.attachment = noise_png(ATTACHMENT_BYTES)
    name = f"Cluster attachment {secrets.token_hex(4)}"
    status = poster.post(name, with_attachment=True)
    if status != 302:
        return [f"attachment: posting the complaint to A answered {status}, expected 302"]
    stored = json.loads(manage(env, "bench_cluster", "attachment", "--name", name).strip().splitlines()[-1])
    url = ATTACHMENT_PATH.format(id=stored["id"])
    anonymous, _ = Browser("visitor", b, url).go(b, "GET", url)
    response, content = coordinator.go(b, "GET", url)
    same = hashlib.sha256(content).hexdigest() == stored["sha256"]
    print(
        f"attachment: {len(poster.attachment):,} bytes posted to A, stored {stored['size']:,} bytes in "
        f"{facts['attachment_storage']}; coordinator (signed in on A) downloads on B: {response.status}, "
        f"{len(content):,} bytes, identical to the stored file: {same}; anonymous on B: {anonymous.status}"
    )
    failures = []
    if response.status != 200 or not same:
        failures.append(f"attachment: B answered the coordinator {response.status}, identical {same}")
    if anonymous.status == 200:
        failures.append("attachment: B served the attachment to an anonymous visitor")
    return failures


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--short", action="store_true", help="The suite's version: a few seconds of load.")
    parser.add_argument("--duration", type=float, default=None, help="Seconds of load (60; --short 5).")
    parser.add_argument("--posters", type=int, default=None, help="Clients posting (50; --short 10).")
    parser.add_argument("--readers", type=int, default=None, help="Clients reading / (10; --short 3).")
    parser.add_argument("--storage", choices=["shared", "s3"], default="shared")
    parser.add_argument("--database-url", default="", help="An existing, empty PostgreSQL database to use.")
    parser.add_argument("--drain-timeout", type=float, default=600)
    args = parser.parse_args(argv)
    defaults = SHORT if args.short else {"duration": 60, "posters": 50, "readers": 10}
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    return args


def stop_on_signal(signum, frame):
    raise SystemExit(128 + signum)


def main(argv=None):
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, stop_on_signal)
    started = time.time()
    tmp_dir = Path(tempfile.mkdtemp(prefix="klachtenportaal-cluster-"))
    tmp_dir.chmod(0o755)  # the PostgreSQL cluster runs as the postgres user, inside it
    processes = Processes()
    failures = []
    status = 1
    try:
        env = build_env(tmp_dir)
        env.pop("DJANGO_ALLOW_SQLITE", None)
        if args.database_url:
            env["DATABASE_URL"] = args.database_url
        else:
            try:
                PostgresCluster.check_installed()
            except BenchError as error:
                raise MissingComponent(str(error)) from error
            env["DATABASE_URL"] = processes.add("PostgreSQL", PostgresCluster(tmp_dir / "postgres")).start()
        standin = processes.add("SMTP stand-in", StandIn().start())
        env.update(
            {
                "DJANGO_CACHE_URL": start_redis(tmp_dir, processes),
                "DJANGO_CLIENT_IP_HEADER": "HTTP_X_FORWARDED_FOR",
                "BENCH_KEEP_SUBMIT_RATE": "true",
                "DJANGO_EMAIL_HOST": HOST,
                "DJANGO_EMAIL_PORT": str(standin.port),
                "DJANGO_EMAIL_USE_TLS": "false",
                "BENCH_HOUSEKEEPING_MINUTES": str(HOUSEKEEPING_MINUTES),
            }
        )
        if args.storage == "s3":
            start_s3(tmp_dir, env, processes)
        executable("haproxy", "/usr/sbin/haproxy")
        prepare_site(env)
        path = json.loads(manage(env, "bench_setup_p2").strip().splitlines()[-1])["ours"]
        password, codes = secrets.token_urlsafe(16), [f"{secrets.randbelow(10**8):08d}" for _ in range(4)]
        setup = ["bench_cluster", "setup", "--password", password, "--codes", ",".join(codes)]
        facts = json.loads(manage(env, *setup).strip().splitlines()[-1])
        ports = {"a": free_port(), "b": free_port()}
        servers = {}
        for name, port in ports.items():
            log_path = tmp_dir / f"gunicorn-{name}.log"
            servers[name] = processes.add(
                f"app server {name.upper()}", start_server(env, port, log_path, WORKERS_PER_SERVER)
            )
        for name, port in ports.items():
            wait_until_ready(servers[name], port, tmp_dir / f"gunicorn-{name}.log")
        haproxy_port = start_haproxy(tmp_dir, ports, processes)
        processes.add("worker", start_worker(env, tmp_dir / "worker.log"))
        storage = "S3 (moto_server)" if args.storage == "s3" else "a directory both servers share"
        print(
            f"cluster: app servers A :{ports['a']} and B :{ports['b']} ({WORKERS_PER_SERVER} workers each) behind "
            f"HAProxy :{haproxy_port}; PostgreSQL; Redis ({facts['cache']}); sessions {facts['sessions']}; "
            f"storage requested: {storage}; in use: media {facts['media_storage']}, attachments "
            f"{facts['attachment_storage']}; {args.posters} posters, {args.readers} readers, {args.duration:.0f} s"
        )
        if args.storage == "s3" and "S3" not in facts["attachment_storage"]:
            failures.append(f"storage: S3 requested, but the app servers store in {facts['attachment_storage']}")
        editor = Browser("staff", ports["a"], "/")
        editor.sign_in(ports["a"], facts["users"]["editor"], password, codes[0])
        coordinator = Browser("staff", ports["a"], "/")
        coordinator.sign_in(ports["a"], facts["users"]["coordinator"], password, codes[1])
        secret_key = env["DJANGO_SECRET_KEY"]

        print(f"setup: {time.time() - started:.0f} s (database, migrate, seed_demo, collectstatic, servers)")
        checks = {
            "load": lambda: check_load(args, env, haproxy_port, path, standin, tmp_dir),
            "rate limit": lambda: check_rate_limit(facts, ports, haproxy_port, path, secret_key),
            "fresh page": lambda: check_fresh_page(env, facts, ports, haproxy_port, editor),
            "attachment": lambda: check_attachment(env, facts, ports, path, secret_key, coordinator),
        }
        for name, check in checks.items():
            began = time.time()
            failures += check()
            print(f"({name}: {time.time() - began:.0f} s)")
        print(f"R1 cases at the end: {len(report_of(env)['cases'])}; whole run {time.time() - started:.0f} s")
        status = 1 if failures else 0
    except MissingComponent as error:
        failures.append(str(error))
        status = 2
    except BenchError as error:
        failures.append(str(error))
        for log in sorted(tmp_dir.glob("*.log")):
            print(f"--- {log.name}\n{log_tail(log, 15)}", file=sys.stderr)
    finally:
        processes.stop_all()
        shutil.rmtree(tmp_dir, ignore_errors=True)
    if failures:
        print("\nCluster FAILED:\n- " + "\n- ".join(failures), file=sys.stderr)
    else:
        print("Cluster passed: nothing lost, limits exact across servers, pages fresh, attachments shared.")
    return status


if __name__ == "__main__":
    sys.exit(main())
