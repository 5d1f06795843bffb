"""Each municipality's data its own: two municipalities, A and B, in one install.

Staff of A (a coordinator and a functional administrator) reach none of B's records: every
admin URL of B's kinds, units, municipality record, ombudsman requests, mail texts and staff
accounts answers 404 (or 403), a POST to them changes nothing, B's names appear in no listing
or filter, the report and its export are A's only, and A's case goes to no handler of B.
A record the install shares (a kind or mail text without a municipality) is used by both and
changed only by an administrator. The case screens' own matrix is test_access_matrix.py.
"""

import datetime

import pytest
from django.urls import reverse

from klachtformulieren.cases import roles, workflow
from klachtformulieren.cases.workflow import StepNotAllowed
from klachtformulieren.correspondence.texts import template_for
from klachtformulieren.models import (
    ComplaintKind,
    MailTemplate,
    Municipality,
    Notification,
    OmbudsmanRequest,
    OrganisationUnit,
    Status,
)
from tests.factories import (
    ComplaintFactory,
    ComplaintKindFactory,
    MunicipalityFactory,
    OrganisationUnitFactory,
    UserFactory,
    handler_of,
    install_administrator,
    role_user,
)

pytestmark = pytest.mark.django_db

NOT_THEIRS = {403, 404}


def outcome(response):
    """The status, with Wagtail's PermissionDenied (a redirect to the dashboard) as 403."""
    if response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home"):
        return 403
    return response.status_code


def modeladmin_urls(model_name, pk):
    prefix = f"klachtformulieren_{model_name}_modeladmin"
    return {
        action: reverse(f"{prefix}_{action}", kwargs={"instance_pk": pk}) for action in ("edit", "delete", "history")
    }


def snippet_urls(model_name, pk):
    namespace = f"wagtailsnippets_klachtformulieren_{model_name}"
    return {
        action: reverse(f"{namespace}:{action}", args=[pk]) for action in ("edit", "delete", "history", "usage", "copy")
    }


def user_urls(pk):
    return {action: reverse(f"wagtailusers_users:{action}", args=[pk]) for action in ("edit", "delete", "history")} | {
        "reset_2fa": reverse("portal_2fa_reset", args=[pk]),
        "log_out_everywhere": reverse("portal_log_out_everywhere", args=[pk]),
    }


@pytest.fixture
def two():
    a = MunicipalityFactory(name="Aadorp", slug="aadorp")
    b = MunicipalityFactory(name="Beestad", slug="beestad")
    records = {}
    for key, municipality in (("a", a), ("b", b)):
        manager = handler_of(municipality, username=f"manager_{key}", first_name=f"Manager{key.upper()}")
        records[key] = {
            "municipality": municipality,
            "kind": ComplaintKindFactory(municipality=municipality, name=f"Soort {key.upper()}"),
            "unit": OrganisationUnitFactory(municipality=municipality, name=f"Team {key.upper()}", manager=manager),
            "ombudsman": OmbudsmanRequest.objects.create(
                municipality=municipality,
                ombudsman_reference=f"NO-{key.upper()}",
                received_on=datetime.date(2026, 3, 1),
            ),
            "mail_text": MailTemplate.objects.create(
                municipality=municipality,
                kind=Notification.Kind.ACKNOWLEDGEMENT,
                subject=f"Ontvangen in {municipality.name}",
                body="Wij hebben uw klacht {reference} ontvangen.",
            ),
            "handler": handler_of(municipality, username=f"handler_{key}", first_name=f"Hendrik{key.upper()}"),
            "coordinator": role_user(roles.COORDINATOR, municipalities=[municipality], username=f"coordinator_{key}"),
            "beheerder": role_user(roles.ADMINISTRATOR, municipalities=[municipality], username=f"beheerder_{key}"),
            "case": ComplaintFactory(municipality=municipality, status=Status.HANDLING, name=f"Klager {key.upper()}"),
        }
    shared_kind = ComplaintKindFactory(municipality=None, name="Gedeelde soort")
    return {"a": records["a"], "b": records["b"], "shared_kind": shared_kind}


def b_urls(two):
    b = two["b"]
    return {
        **{f"kind {k}": url for k, url in modeladmin_urls("complaintkind", b["kind"].pk).items()},
        **{f"unit {k}": url for k, url in modeladmin_urls("organisationunit", b["unit"].pk).items()},
        **{f"ombudsman {k}": url for k, url in modeladmin_urls("ombudsmanrequest", b["ombudsman"].pk).items()},
        **{f"municipality {k}": url for k, url in snippet_urls("municipality", b["municipality"].pk).items()},
        **{f"mail text {k}": url for k, url in snippet_urls("mailtemplate", b["mail_text"].pk).items()},
        **{f"coordinator {k}": url for k, url in user_urls(b["coordinator"].pk).items()},
        "case inspect": reverse("klachtformulieren_cases:inspect", args=[b["case"].pk]),
        "case edit": reverse("klachtformulieren_cases:edit", args=[b["case"].pk]),
    }


@pytest.mark.parametrize("role", ["coordinator", "beheerder"])
def test_staff_of_a_reach_none_of_bs_records_on_any_admin_url(client, two, role):
    client.force_login(two["a"][role])

    reached = {name: outcome(client.get(url)) for name, url in b_urls(two).items()}

    assert {name: status for name, status in reached.items() if status not in NOT_THEIRS} == {}


def test_the_beheerder_of_a_reaches_as_own_records(client, two):
    """The other side of the matrix: the same URLs for A's own records answer 200."""
    client.force_login(two["a"]["beheerder"])
    a = two["a"]
    own = {
        "kind": modeladmin_urls("complaintkind", a["kind"].pk)["edit"],
        "unit": modeladmin_urls("organisationunit", a["unit"].pk)["edit"],
        "ombudsman": modeladmin_urls("ombudsmanrequest", a["ombudsman"].pk)["edit"],
        "municipality": snippet_urls("municipality", a["municipality"].pk)["edit"],
        "mail text": snippet_urls("mailtemplate", a["mail_text"].pk)["edit"],
        "coordinator": user_urls(a["coordinator"].pk)["edit"],
    }

    assert {name: outcome(client.get(url)) for name, url in own.items()} == dict.fromkeys(own, 200)


@pytest.mark.parametrize("role", ["coordinator", "beheerder"])
def test_a_post_to_bs_records_changes_nothing(client, two, role):
    b = two["b"]
    client.force_login(two["a"][role])
    posts = [
        (modeladmin_urls("complaintkind", b["kind"].pk)["edit"], {"name": "Overgenomen", "active": "on"}),
        (modeladmin_urls("complaintkind", b["kind"].pk)["delete"], {}),
        (modeladmin_urls("organisationunit", b["unit"].pk)["edit"], {"name": "Overgenomen", "level": "team"}),
        (modeladmin_urls("ombudsmanrequest", b["ombudsman"].pk)["delete"], {}),
        (snippet_urls("municipality", b["municipality"].pk)["edit"], {"name": "Overgenomen", "slug": "x"}),
        (snippet_urls("mailtemplate", b["mail_text"].pk)["edit"], {"kind": "acknowledgement", "subject": "X"}),
        (snippet_urls("mailtemplate", b["mail_text"].pk)["delete"], {}),
        (user_urls(b["coordinator"].pk)["edit"], {"username": "overgenomen", "first_name": "X"}),
        (user_urls(b["coordinator"].pk)["delete"], {}),
        (user_urls(b["coordinator"].pk)["reset_2fa"], {}),
    ]

    answers = [outcome(client.post(url, data)) for url, data in posts]

    assert set(answers) <= NOT_THEIRS
    assert ComplaintKind.objects.get(pk=b["kind"].pk).name == "Soort B"
    assert OrganisationUnit.objects.get(pk=b["unit"].pk).name == "Team B"
    assert OmbudsmanRequest.objects.filter(pk=b["ombudsman"].pk).exists()
    assert Municipality.objects.get(pk=b["municipality"].pk).name == "Beestad"
    assert MailTemplate.objects.get(pk=b["mail_text"].pk).subject == "Ontvangen in Beestad"
    b["coordinator"].refresh_from_db()
    assert b["coordinator"].username == "coordinator_b"


def test_bulk_delete_of_bs_mail_text_or_account_is_refused(client, two):
    b = two["b"]
    client.force_login(two["a"]["beheerder"])

    client.post(
        reverse("wagtail_bulk_action", args=["klachtformulieren", "mailtemplate", "delete"])
        + f"?id={b['mail_text'].pk}"
    )
    client.post(reverse("wagtail_bulk_action", args=["auth", "user", "delete"]) + f"?id={b['coordinator'].pk}")

    assert MailTemplate.objects.filter(pk=b["mail_text"].pk).exists()
    assert type(b["coordinator"]).objects.filter(pk=b["coordinator"].pk).exists()


@pytest.mark.parametrize(
    "listing",
    [
        "klachtformulieren_complaintkind_modeladmin_index",
        "klachtformulieren_organisationunit_modeladmin_index",
        "klachtformulieren_ombudsmanrequest_modeladmin_index",
        "klachtformulieren_cases:index",
        "wagtailsnippets_klachtformulieren_municipality:list",
        "wagtailsnippets_klachtformulieren_mailtemplate:list",
        "wagtailusers_users:index",
    ],
)
def test_no_listing_or_filter_names_bs_records(client, two, listing):
    client.force_login(two["a"]["beheerder"])

    page = client.get(reverse(listing)).content.decode()

    for name in (
        "Beestad",
        "Soort B",
        "Team B",
        "NO-B",
        "HendrikB",
        "manager_b",
        "handler_b",
        "coordinator_b",
        "Klager B",
    ):
        assert name not in page, (listing, name)


def test_the_case_listing_filters_offer_only_as_kinds_units_handlers_and_municipality(client, two):
    client.force_login(two["a"]["coordinator"])

    page = client.get(reverse("klachtformulieren_cases:index")).content.decode()

    assert "Soort A" in page and "Team A" in page and "HendrikA" in page
    # One municipality: no municipality filter to choose from.
    assert 'name="gemeente"' not in page


def test_the_case_list_export_holds_only_as_cases(client, two):
    client.force_login(two["a"]["coordinator"])

    export = client.get(reverse("klachtformulieren_cases:index"), {"export": "csv"})
    content = b"".join(export.streaming_content).decode() if export.streaming else export.content.decode()

    assert export.status_code == 200
    assert two["a"]["case"].reference in content
    assert two["b"]["case"].reference not in content
    assert "Klager A" not in content  # the listing's columns only: no complainant's name


def test_the_annual_report_and_its_export_are_as_only(client, two):
    client.force_login(two["a"]["beheerder"])
    url = reverse("klachtformulieren_annual_report")

    page = client.get(url, {"gemeente": "beestad"})
    export = client.get(url, {"gemeente": "beestad", "export": "xlsx"})

    assert page.status_code == 200
    assert page.context["selection"].municipality == two["a"]["municipality"]  # B is no choice: A's report
    assert "Beestad" not in page.content.decode()
    assert export.status_code == 302  # back to the page, which says why: no file at all
    assert "Content-Disposition" not in export


def test_as_case_cannot_be_assigned_to_bs_handler_through_the_step_screen(client, two):
    case = two["a"]["case"]
    client.force_login(two["a"]["coordinator"])
    url = reverse("klachtformulieren_step", args=[case.pk, "assign_handler"])

    form = client.get(url).content.decode()
    client.post(url, {"handler": two["b"]["handler"].pk, "reason": "Van de buren"})

    case.refresh_from_db()
    assert "HendrikB" not in form and "HendrikA" in form
    assert case.handler_id != two["b"]["handler"].pk


def test_as_case_cannot_be_assigned_to_bs_handler_through_the_step_function(two):
    case = two["a"]["case"]

    with pytest.raises(StepNotAllowed, match="gemeente van deze klacht"):
        workflow.assign_handler(case, two["a"]["coordinator"], handler=two["b"]["handler"])

    assert workflow.assign_handler(case, two["a"]["coordinator"], handler=two["a"]["handler"]).handler_id == (
        two["a"]["handler"].pk
    )


def test_a_units_manager_and_parent_are_chosen_from_the_own_municipality_only(client, two):
    client.force_login(two["a"]["beheerder"])

    form = client.get(reverse("klachtformulieren_organisationunit_modeladmin_create")).content.decode()

    assert "manager_a" in form and "Team A" in form
    assert "manager_b" not in form and "Team B" not in form


def test_a_shared_kind_is_used_by_both_and_changed_only_by_an_administrator(client, two):
    shared = two["shared_kind"]
    edit = modeladmin_urls("complaintkind", shared.pk)["edit"]

    client.force_login(two["a"]["coordinator"])
    listing = client.get(reverse("klachtformulieren_complaintkind_modeladmin_index")).content.decode()
    refused = outcome(client.post(edit, {"name": "Van A", "active": "on"}))
    shared.refresh_from_db()
    assert "Gedeelde soort" in listing
    assert refused == 403
    assert shared.name == "Gedeelde soort"

    client.force_login(install_administrator(username="centraal"))
    assert outcome(client.get(edit)) == 200


def test_staff_create_a_kind_only_for_their_own_municipality(client, two):
    client.force_login(two["a"]["coordinator"])
    url = reverse("klachtformulieren_complaintkind_modeladmin_create")

    def create(name, municipality):
        return client.post(url, {"name": name, "municipality": municipality, "active": "on", "sort_order": 0})

    create("Voor B", two["b"]["municipality"].pk)
    create("Voor iedereen", "")
    create("Voor A", two["a"]["municipality"].pk)

    assert list(ComplaintKind.objects.filter(name__startswith="Voor").values_list("name", flat=True)) == ["Voor A"]


def test_each_municipality_gets_its_own_mail_text_and_else_the_shared_one(two):
    MailTemplate.objects.create(kind=Notification.Kind.DECISION, subject="Gedeeld besluit", body="Tekst")

    assert template_for(Notification.Kind.ACKNOWLEDGEMENT, two["a"]["municipality"])[0] == "Ontvangen in Aadorp"
    assert template_for(Notification.Kind.ACKNOWLEDGEMENT, two["b"]["municipality"])[0] == "Ontvangen in Beestad"
    assert template_for(Notification.Kind.DECISION, two["a"]["municipality"])[0] == "Gedeeld besluit"


def test_superusers_see_everything(client, two):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    reached = {name: outcome(client.get(url)) for name, url in b_urls(two).items() if not name.endswith("copy")}

    assert {name: status for name, status in reached.items() if status != 200} == {}


def test_a_beheerder_cannot_take_over_an_account_that_can_do_more(client, two):
    central = install_administrator(username="centraal", email="centraal@example.org")  # works for no municipality
    client.force_login(two["a"]["beheerder"])

    edit = client.post(
        reverse("wagtailusers_users:edit", args=[central.pk]),
        {"username": "centraal", "email": "overgenomen@example.org", "first_name": "X", "last_name": "Y"},
    )
    reset = client.post(reverse("portal_2fa_reset", args=[central.pk]))
    out = client.post(reverse("portal_log_out_everywhere", args=[central.pk]))

    central.refresh_from_db()
    assert {outcome(edit), outcome(reset), outcome(out)} <= NOT_THEIRS
    assert central.email == "centraal@example.org"


@pytest.mark.parametrize("role", ["coordinator", "beheerder"])
def test_site_history_spans_every_municipality_so_staff_of_one_do_not_read_it(client, two, role):
    client.force_login(two["a"][role])

    history = client.get(reverse("wagtailadmin_reports:site_history"))
    results = client.get(reverse("wagtailadmin_reports:site_history_results"))
    menu = client.get("/admin/").content.decode()

    assert outcome(history) == outcome(results) == 403
    assert reverse("wagtailadmin_reports:site_history") not in menu


def test_in_a_one_municipality_install_its_beheerder_reads_site_history(client):
    only = MunicipalityFactory()
    beheerder = role_user(roles.ADMINISTRATOR, municipalities=[only])
    client.force_login(beheerder)

    assert client.get(reverse("wagtailadmin_reports:site_history")).status_code == 200


def test_blocked_sign_ins_of_another_municipality_are_neither_listed_nor_lifted(client, two):
    from axes.models import AccessAttempt

    theirs = AccessAttempt.objects.create(
        username="coordinator_b", ip_address="192.0.2.7", failures_since_start=5, user_agent="x", path_info="/"
    )
    ours = AccessAttempt.objects.create(
        username="coordinator_a", ip_address="192.0.2.8", failures_since_start=5, user_agent="x", path_info="/"
    )
    client.force_login(two["a"]["beheerder"])

    page = client.get(reverse("portal_lockouts")).content.decode()
    lifted = client.post(reverse("portal_unlock", args=[theirs.pk]))

    assert "coordinator_a" in page and "coordinator_b" not in page and "192.0.2.7" not in page
    assert lifted.status_code == 404
    assert AccessAttempt.objects.filter(pk__in=[theirs.pk, ours.pk]).count() == 2
