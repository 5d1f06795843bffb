from .pages import PartnerIndexPage
from .partner import (
    Partner,
    PartnerAnnualFigures,
    PartnerComplaintChannel,
    PartnerContract,
    SecondLine,
    Topic,
)

__all__ = [
    "Partner",
    "PartnerAnnualFigures",
    "PartnerComplaintChannel",
    "PartnerContract",
    "PartnerIndexPage",
    "SecondLine",
    "Topic",
]
