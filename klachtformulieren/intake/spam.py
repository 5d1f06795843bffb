"""Keeping bots out without third parties (no reCAPTCHA: a privacy and accessibility barrier).

Four measures: a honeypot field people never see, a signed start token that can be sent once
and expires, a minimum time between showing the form and sending it, and a limit per client,
counted in the cache every worker shares. Spam is not stored; it is counted in the log
under ``klachtformulieren.intake.spam``.
"""

import hashlib
import logging
import secrets
import time

from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext_lazy
from django_ratelimit.core import get_usage

from klachtformulieren import conf

logger = logging.getLogger("klachtformulieren.intake.spam")

FORM_STARTED_SALT = "klachtformulieren.form-started"

HONEYPOT, NO_START_TIME, TOO_FAST, REPLAYED = "honeypot", "no_start_time", "too_fast", "replayed"
RATE_LIMITED = "rate_limit"
# Not spam: a form left open too long. The person gets their values back and a fresh token.
EXPIRED = "expired"


def minimum_fill_seconds():
    return conf.setting("MINIMUM_FILL_SECONDS")


def form_started_token(now=None, *, started=None):
    """A signed start time and a one-time number, placed in the form when it is shown.

    ``started`` keeps an earlier start time: the form sent back for corrections gets a new
    token (each can be sent once) that still counts the time from when the form was first shown.
    """
    moment = started if started is not None else (now if now is not None else time.time())
    return signing.dumps({"t": int(moment), "n": secrets.token_urlsafe(12)}, salt=FORM_STARTED_SALT)


def _read_token(token):
    """(started, nonce), or None for a token we did not sign."""
    try:
        payload = signing.loads(token or "", salt=FORM_STARTED_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("t"), int) or not payload.get("n"):
        return None
    return payload["t"], str(payload["n"])


def renewed_token(token, now=None):
    """A fresh token for a form shown again, with the same start time when the old one was ours."""
    read = _read_token(token)
    return form_started_token(now) if read is None else form_started_token(started=read[0])


def _token_lifetime():
    return conf.setting("FORM_TOKEN_HOURS") * 3600


def spam_reason(data, now=None):
    """Why a posted form is refused before its answers are judged, or None. ``data`` is the POST data.

    A token is used up here: the same token sent again is refused as a replay, in every worker
    (the shared cache remembers it for as long as it is valid).
    """
    if data.get("website"):
        return HONEYPOT
    read = _read_token(data.get("form_started", ""))
    if read is None:
        return NO_START_TIME
    started, nonce = read
    elapsed = (now if now is not None else time.time()) - started
    if elapsed > _token_lifetime():
        return EXPIRED
    if elapsed < minimum_fill_seconds():
        return TOO_FAST
    if not cache.add(f"klachtformulieren:form-token:{nonce}", 1, timeout=_token_lifetime() + 60):
        return REPLAYED
    return None


def refusal(request, data, where):
    """Why a posted complaint is refused before its answers are judged, or None.

    The form page and the API ask this in the same order: the client's submission limit, then
    the honeypot, the token and the minimum fill time. Only spam counts towards the limit here
    (and an accepted complaint, ``count_submission``); a form sent back for corrections never does.
    ``data`` is what was posted, ``where`` the form page's path for the log. Nothing is stored.
    """
    if submission_limit_reached(request):
        log_spam(request, RATE_LIMITED, where)
        return RATE_LIMITED
    reason = spam_reason(data)
    if reason == EXPIRED:
        logger.info("Form token expired on %s", where)
    elif reason:
        count_submission(request)
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


def _usage(request, group, rate, method, *, increment):
    """django-ratelimit's count of this client in ``group``, in the shared cache (settings.CACHES)."""
    return get_usage(
        request, group=f"klachtformulieren:{group}", key=client_key, rate=rate, method=method, increment=increment
    )


def _rate_limited(request, group, rate, method):
    """Counts this request against the client's budget in ``group``; True once it is spent."""
    usage = _usage(request, group, rate, method, increment=True)
    return bool(usage and usage["should_limit"])


def _submission_budget(request):
    """(cache key, limit, period in seconds) of this client's submissions in the current window.

    Counted here rather than by django-ratelimit: its check writes to the cache, and on the
    database cache every write is a write transaction beside the complaint's own.
    """
    limit, period = _split_rate(conf.setting("SUBMIT_RATE"))
    window = int(time.time() // period)
    client = hashlib.sha256(client_key("submit", request).encode()).hexdigest()[:32]
    return f"klachtformulieren:submit:{client}:{window}", limit, period


def submission_limit_reached(request):
    """True once the client has used its submission budget (default 10 an hour); only reads."""
    key, limit, _period = _submission_budget(request)
    return cache.get(key, 0) >= limit


def count_submission(request):
    """An accepted complaint or a spam refusal uses one of the client's submissions."""
    key, _limit, period = _submission_budget(request)
    try:
        cache.incr(key)
    except ValueError:  # the window's first
        if not cache.add(key, 1, timeout=period + 60):
            cache.incr(key)  # another worker's first came in between


def _split_rate(rate):
    """django-ratelimit's notation: "10/h" is 10 per hour; "100/5m" 100 per five minutes."""
    count, _, period = rate.partition("/")
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    multiple = int(period[:-1]) if period[:-1] else 1
    return int(count), multiple * units[period[-1]]


def status_lookup_rate_limited(request):
    return _rate_limited(request, "status", conf.setting("STATUS_RATE"), "GET")


def my_complaints_rate_limited(request):
    return _rate_limited(request, "my_complaints", conf.setting("MY_COMPLAINTS_RATE"), "POST")


# What the form page and the API answer a refused submission.
RATE_LIMITED_NOTICE = gettext_lazy(
    "You have sent this form many times in a short while. Please wait an hour and try again, or call the municipality."
)
NOT_SENT_NOTICE = gettext_lazy("Your complaint has not been sent yet. Check your answers and send the form again.")
ALREADY_SENT_NOTICE = gettext_lazy(
    "This form has been sent already. Check your email for our acknowledgement of receipt before you "
    "send it again; if it does not come, send the form again or call the municipality."
)
EXPIRED_NOTICE = gettext_lazy(
    "This form was open for a long time, so your complaint has not been sent yet. Your answers are still "
    "here: check them and send the form again."
)
