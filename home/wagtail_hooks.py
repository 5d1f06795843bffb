from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets.button import Button

from home import audit_log, lockouts, page_cache, users
from portal import security, two_factor


@hooks.register("register_admin_urls")
def register_lockout_urls():
    return [
        path("aanmelden-geblokkeerd/", lockouts.lockouts, name="portal_lockouts"),
        path("aanmelden-geblokkeerd/<int:pk>/opheffen/", lockouts.unlock, name="portal_unlock"),
        path("tweestaps/instellen/", two_factor.setup, name="portal_2fa_setup"),
        path("tweestaps/reservecodes/", two_factor.backup_codes, name="portal_2fa_backup_codes"),
        path("tweestaps/controleren/", two_factor.verify, name="portal_2fa_verify"),
        path("gebruikers/<int:user_id>/tweestaps-opnieuw/", two_factor.reset, name="portal_2fa_reset"),
        path(
            "gebruikers/<int:user_id>/overal-uitloggen/", lockouts.log_out_everywhere, name="portal_log_out_everywhere"
        ),
    ]


@hooks.register("register_log_actions")
def register_security_log_actions(actions):
    actions.register_action("portal.2fa_setup", _("Set up two-factor sign-in"), _("Two-factor sign-in set up"))
    actions.register_action("portal.2fa_reset", _("Reset two-factor sign-in"), _("Two-factor sign-in reset"))
    actions.register_action(security.LOGIN, _("Sign in"), _("Signed in"))
    actions.register_action(security.LOGIN_FAILED, _("Failed sign-in"), _("Sign-in failed"))
    actions.register_action(security.ROLES_CHANGED, _("Change roles"), _("Roles changed"))
    actions.register_action(security.LOGGED_OUT_EVERYWHERE, _("Log out everywhere"), _("Logged out everywhere"))


@hooks.register("register_user_listing_buttons")
def access_buttons(user, request_user):
    if security.may_manage_access(request_user, user):
        yield Button(_("Reset two-factor sign-in"), reverse("portal_2fa_reset", args=[user.pk]), priority=50)
        yield Button(_("Log out everywhere"), reverse("portal_log_out_everywhere", args=[user.pk]), priority=51)


class LockoutsMenuItem(MenuItem):
    def is_shown(self, request):
        return security.may_manage_access(request.user)


@hooks.register("register_settings_menu_item")
def register_lockouts_menu_item():
    return LockoutsMenuItem(_("Blocked sign-ins"), reverse("portal_lockouts"), icon_name="lock", order=650)


class TwoFactorOffPanel(Component):
    """Development only: says that staff sign in without the second step here."""

    order = 10

    def render_html(self, parent_context=None):
        return format_html(
            '<section class="help-block help-warning" id="tweestaps-uit"><p>{}</p></section>',
            _(
                "Two-factor sign-in is switched off (DJANGO_STAFF_2FA): for development only. "
                "Production always asks for it."
            ),
        )


@hooks.register("construct_homepage_panels")
def warn_when_two_factor_is_off(request, panels):
    if not getattr(settings, "STAFF_2FA", True):
        panels.insert(0, TwoFactorOffPanel())


@hooks.register("before_bulk_action")
def refuse_bulk_actions_beyond_powers(request, action_type, objects, action_class_instance):
    """Wagtail's bulk actions on users (delete, (de)activate, assign a role) check only the
    model permission: here they get the rules of the user screens. Every account must be one
    the signed-in user manages, and a role must be one within their own powers."""
    if action_class_instance.model is not get_user_model() or request.user.is_superuser:
        return None
    if not all(security.may_manage_access(request.user, target) for target in objects):
        raise PermissionDenied
    role = getattr(getattr(action_class_instance, "cleaned_form", None), "cleaned_data", {}).get("role")
    if role is not None and not users.groups_within(request.user).filter(pk=role.pk).exists():
        raise PermissionDenied
    return None


@hooks.register("construct_help_menu")
def keep_the_help_menu_on_this_site(request, menu_items):
    """Wagtail's "What's new" and "Editor Guide" link to wagtail.org, in English: not ours."""
    menu_items[:] = [
        item for item in menu_items if item.name != "editor-guide" and not item.name.startswith("whats-new-in-wagtail")
    ]


@hooks.register("construct_homepage_panels")
def no_whats_new_in_wagtail(request, panels):
    """The dashboard's "What's new in Wagtail" panel links to wagtail.org: not for our staff."""
    panels[:] = [panel for panel in panels if getattr(panel, "name", "") != "whats_new_in_wagtail_version"]


@hooks.register("construct_reports_menu")
def site_history_for_who_may_read_it_all(request, menu_items):
    if not audit_log.may_read_site_history(request.user):
        menu_items[:] = [item for item in menu_items if item.name != "site-history"]


@hooks.register("before_serve_page")
def remember_served_page(page, request, serve_args, serve_kwargs):
    """The page cache stores only the page types it knows (home/page_cache.py)."""
    page_cache.remember_page(page, request, serve_args, serve_kwargs)
