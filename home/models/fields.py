"""Field factories for the site settings and page types."""

from django.db import models


def optional_foreign_key(to, verbose_name, **kwargs):
    """A link to an image or page that editors may leave empty; deleting the target empties it.

    ``related_name="+"``: the image or page needs no way back to what links to it.
    """
    return models.ForeignKey(
        to, verbose_name=verbose_name, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", **kwargs
    )
