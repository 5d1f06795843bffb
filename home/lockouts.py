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

from home import users
from klachtformulieren.admin import audit
from klachtformulieren.cases import access
from portal import security

logger = logging.getLogger("portal.security")


def attempts_for(user):
    """The blocked sign-ins ``user`` sees: all for who sees every municipality; otherwise only
    those of accounts they manage (another municipality's staff, and names that are no
    account at all, with the addresses they came from, are not theirs to see)."""
    attempts = AccessAttempt.objects.order_by("-attempt_time")
    if user.is_superuser or access.sees_every_municipality(user):
        return attempts
    accounts = users.manageable_users(user, get_user_model()._default_manager.all())
    managed = [account for account in accounts if security.may_manage_access(user, account)]
    return attempts.filter(username__in=[account.get_username() for account in managed])


def lockouts(request):
    if not security.may_manage_access(request.user):
        raise PermissionDenied
    attempts = attempts_for(request.user)[:200]
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
    if not security.may_manage_access(request.user):
        raise PermissionDenied
    attempt = get_object_or_404(attempts_for(request.user), pk=pk)
    logger.info("User %s lifted the sign-in block of %r from %s", request.user.pk, attempt.username, attempt.ip_address)
    attempt.delete()
    messages.success(
        request, _("The block has been lifted: %(username)s can sign in again.") % {"username": attempt.username}
    )
    return redirect("portal_lockouts")


def log_out_everywhere(request, user_id):
    """Ends every session of a staff member (a lost laptop, a colleague who left)."""
    target = get_object_or_404(get_user_model(), pk=user_id)
    if not security.may_manage_access(request.user, target):
        raise PermissionDenied
    if request.method != "POST":
        question = _("End every session of %(user)s? They are signed out on every device at once.") % {"user": target}
        return security.confirm(request, _("Log out everywhere"), question, icon="logout")
    ended = security.end_sessions(target)
    log(target, security.LOGGED_OUT_EVERYWHERE, user=audit.unwrapped(request.user), data={"sessions": ended})
    logger.info("User %s ended %d sessions of user %s", request.user.pk, ended, target.pk)
    messages.success(request, _("%(user)s is signed out everywhere.") % {"user": target})
    return redirect("wagtailusers_users:edit", target.pk)
