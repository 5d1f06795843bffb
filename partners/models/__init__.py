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
    "SecondLine",
    "Topic",
]
