"""Staff access the security officer signs off on: passwords, lockout, sessions, headers.

- ``NoRepeatsOrSequencesValidator``: a password is not a run of one character or a sequence
  ("aaaaaaaaaaaa", "123456789012", "abcdefghijkl"), on top of Django's length and common-list checks.
- ``CommonWordValidator``: a common password or a common Dutch word with digits or signs around
  it ("wachtwoord12", "Welkom2026!") is refused; Django's list is English and exact.
- ``StaffSessionMiddleware``: a staff session ends after ``STAFF_SESSION_IDLE_MINUTES`` without
  a request (and never lives longer than SESSION_COOKIE_AGE).
- ``SecurityHeadersMiddleware``: Permissions-Policy and Cross-Origin-Resource-Policy on every response.
- ``lockout_response``: what django-axes answers a locked-out login, in Dutch, without saying
  whether the account exists.
"""

import logging
import re
import time
from functools import cache
from itertools import pairwise

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model, logout
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.log_actions import log

from klachtformulieren.cases import access
from klachtformulieren.intake.spam import client_key

logger = logging.getLogger("portal.security")

LAST_SEEN_SESSION_KEY = "portal:last_seen"
# Staff access in Wagtail's audit log (Reports > Site history), registered in home/wagtail_hooks.py.
LOGIN, LOGIN_FAILED, ROLES_CHANGED, LOGGED_OUT_EVERYWHERE = (
    "portal.login",
    "portal.login_failed",
    "portal.roles_changed",
    "portal.logged_out_everywhere",
)
# Browser features no page of ours uses: switched off for every page and frame.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), fullscreen=(self), "
    "geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), "
    "picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), usb=(), xr-spatial-tracking=()"
)


class NoRepeatsOrSequencesValidator:
    """Refuses passwords that are mostly one character repeated or a run up or down an alphabet.

    ``max_run`` is the longest run of repeated or consecutive characters allowed (default 3:
    "aaa" and "123" may appear in a password, "aaaa" and "1234" may not), and a password
    whose characters are fewer than ``min_distinct`` different ones is refused too.
    """

    def __init__(self, max_run=3, min_distinct=5):
        self.max_run = max_run
        self.min_distinct = min_distinct

    def validate(self, password, user=None):
        if len(set(password.lower())) < self.min_distinct:
            raise ValidationError(
                ngettext(
                    "Use at least %(count)d different characters.",
                    "Use at least %(count)d different characters.",
                    self.min_distinct,
                )
                % {"count": self.min_distinct},
                code="password_too_few_distinct",
            )
        if self._longest_run(password.lower()) > self.max_run:
            raise ValidationError(
                _("Avoid a row of the same character or a sequence such as 1234 or abcd."),
                code="password_sequence",
            )

    @staticmethod
    def _longest_run(text):
        longest = run = 1
        step = None
        for previous, current in pairwise(text):
            difference = ord(current) - ord(previous)
            if difference in (-1, 0, 1) and (step is None or difference == step):
                run += 1
                step = difference
            else:
                run = 2 if difference in (-1, 0, 1) else 1
                step = difference if difference in (-1, 0, 1) else None
            longest = max(longest, run)
        return longest if text else 0

    def get_help_text(self):
        return _("Your password cannot be a row of the same character or a sequence such as 1234 or abcd.")


# Common Dutch passwords and the words they are built on (Django's list covers the English ones).
_DUTCH_COMMON_WORDS_TEXT = """
    wachtwoord paswoord wachtwoorden geheim welkom welkom01 hallo hallodaar gemeente klachten klacht
    voetbal ajax feyenoord psv amsterdam rotterdam utrecht denhaag nederland holland oranje koning
    koningin zomer winter lente herfst maandag dinsdag woensdag donderdag vrijdag zaterdag zondag
    januari februari maart april mei juni juli augustus september oktober november december
    liefde schat schatje lieverd prinses hondje poesje konijn vogel paard kaas fiets bloemen
    wachtwoord1 geheim123 welkom123 stadhuis ambtenaar medewerker gebruiker beheerder admin
    """
DUTCH_COMMON_WORDS = frozenset(_DUTCH_COMMON_WORDS_TEXT.split())


@cache
def _english_common_passwords():
    return CommonPasswordValidator().passwords


class CommonWordValidator:
    """Refuses a common password, or a common word with only digits or signs before or after it."""

    def validate(self, password, user=None):
        word = re.sub(r"^[\W\d_]+|[\W\d_]+$", "", password.lower())
        if word and (word in DUTCH_COMMON_WORDS or word in _english_common_passwords()):
            raise ValidationError(
                _("This password is built on a common word. Choose a sentence or several unrelated words."),
                code="password_common_word",
            )

    def get_help_text(self):
        return _("Your password cannot be a common word with a few digits or signs added.")


def idle_limit_seconds():
    return getattr(settings, "STAFF_SESSION_IDLE_MINUTES", 30) * 60


class StaffSessionMiddleware:
    """Logs out a staff member who made no request for the idle limit; records each request's time."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_SESSION_KEY)
            if last_seen is not None and now - last_seen > idle_limit_seconds():
                logger.info("Session of user %s ended after %d idle minutes", user.pk, (now - last_seen) // 60)
                logout(request)
                if request.path.startswith("/admin/"):
                    return redirect_to_login(request.get_full_path())
            else:
                # Written at most once a minute, so a busy admin page does not save the session each time.
                if last_seen is None or now - last_seen >= 60:
                    request.session[LAST_SEEN_SESSION_KEY] = now
        return self.get_response(request)


def admin_policy():
    """ADMIN_CONTENT_SECURITY_POLICY as a header value."""
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in settings.ADMIN_CONTENT_SECURITY_POLICY.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(settings.ADMIN_PATH_PREFIXES):
            response.headers.setdefault("Content-Security-Policy", admin_policy())
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


def client_ip(request):
    """The client's address for the sign-in lockout: the same as for the complaint form's limits."""
    return client_key("login", request)


def lockout_response(request, original_response=None, credentials=None, *args, **kwargs):
    """django-axes: the answer to a login while locked out. The same for every username."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "portal/locked_out.html", {"minutes": minutes}, status=429)


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs):
    logger.info("Login of user %s", user.pk)
    address = client_ip(request) if request is not None else ""
    log(user, LOGIN, user=user, data={"address": address})
    if request is not None and hasattr(request, "session"):
        # The idle clock starts at sign-in (StaffSessionMiddleware).
        request.session[LAST_SEEN_SESSION_KEY] = int(time.time())


@receiver(user_login_failed)
def log_login_failure(sender, credentials, request=None, **kwargs):
    """In Site history under the account, if there is one; the log line never says which."""
    username = credentials.get(get_user_model().USERNAME_FIELD, "")
    account = get_user_model()._default_manager.filter(**{get_user_model().USERNAME_FIELD: username}).first()
    if account is not None:
        log(account, LOGIN_FAILED, data={"address": client_ip(request) if request is not None else ""})


@receiver(m2m_changed, sender=get_user_model().groups.through)
def log_role_change(sender, instance, action, pk_set, reverse, **kwargs):
    """Who was put in or taken out of which role, by whom (the admin's log context)."""
    if reverse or action not in ("post_add", "post_remove", "post_clear"):
        return
    names = sorted(Group.objects.filter(pk__in=pk_set or ()).values_list("name", flat=True))
    log(instance, ROLES_CHANGED, data={"change": action.removeprefix("post_"), "groups": names})


def may_manage_access(user, target=None):
    """Whoever may change users (functional administrators) manages their accounts and sign-in:
    details, blocks, sessions, two-factor devices; only of their own municipalities' staff (or
    of accounts of no municipality yet), never of an account with a permission they lack, and a
    superuser's only when a superuser themselves."""
    if not (user.is_active and user.has_perm("auth.change_user")):
        return False
    if target is None or user.is_superuser:
        return True
    if target.is_superuser or not access.shares_a_municipality(user, target):
        return False
    # Nobody takes over an account that can do more than they can (an administrator of every
    # municipality, say): its password, e-mail, devices and sessions are not theirs to change.
    return not (target.get_all_permissions() - user.get_all_permissions())


def confirm(request, title, question, *, icon):
    """An admin page that asks before an action on someone's access; the action is its POST."""
    context = {"page_title": title, "header_title": title, "header_icon": icon, "question": question, "button": title}
    return render(request, "portal/confirm.html", context)


def end_sessions(user):
    """Log ``user`` out everywhere: every session that belongs to them ends. Returns how many."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            session.delete()
            ended += 1
    return ended


@receiver(user_logged_out)
def log_logout(sender, request, user, **kwargs):
    if user is not None:
        logger.info("Logout of user %s", user.pk)
