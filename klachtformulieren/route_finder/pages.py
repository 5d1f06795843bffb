"""The route finder (klachtwijzer): a few plain questions that send the visitor to the right place.

Editors write the questions; every answer leads to another question or to one destination:
the complaint form, the objection procedure, the report system for the public space, the
partners that carry out a public task, or another organisation. The rules of the walk live
in ``klachtformulieren.route_finder.rules``; this module holds the configuration and the rendering.
"""

from http import HTTPMethod
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from klachtformulieren.route_finder import rules

TEXT_FEATURES = ["bold", "italic", "link", "ul", "ol"]


def live_page_url(page, request):
    """The page's address when visitors can open it (published and routable), else None."""
    if page is None or not page.live:
        return None
    return page.get_url(request)


class TopicChooserBlock(blocks.ChooserBlock):
    """Chooses a partner topic (public task) from a drop-down: topics are few and not snippets."""

    target_model = "partners.Topic"

    @cached_property
    def widget(self):
        return forms.Select()

    def get_form_state(self, value):
        return None if value is None else str(value.pk)

    class Meta:
        icon = "tag"


class DestinationBlock(blocks.StructBlock):
    """Where an answer ends. Subclasses name the result (``result_heading``) and the link to follow."""

    result_heading = ""

    def link_url(self, value, request):
        return None

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        request = (parent_context or {}).get("request")
        context.update({"heading": self.result_heading, "link_url": self.link_url(value, request)})
        return context


def explanation_block(help_text, *, optional=False, label=None):
    """The editors' text on a destination: what the visitor reads there."""
    optional_kwargs = {"required": False} if optional else {}
    return blocks.RichTextBlock(
        **optional_kwargs, features=TEXT_FEATURES, label=label or _("Explanation"), help_text=help_text
    )


class ComplaintFormDestinationBlock(DestinationBlock):
    """It is a complaint about the municipality's conduct (Awb 9:1)."""

    page = blocks.PageChooserBlock(page_type="klachtformulieren.ComplaintFormPage", label=_("Complaint form"))
    explanation = explanation_block(
        _("Optional. Without it the visitor reads a standard sentence about filing a complaint."), optional=True
    )

    result_heading = _("File a complaint with the municipality")

    def link_url(self, value, request):
        return live_page_url(value["page"], request)

    class Meta:
        label = _("The complaint form")
        icon = "form"
        template = "klachtformulieren/route_finder/complaint_form.html"


class ObjectionDestinationBlock(DestinationBlock):
    """The visitor disagrees with a decision: that is an objection (bezwaar), not a complaint."""

    page = blocks.PageChooserBlock(
        required=False, label=_("Page about objections"), help_text=_("Choose a page or fill in a web address.")
    )
    url = blocks.URLBlock(required=False, label=_("Web address about objections"))
    explanation = explanation_block(
        _("Explain in plain words that this is an objection, how to object and within what term.")
    )

    result_heading = _("Object to a decision")

    def link_url(self, value, request):
        return live_page_url(value["page"], request) or value["url"] or None

    def clean(self, value):
        value = super().clean(value)
        if not value["page"] and not value["url"]:
            raise StructBlockValidationError(
                block_errors={"page": ValidationError(_("Choose a page or fill in a web address."))}
            )
        return value

    class Meta:
        label = _("The objection procedure")
        icon = "pick"
        template = "klachtformulieren/route_finder/objection.html"


class PublicSpaceReportDestinationBlock(DestinationBlock):
    """A loose paving stone or litter is a report (melding) for the report system, not a complaint."""

    url = blocks.URLBlock(label=_("Web address of the report system"))
    explanation = explanation_block(
        _("Optional. Without it the visitor reads a standard sentence about reports."), optional=True
    )

    result_heading = _("Report a problem in the public space")

    def link_url(self, value, request):
        return value["url"] or None

    class Meta:
        label = _("The report system for the public space")
        icon = "warning"
        template = "klachtformulieren/route_finder/public_space_report.html"


class PartnerTopicDestinationBlock(DestinationBlock):
    """A provider carries out this public task: complain there first (Nationale Ombudsman's rule 1)."""

    topic = TopicChooserBlock(label=_("Public task"))
    directory = blocks.PageChooserBlock(page_type="partners.PartnerIndexPage", label=_("Partner directory"))
    explanation = explanation_block(
        _("Optional. Without it the visitor reads a standard text about complaining to the organisation."),
        optional=True,
    )

    result_heading = _("Complain to the organisation that does this work")

    def link_url(self, value, request):
        directory_url = live_page_url(value["directory"], request)
        if directory_url is None or value["topic"] is None:
            return directory_url
        return f"{directory_url}?{urlencode({'onderwerp': value['topic'].slug})}"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        directory, topic = value["directory"], value["topic"]
        request = context.get("request")
        partners, complaint_url = [], None
        if context["link_url"]:
            complaint_url = live_page_url(directory.complaint_page, request)
            if topic is not None:
                partners = [
                    (partner, directory.partner_url(partner, request))
                    for partner in directory.published_partners().filter(topics=topic).order_by("name")
                ]
        context.update({"topic": topic, "partners": partners, "complaint_url": complaint_url})
        return context

    class Meta:
        label = _("Partners that do this public task")
        icon = "group"
        template = "klachtformulieren/route_finder/partner_topic.html"


class OtherOrganisationDestinationBlock(DestinationBlock):
    """Another organisation's conduct: the municipality forwards it (Awb 2:3) and tells the visitor."""

    name = blocks.CharBlock(
        required=False,
        max_length=150,
        label=_("Name of the organisation"),
        help_text=_("For example “the police”. Leave empty when the answer covers several organisations."),
    )
    explanation = explanation_block(
        _(
            "Explain where to complain instead, and that when the complaint reaches us anyway we send it on "
            "to the right organisation ourselves (Awb 2:3) and tell the complainant."
        ),
        label=_("How we forward it"),
    )
    url = blocks.URLBlock(required=False, label=_("Web address of the organisation"))

    result_heading = _("Your complaint is about another organisation")

    def link_url(self, value, request):
        return value["url"] or None

    class Meta:
        label = _("Another organisation")
        icon = "site"
        template = "klachtformulieren/route_finder/other_organisation.html"


NEXT_QUESTION = "next_question"


class OptionBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=200, label=_("Answer"))
    leads_to = blocks.StreamBlock(
        [
            (
                NEXT_QUESTION,
                blocks.CharBlock(
                    max_length=50,
                    validators=[validate_slug],
                    label=_("Another question"),
                    help_text=_("The key of the question to ask next."),
                    icon="help",
                ),
            ),
            ("complaint_form", ComplaintFormDestinationBlock()),
            ("objection", ObjectionDestinationBlock()),
            ("public_space_report", PublicSpaceReportDestinationBlock()),
            ("partner_topic", PartnerTopicDestinationBlock()),
            ("other_organisation", OtherOrganisationDestinationBlock()),
        ],
        min_num=1,
        max_num=1,
        label=_("Leads to"),
    )

    class Meta:
        label = _("Answer")
        icon = "radio-full"
        label_format = "{label}"


class QuestionBlock(blocks.StructBlock):
    key = blocks.CharBlock(
        max_length=50,
        validators=[validate_slug],
        label=_("Key"),
        help_text=_(
            "A short name of letters, digits and hyphens, for example “about-what”. "
            "Answers lead to this question by its key."
        ),
    )
    question = blocks.CharBlock(max_length=200, label=_("Question"))
    hint = blocks.TextBlock(required=False, max_length=400, label=_("Help text"))
    options = blocks.ListBlock(OptionBlock(), min_num=2, label=_("Answers"))

    class Meta:
        label = _("Question")
        icon = "help"
        label_format = "{key}: {question}"


class RouteFinderPage(Page):
    """The klachtwijzer: sends the visitor to the complaint form or to where their matter belongs."""

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=TEXT_FEATURES,
        help_text=_("Shown above the first question."),
    )
    steps = StreamField(
        [("question", QuestionBlock())],
        min_num=1,
        verbose_name=_("questions"),
        help_text=_("The route finder starts with the first question. Each answer leads to another question or ends."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("steps")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    subpage_types = []
    # Every step is a plain GET, so the answers stay in the address (Back button, bookmarks).
    allowed_http_methods = [HTTPMethod.GET, HTTPMethod.HEAD, HTTPMethod.OPTIONS]
    template = "klachtformulieren/route_finder_page.html"

    class Meta:
        verbose_name = _("route finder (klachtwijzer)")
        verbose_name_plural = _("route finders (klachtwijzers)")

    def questions(self):
        """The configuration as plain ``rules.Question`` objects."""
        questions = []
        for step in self.steps:
            options = []
            for option in step.value["options"]:
                leads_to = option["leads_to"]
                target = leads_to[0] if len(leads_to) else None
                if target is None:
                    options.append(rules.Option(option["label"]))
                elif target.block_type == NEXT_QUESTION:
                    options.append(rules.Option(option["label"], next_key=target.value))
                else:
                    options.append(rules.Option(option["label"], destination=target))
            questions.append(
                rules.Question(
                    key=step.value["key"],
                    text=step.value["question"],
                    hint=step.value["hint"],
                    options=tuple(options),
                )
            )
        return questions

    def clean(self):
        super().clean()
        problems = rules.configuration_problems(self.questions())
        if problems:
            raise ValidationError({"steps": _steps_error(problems)})

    def serve(self, request, *args, **kwargs):
        step = rules.step_for(self.questions(), request.GET)
        if step.redirect_query:
            return redirect(request.path + step.redirect_query)
        return TemplateResponse(request, self.get_template(request), self.get_context(request, step=step))

    def get_context(self, request, *args, step=None, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["step"] = step or rules.step_for(self.questions(), request.GET)
        return context


def _steps_error(problems):
    """Attach each problem to its question block, so the editor sees it where it is."""
    by_question = {}
    general = []
    for problem in problems:
        if problem.question_index is None:
            general.append(problem.message)
        else:
            by_question.setdefault(problem.question_index, []).append(problem.message)
    return StreamBlockValidationError(
        block_errors={
            index: StructBlockValidationError(non_block_errors=messages) for index, messages in by_question.items()
        },
        non_block_errors=general,
    )
