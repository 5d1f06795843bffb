"""Validation of the blocks editors compose pages from."""

import pytest
from django.core.exceptions import ValidationError

from home.blocks import ImageBlock, LinkBlock


def test_link_needs_a_page_or_a_web_address():
    with pytest.raises(ValidationError):
        LinkBlock().clean(LinkBlock().to_python({"page": None, "external_url": "", "label": "Ergens heen"}))


@pytest.mark.django_db
def test_link_may_not_have_both_a_page_and_a_web_address(home_page):
    block = LinkBlock()
    value = block.to_python({"page": home_page.pk, "external_url": "https://example.org/", "label": "x"})

    with pytest.raises(ValidationError):
        block.clean(value)


def test_link_to_a_web_address_needs_link_text():
    block = LinkBlock()

    with pytest.raises(ValidationError):
        block.clean(block.to_python({"page": None, "external_url": "https://example.org/", "label": ""}))
    cleaned = block.clean(block.to_python({"page": None, "external_url": "https://example.org/", "label": "Ombudsman"}))
    assert cleaned.text() == "Ombudsman"


def test_image_requires_alternative_text():
    assert ImageBlock().child_blocks["alt_text"].required is True
    with pytest.raises(ValidationError):
        ImageBlock().child_blocks["alt_text"].clean("")
