"""The case file's letters: what the reader may do with each (``correspondence.letters``
decides), and where the buttons go."""

from django import template
from django.urls import reverse

from klachtformulieren.correspondence import letters

register = template.Library()


@register.simple_tag
def letter_actions(letter, user):
    """``{% letter_actions letter request.user as actions %}``: the rule's answers and the URLs."""
    return {
        "may": letters.actions_for(user, letter),
        "draft_url": reverse("klachtformulieren_letter_draft", args=[letter.pk]),
        "document_url": reverse("klachtformulieren_letter", args=[letter.pk]),
        "pdf_url": reverse("klachtformulieren_letter_pdf", args=[letter.pk]),
        "approve_url": reverse("klachtformulieren_letter_approve", args=[letter.pk]),
        "send_url": reverse("klachtformulieren_letter_send", args=[letter.pk]),
        "post_url": reverse("klachtformulieren_letter_post", args=[letter.pk]),
    }
