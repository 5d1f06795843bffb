"""Demo cases for Lindenhaven, spread over two years and over the handling states.

Deterministic (a fixed random seed), so every demo portal looks the same. The cases are
fictional; the texts are written for this demo.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from klachtformulieren.cases import references, workflow
from klachtformulieren.intake.status import new_status_token
from klachtformulieren.models import (
    DECISION_OUTCOMES,
    Channel,
    Complaint,
    ComplaintKind,
    OrganisationUnit,
    ReferralKind,
    Status,
    Track,
)

DEMO_CASE_COUNT = 120
DEMO_SPAN_DAYS = 700

PEOPLE = [
    "A. de Vries",
    "M. Jansen",
    "F. el Amrani",
    "J. Bakker",
    "S. Visser",
    "K. Smit",
    "L. Meijer",
    "R. de Boer",
    "T. Mulder",
    "E. Bos",
    "N. Vos",
    "P. Peters",
    "H. Hendriks",
    "Y. Yilmaz",
]

STORIES = [
    (
        "Ik heb drie keer gebeld over mijn aanvraag, maar niemand belde mij terug.",
        "Bereikbaarheid (telefonisch of digitaal)",
        "Klantcontactcentrum",
    ),
    ("De medewerker aan de balie was kortaf en luisterde niet naar mijn vraag.", "Onheuse bejegening", "Burgerzaken"),
    (
        "Ik kreeg een brief met een verkeerd bedrag voor de afvalstoffenheffing.",
        "Onduidelijke of onjuiste informatie",
        "Belastingen",
    ),
    (
        "De afspraak voor een huisbezoek ging niet door en niemand liet het mij weten.",
        "Afspraak niet nagekomen",
        "Wmo en jeugd",
    ),
    (
        "Mijn aanvraag voor bijzondere bijstand ligt al tien weken stil.",
        "Trage of onvoldoende reactie op een verzoek",
        "Werk en inkomen",
    ),
    (
        "De buren bouwen zonder vergunning en de gemeente doet niets, ondanks mijn meldingen.",
        "Geen handhaving",
        "Handhaving",
    ),
    ("Mijn gegevens zijn per ongeluk naar een andere inwoner gestuurd.", "Schending van privacy", "Schuldhulp"),
    (
        "Op de website staat een andere openingstijd dan aan de deur van het gemeentehuis.",
        "Onduidelijke of onjuiste informatie",
        "Communicatie",
    ),
    (
        "Ik kreeg geen antwoord op mijn e-mail over de markt vergunning.",
        "Trage of onvoldoende reactie op een verzoek",
        "Markten en evenementen",
    ),
    ("De inspecteur was onvriendelijk tijdens de controle in mijn winkel.", "Onheuse bejegening", "Ondernemersloket"),
]

# Roughly how a year's cases end up: most resolved informally, some decided, a few not handled.
CLOSED_STATES = (
    [Status.CLOSED] * 14 + [Status.DECIDED] * 4 + [Status.NOT_HANDLED] * 2 + [Status.REFERRED] * 2 + [Status.WITHDRAWN]
)
CHANNELS = [Channel.WEB_FORM] * 5 + [Channel.EMAIL] * 3 + [Channel.PHONE] * 2 + [Channel.LETTER, Channel.DESK]


def seed_demo_cases(municipality, form_page):
    """Create the demo cases once; returns how many were made."""
    if Complaint.objects.filter(municipality=municipality).exists():
        return 0
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    kinds = {kind.name: kind for kind in ComplaintKind.objects.filter(municipality=municipality)}
    teams = {unit.name: unit for unit in OrganisationUnit.objects.filter(municipality=municipality, level="team")}
    now = timezone.now()
    with transaction.atomic():
        for index in range(DEMO_CASE_COUNT):
            # Spread over two years, more recent ones more often; the newest arrived yesterday.
            age_days = int(DEMO_SPAN_DAYS * (index / DEMO_CASE_COUNT) ** 1.3) if index else 1
            received_at = now - datetime.timedelta(days=age_days, hours=rng.randint(0, 8))
            story, kind_name, team_name = rng.choice(STORIES)
            status = _status_for_age(age_days, rng)
            channel = rng.choice(CHANNELS)
            complaint = Complaint(
                **references.allocate(received_at),
                municipality=municipality,
                channel=channel,
                received_at=received_at,
                name=rng.choice(PEOPLE),
                email=f"inwoner{index + 1}@voorbeeld.example",
                description=story,
                conduct_date=timezone.localdate(received_at) - datetime.timedelta(days=rng.randint(1, 20)),
                form_page=form_page if channel == Channel.WEB_FORM else None,
                status_token_hash=new_status_token()[1],
            )
            _handle(complaint, status, kinds.get(kind_name), teams.get(team_name), now, rng)
            complaint.save()
    return DEMO_CASE_COUNT


def _handle(complaint, status, kind, unit, now, rng):
    """Take the demo case through the workflow's steps, in memory, to ``status``."""
    if status == Status.RECEIVED:
        return
    received_at = complaint.received_at
    contacted = min(received_at + datetime.timedelta(days=rng.randint(1, 6)), now)
    settled = max(min(received_at + datetime.timedelta(days=rng.randint(7, 50)), now), contacted)
    formal = status == Status.DECIDED or (status == Status.CLOSED and rng.random() >= 0.7)
    track = Track.FORMAL if formal else Track.INFORMAL
    workflow.apply_record_intake(complaint, at=contacted, kind=kind, unit=unit, first_contact_at=contacted, track=track)
    if status == Status.INTAKE:
        return
    if status == Status.NOT_HANDLED:
        workflow.apply_not_handled(complaint, at=settled, reason_code=rng.choice(["b", "c", "lid2"]))
    elif status == Status.REFERRED:
        workflow.apply_refer(
            complaint, at=settled, referral_kind=ReferralKind.OBJECTION, referred_to="Bezwaarschriftencommissie"
        )
    elif status == Status.WITHDRAWN:
        workflow.apply_withdraw(complaint, at=settled)
    elif status == Status.CLOSED and not formal:
        workflow.apply_resolve_informally(complaint, at=settled, apology_offered=rng.random() < 0.4)
    else:
        workflow.apply_assign_handler(complaint, at=contacted, handler=None)
        if status == Status.HANDLING:
            return
        workflow.apply_waive_hearing(complaint, at=contacted, reason="De klager hoeft niet gehoord te worden.")
        if (settled - received_at).days > 42:
            workflow.apply_postpone(
                complaint, at=received_at + datetime.timedelta(days=30), weeks=4, reason="Meer tijd nodig."
            )
        workflow.apply_decide(complaint, at=settled, outcome=rng.choice(DECISION_OUTCOMES))
        if status == Status.CLOSED:
            closed = min(settled + datetime.timedelta(days=rng.randint(3, 14)), now)
            workflow.apply_close(complaint, at=closed, satisfied=rng.random() < 0.5)


def _status_for_age(age_days, rng):
    if age_days <= 3:
        return Status.RECEIVED
    if age_days <= 10:
        return rng.choice([Status.RECEIVED, Status.INTAKE])
    if age_days <= 45:
        return rng.choice([Status.INTAKE, Status.HANDLING, Status.HANDLING, Status.CLOSED])
    return rng.choice(CLOSED_STATES)
