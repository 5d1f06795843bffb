"""The case file's letters: what the reader may do with each (``correspondence.letters``
decides), and where the buttons go."""

from django import template
from django.urls import reverse

from klachtformulieren.correspondence import letters, pdf
from klachtformulieren.models import Notification

register = template.Library()


@register.simple_tag
def letter_actions(letter, user):
    """``{% letter_actions letter request.user as actions %}``: the rule's answers and the URLs."""
    return {
        "may": letters.actions_for(user, letter),
        # A step's letter or a letter by post is a document; a mail to staff is not.
        "has_pdf": letter.kind in pdf.LETTER_KINDS or letter.medium == Notification.Medium.POST,
        "draft_url": reverse("klachtformulieren_letter_draft", args=[letter.pk]),
        "document_url": reverse("klachtformulieren_letter", args=[letter.pk]),
        "pdf_url": reverse("klachtformulieren_letter_pdf", args=[letter.pk]),
        "approve_url": reverse("klachtformulieren_letter_approve", args=[letter.pk]),
        "send_url": reverse("klachtformulieren_letter_send", args=[letter.pk]),
        "post_url": reverse("klachtformulieren_letter_post", args=[letter.pk]),
    }
