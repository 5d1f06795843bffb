"""Wagtail's own Dutch strings that our editors see most, in the "u" the portal uses.

Wagtail's Dutch catalogue says "je"; the portal addresses everyone with "u". The translations
are in portal/locale (LOCALE_PATHS comes before the apps' catalogues); listing the messages here
keeps them in that catalogue when `makemessages` runs. Nothing imports this module.
"""

from django.utils.translation import gettext_noop

WAGTAIL_MESSAGES = (
    gettext_noop("The page title as you'd like it to be seen by the public"),
    gettext_noop("Are you sure you want to delete this page?"),
    gettext_noop("Are you sure you want to unpublish this page?"),
    gettext_noop("Would you still like to publish this page?"),
    gettext_noop("You have <span>unsaved edits</span>"),
    gettext_noop("You have unsaved changes in another window"),
    gettext_noop("Choose which type of page you'd like to create."),
    gettext_noop("Your locked pages"),
    gettext_noop("Only you can make changes while the %(model_name)s is locked"),
    gettext_noop("You can view the page here:"),
    gettext_noop("You can edit the page here:"),
    gettext_noop("You can preview the page here:"),
    gettext_noop("You need a password to access this page."),
)
