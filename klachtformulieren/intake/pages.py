"""The complaint form page: editors shape the texts and add questions around a fixed core."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractForm, AbstractFormField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.search import index

from klachtformulieren.cases.links import case_index_url
from klachtformulieren.intake import views
from klachtformulieren.intake.forms import ComplaintFormBuilder


class ComplaintFormField(AbstractFormField):
    """A question editors add to the form. Always optional (Wmebv), so no 'required' switch."""

    page = ParentalKey("klachtformulieren.ComplaintFormPage", on_delete=models.CASCADE, related_name="form_fields")

    panels = [
        FieldPanel("label"),
        FieldPanel("help_text"),
        FieldPanel("field_type", classname="formbuilder-type", required_on_save=True),
        FieldPanel("choices", classname="formbuilder-choices"),
        FieldPanel("default_value", classname="formbuilder-default"),
    ]

    def save(self, *args, **kwargs):
        self.required = False
        super().save(*args, **kwargs)


class ComplaintFormPage(RoutablePageMixin, AbstractForm):
    """Where a citizen files a complaint (klaagschrift, Awb 9:4)."""

    municipality = models.ForeignKey(
        "klachtformulieren.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The municipality whose complaints this form takes in."),
    )
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ul", "ol"])
    name_help_text = models.CharField(_("help text for the name"), max_length=255, blank=True)
    contact_help_text = models.CharField(
        _("help text for email and postal address"),
        max_length=255,
        blank=True,
        default=_("Fill in at least one of the two, so that we can answer you."),
    )
    description_help_text = models.CharField(
        _("help text for what happened"),
        max_length=255,
        blank=True,
        default=_("Tell us what happened, who was involved and why you are not satisfied."),
    )
    conduct_date_help_text = models.CharField(
        _("help text for the date"),
        max_length=255,
        blank=True,
        default=_("Not sure of the exact day? Fill in the date you think it was."),
    )
    privacy_notice = RichTextField(_("privacy notice"), features=["bold", "italic", "link"])
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy statement page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The page the privacy notice links to for more."),
    )
    thank_you_text = RichTextField(_("thank-you text"), blank=True, features=["bold", "italic", "link", "ul", "ol"])
    uploads_allowed = models.BooleanField(_("allow attachments"), default=True)
    max_files = models.PositiveSmallIntegerField(
        _("most attachments"), default=5, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    max_file_size_mb = models.PositiveSmallIntegerField(
        _("largest attachment (MB)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(25)]
    )

    form_builder = ComplaintFormBuilder

    content_panels = [
        *AbstractForm.content_panels,
        FieldPanel("municipality"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("name_help_text"),
                FieldPanel("contact_help_text"),
                FieldPanel("description_help_text"),
                FieldPanel("conduct_date_help_text"),
            ],
            heading=_("Help texts of the required questions"),
        ),
        InlinePanel("form_fields", label=_("Further questions (always optional)")),
        MultiFieldPanel(
            [FieldPanel("uploads_allowed"), FieldRowPanel([FieldPanel("max_files"), FieldPanel("max_file_size_mb")])],
            heading=_("Attachments"),
        ),
        FieldPanel("privacy_notice"),
        FieldPanel("privacy_page"),
        FieldPanel("thank_you_text"),
    ]
    search_fields = [*AbstractForm.search_fields, index.SearchField("intro")]

    template = "klachtformulieren/complaint_form_page.html"
    landing_page_template = "klachtformulieren/complaint_form_page_thank_you.html"

    class Meta:
        verbose_name = _("complaint form")
        verbose_name_plural = _("complaint forms")

    def core_help_texts(self):
        return {
            "name": self.name_help_text,
            "description": self.description_help_text,
            "conduct_date": self.conduct_date_help_text,
        }

    def process_form_submission(self, form):
        raise NotImplementedError("Complaints become cases through intake.register_complaint, not FormSubmission.")

    @staticmethod
    def leave_the_forms_listing(user, pages):
        """For ``filter_form_submissions_for_user``: the editors' Forms menu lists form submissions,
        and a complaint form has none (its complaints are cases), so it is not listed there."""
        return pages.not_type(ComplaintFormPage)

    def serve_submissions_list_view(self, request, *args, **kwargs):
        # Who still reaches the submissions URL (an old bookmark) finds the complaints among the cases.
        return redirect(case_index_url() or reverse("wagtailadmin_home"))

    @path("")
    def form_view(self, request):
        return views.complaint_form(request, self)

    @path("bedankt/", name="thank_you")
    def thank_you_view(self, request):
        return views.complaint_thank_you(request, self)

    @path("bedankt/ontvangstbewijs/", name="receipt")
    def receipt_view(self, request):
        return views.complaint_receipt(request, self)

    def render_landing_page(self, request, form_submission=None, *args, **kwargs):
        # Editors' "landing page" preview: the thank-you page with a made-up reference.
        return views.complaint_thank_you_preview(request, self)

    def thank_you_url(self, request):
        return self.get_url(request) + self.reverse_subpage("thank_you")

    def receipt_url(self, request):
        return self.get_url(request) + self.reverse_subpage("receipt")

    @staticmethod
    def status_url(request, token):
        return request.build_absolute_uri(reverse("klachtformulieren:status", kwargs={"token": token}))

    def render_form(self, request, form, *, status=200, notice=None):
        context = self.get_context(request)
        context.update({"form": form.accessible(), "notice": notice})
        return TemplateResponse(request, self.get_template(request), context, status=status)

    def redirect_to_thank_you(self, request):
        return redirect(self.thank_you_url(request))
