"""Many realistic complaint cases at once, for benchmarks and development (``manage.py generate_complaints``).

A generated case is received some time in the last few years (a little more every year,
fewer at weekends and on holidays), by any channel, and then follows the steps of
the workflow in time: intake (kind, team, track, first contact), a handler, informing the
person complained about (Awb 9:9), the hearing or why not (9:10), a postponement when the
term would be missed (9:11), the decision (9:12), closing; or it ends earlier: resolved
informally (9:5, most cases), not taken into handling (9:8), referred (2:3) or withdrawn.
Each case stands where its steps have brought it today, so the open cases are the recent
ones, plus a few forgotten ones that are now overdue. Every step leaves a history record
with its step, user and reason, as ``workflow`` does; registration leaves the "+" record.

Each step is the workflow's own in-memory step (``workflow.apply_<step>``) on an unsaved
``Complaint``, so a generated case can only be in a state the law's rules allow. The rows
are then written in batches by ``bulk.writers`` (PostgreSQL: COPY; other databases:
executemany), far faster than saving each step. No mails, outbox records, contact moments
or attachments are made.

References: the numbers continue each year's ``ReferenceSequence`` (and never reuse a number
already taken), are handed out in order of receipt, and the sequences are left at the last
generated number, so the intake continues after them. Everything happens in one transaction
that locks the sequences of the years it fills: a complaint filed meanwhile waits until the
generation commits, and a failed run leaves nothing behind. Running twice adds more cases.

Deterministic for a given ``seed`` and moment ``now``, except the status token hashes,
which are hashes of fresh random tokens that nobody knows (like a real case whose
complainant lost the link).
"""

import bisect
import collections
import datetime
import random
import unicodedata
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from klachtformulieren.bulk import writers
from klachtformulieren.cases import deadlines, references, roles, seed_data, workflow
from klachtformulieren.intake.pages import ComplaintFormPage
from klachtformulieren.intake.status import new_status_token
from klachtformulieren.models import (
    Channel,
    Complaint,
    ComplaintKind,
    NotHandledReason,
    OrganisationUnit,
    Outcome,
    ReferralKind,
    Track,
)
from partners.models import Partner

HistoricalComplaint = Complaint.history.model

DEFAULT_YEARS = 6
DEFAULT_BATCH_SIZE = 5000
# The "+" record of every generated case says so, so generated data can be found again.
CHANGE_REASON = "generate_complaints"

# A municipality without classifications gets this much to generate into.
MINIMAL_ORGANISATION = {
    "Dienstverlening": {"Publiekszaken": ["Klantcontactcentrum", "Burgerzaken"]},
    "Sociaal domein": {"Werk en zorg": ["Werk en inkomen", "Wmo en jeugd"]},
    "Fysiek domein": {"Openbare ruimte": ["Beheer openbare ruimte", "Vergunningen en handhaving"]},
}
GENERATED_COORDINATORS = 3
GENERATED_HANDLERS = 12

# How the complaints come in, in published municipal practice: most by web form and mail.
CHANNEL_WEIGHTS = {
    Channel.WEB_FORM: 45,
    Channel.EMAIL: 20,
    Channel.PHONE: 15,
    Channel.LETTER: 8,
    Channel.DESK: 6,
    Channel.INTERNAL: 3,
    Channel.OMBUDSMAN: 3,
}
YEARLY_GROWTH = 0.06
WEEKEND_WEIGHT = 0.3  # web forms and mail still come in at weekends; they count from the day received
HOLIDAY_WEIGHT = 0.4
# Local hour of receipt 7:00-22:59: office hours for phone and desk, evenings for the web form.
HOUR_WEIGHTS = [2, 6, 10, 11, 10, 8, 9, 10, 9, 7, 5, 4, 4, 3, 3, 2]
FIRST_HOUR = 7

# The share of cases that end at each point (Heerlen 2021: 80% resolved informally).
ENDS_BEFORE_INTAKE = 0.03
AFTER_INTAKE = {
    "resolved_at_intake": 0.50,
    "handled": 0.38,
    "referred": 0.055,
    "not_handled": 0.04,
    "withdrawn": 0.02,
    "forgotten": 0.005,  # given to a handler, then left: overdue once the term has passed
}
FORMAL_SHARE = 0.3
COMMITTEE_SHARE = 0.05  # of the formal cases (Awb 9:14)
PARTNER_SHARE = 0.04
DECISION_WEIGHTS = {
    Outcome.UNFOUNDED: 40,
    Outcome.PARTLY_WELL_FOUNDED: 25,
    Outcome.WELL_FOUNDED: 25,
    Outcome.NO_JUDGEMENT: 10,
}
REFERRAL_WEIGHTS = {
    ReferralKind.REPORT_SYSTEM: 35,
    ReferralKind.OBJECTION: 30,
    ReferralKind.PARTNER: 20,
    ReferralKind.OTHER_BODY: 15,
}
NOT_HANDLED_WEIGHTS = {
    NotHandledReason.HANDLED_BEFORE: 20,
    NotHandledReason.OLDER_THAN_A_YEAR: 20,
    NotHandledReason.OBJECTION_POSSIBLE: 30,
    NotHandledReason.APPEAL_POSSIBLE: 10,
    NotHandledReason.BEFORE_COURT: 5,
    NotHandledReason.CRIMINAL_INVESTIGATION: 3,
    NotHandledReason.TOO_SMALL: 12,
}

FIRST_NAMES = [
    "Jan", "Piet", "Kees", "Willem", "Henk", "Daan", "Sem", "Lucas", "Mohammed", "Ahmed", "Thijs", "Bram",
    "Ruben", "Mehmet", "Sander", "Joost", "Anna", "Emma", "Sophie", "Julia", "Maria", "Fatima", "Sanne",
    "Lotte", "Eva", "Lisa", "Ingrid", "Yasmina", "Femke", "Marieke", "Anouk", "Esther", "Noor", "Priya",
]  # fmt: skip
SURNAMES = [
    "de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
    "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra",
    "Smits", "de Graaf", "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen",
    "van den Heuvel", "van der Veen", "van den Broek", "de Bruijn", "de Jong", "Yilmaz", "El Amrani",
    "Öztürk", "Nguyen", "Kaya", "Bouzid", "Pinas", "Wijnaldum", "Şahin", "Kramer", "Hoekstra", "Postma",
]  # fmt: skip
STREETS = [
    "Lindelaan", "Kerkstraat", "Dorpsstraat", "Molenweg", "Schoolstraat", "Stationsweg", "Julianastraat",
    "Beatrixlaan", "Nieuwe Gracht", "Vlietkade", "Eikenhof", "Berkenrode", "Populierenweg", "Marktplein",
]  # fmt: skip
ORGANISATIONS = [
    "Bakkerij Het Gouden Korenaar", "Stichting Buurtwerk Lindenhaven", "Vereniging van Eigenaren Vlietkade",
    "Sportvereniging LSV", "Huurdersvereniging De Linde", "Café De Zwaan", "Kinderopvang Het Boompje",
]  # fmt: skip
STORIES = [
    "Ik heb drie keer gebeld over mijn aanvraag, maar niemand belde mij terug.",
    "De medewerker aan de balie was kortaf en luisterde niet naar mijn vraag.",
    "Ik kreeg een brief met een verkeerd bedrag voor de afvalstoffenheffing.",
    "De afspraak voor een huisbezoek ging niet door en niemand liet het mij weten.",
    "Mijn aanvraag voor bijzondere bijstand ligt al tien weken stil.",
    "De buren bouwen zonder vergunning en de gemeente doet niets, ondanks mijn meldingen.",
    "Mijn gegevens zijn per ongeluk naar een andere inwoner gestuurd.",
    "Op de website staat een andere openingstijd dan aan de deur van het gemeentehuis.",
    "Ik kreeg geen antwoord op mijn e-mail over de marktvergunning.",
    "De inspecteur was onvriendelijk tijdens de controle in mijn winkel.",
    "De vervoerder van de Wmo-taxi kwam twee keer niet opdagen en de gemeente verwees mij terug.",
    "Mijn paspoortaanvraag is kwijtgeraakt en ik moest opnieuw betalen.",
    "Ik moest drie weken wachten op een afspraak bij het loket voor schuldhulp.",
    "De consulent heeft toegezegd mij te bellen, maar dat is nooit gebeurd.",
    "De gemeente heeft mijn bezwaar doorgestuurd zonder mij te informeren.",
    "Ik voelde mij niet serieus genomen toen ik belde over de overlast in mijn straat.",
    "De brief over mijn uitkering was onbegrijpelijk en niemand kon het mij uitleggen.",
    "Het digitale formulier liep steeds vast en de helpdesk was niet bereikbaar.",
]
STORY_ENDINGS = [
    "",
    " Dit is niet de eerste keer.",
    " Ik vind dit onacceptabel en wil dat hier iets mee gebeurt.",
    " Mijn buren hebben hetzelfde meegemaakt.",
    " Het heeft mij veel tijd en geld gekost.",
    " Ik hoop dat u hiervan leert.",
]
DESIRED_OUTCOMES = [
    "Excuses.",
    "Dat mijn aanvraag alsnog wordt behandeld.",
    "Dat het bedrag wordt gecorrigeerd.",
    "Een gesprek met de teamleider.",
    "Dat dit anderen niet overkomt.",
]
INVOLVED = [
    "Een medewerker van de balie.",
    "De consulent die mijn aanvraag behandelt.",
    "Het klantcontactcentrum.",
    "De toezichthouder.",
    "Iemand van de afdeling vergunningen.",
]
RESOLUTIONS = [
    "Teruggebeld, uitleg gegeven en de aanvraag alsnog in behandeling genomen.",
    "Excuses aangeboden; de klager is tevreden.",
    "Gesprek met de teamleider; afspraken gemaakt over het vervolg.",
    "Het bedrag is gecorrigeerd en de klager is daarover gebeld.",
    "Uitleg gegeven over de procedure; de klager kan zich erin vinden.",
]
FINDINGS = [
    "Uit het gesprek met de medewerker en de klager blijkt dat de terugbelafspraak niet is nagekomen.",
    "De klager en de medewerker geven een verschillende lezing; er zijn geen andere bronnen.",
    "De informatie op de website was verouderd.",
    "De aanvraag is binnen de wettelijke termijn behandeld.",
]
REASONS = [
    "De gemeente had de klager beter moeten informeren.",
    "De gedraging voldoet aan de norm van behoorlijk handelen.",
    "Voor een deel van de klacht is de gedraging niet behoorlijk.",
    "Zonder verdere bronnen kan geen oordeel worden gegeven.",
]
# The demo form's extra question (seed_demo), answered; shared by the cases, never changed.
EXTRA_ANSWERS = [
    [{"question": "Hoe wilt u het liefst dat wij contact opnemen?", "answer": answer}]
    for answer in ("Telefoon", "E-mail", "Brief")
]
NO_ANSWERS = []
REFERRAL_REASON = "Hoort bij een andere procedure of organisatie."
NOT_HANDLED_REASON = "Awb 9:8 is van toepassing."
WITHDRAWAL_REASON = "De klager heeft de klacht telefonisch ingetrokken."
OTHER_BODIES = ["Politie", "Belastingdienst", "UWV", "Provincie", "Waterschap", "Woningcorporatie"]


@dataclass
class Classifications:
    """What the cases of one municipality point to, as ids, and the weights to pick them by."""

    municipality_id: int
    town: str
    kinds: list
    teams: list
    partners: list  # (id, name)
    form_page_id: int | None
    coordinators: list
    handlers: list
    created: list = field(default_factory=list)  # what had to be made first, for the command to report


@dataclass
class Result:
    cases: int = 0
    history_records: int = 0
    references: dict = field(default_factory=dict)  # year -> (first number, last number)
    created: list = field(default_factory=list)  # classifications or accounts that had to be made first


def prepare_classifications(municipality):
    """The kinds, teams, partners and staff to use; a minimal set is created where none exists."""
    created = []
    kinds = list(
        ComplaintKind.objects.filter(Q(municipality=municipality) | Q(municipality__isnull=True), active=True)
        .order_by("sort_order", "pk")
        .values_list("pk", flat=True)
    )
    if not kinds:
        kinds = [kind.pk for kind in seed_data.seed_kinds(municipality, seed_data.MUNICIPAL_KINDS).values()]
        created.append(f"{len(kinds)} kinds of complaint")
    teams_query = OrganisationUnit.objects.filter(
        municipality=municipality, level=OrganisationUnit.Level.TEAM, active=True
    ).order_by("pk")
    teams = list(teams_query.values_list("pk", flat=True))
    if not teams:
        teams = [team.pk for team in seed_data.seed_organisation(municipality, MINIMAL_ORGANISATION).values()]
        created.append(f"{len(teams)} teams")
    form_page = ComplaintFormPage.objects.filter(municipality=municipality).order_by("pk").first()
    coordinators, generated = _staff(
        roles.group_name(roles.COORDINATOR), "coordinator", GENERATED_COORDINATORS, created
    )
    if generated:
        municipality.staff.add(*coordinators)  # existing coordinators keep the access they were given
    handlers, _generated = _staff(roles.group_name(roles.HANDLER), "handler", GENERATED_HANDLERS, created)
    return Classifications(
        municipality_id=municipality.pk,
        town=municipality.name,
        kinds=kinds,
        teams=teams,
        partners=list(Partner.objects.filter(published=True).order_by("pk").values_list("pk", "name")),
        form_page_id=form_page.pk if form_page else None,
        coordinators=coordinators,
        handlers=handlers,
        created=created,
    )


def _staff(group_name, role, count, created):
    """The active users in a role group; without any, accounts nobody can log in with.

    Returns their ids, and whether they were generated.
    """
    user_model = get_user_model()
    existing = list(
        user_model.objects.filter(is_active=True, groups__name=group_name).order_by("pk").values_list("pk", flat=True)
    )
    if existing:
        return existing, False
    group = Group.objects.filter(name=group_name).first()
    users = []
    for index in range(1, count + 1):
        user, made = user_model.objects.get_or_create(
            username=f"generated-{role}-{index:02d}",
            defaults={
                "first_name": FIRST_NAMES[index % len(FIRST_NAMES)],
                "last_name": SURNAMES[index % len(SURNAMES)],
                "is_staff": True,
            },
        )
        if made:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        if group:
            user.groups.add(group)
        users.append(user.pk)
    created.append(f"{count} {role} accounts without a password")
    return users, True


def generate_complaints(
    count,
    *,
    municipality,
    seed,
    years=DEFAULT_YEARS,
    batch_size=DEFAULT_BATCH_SIZE,
    now=None,
    on_progress=None,
):
    """Generate ``count`` cases with their history; returns a ``Result``.

    ``on_progress(done, count)`` is called after every batch.
    """
    now = timezone.localtime(now)
    rng = random.Random(seed)  # noqa: S311 - test data, not security
    result = Result()
    with transaction.atomic():
        classifications = prepare_classifications(municipality)
        builder = _CaseBuilder(rng, classifications, now)
        moments = _moments_of_receipt(rng, count, now, years)
        per_year = collections.Counter(moment.year for moment in moments)
        numbers = {year: iter(references.reserve(year, per_year[year])) for year in sorted(per_year)}
        writer = writers.for_database()
        ids = iter(writer.reserve_ids(count))
        with writer:
            for start in range(0, count, batch_size):
                complaints, history = [], []
                for received_at in moments[start : start + batch_size]:
                    year = received_at.year
                    number = next(numbers[year])
                    row, records = builder.case(next(ids), received_at, number)
                    complaints.append(row)
                    history.extend(records)
                    result.references[year] = (result.references.get(year, (number,))[0], number)
                writer.write(complaints, history)
                result.cases += len(complaints)
                result.history_records += len(history)
                if on_progress:
                    on_progress(result.cases, count)
    if connection.vendor == "postgresql":
        # Fresh statistics, so the listings' queries are planned for the new volume right away.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Complaint._meta.db_table}, {HistoricalComplaint._meta.db_table}")
    result.created = classifications.created
    return result


def _moments_of_receipt(rng, count, now, years):
    """``count`` local receipt times in the last ``years`` years, sorted: references follow receipt."""
    today = now.date()
    first_day = today - datetime.timedelta(days=round(365.25 * years))
    days = [first_day + datetime.timedelta(days=offset) for offset in range((today - first_day).days + 1)]
    cumulative, total = [], 0.0
    for day in days:
        weight = (1 + YEARLY_GROWTH) ** ((day - first_day).days / 365.25)
        if day.weekday() >= 5:
            weight *= WEEKEND_WEIGHT
        elif not deadlines.is_working_day(day):
            weight *= HOLIDAY_WEIGHT
        total += weight
        cumulative.append(total)
    hours = rng.choices(range(FIRST_HOUR, FIRST_HOUR + len(HOUR_WEIGHTS)), HOUR_WEIGHTS, k=count)
    seconds_today = now.hour * 3600 + now.minute * 60 + now.second
    moments = []
    for hour in hours:
        day = days[bisect.bisect_left(cumulative, rng.random() * total)]
        second = hour * 3600 + rng.randrange(3600)
        if day == today and second > seconds_today:
            second = rng.randrange(seconds_today + 1)
        moments.append(day.toordinal() * 86400 + second)
    moments.sort()
    zone = now.tzinfo
    return [
        datetime.datetime.combine(datetime.date.fromordinal(moment // 86400), datetime.time(), zone)
        + datetime.timedelta(seconds=moment % 86400)
        for moment in moments
    ]


class _CaseBuilder:
    """One case at a time: the row as it stands now, and a history record per step taken."""

    def __init__(self, rng, classifications, now):
        self.rng = rng
        self.c = classifications
        self.now = now
        self.zone = now.tzinfo
        self.channels, self.channel_weights = _cumulative(CHANNEL_WEIGHTS)
        # Some kinds and teams get far more complaints than others.
        self.kind_weights = _cumulative_list([1 / (rank + 1) ** 0.7 for rank in range(len(classifications.kinds))])
        self.team_weights = _cumulative_list([1 / (rank + 1) ** 0.5 for rank in range(len(classifications.teams))])
        self.people = [(first, last, _email_name(first, last)) for first in FIRST_NAMES for last in SURNAMES]
        # The steps take model instances; these stand for the rows by their ids.
        self.kind_of = {pk: ComplaintKind(pk=pk) for pk in classifications.kinds}
        self.unit_of = {pk: OrganisationUnit(pk=pk) for pk in classifications.teams}
        staff = {*classifications.handlers, *classifications.coordinators}
        self.user_of = {pk: get_user_model()(pk=pk) for pk in staff}

    def case(self, complaint_id, received_at, number):
        rng = self.rng
        received_on = received_at.date()
        channel = self.channels[bisect.bisect_right(self.channel_weights, rng.random() * self.channel_weights[-1])]
        first, last, email_name = rng.choice(self.people)
        on_web = channel == Channel.WEB_FORM
        by_mail = on_web or channel == Channel.EMAIL
        form_page_id = self.c.form_page_id if on_web else None
        partner_id = None
        if self.c.partners and rng.random() < PARTNER_SHARE:
            partner_id = rng.choice(self.c.partners)[0]
        conduct_date = received_on - datetime.timedelta(days=int(rng.expovariate(1 / 12)) + 1)
        # What is known at registration; everything else is the model's default until a step sets it.
        row = {
            "id": complaint_id,
            "reference": references.format_reference(received_at.year, number),
            "year": received_at.year,
            "number": number,
            "municipality_id": self.c.municipality_id,
            "channel": channel,
            "received_at": received_at,
            "name": f"{first[0]}. {last}" if rng.random() < 0.5 else f"{first} {last}",
            "organisation_name": rng.choice(ORGANISATIONS) if rng.random() < 0.04 else "",
            "postal_address": self._address() if channel == Channel.LETTER or rng.random() < 0.4 else "",
            "email": f"{email_name}{rng.randrange(100)}@voorbeeld.example" if by_mail or rng.random() < 0.5 else "",
            "phone": f"06-{rng.randrange(10**8):08d}" if channel == Channel.PHONE or rng.random() < 0.3 else "",
            "representative_name": "",
            "representative_relation": "",
            "description": rng.choice(STORIES) + rng.choice(STORY_ENDINGS),
            "conduct_date": conduct_date,
            "conduct_date_end": None,
            "conduct_involved": rng.choice(INVOLVED) if rng.random() < 0.3 else "",
            "desired_outcome": rng.choice(DESIRED_OUTCOMES) if rng.random() < 0.4 else "",
            "extra_answers": NO_ANSWERS,
            "form_page_id": form_page_id,
            "privacy_notice_acknowledged_at": received_at if form_page_id else None,
            "status_token_hash": new_status_token()[1],
            "partner_id": partner_id,
            "updated_at": received_at,
        }
        if rng.random() < 0.05:
            row["representative_name"] = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
            row["representative_relation"] = rng.choice(["Dochter", "Zoon", "Buurvrouw", "Mentor", "Advocaat"])
        if rng.random() < 0.08:
            row["conduct_date_end"] = min(conduct_date + datetime.timedelta(days=rng.randint(1, 30)), received_on)
        if on_web and rng.random() < 0.6:
            row["extra_answers"] = rng.choice(EXTRA_ANSWERS)
        complaint = writers.new_complaint(**row)
        # Planned before the "+" record: a case not taken into handling because the conduct
        # is over a year old (Awb 9:8 b) was received with that old conduct date.
        steps = list(self._steps(complaint, received_at))
        registrar = None if on_web else rng.choice(self.c.coordinators)
        row = writers.case_row(complaint)
        records = [writers.history_row(row, at=received_at, history_type="+", user_id=registrar, reason=CHANGE_REASON)]
        for at, step, user, reason, details, arguments in steps:
            if at > self.now:
                break
            for name, value in details.items():  # facts of the case that are no step's effect
                setattr(complaint, name, value)
            workflow.IN_MEMORY[step](complaint, at=at, **arguments)
            complaint.updated_at = at
            row = writers.case_row(complaint)
            records.append(writers.history_row(row, at=at, history_type="~", user_id=user, step=step, reason=reason))
        return row, records

    def _steps(self, complaint, received_at):
        """The steps this case will take, in time, as (at, step, user id, reason, details,
        arguments): ``details`` are facts of the case set before the step, ``arguments`` the
        keyword arguments of the step's in-memory function in ``workflow``."""
        rng = self.rng
        c = self.c
        coordinator = rng.choice(c.coordinators)
        if rng.random() < ENDS_BEFORE_INTAKE:
            yield self._early_end(complaint, received_at, coordinator)
            return
        # Most first contacts fall within the 5 working days of the service target.
        intake_at = self._later(received_at, 0, 6 if rng.random() < 0.9 else 15)
        formal = rng.random() < FORMAL_SHARE
        about = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}" if formal or rng.random() < 0.3 else ""
        yield (
            intake_at,
            "record_intake",
            coordinator,
            "",
            {"person_complained_about": about},
            {
                "kind": self.kind_of[self._pick(c.kinds, self.kind_weights)],
                "unit": self.unit_of[self._pick(c.teams, self.team_weights)],
                "first_contact_at": intake_at,
                "track": Track.FORMAL if formal else Track.INFORMAL,
            },
        )
        end = _choose(rng, AFTER_INTAKE)
        if end == "resolved_at_intake":
            yield self._resolution(self._later(intake_at, 0, 10), coordinator)
        elif end in ("referred", "not_handled", "withdrawn"):
            yield self._routing(end, complaint, self._later(intake_at, 1, 20), coordinator)
        else:
            assigned_at = self._later(intake_at, 0, 5)
            handler = rng.choice(c.handlers)
            committee = formal and rng.random() < COMMITTEE_SHARE
            details = {"advisory_committee": committee}
            yield assigned_at, "assign_handler", coordinator, "", details, {"handler": self.user_of[handler]}
            if end == "handled":
                if formal:
                    yield from self._formal_handling(received_at, assigned_at, handler, coordinator, about, committee)
                else:
                    yield from self._informal_handling(assigned_at, handler, coordinator)

    def _early_end(self, complaint, received_at, coordinator):
        end = _choose(self.rng, {"referred": 0.5, "not_handled": 0.4, "withdrawn": 0.1})
        return self._routing(end, complaint, self._later(received_at, 1, 15), coordinator)

    def _routing(self, end, complaint, at, coordinator):
        rng = self.rng
        if end == "referred":
            kind = _choose(rng, REFERRAL_WEIGHTS)
            to = {
                ReferralKind.REPORT_SYSTEM: "Meldingen openbare ruimte",
                ReferralKind.OBJECTION: "Bezwaarschriftencommissie",
                ReferralKind.OTHER_BODY: rng.choice(OTHER_BODIES),
            }.get(kind)
            if kind == ReferralKind.PARTNER:
                to = rng.choice(self.c.partners)[1] if self.c.partners else "Uitvoerder Wmo-vervoer"
            return at, "refer", coordinator, REFERRAL_REASON, {}, {"referral_kind": kind, "referred_to": to}
        if end == "not_handled":
            code = _choose(rng, NOT_HANDLED_WEIGHTS)
            if code == NotHandledReason.OLDER_THAN_A_YEAR:
                complaint.conduct_date = complaint.received_at.date() - datetime.timedelta(days=rng.randint(370, 900))
                complaint.conduct_date_end = None
            return at, "not_handled", coordinator, NOT_HANDLED_REASON, {}, {"reason_code": code}
        return at, "withdraw", coordinator, WITHDRAWAL_REASON, {}, {}

    def _resolution(self, at, user):
        how = self.rng.choice(RESOLUTIONS)
        return at, "resolve_informally", user, how, {}, {"how": how, "apology_offered": self.rng.random() < 0.25}

    def _informal_handling(self, assigned_at, handler, coordinator):
        end = _choose(self.rng, {"resolved": 0.85, "withdrawn": 0.05, "decided": 0.10})
        if end == "resolved":
            yield self._resolution(self._later(assigned_at, 2, 30), handler)
        elif end == "withdrawn":
            yield self._routing("withdrawn", None, self._later(assigned_at, 2, 30), coordinator)
        else:
            yield from self._decision(self._later(assigned_at, 10, 35), handler, coordinator)

    def _formal_handling(self, received_at, assigned_at, handler, coordinator, about, committee):
        rng = self.rng
        at = self._later(assigned_at, 0, 5)
        yield at, "inform_person_complained_about", handler, "", {}, {}
        if rng.random() < 0.7:
            at = self._later(at, 1, 5)
            hearing = self._later(at, 7, 21)
            yield at, "plan_hearing", handler, "", {}, {"planned_for": hearing}
            at = self._later(hearing, 0, 3)
            report = f"Gehoord: de klager en {about}. Beide lezingen zijn vastgelegd."
            yield at, "record_hearing_report", handler, "", {}, {"report": report}
        else:
            reason = rng.choice(["De klager ziet af van horen.", "De klacht is kennelijk ongegrond."])
            at = self._later(at, 1, 5)
            yield at, "waive_hearing", handler, reason, {}, {"reason": reason}
        # Most decisions come within the term (Awb 9:11); when one will not, the handler
        # postpones by four weeks before the term ends (lid 2), usually.
        term = (deadlines.COMMITTEE_DECISION_TERM if committee else deadlines.DECISION_TERM).days
        decided_after = int(rng.triangular(21, term + 35, term - 7))
        if decided_after > term and rng.random() < 0.8:
            postponed_at = self._later(received_at, term - 10, term - 3)
            due = deadlines.decision_due(received_at.date(), committee=committee)
            if postponed_at <= at:
                postponed_at = self._later(at, 0, 2)
            if postponed_at.date() <= due:
                reason = "Het horen van de betrokkenen kost meer tijd."
                arguments = {"weeks": deadlines.MAX_POSTPONEMENT_WEEKS, "reason": reason}
                yield postponed_at, "postpone", handler, reason, {}, arguments
                at = postponed_at
        decided_at = self._later(received_at, decided_after, decided_after)
        if decided_at <= at:
            decided_at = self._later(at, 1, 5)
        yield from self._decision(decided_at, handler, coordinator)

    def _decision(self, decided_at, handler, coordinator):
        rng = self.rng
        outcome = _choose(rng, DECISION_WEIGHTS)
        reasons = rng.choice(REASONS)
        arguments = {
            "outcome": outcome,
            "findings": rng.choice(FINDINGS),
            "reasons": reasons,
            "apology_offered": outcome != Outcome.UNFOUNDED and rng.random() < 0.4,
        }
        yield decided_at, "decide", handler, reasons, {}, arguments
        if rng.random() < 0.92:
            closed_at = self._later(decided_at, 2, 25)
            satisfied = rng.random() < 0.6
            yield closed_at, "close", coordinator, "", {}, {"satisfied": satisfied}
            if outcome in (Outcome.WELL_FOUNDED, Outcome.PARTLY_WELL_FOUNDED) and rng.random() < 0.3:
                lesson = "Terugbelafspraken worden voortaan in het zaaksysteem vastgelegd."
                arguments = {"lessons_learned": lesson}
                yield self._later(closed_at, 0, 10), "record_lessons", coordinator, lesson, {}, arguments

    def _later(self, after, min_days, max_days):
        """A moment in office hours on a working day, ``min_days`` to ``max_days`` after ``after``."""
        day = after.date() + datetime.timedelta(days=self.rng.randint(min_days, max_days))
        while day.weekday() >= 5:
            day += datetime.timedelta(days=1)
        at = datetime.datetime.combine(day, datetime.time(8, 30), self.zone) + datetime.timedelta(
            seconds=self.rng.randrange(8 * 3600)
        )
        if at <= after:
            return self._later(after, 1, 1)
        return at

    def _pick(self, ids, cumulative):
        return ids[bisect.bisect_right(cumulative, self.rng.random() * cumulative[-1])]

    def _address(self):
        rng = self.rng
        postcode = f"{rng.randint(1000, 9999)} {chr(65 + rng.randrange(26))}{chr(65 + rng.randrange(26))}"
        return f"{rng.choice(STREETS)} {rng.randint(1, 180)}\n{postcode} {self.c.town}"


def _cumulative(weights):
    keys = list(weights)
    return keys, _cumulative_list([weights[key] for key in keys])


def _cumulative_list(weights):
    total, cumulative = 0.0, []
    for weight in weights:
        total += weight
        cumulative.append(total)
    return cumulative


def _choose(rng, weights):
    keys, cumulative = _cumulative(weights)
    return keys[bisect.bisect_right(cumulative, rng.random() * cumulative[-1])]


def _email_name(first, last):
    ascii_last = unicodedata.normalize("NFKD", last).encode("ascii", "ignore").decode()
    return f"{first}.{ascii_last}".lower().replace(" ", "")
