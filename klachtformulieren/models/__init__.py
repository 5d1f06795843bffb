from .annual_figures import AnnualFiguresPage
from .classifications import ComplaintKind, OrganisationUnit
from .complaint import (
    Channel,
    Complaint,
    ComplaintAttachment,
    ContactMoment,
    NotHandledReason,
    Outcome,
    ReferenceSequence,
    ReferralKind,
    Status,
    Track,
)
from .municipality import Municipality
from .notifications import MailTemplate, Notification
from .ombudsman import OmbudsmanRequest
from .pages import ComplaintFormField, ComplaintFormPage
from .route_finder import RouteFinderPage

__all__ = [
    "AnnualFiguresPage",
    "Channel",
    "Complaint",
    "ComplaintAttachment",
    "ComplaintFormField",
    "ComplaintFormPage",
    "ComplaintKind",
    "ContactMoment",
    "MailTemplate",
    "Municipality",
    "NotHandledReason",
    "Notification",
    "OmbudsmanRequest",
    "OrganisationUnit",
    "Outcome",
    "ReferenceSequence",
    "ReferralKind",
    "RouteFinderPage",
    "Status",
    "Track",
]
