"""What every benchmark needs: a fresh production-like site and a gunicorn server on loopback.

``build_env`` points Django at a temporary directory (SQLite database, static and media
files) with the production settings plus the benchmark additions (``bench.settings``);
``prepare_site`` fills it with the demo site; ``start_server`` runs gunicorn with two sync
workers on a free loopback port. The benchmarks (bench/p1_pages.py, bench/p2_submissions.py)
use these and add their own measurements.
"""

import http.client
import os
import secrets
import shlex
import shutil
import socket
import string
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
SERVER_START_TIMEOUT = 60
REQUEST_TIMEOUT = 10
GUNICORN_WORKERS = 2

# The bare view of bench/urls.py: no database, no template. The server is up when it answers.
BARE_URL = "/__bench__/bare/"


class BenchError(Exception):
    """Something went wrong that makes the measurement meaningless."""


def build_env(tmp_dir):
    """The environment for manage.py and gunicorn: production settings, everything in tmp_dir."""
    env = dict(os.environ)
    env.pop("DJANGO_DEBUG", None)
    alphabet = string.ascii_letters + string.digits
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DJANGO_SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(60)),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": f"sqlite:///{tmp_dir / 'bench.sqlite3'}",
            "DJANGO_ALLOW_SQLITE": "true",
            "DJANGO_STATIC_ROOT": str(tmp_dir / "static"),
            "DJANGO_MEDIA_ROOT": str(tmp_dir / "media"),
            "DJANGO_PRIVATE_MEDIA_ROOT": str(tmp_dir / "private-media"),
        }
    )
    return env


def manage(env, *args):
    """Run a manage.py command; return its standard output, raise BenchError if it fails."""
    return finish_manage(start_manage(env, *args))


def start_manage(env, *args):
    """Start a manage.py command in the background; ``finish_manage`` waits for it."""
    print(f"$ manage.py {' '.join(args)}", flush=True)
    process = subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    process.started, process.arguments = time.monotonic(), args
    return process


def finish_manage(process):
    stdout, stderr = process.communicate()
    if process.returncode != 0:
        raise BenchError(f"manage.py {' '.join(process.arguments)} failed:\n{stdout}{stderr}")
    print(f"  (manage.py {process.arguments[0]}: {time.monotonic() - process.started:.1f} s)", flush=True)
    return stdout


def prepare_site(env):
    """A fresh database with the demo site, and collected static files.

    ``collectstatic`` (compressing every file, the longest step) needs no database, so it runs
    beside ``migrate`` and ``seed_demo``.
    """
    static = start_manage(env, "collectstatic", "--noinput")
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo")
    except BenchError:
        static.kill()
        static.communicate()
        raise
    finish_manage(static)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def gunicorn_executable():
    candidate = Path(sys.executable).parent / "gunicorn"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("gunicorn")
    if not found:
        raise BenchError("gunicorn not found; install requirements.txt into the virtualenv.")
    return found


def start_server(env, port, log_path, workers=GUNICORN_WORKERS, threads=1):
    # No control socket: gunicorn would otherwise create one in ~/.gunicorn, shared by all runs.
    command = [
        gunicorn_executable(),
        "portal.wsgi:application",
        "--workers",
        str(workers),
        "--bind",
        f"{HOST}:{port}",
        "--no-control-socket",
        *(["--threads", str(threads)] if threads > 1 else []),
    ]
    print(f"$ {' '.join(command[1:])}", flush=True)
    with open(log_path, "wb") as log:
        return subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def start_worker(env, log_path):
    """The task worker (``manage.py db_worker``), polling every half second, its output in log_path."""
    with open(log_path, "wb") as log:
        return subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.5"],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def stop_server(process, timeout=10):
    """Stop a server (or the worker) we started: SIGTERM, then SIGKILL after ``timeout`` s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def log_tail(log_path, lines=30):
    try:
        return "\n".join(log_path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


def get(port, path):
    """One GET on a fresh connection; returns (status, body)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def wait_until_ready(process, port, log_path, path=BARE_URL):
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"gunicorn exited with status {process.returncode}:\n{log_tail(log_path)}")
        try:
            get(port, path)
            return
        except OSError:
            time.sleep(0.2)
    raise BenchError(f"gunicorn did not answer within {SERVER_START_TIMEOUT} s:\n{log_tail(log_path)}")


def check_server_alive(process, log_path):
    if process.poll() is not None:
        raise BenchError(f"gunicorn exited during the benchmark:\n{log_tail(log_path)}")


# PostgreSQL for the benchmarks that need volume (P4): a throwaway cluster, as .ci/run makes one.
POSTGRES_BIN = Path(os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin"))
POSTGRES_DATABASE = "klachtenportaal"
POSTGRES_START_TIMEOUT = 60
# Durability off, as in CI: these clusters are thrown away, and it only speeds up loading.
# shared_buffers as a small production server would have it (the default 128 MB would keep a
# million cases on disk and measure the disk instead of the queries).
POSTGRES_OPTIONS = (
    "-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off "
    "-c shared_buffers=1GB -c max_connections=200"
)


class PostgresCluster:
    """A PostgreSQL cluster in ``directory``/data on a free loopback port, run by the ``postgres``
    user when we are root (initdb refuses root), else by ourselves.

    ``start()`` creates the cluster and the database when the directory has none yet (so a kept
    directory is reused as it is), and returns the DATABASE_URL; ``stop()`` stops it.
    """

    def __init__(self, directory):
        self.directory = Path(directory)
        self.data = self.directory / "data"
        self.port = None
        self.as_postgres = os.geteuid() == 0

    @staticmethod
    def check_installed():
        missing = [name for name in ("initdb", "pg_ctl", "postgres") if not (POSTGRES_BIN / name).exists()]
        if missing:
            raise BenchError(
                f"PostgreSQL 15 is not installed: {', '.join(missing)} missing in {POSTGRES_BIN} "
                "(apt-get install postgresql-15, or set PGBIN to the directory with its binaries)."
            )

    def run(self, *command):
        """Run a PostgreSQL program, as the postgres user when we are root."""
        if self.as_postgres:
            command = ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(shlex.quote(str(part)) for part in command)]
        result = subprocess.run(command, check=False, capture_output=True, text=True)
        if result.returncode != 0:
            raise BenchError(f"{Path(str(command[0])).name} failed:\n{result.stdout}{result.stderr}")
        return result.stdout

    def start(self):
        self.check_installed()
        self.directory.mkdir(parents=True, exist_ok=True)
        if self.as_postgres:
            shutil.chown(self.directory, "postgres", "postgres")
        created = not (self.data / "PG_VERSION").exists()
        if created:
            print(f"$ initdb {self.data}", flush=True)
            self.run(POSTGRES_BIN / "initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                     "--locale=C.UTF-8")  # fmt: skip
        self.port = free_port()
        print(f"$ pg_ctl start (port {self.port})", flush=True)
        self.run(
            POSTGRES_BIN / "pg_ctl", "-D", self.data, "-l", self.directory / "server.log", "-w",
            "-t", str(POSTGRES_START_TIMEOUT), "-o", f"-p {self.port} -k {self.directory} {POSTGRES_OPTIONS}", "start",
        )  # fmt: skip
        if created:
            self.run(POSTGRES_BIN / "createdb", "-h", HOST, "-p", self.port, "-U", "postgres", POSTGRES_DATABASE)
        return self.url

    @property
    def url(self):
        return f"postgres://postgres@{HOST}:{self.port}/{POSTGRES_DATABASE}"

    def stop(self):
        if self.port is None:
            return
        try:
            self.run(POSTGRES_BIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")
        except BenchError as error:
            print(f"Could not stop PostgreSQL: {error}", file=sys.stderr)
        self.port = None

    def log_tail(self, lines=30):
        return log_tail(self.directory / "server.log", lines)
