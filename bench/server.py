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
            "DJANGO_STATIC_ROOT": str(tmp_dir / "static"),
            "DJANGO_MEDIA_ROOT": str(tmp_dir / "media"),
            "DJANGO_PRIVATE_MEDIA_ROOT": str(tmp_dir / "private-media"),
        }
    )
    return env


def manage(env, *args):
    """Run a manage.py command; return its standard output, raise BenchError if it fails."""
    command = [sys.executable, "manage.py", *args]
    print(f"$ manage.py {' '.join(args)}", flush=True)
    result = subprocess.run(command, check=False, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BenchError(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def prepare_site(env):
    """A fresh database with the demo site, and collected static files."""
    manage(env, "migrate", "--noinput")
    manage(env, "seed_demo")
    manage(env, "collectstatic", "--noinput")


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


def start_server(env, port, log_path):
    # No control socket: gunicorn would otherwise create one in ~/.gunicorn, shared by all runs.
    command = [
        gunicorn_executable(),
        "portal.wsgi:application",
        "--workers",
        str(GUNICORN_WORKERS),
        "--bind",
        f"{HOST}:{port}",
        "--no-control-socket",
    ]
    print(f"$ {' '.join(command[1:])}", flush=True)
    with open(log_path, "wb") as log:
        return subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def stop_server(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
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
