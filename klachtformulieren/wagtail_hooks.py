from django.urls import path
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from klachtformulieren import views
from klachtformulieren.models import ComplaintKind, MailTemplate, Municipality, OrganisationUnit


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("klachten/bijlagen/<int:pk>/", views.attachment_download, name="klachtformulieren_attachment")]


register_snippet(Municipality)
register_snippet(ComplaintKind)
register_snippet(OrganisationUnit)
register_snippet(MailTemplate)
