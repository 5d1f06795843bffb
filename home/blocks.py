"""StreamField blocks that communications staff compose information pages from.

Each block renders with its own small template in ``home/templates/home/blocks/``.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Heading 2")), ("h3", _("Heading 3"))],
        default="h2",
        help_text=_("Use heading 2 for sections and heading 3 for parts of a section."),
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "home/blocks/heading.html"


class RichTextBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", ["h2", "h3", *RICH_TEXT_FEATURES])
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Text")
        template = "home/blocks/rich_text.html"


class FAQItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=200)
    answer = blocks.RichTextBlock(label=_("Answer"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = _("Question and answer")
        template = "home/blocks/faq_item.html"


class ProcessStepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Step"), max_length=120)
    text = blocks.RichTextBlock(label=_("Explanation"), features=RICH_TEXT_FEATURES, required=False)

    class Meta:
        icon = "list-ol"
        label = _("Step")


class ProcessStepsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120, required=False)
    steps = blocks.ListBlock(ProcessStepBlock(), label=_("Steps"), min_num=1)

    class Meta:
        icon = "list-ol"
        label = _("Numbered steps")
        template = "home/blocks/process_steps.html"


class LinkValue(blocks.StructValue):
    """Templates render the address with ``{% link_url value %}`` (home's navigation tags)."""

    def text(self):
        page = self.get("page")
        return self.get("label") or (page.title if page else self.get("external_url"))


class LinkBlock(blocks.StructBlock):
    """A link to a page on this site or, failing that, a web address."""

    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    external_url = blocks.URLBlock(label=_("Web address"), required=False)
    label = blocks.CharBlock(
        label=_("Link text"),
        max_length=80,
        required=False,
        help_text=_("Leave empty to use the title of the chosen page."),
    )

    class Meta:
        icon = "link"
        label = _("Link")
        value_class = LinkValue

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("external_url")):
            message = _("Choose a page or fill in a web address, not both.")
            raise StructBlockValidationError(
                block_errors={"page": ValidationError(message)},
            )
        if value.get("external_url") and not value.get("label"):
            raise StructBlockValidationError(
                block_errors={"label": ValidationError(_("A link to a web address needs link text."))},
            )
        return value


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.TextBlock(label=_("Text"), required=False)
    link = LinkBlock(label=_("Button"))

    class Meta:
        icon = "pick"
        label = _("Call to action")
        template = "home/blocks/call_to_action.html"


class ContactBlock(blocks.StructBlock):
    """Contact details; empty fields fall back to the municipality's site settings."""

    title = blocks.CharBlock(label=_("Title"), max_length=120, default=_("Contact"))
    text = blocks.TextBlock(label=_("Text"), required=False)
    phone = blocks.CharBlock(label=_("Phone"), required=False, max_length=40)
    email = blocks.EmailBlock(label=_("Email"), required=False)
    opening_hours = blocks.TextBlock(label=_("Opening hours"), required=False)

    class Meta:
        icon = "mail"
        label = _("Contact details")
        template = "home/blocks/contact.html"
        help_text = _("Phone and email default to the municipality's details in the site settings.")


class NoticeBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[("info", _("Information")), ("warning", _("Warning")), ("success", _("Good to know"))],
        default="info",
    )
    title = blocks.CharBlock(label=_("Title"), max_length=120, required=False)
    text = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        label = _("Notice")
        template = "home/blocks/notice.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(
        label=_("Link text"),
        max_length=120,
        required=False,
        help_text=_("Leave empty to use the document's title."),
    )

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "home/blocks/document_link.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=250,
        help_text=_("Describe what the image shows for people who cannot see it (required)."),
    )
    caption = blocks.CharBlock(label=_("Caption"), max_length=250, required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "home/blocks/image.html"


BODY_BLOCKS = [
    ("heading", HeadingBlock()),
    ("text", RichTextBlock()),
    ("faq", FAQItemBlock()),
    ("process_steps", ProcessStepsBlock()),
    ("call_to_action", CallToActionBlock()),
    ("contact", ContactBlock()),
    ("notice", NoticeBlock()),
    ("document", DocumentLinkBlock()),
    ("image", ImageBlock()),
]


class QuickLinkBlock(LinkBlock):
    description = blocks.CharBlock(label=_("Description"), max_length=160, required=False)

    class Meta:
        icon = "link"
        label = _("Quick link")
