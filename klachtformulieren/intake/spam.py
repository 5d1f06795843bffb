"""Keeping bots out without third parties (no reCAPTCHA: a privacy and accessibility barrier).

Three measures: a honeypot field people never see, a minimum time between showing the form
and sending it, and a rate limit per client. Spam is not stored; it is counted in the log
under ``klachtformulieren.intake.spam``.
"""

import logging
import time

from django.core import signing
from django.utils.translation import gettext_lazy
from django_ratelimit.core import is_ratelimited

from klachtformulieren import conf

logger = logging.getLogger("klachtformulieren.intake.spam")

FORM_STARTED_SALT = "klachtformulieren.form-started"


def minimum_fill_seconds():
    return conf.setting("MINIMUM_FILL_SECONDS")


def form_started_token(now=None):
    """A signed timestamp placed in the form when it is shown."""
    return signing.dumps(int(now if now is not None else time.time()), salt=FORM_STARTED_SALT)


def spam_reason(data, now=None):
    """Why a posted form looks like spam, or None. ``data`` is the POST data."""
    if data.get("website"):
        return "honeypot"
    try:
        started = signing.loads(data.get("form_started", ""), salt=FORM_STARTED_SALT)
    except signing.BadSignature:
        return "no_start_time"
    elapsed = (now if now is not None else time.time()) - int(started)
    if elapsed < minimum_fill_seconds():
        return "too_fast"
    return None


RATE_LIMITED = "rate_limit"


def refusal(request, data, where):
    """Why a posted complaint is refused before its answers are judged, or None.

    The form page and the API ask this in the same order: the rate limit (every post counts),
    then the honeypot and the minimum fill time. ``data`` is what was posted, ``where`` the
    form page's path for the log. Every refusal is logged; nothing is stored.
    """
    reason = RATE_LIMITED if submission_rate_limited(request) else spam_reason(data)
    if reason:
        log_spam(request, reason, where)
    return reason


def log_spam(request, reason, where):
    logger.warning("Refused spam (%s) on %s", reason, where, extra={"spam_reason": reason, "path": request.path})


def client_key(group, request):
    """The client's address; behind a proxy, the header the proxy sets (setting)."""
    header = conf.setting("CLIENT_IP_HEADER")
    if header and request.META.get(header):
        # The proxy appends the client it saw last; that is the one we trust.
        return request.META[header].split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def _rate_limited(request, group, rate, method):
    """Counts this request against the client's budget in ``group``; True once it is spent."""
    return is_ratelimited(
        request, group=f"klachtformulieren:{group}", key=client_key, rate=rate, method=method, increment=True
    )


def submission_rate_limited(request):
    """Counts this POST against the client's submission budget (default 10 an hour)."""
    return _rate_limited(request, "submit", conf.setting("SUBMIT_RATE"), "POST")


def status_lookup_rate_limited(request):
    return _rate_limited(request, "status", conf.setting("STATUS_RATE"), "GET")


# What the form page and the API answer a refused submission.
RATE_LIMITED_NOTICE = gettext_lazy(
    "You have sent this form many times in a short while. Please wait an hour and try again, or call the municipality."
)
NOT_SENT_NOTICE = gettext_lazy("Your complaint has not been sent yet. Check your answers and send the form again.")
