"""Blocked sign-ins in the Wagtail admin (Settings > Blocked sign-ins): who failed how often
from where, and lifting a block. For staff who manage users (``auth.change_user``)."""

import logging

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

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
