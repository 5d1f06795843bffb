#!/usr/bin/env bash
# CI: the plugin apps as another site gets them. Builds the wheel, makes a fresh site with
# `wagtail start` in a temporary directory, installs the wheel into a fresh virtualenv there
# (its dependencies from the package index), applies the marked steps of docs/install.md,
# migrates, runs `check` (no errors, no warnings), creates a complaint form page, files a
# complaint over HTTP, finds the case in the admin's case list, and runs the plugin's own tests
# that need nothing of the reference portal (tests/plugin_tests.txt). In between, a real browser
# sees the form styled by the plugin's CSS and never meets its spam trap (install_check_browser.py).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
PYTHON=${PYTHON:-$REPO/.venv/bin/python}
WORK=$(mktemp -d /tmp/klachtenportaal-install.XXXXXX)
SERVERPID=""
cleanup() {
  if [ -n "$SERVERPID" ]; then kill "$SERVERPID" 2>/dev/null || true; wait "$SERVERPID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== The wheel (from a copy of the checkout: the build leaves nothing in it)"
mkdir "$WORK/src"
git ls-files -z --cached --others --exclude-standard | tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C "$WORK/src"
"$PYTHON" -m pip wheel -q --no-deps -w "$WORK/dist" "$WORK/src"
WHEEL=$(ls "$WORK"/dist/klachtenportaal-*.whl)
echo "$WHEEL"
if unzip -Z1 "$WHEEL" | grep -qE '^(home|portal|bench|tests)/'; then
  echo "the wheel holds more than klachtformulieren and partners" >&2
  exit 1
fi

echo "== A fresh virtualenv with the wheel"
"$PYTHON" -m venv "$WORK/venv"
VPY="$WORK/venv/bin/python"
"$VPY" -m pip install -q --upgrade pip
"$VPY" -m pip install -q "$WHEEL"
# Nothing of the reference portal's server stack comes along.
if "$VPY" -m pip list --format=freeze | grep -iE '^(gunicorn|whitenoise|psycopg|psycopg-binary|django-csp|redis)=='; then
  echo "the package pulls in the portal's server stack" >&2
  exit 1
fi

echo "== A fresh site: wagtail start, then docs/install.md"
cd "$WORK"
"$WORK/venv/bin/wagtail" start mysite >/dev/null
cd mysite
"$VPY" - "$REPO/docs/install.md" <<'PY'
"""Apply the blocks docs/install.md marks with <!-- install-check: ... --> to this site."""
import re
import sys
from pathlib import Path

text = Path(sys.argv[1]).read_text()
steps = re.findall(r"<!-- install-check: (\w+) (\S+) -->\s*```\w*\n(.*?)```", text, re.S)
assert steps, "docs/install.md marks no install-check blocks"
for action, target, code in steps:
    path = Path(target)
    source = path.read_text()
    if action == "append":
        source += "\n" + code
    elif action == "urls":
        # The block's imports go to the top, the rest after the site's own urlpatterns.
        imports = "".join(line + "\n" for line in code.splitlines() if line.startswith(("from ", "import ")))
        rest = "".join(line + "\n" for line in code.splitlines() if not line.startswith(("from ", "import ")))
        source = imports + source + "\n" + rest
    else:
        raise SystemExit(f"unknown install-check step {action}")
    path.write_text(source)
    print(f"applied {action} to {target}")
PY
export DJANGO_SETTINGS_MODULE=mysite.settings.dev
"$VPY" manage.py migrate --noinput -v0
"$VPY" manage.py setup_roles
"$VPY" manage.py check --fail-level WARNING

echo "== A complaint form page, a complaint filed over HTTP, the case in the admin list"
"$VPY" manage.py shell --no-imports -c '
from django.contrib.auth import get_user_model
from wagtail.models import Site
from klachtformulieren.intake.pages import ComplaintFormPage
from klachtformulieren.models import Municipality

municipality = Municipality.objects.create(
    name="Gemeente Proefdorp", slug="proefdorp", contact_email="klachten@proefdorp.example",
    postal_address="Postbus 1\n1234 AB Proefdorp", coordinators_email="coordinatoren@proefdorp.example",
)
home = Site.objects.get(is_default_site=True).root_page
home.add_child(instance=ComplaintFormPage(
    title="Klacht indienen", slug="klacht-indienen", municipality=municipality,
    intro="<p>Vertel ons wat er gebeurde.</p>", privacy_notice="<p>Alleen voor uw klacht.</p>",
    thank_you_text="<p>Bedankt.</p>",
))
get_user_model().objects.create_superuser("beheer", "beheer@proefdorp.example", "install-check-password")
'
PORT=$("$VPY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$VPY" manage.py runserver --noreload "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
SERVERPID=$!
"$VPY" - "http://127.0.0.1:$PORT" <<'PY' || { cat "$WORK/server.log" >&2; exit 1; }
"""File a complaint as a browser does, then find it in the admin's case list."""
import http.cookiejar
import re
import sys
import time
import urllib.parse
import urllib.request

base = sys.argv[1]
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
for _ in range(100):
    try:
        opener.open(base + "/klacht-indienen/")
        break
    except OSError:
        time.sleep(0.2)


def form_fields(html):
    fields = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and 'type="hidden"' in tag:
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


def post(path, data, referer):
    request = urllib.request.Request(
        base + path, urllib.parse.urlencode(data).encode(), headers={"Referer": base + referer}
    )
    return opener.open(request)


page = opener.open(base + "/klacht-indienen/").read().decode()
assert 'class="kp-' in page, "the form page does not show the plugin's form"
data = form_fields(page)
data.update(
    name="Jan de Klager",
    email="jan@example.org",
    description="De medewerker aan de balie schreeuwde tegen mij.",
    conduct_date="2026-11-02",
)
time.sleep(3.5)  # the form refuses what comes back sooner than MINIMUM_FILL_SECONDS (3)
answer = post("/klacht-indienen/", data, "/klacht-indienen/")
body = answer.read().decode()
reference = re.search(r"[A-Z]{2,}-\d{4}-\d+", body)
print("filed:", answer.status, answer.geturl(), reference.group(0) if reference else "(no reference on the page)")
assert answer.status == 200 and answer.geturl() != base + "/klacht-indienen/", body[:2000]
PY
"$VPY" manage.py shell --no-imports -c '
from django.urls import reverse
from klachtformulieren.models import Complaint
case = Complaint.objects.get()
print("case", case.reference, reverse("klachtformulieren_cases:index"), case.status)
' | tee "$WORK/case.txt"
REFERENCE=$(awk '/^case/ {print $2}' "$WORK/case.txt")
CASELIST=$(awk '/^case/ {print $3}' "$WORK/case.txt")
"$VPY" - "http://127.0.0.1:$PORT" "$REFERENCE" "$CASELIST" <<'PY' || { cat "$WORK/server.log" >&2; exit 1; }
"""The case in the admin's case list, as a signed-in superuser sees it."""
import http.cookiejar
import re
import sys
import urllib.parse
import urllib.request

base, reference, case_list_path = sys.argv[1:4]
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
login = opener.open(base + "/admin/login/").read().decode()
token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
data = {"csrfmiddlewaretoken": token, "username": "beheer", "password": "install-check-password", "next": "/admin/"}
request = urllib.request.Request(
    base + "/admin/login/", urllib.parse.urlencode(data).encode(), headers={"Referer": base + "/admin/login/"}
)
assert opener.open(request).geturl().rstrip("/").endswith("/admin"), "the superuser could not sign in"
case_list = opener.open(base + case_list_path).read().decode()
assert reference in case_list, "the case is not in the admin's case list"
print("in the admin's case list:", reference)
PY
echo "== The form in a browser: the plugin's styles, and a spam trap no person meets"
"$REPO/.venv/bin/python" "$REPO/.ci/install_check_browser.py" "http://127.0.0.1:$PORT" || { cat "$WORK/server.log" >&2; exit 1; }
kill "$SERVERPID"
wait "$SERVERPID" 2>/dev/null || true
SERVERPID=""

echo "== The plugin's own tests, in this site"
"$VPY" -m pip install -q $(grep -iE '^(pytest|pytest-django|factory-boy|wagtail-factories|hypothesis|time-machine|freezegun)==' "$REPO/requirements-dev.txt")
cat >mysite/settings/plugin_tests.py <<'PY'
import tempfile
from pathlib import Path

from .dev import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="install-check-media-"))
KLACHTFORMULIEREN_PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="install-check-private-"))
FILE_UPLOAD_TEMP_DIR = str(KLACHTFORMULIEREN_PRIVATE_MEDIA_ROOT / "tmp")
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
KLACHTFORMULIEREN_MINIMUM_FILL_SECONDS = 0
KLACHTFORMULIEREN_FORM_TOKEN_HOURS = 100 * 365 * 24
# A Dutch municipality's site: the tests read the plugin's Dutch texts and Dutch deadlines.
LANGUAGE_CODE = "nl"
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = [("nl", "Nederlands")]
TIME_ZONE = "Europe/Amsterdam"
PY
mkdir tests
cp "$REPO/tests/__init__.py" "$REPO/tests/conftest.py" "$REPO/tests/mail_backends.py" tests/
# The plugin factories as tests.factories: the reference portal's home factories are not there.
cp "$REPO/tests/plugin_factories.py" tests/factories.py
while read -r test || [ -n "$test" ]; do
  [ -z "$test" ] && continue
  dir=$(dirname "$test")
  while [ "$dir" != "tests" ] && [ "$dir" != "." ]; do
    mkdir -p "$dir"
    # The package's __init__, conftest and helper modules (fake clamd, sample files), not its other tests.
    for helper in "$REPO/$dir"/*.py; do
      case "$(basename "$helper")" in test_*) ;; *) [ -f "$dir/$(basename "$helper")" ] || cp "$helper" "$dir/" ;; esac
    done
    dir=$(dirname "$dir")
  done
  cp "$REPO/$test" "$test"
done <"$REPO/tests/plugin_tests.txt"
# The tests run against the installed wheel, not the checkout.
"$VPY" -m pytest -q -p no:cacheprovider --ds=mysite.settings.plugin_tests --rootdir=. \
  $(grep -v '^$' "$REPO/tests/plugin_tests.txt")
echo "== Install check passed"
