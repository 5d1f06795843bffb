"""Two-factor sign-in for every staff account (django-otp): an authenticator app (TOTP) and
single-use backup codes.

After the password, a staff member with an authenticator app gives its code (or a backup code);
one without sets it up first: the QR code is drawn on our own server, as SVG, so the secret
never leaves it. Until then no admin page, no API token and no Django admin is reached
(``TwoFactorMiddleware``). An administrator resets someone's devices (``reset``): that person
sets up again at the next sign-in. Always on in production; ``DJANGO_STAFF_2FA`` may switch it
off elsewhere (development default off).
"""

import logging
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import devices_for_user, match_token, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log

from klachtformulieren.admin.audit import unwrapped
from portal.security import confirm, may_manage_access

logger = logging.getLogger("portal.security")

BACKUP_CODES = 10
SETUP_DEVICE_NAME = "authenticator"
BACKUP_DEVICE_NAME = "backup"
BACKUP_CODES_SESSION_KEY = "portal:backup_codes"
# Reachable before the second step: signing in and out, the two-factor pages, the admin's assets.
OPEN_PATHS = (
    "/admin/login/",
    "/admin/logout/",
    "/admin/tweestaps/",
    "/admin/password_reset/",
    "/admin/jsi18n/",
    "/admin/sprite/",  # the icons, which the admin page fetches and puts in place
)


def required():
    return getattr(settings, "STAFF_2FA", True)


def needs_second_step(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not required():
        return False
    return not user.is_verified()


class TwoFactorMiddleware:
    """Sends a signed-in staff member without a verified second step to set it up or give it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        guarded = path.startswith(("/admin/", "/django-admin/")) and not path.startswith(OPEN_PATHS)
        if guarded and needs_second_step(request):
            target = "portal_2fa_verify" if user_has_device(request.user) else "portal_2fa_setup"
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or reverse("wagtailadmin_home")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return reverse("wagtailadmin_home")
    return target


def _signed_in(request):
    if not request.user.is_authenticated:
        return redirect("wagtailadmin_login")
    return None


def _qr_svg(url):
    """The QR code as one inline SVG path (plain SVG, no XML namespace prefixes the HTML parser
    would misread), drawn here: the secret in it never goes to another server."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage)
    svg = image.to_string(encoding="unicode")
    return mark_safe(svg.replace("<svg ", '<svg role="img" focusable="false" ', 1))  # noqa: S308 (our own data)


def _grouped_key(device):
    """The secret as authenticator apps take it when typed: base32, in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def setup(request):
    """First sign-in: scan the QR code, give one code, get the backup codes."""
    if (response := _signed_in(request)) is not None:
        return response
    user = request.user
    if user_has_device(user):
        return redirect("portal_2fa_verify")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
        user=user, name=SETUP_DEVICE_NAME, confirmed=False
    )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].replace(" ", "")):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = _new_backup_codes(user)
            otp_login(request, device)
            log(unwrapped(user), "portal.2fa_setup", user=unwrapped(user))
            logger.info("User %s set up two-factor sign-in", user.pk)
            request.session[BACKUP_CODES_SESSION_KEY] = codes
            return redirect(f"{reverse('portal_2fa_backup_codes')}?next={_next_url(request)}")
        form.add_error("code", _("This code is not right. Check the time on your phone and try the newest code."))
    return render(
        request,
        "portal/two_factor/setup.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device.config_url),
            "secret": _grouped_key(device),
            "next": _next_url(request),
        },
        status=400 if form.errors else 200,
    )


def _new_backup_codes(user):
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_codes(request):
    """The backup codes, once, right after the setup."""
    if (response := _signed_in(request)) is not None:
        return response
    codes = request.session.pop(BACKUP_CODES_SESSION_KEY, None)
    if not codes:
        return redirect(_next_url(request))
    return render(request, "portal/two_factor/backup_codes.html", {"codes": codes, "next": _next_url(request)})


def verify(request):
    """Every sign-in: the code from the authenticator app, or one backup code."""
    if (response := _signed_in(request)) is not None:
        return response
    if not user_has_device(request.user):
        return redirect("portal_2fa_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"].replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        logger.warning("Wrong two-factor code for user %s", request.user.pk)
        form.add_error("code", _("This code is not right. Try the newest code, or one of your backup codes."))
    return render(
        request,
        "portal/two_factor/verify.html",
        {"form": form, "next": _next_url(request)},
        status=400 if form.errors else 200,
    )


def reset(request, user_id):
    """An administrator removes someone's devices: they set up again at their next sign-in."""
    target = get_object_or_404(get_user_model(), pk=user_id)
    if not may_manage_access(request.user, target):
        raise PermissionDenied
    if request.method != "POST":
        title = _("Reset two-factor sign-in")
        question = _(
            "Reset the two-factor sign-in of %(user)s? Their authenticator app and backup codes stop "
            "working; they set up again at their next sign-in."
        ) % {"user": target}
        return confirm(request, title, question, icon="lock")
    for device in devices_for_user(target, confirmed=None):
        device.delete()
    log(target, "portal.2fa_reset", user=unwrapped(request.user))
    logger.info("User %s reset the two-factor sign-in of user %s", request.user.pk, target.pk)
    messages.success(
        request, _("Two-factor sign-in is reset: %(user)s sets it up again at the next sign-in.") % {"user": target}
    )
    return redirect("wagtailusers_users:edit", target.pk)
