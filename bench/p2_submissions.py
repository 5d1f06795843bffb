"""Benchmark P2: how fast does the complaint form take in submissions, next to a plain form page?

P2 measures successful submissions per second, in the same run, through two form pages
with the same four core fields (name, email, description, date of the conduct):

* ours: the demo's complaint form page (``/klacht-indienen/``, made by ``seed_demo``). A
  submission passes the rate limiter and the spam checks (honeypot, minimum fill time),
  is validated, and becomes a case: a reference number, the Complaint row, two outbox
  records (acknowledgement and coordinators' notice) and their two delivery tasks for the
  worker (no worker runs during P2: delivery is not part of the request) and the session entry
  for the thank-you page. It answers 302 to ``.../bedankt/``.
* plain: a ``wagtail.contrib.forms`` page as it comes (bench/models.py, created by
  ``manage.py bench_setup_p2`` at ``/plain-form/``): it stores a FormSubmission row and
  renders its landing page (200).

The figure that matters is the ratio ours/plain; the target is at least 0.7.

Each client behaves like a browser: it GETs the form once (CSRF cookie, ``csrfmiddlewaretoken``
and, for ours, the signed ``form_started`` time), waits longer than the minimum fill time
(KLACHTFORMULIEREN_MINIMUM_FILL_SECONDS, 3 s, left at its default), then posts the form again
and again with the same CSRF token; ours gets a fresh start token for every post (each can be
sent once), signed as the page signs it. It encodes the body as the form's ``enctype`` says
(multipart for ours, which takes attachments; urlencoded for plain), keeps the cookies it gets
(ours sets a session cookie for the thank-you page) and does not follow redirects. gunicorn's
sync workers close the connection after each response, so every request opens a new one.
Each page has its own clients, so neither page sees the other's cookies.

SQLite takes one writer at a time. The default is one client (sequential submissions);
``--concurrency N`` runs N clients in parallel, but with SQLite that mostly measures waiting
for the database lock, and soon ends in "database is locked" errors (a 500 from our page,
whose registration reads before it writes), which fail the run.

Like P1, P2 builds everything from scratch in a temporary directory (see bench/server.py),
measures in interleaved rounds (ours, plain, ours, ...) after a short warm-up, and counts
the best round per page. Afterwards it checks in the database that every successful post to
ours made exactly one case, and every one to plain one FormSubmission.

The exit status is 0 whether or not the target is met, and non-zero if the setup fails or a
response is not what a successful submission answers (the message says what came back).

Usage, from the repository root::

    .venv/bin/python -m bench.p2_submissions [--duration 8] [--rounds 3] [--concurrency 1] [--profile]

``--profile`` adds, after the measurement, where a submission's time goes: both pages posted
in-process (``manage.py bench_profile_p2``), with the time and the SQL queries per submission.
"""

import argparse
import datetime
import http.client
import json
import os
import secrets
import shutil
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import CookieError, SimpleCookie
from pathlib import Path

from django.core import signing

from bench.server import (
    HOST,
    REQUEST_TIMEOUT,
    BenchError,
    build_env,
    check_server_alive,
    free_port,
    log_tail,
    manage,
    prepare_site,
    start_server,
    stop_server,
    wait_until_ready,
)

TARGET_RATIO = 0.7
WARMUP_SECONDS = 1.0
# KLACHTFORMULIEREN_MINIMUM_FILL_SECONDS: bench.settings keeps the default.
MINIMUM_FILL_SECONDS = 3
FILL_MARGIN_SECONDS = 1.0

OURS = "ours"
PLAIN = "plain"
PAGES = [OURS, PLAIN]
CORE_FIELDS = ("name", "email", "description", "conduct_date")
PLAIN_THANKS_MARKER = b'id="bench-plain-form-thanks"'
FORM_STARTED_SALT = "klachtformulieren.form-started"  # as in klachtformulieren/intake/spam.py


class WrongAnswer(BenchError):
    """The server answered a post with something other than a successful submission."""


def submission_values():
    """What the clients fill in: valid for both forms (ISO dates are accepted by both)."""
    return {
        "name": "Jan de Vries",
        "email": "jan.devries@example.nl",
        "description": (
            "Ik heb drie keer gebeld over de kapotte lantaarnpaal in mijn straat. Elke keer werd "
            "beloofd dat iemand zou terugbellen, maar niemand heeft dat gedaan."
        ),
        "conduct_date": (datetime.date.today() - datetime.timedelta(days=30)).isoformat(),
    }


def fresh_form_started(secret_key, started):
    """A start token as klachtformulieren.intake.spam.form_started_token signs it on the server."""
    signer = signing.TimestampSigner(key=secret_key, salt=FORM_STARTED_SALT, fallback_keys=[])
    payload = {"t": int(started), "n": secrets.token_urlsafe(12)}
    return signer.sign_object(payload, serializer=signing.JSONSerializer)


class FormParser(HTMLParser):
    """The first POST form on a page: its enctype, its hidden inputs and its field names."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = False
        self.inside = False
        self.enctype = "application/x-www-form-urlencoded"
        self.hidden = {}
        self.names = set()

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form" and not self.found and attributes.get("method", "").lower() == "post":
            self.found = self.inside = True
            self.enctype = attributes.get("enctype") or self.enctype
        elif self.inside and tag in ("input", "textarea", "select") and attributes.get("name"):
            self.names.add(attributes["name"])
            if tag == "input" and attributes.get("type", "").lower() == "hidden":
                self.hidden[attributes["name"]] = attributes.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def encode_urlencoded(fields):
    return urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded"


def encode_multipart(fields, files=None):
    """``files``: field name -> (file name, content, content type)."""
    boundary = f"----benchP2{secrets.token_hex(12)}"
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, content_type) in (files or {}).items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@dataclass
class FormClient:
    """One visitor of one form page: its own cookies, and the form it was shown."""

    page: str  # OURS or PLAIN
    port: int
    path: str
    secret_key: str = ""
    cookies: dict = field(default_factory=dict)
    fields: dict = field(default_factory=dict)
    multipart: bool = False
    shown_at: float = 0.0

    def request(self, method, body=None, content_type=None):
        headers = {"Host": f"{HOST}:{self.port}"}
        if content_type:
            headers["Content-Type"] = content_type
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        connection = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request(method, self.path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        self.keep_cookies(response.msg.get_all("Set-Cookie") or [])
        return response, content

    def keep_cookies(self, headers):
        for header in headers:
            try:
                cookie = SimpleCookie(header)
            except CookieError as error:
                raise BenchError(f"{self.path} set a cookie this client cannot read: {header!r}") from error
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def open_form(self):
        """GET the form like a browser; keep its CSRF cookie and tokens for the posts."""
        response, content = self.request("GET")
        if response.status != 200:
            raise BenchError(f"GET {self.path} returned {response.status}, expected 200:\n{snippet(content)}")
        self.shown_at = time.time()
        parser = FormParser()
        parser.feed(content.decode("utf-8", errors="replace"))
        if not parser.found:
            raise BenchError(f"GET {self.path}: no POST form on the page.")
        missing = [name for name in ("csrfmiddlewaretoken", *CORE_FIELDS) if name not in parser.names]
        if self.page == OURS:
            missing += [name for name in ("form_started", "website") if name not in parser.names]
        if missing:
            raise BenchError(f"GET {self.path}: the form has no field(s) {', '.join(missing)}.")
        if "csrftoken" not in self.cookies:
            raise BenchError(f"GET {self.path} set no csrftoken cookie.")
        self.fields = {"csrfmiddlewaretoken": parser.hidden["csrfmiddlewaretoken"], **submission_values()}
        if self.page == OURS:
            self.fields.update({"form_started": parser.hidden.get("form_started", ""), "website": ""})
        self.multipart = parser.enctype.lower() == "multipart/form-data"

    def body(self):
        """The form as posted. Ours: each start token can be sent once, so every post gets its own,
        as a browser has after showing the form again; it is the token the page renders (see
        ``fresh_form_started``), minted here because P2 measures the posts, not the GETs."""
        fields = dict(self.fields)
        if self.page == OURS:
            fields["form_started"] = fresh_form_started(self.secret_key, self.shown_at)
        return encode_multipart(fields) if self.multipart else encode_urlencoded(fields)

    def submit(self):
        """POST the form once; None if it was taken in, else what came back instead."""
        response, content = self.request("POST", *self.body())
        if self.page == OURS:
            location = response.getheader("Location", "")
            if response.status == 302 and location.endswith(f"{self.path}bedankt/"):
                return None
            expected = f"302 to {self.path}bedankt/"
        else:
            if response.status == 200 and PLAIN_THANKS_MARKER in content:
                return None
            location = response.getheader("Location", "")
            expected = "200 with the landing page"
        got = f"{response.status}" + (f" to {location}" if location else "")
        return f"POST {self.path}: expected {expected}, got {got}:\n{snippet(content)}"

    def submit_until(self, deadline):
        """Post back to back until deadline; returns (successes, the first failure or None)."""
        ok = 0
        while time.time() < deadline:
            try:
                failure = self.submit()
            except (OSError, http.client.HTTPException) as error:
                failure = f"POST {self.path}: {type(error).__name__}: {error}"
            except BenchError as error:
                failure = str(error)
            if failure:
                return ok, failure
            ok += 1
        return ok, None


def snippet(content, length=800):
    text = content.decode("utf-8", errors="replace")
    # An error page's message is in its main part, not in the header.
    start = text.find("<main")
    return text[start if start >= 0 else 0 :][:length]


class SubmissionLoad:
    """``concurrency`` clients per page, each in its own thread while a run lasts.

    Threads are enough: a submission takes the server milliseconds, the client microseconds.
    """

    def __init__(self, port, paths, concurrency, secret_key):
        self.concurrency = concurrency
        self.clients = {
            page: [FormClient(page, port, paths[page], secret_key) for _ in range(concurrency)] for page in PAGES
        }
        self.successes = dict.fromkeys(PAGES, 0)  # every successful post, warm-ups included
        self.name = "1 client, sequential" if concurrency == 1 else f"{concurrency} concurrent clients per page"

    def open_forms(self):
        """Show every client its form, then wait until the minimum fill time has passed."""
        for clients in self.clients.values():
            for client in clients:
                client.open_form()
        shown_last = max(client.shown_at for clients in self.clients.values() for client in clients)
        wait = shown_last + MINIMUM_FILL_SECONDS + FILL_MARGIN_SECONDS - time.time()
        if wait > 0:
            print(f"Waiting {wait:.1f} s: the complaint form refuses posts within {MINIMUM_FILL_SECONDS} s.")
            time.sleep(wait)

    def check(self):
        """One post per page before measuring, so a wrong answer fails fast and clearly."""
        for page in PAGES:
            client = self.clients[page][0]
            failure = client.submit()
            if failure:
                raise WrongAnswer(failure)
            self.successes[page] += 1
            print(f"POST {client.path} -> accepted ({page})", flush=True)

    def run(self, page, seconds):
        """Submissions/s through one page for ``seconds``."""
        results = [None] * self.concurrency
        deadline = time.time() + seconds

        def work(index):
            results[index] = self.clients[page][index].submit_until(deadline)

        start = time.time()
        threads = [threading.Thread(target=work, args=(index,)) for index in range(self.concurrency)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.time() - start
        ok = sum(result[0] for result in results)
        self.successes[page] += ok
        failures = [result[1] for result in results if result[1]]
        if failures:
            raise WrongAnswer(f"{len(failures)} client(s) got a wrong answer; the first:\n{failures[0]}")
        return ok / elapsed


def measure(load, paths, duration, rounds):
    """Best submissions/s per page over interleaved rounds (ours, plain, ours, ...)."""
    best = dict.fromkeys(PAGES, 0.0)
    for round_number in range(1, rounds + 1):
        for page in PAGES:
            load.run(page, WARMUP_SECONDS)
            rate = load.run(page, duration)
            print(f"round {round_number}: {page:<5} {paths[page]:<20} {rate:9.1f} submissions/s", flush=True)
            best[page] = max(best[page], rate)
    return best


def stored_counts(env):
    output = manage(env, "bench_p2_counts")
    try:
        return json.loads(output.strip().splitlines()[-1])
    except (IndexError, ValueError) as error:
        raise BenchError(f"bench_p2_counts printed no counts:\n{output}") from error


def check_stored(env, before, successes):
    """Every accepted post to ours made one case; every one to plain one FormSubmission."""
    after = stored_counts(env)
    made = {
        OURS: after["complaints"] - before["complaints"],
        PLAIN: after["plain_submissions"] - before["plain_submissions"],
    }
    print(f"Successful posts to ours:  {successes[OURS]:>7}   new Complaint rows:      {made[OURS]:>7}")
    print(f"Successful posts to plain: {successes[PLAIN]:>7}   new FormSubmission rows: {made[PLAIN]:>7}")
    for page, what in ((OURS, "Complaint"), (PLAIN, "FormSubmission")):
        if made[page] != successes[page]:
            raise BenchError(
                f"{successes[page]} posts to {page} were answered as accepted, but {made[page]} {what} rows were made."
            )


def report(best, paths, load, duration, rounds):
    plain = best[PLAIN]
    if plain <= 0:
        raise BenchError("The plain form page took no submissions; nothing to compare with.")
    print()
    print(f"P2 results: best of {rounds} rounds of {duration:g} s per page, {load.name}, {os.cpu_count()} CPUs")
    print(f"{'page':<26} {'submissions/s':>14} {'vs plain':>9}")
    for page in PAGES:
        label = f"{page} {paths[page]}"
        print(f"{label:<26} {best[page]:>14.1f} {best[page] / plain:>9.2f}")
    print()
    print(
        f"P2 ours/plain = {best[OURS] / plain:.2f} (target >= {TARGET_RATIO}); "
        f"ours {best[OURS]:.1f} submissions/s, plain {plain:.1f} submissions/s"
    )


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Benchmark P2: complaint form submissions/s compared with a plain Wagtail form page."
    )
    parser.add_argument("--duration", type=float, default=8.0, help="seconds of load per page per round (default 8)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the best counts (default 3)")
    parser.add_argument(
        "--concurrency",
        type=int,
        default=1,
        help="clients per page posting in parallel (default 1; with SQLite more measures lock waits)",
    )
    parser.add_argument(
        "--profile",
        nargs="?",
        const="queries",
        choices=["queries", "cprofile"],
        help="afterwards, post both pages in-process and print time and SQL queries per submission "
        "(--profile=cprofile: also cProfile's top functions for ours)",
    )
    args = parser.parse_args(argv)
    if args.duration <= 0 or args.rounds < 1 or args.concurrency < 1:
        parser.error("--duration must be positive; --rounds and --concurrency at least 1.")
    return args


def main(argv=None):
    args = parse_args(argv)
    tmp_dir = Path(tempfile.mkdtemp(prefix="klachtenportaal-bench-"))
    server = None
    log_path = None
    try:
        env = build_env(tmp_dir)
        prepare_site(env)
        output = manage(env, "bench_setup_p2")
        try:
            paths = json.loads(output.strip().splitlines()[-1])
        except (IndexError, ValueError) as error:
            raise BenchError(f"bench_setup_p2 printed no page paths:\n{output}") from error
        before = stored_counts(env)
        port = free_port()
        log_path = tmp_dir / "gunicorn.log"
        server = start_server(env, port, log_path)
        wait_until_ready(server, port, log_path)
        load = SubmissionLoad(port, paths, args.concurrency, env["DJANGO_SECRET_KEY"])
        load.open_forms()
        load.check()
        print(f"Load: {load.name}, {args.rounds} rounds of {args.duration:g} s per page", flush=True)
        best = measure(load, paths, args.duration, args.rounds)
        check_server_alive(server, log_path)
        check_stored(env, before, load.successes)
        if args.profile:
            print(manage(env, "bench_profile_p2", "--cprofile" if args.profile == "cprofile" else "--posts=50"))
        report(best, paths, load, args.duration, args.rounds)
        return 0
    except BenchError as error:
        if isinstance(error, WrongAnswer) and log_path is not None:
            # A 500's traceback is in the server's log, not in the page.
            error = f"{error}\n\nThe end of the server log:\n{log_tail(log_path)}"
        print(f"\nP2 FAILED: {error}", file=sys.stderr)
        return 1
    finally:
        if server is not None:
            stop_server(server)
        shutil.rmtree(tmp_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
