"""The database refuses every combination of status, outcome and dates the workflow cannot
make, whoever writes: the form, the admin, the importer, the generator or a bulk update."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from klachtformulieren.cases import workflow
from klachtformulieren.models import DECISION_OUTCOMES, Complaint, Outcome, Status
from tests.factories import ComplaintFactory, MunicipalityFactory, at

pytestmark = pytest.mark.django_db

RECEIVED = at(2026, 3, 2)
LATER = at(2026, 3, 20)
EARLIER = at(2026, 2, 1)


def refused(**changes):
    complaint = ComplaintFactory(received_at=RECEIVED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Complaint.objects.filter(pk=complaint.pk).update(**changes)


@pytest.mark.parametrize(
    "changes",
    [
        {"status": Status.HANDLING, "outcome": Outcome.UNFOUNDED},
        {"status": Status.INTAKE, "closed_at": LATER},
        {"status": Status.RECEIVED, "decided_at": LATER},
        {"status": Status.DECIDED, "outcome": Outcome.UNFOUNDED},
        {"status": Status.DECIDED, "outcome": Outcome.WITHDRAWN, "decided_at": LATER},
        {"status": Status.DECIDED, "outcome": Outcome.UNFOUNDED, "decided_at": LATER, "closed_at": LATER},
        {"status": Status.CLOSED, "outcome": Outcome.UNFOUNDED, "closed_at": LATER},
        {"status": Status.CLOSED, "outcome": Outcome.RESOLVED_INFORMALLY, "closed_at": LATER, "decided_at": LATER},
        {"status": Status.CLOSED, "outcome": Outcome.NOT_HANDLED, "closed_at": LATER},
        {"status": Status.CLOSED, "outcome": "", "closed_at": LATER},
        {"status": Status.NOT_HANDLED, "outcome": Outcome.NOT_HANDLED},
        {"status": Status.REFERRED, "outcome": Outcome.WITHDRAWN, "closed_at": LATER},
        {"status": Status.WITHDRAWN, "outcome": Outcome.WITHDRAWN, "closed_at": LATER, "decided_at": LATER},
    ],
    ids=lambda changes: "-".join(f"{key}={value}" for key, value in changes.items() if value),
)
def test_a_status_that_does_not_go_with_its_outcome_and_dates_is_refused(changes):
    refused(**changes)


@pytest.mark.parametrize(
    "changes",
    [
        {"status": Status.WITHDRAWN, "outcome": Outcome.WITHDRAWN, "closed_at": EARLIER},
        {"status": Status.DECIDED, "outcome": Outcome.UNFOUNDED, "decided_at": EARLIER},
        {
            "status": Status.CLOSED,
            "outcome": Outcome.UNFOUNDED,
            "decided_at": LATER,
            "closed_at": LATER - datetime.timedelta(days=1),
        },
    ],
    ids=["closed-before-received", "decided-before-received", "closed-before-decided"],
)
def test_dates_out_of_order_are_refused(changes):
    refused(**changes)


@pytest.mark.parametrize("outcome", [*DECISION_OUTCOMES, *(set(Outcome) - set(DECISION_OUTCOMES)), ""])
@pytest.mark.parametrize("closed", [False, True])
def test_every_outcome_the_workflow_reaches_is_stored(outcome, closed):
    complaint = ComplaintFactory.build(received_at=RECEIVED, municipality=MunicipalityFactory())
    workflow.reach_outcome(complaint, outcome=outcome, decided_at=LATER, closed_at=LATER if closed else None)

    complaint.save()

    complaint.refresh_from_db()
    assert complaint.outcome == outcome
    complaint.validate_constraints()
