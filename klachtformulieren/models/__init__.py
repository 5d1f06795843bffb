"""The case data: complaints, their classifications, municipalities, the outbox and the
ombudsman's requests. The page types live with their feature (intake, reporting,
route_finder) and are loaded by ``KlachtformulierenConfig.import_models``."""

from .classifications import ComplaintKind, OrganisationUnit
from .complaint import (
    DECISION_OUTCOMES,
    OPEN_STATUSES,
    ORAL_CHANNELS,
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
from .holidays import EquatedHoliday
from .inbound import InboundAttachment, InboundMailbox, InboundMessage
from .municipality import Municipality
from .my_complaints import MyComplaintsLink
from .notifications import MailTemplate, Notification
from .ombudsman import OmbudsmanRequest
from .receipt import SubmissionReceipt
from .report_rows import AnnualReportRows
from .retention import DestroyedCase, DestructionRecord
from .saved_filters import SavedCaseFilter
from .survey import SatisfactionSurvey

__all__ = [
    "DECISION_OUTCOMES",
    "OPEN_STATUSES",
    "ORAL_CHANNELS",
    "AnnualReportRows",
    "Channel",
    "Complaint",
    "ComplaintAttachment",
    "ComplaintKind",
    "ContactMoment",
    "DestroyedCase",
    "DestructionRecord",
    "EquatedHoliday",
    "InboundAttachment",
    "InboundMailbox",
    "InboundMessage",
    "MailTemplate",
    "Municipality",
    "MyComplaintsLink",
    "NotHandledReason",
    "Notification",
    "OmbudsmanRequest",
    "OrganisationUnit",
    "Outcome",
    "ReferenceSequence",
    "ReferralKind",
    "SatisfactionSurvey",
    "SavedCaseFilter",
    "Status",
    "SubmissionReceipt",
    "Track",
]
