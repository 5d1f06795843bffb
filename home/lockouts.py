"""Staff access for functional administrators (``auth.change_user``): blocked sign-ins
(Settings > Blocked sign-ins: who failed how often from where, and lifting a block), and
logging someone out everywhere."""

import logging

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.log_actions import log

from klachtformulieren.admin import audit
from portal import security

logger = logging.getLogger("portal.security")

PERMISSION = "auth.change_user"


def may_unlock(user):
    return user.is_active and user.has_perm(PERMISSION)


def lockouts(request):
    if not may_unlock(request.user):
        raise PermissionDenied
    attempts = AccessAttempt.objects.order_by("-attempt_time")[:200]
    return TemplateResponse(
        request,
        "home/admin/lockouts.html",
        {
            "attempts": attempts,
            "limit": settings.AXES_FAILURE_LIMIT,
            "header_title": _("Blocked sign-ins"),
            "page_title": _("Blocked sign-ins"),
            "header_icon": "lock",
        },
    )


@require_POST
def unlock(request, pk):
    if not may_unlock(request.user):
        raise PermissionDenied
    attempt = get_object_or_404(AccessAttempt, pk=pk)
    logger.info("User %s lifted the sign-in block of %r from %s", request.user.pk, attempt.username, attempt.ip_address)
    attempt.delete()
    messages.success(
        request, _("The block has been lifted: %(username)s can sign in again.") % {"username": attempt.username}
    )
    return redirect("portal_lockouts")


def log_out_everywhere(request, user_id):
    """Ends every session of a staff member (a lost laptop, a colleague who left)."""
    target = get_object_or_404(get_user_model(), pk=user_id)
    if not may_manage_sessions(request.user, target):
        raise PermissionDenied
    if request.method != "POST":
        title = _("Log out everywhere")
        return TemplateResponse(
            request,
            "home/admin/confirm.html",
            {
                "page_title": title,
                "header_title": title,
                "header_icon": "logout",
                "question": _("End every session of %(user)s? They are signed out on every device at once.")
                % {"user": target},
                "button": title,
            },
        )
    ended = security.end_sessions(target)
    log(target, security.LOGGED_OUT_EVERYWHERE, user=audit.unwrapped(request.user), data={"sessions": ended})
    logger.info("User %s ended %d sessions of user %s", request.user.pk, ended, target.pk)
    messages.success(request, _("%(user)s is signed out everywhere.") % {"user": target})
    return redirect("wagtailusers_users:edit", target.pk)


def may_manage_sessions(user, target):
    return may_unlock(user) and (user.is_superuser or not target.is_superuser)
