from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from home import lockouts


@hooks.register("register_admin_urls")
def register_lockout_urls():
    return [
        path("aanmelden-geblokkeerd/", lockouts.lockouts, name="portal_lockouts"),
        path("aanmelden-geblokkeerd/<int:pk>/opheffen/", lockouts.unlock, name="portal_unlock"),
    ]


class LockoutsMenuItem(MenuItem):
    def is_shown(self, request):
        return lockouts.may_unlock(request.user)


@hooks.register("register_settings_menu_item")
def register_lockouts_menu_item():
    return LockoutsMenuItem(_("Blocked sign-ins"), reverse("portal_lockouts"), icon_name="lock", order=650)
