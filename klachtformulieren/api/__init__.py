"""Complaint forms, submission, status and figures in Wagtail's v3 API: ``/api/v3/klachtformulieren/``.

Added in ``KlachtformulierenConfig.ready()``. Every route serves what a page of the site
serves, and nothing more:

- ``formulieren/`` and ``formulieren/<id>/``: the live complaint form pages, and the questions
  of one (the Awb 9:4 core and the editors' questions), its upload limits and the anti-spam
  fields a client sends back.
- ``formulieren/<id>/indienen/``: filing a complaint (Wagtail has no form submission API,
  wagtail#6950). The same checks as the form page (``spam.refusal``, the page's form) and
  the same service function (``intake.services.register_from_form_page``), so a case filed here is the case the page
  would have made, with the same mails.
- ``status/<token>/``: what the status page behind the secret link shows.
- ``jaarcijfers/``: the figures of the public figures page (Awb 9:12a), small counts hidden.

Errors are Wagtail's problem details (RFC 9457) with ``detail`` in English and ``detail_nl``
in Dutch; a refused form gives every field's messages in both languages. The API answers in
both at once, whatever the site's language: the form's own messages come from its
translations, the few texts only the API has are written here in both languages.
No route reads a case except through its token, and none shows contract facts.
"""

# Importing the route modules adds their routes to the router.
from klachtformulieren.api import figures, forms, status, submissions  # noqa: F401
from klachtformulieren.api.router import router

__all__ = ["router"]
