"""An access request (AVG art. 15): one person's cases, everything held in them, one ZIP."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader
from wagtail.models import ModelLogEntry

from klachtformulieren.cases import roles
from klachtformulieren.models import ComplaintAttachment, Notification
from tests.factories import ComplaintFactory, MunicipalityFactory, install_administrator, role_user

pytestmark = pytest.mark.django_db

URL = reverse("klachtformulieren_access_request")


def case(municipality, name, email, story):
    complaint = ComplaintFactory(municipality=municipality, name=name, email=email, description=story)
    Notification.objects.create(
        complaint=complaint,
        kind=Notification.Kind.ACKNOWLEDGEMENT,
        recipient=email,
        subject="Ontvangen",
        body=f"Beste {name}, wij hebben uw klacht ontvangen.",
    )
    attachment = ComplaintAttachment(
        complaint=complaint, name=f"{story[:10]}.pdf", content_type="application/pdf", size=10, sha256="0" * 64
    )
    attachment.file.save("bijlage.pdf", ContentFile(f"%PDF-1.4 {story}".encode()), save=True)
    return complaint


@pytest.fixture
def world():
    a, b = MunicipalityFactory(name="Aadorp"), MunicipalityFactory(name="Beestad")
    fenna = [
        case(a, "Fenna Visser", "fenna@voorbeeld.nl", "Verhaal een van Fenna"),
        case(a, "Fenna  visser", "fenna@voorbeeld.nl", "Verhaal twee van Fenna"),
        case(b, "F. Visser", "Fenna@Voorbeeld.nl", "Verhaal drie van Fenna"),
    ]
    others = [
        case(a, "Fenna Vissers", "andere@voorbeeld.nl", "Verhaal van een ander"),
        case(b, "Kees Bakker", "kees@voorbeeld.nl", "Verhaal van Kees"),
    ]
    return {"a": a, "b": b, "fenna": fenna, "others": others}


def zip_texts(response):
    """{path in the ZIP: its text} (PDFs read back as text)."""
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    texts = {}
    for name in archive.namelist():
        data = archive.read(name)
        if name.endswith(".pdf") and data.startswith(b"%PDF-1.") and b"/Page" in data:
            texts[name] = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
        else:
            texts[name] = data.decode("utf-8", "replace")
    return texts


def test_a_persons_three_cases_in_two_municipalities_and_nothing_of_anyone_else(client, world):
    client.force_login(install_administrator())

    response = client.get(URL, {"email": "fenna@voorbeeld.nl", "download": "1"})

    texts = zip_texts(response)
    assert response["Content-Type"] == "application/zip"
    assert {path.split("/")[0] for path in texts} == {complaint.reference for complaint in world["fenna"]}
    everything = "\n".join([*texts, *texts.values()])
    for complaint in world["fenna"]:
        assert complaint.description in everything  # the case file, and the attachment as sent
    assert "Beste Fenna Visser" in everything  # the letter
    for other in world["others"]:
        assert (
            other.reference not in everything and other.description not in everything and other.name not in everything
        )


def test_a_coordinator_of_one_municipality_gets_only_its_cases(client, world):
    client.force_login(role_user(roles.COORDINATOR, municipalities=[world["a"]]))

    listed = client.get(URL, {"email": "fenna@voorbeeld.nl"})
    texts = zip_texts(client.get(URL, {"email": "fenna@voorbeeld.nl", "download": "1"}))

    expected = {complaint.reference for complaint in world["fenna"] if complaint.municipality == world["a"]}
    assert {complaint.reference for complaint in listed.context["cases"]} == expected
    assert {path.split("/")[0] for path in texts} == expected


def test_a_name_is_matched_exactly_whatever_its_spacing_and_case(client, world):
    client.force_login(install_administrator())

    listed = client.get(URL, {"name": "fenna visser"})

    assert {complaint.reference for complaint in listed.context["cases"]} == {
        complaint.reference for complaint in world["fenna"][:2]
    }  # not "Fenna Vissers", not "F. Visser"


def test_every_download_is_in_the_audit_log_once_per_case(client, world):
    client.force_login(install_administrator())

    client.get(URL, {"email": "fenna@voorbeeld.nl", "download": "1"})

    entries = ModelLogEntry.objects.filter(action="klachtformulieren.export_access_request")
    assert sorted(int(entry.object_id) for entry in entries) == sorted(complaint.pk for complaint in world["fenna"])


def test_an_empty_request_gets_a_dutch_message_and_a_handler_no_access(client, world):
    client.force_login(install_administrator())
    empty = client.get(URL, {"email": "", "name": " ", "phone": ""})
    client.force_login(role_user(roles.HANDLER, municipalities=[world["a"]]))
    handler = client.get(URL, {"email": "fenna@voorbeeld.nl"})

    assert "Vul het e-mailadres, de naam of het telefoonnummer" in empty.content.decode()
    assert handler.status_code in (302, 403)


def test_a_short_phone_number_finds_nobody_and_the_person_complained_about_is_not_a_match(client, world):
    from klachtformulieren.models import Complaint

    Complaint.objects.filter(pk=world["fenna"][0].pk).update(phone="06-12345670")
    Complaint.objects.filter(pk=world["others"][1].pk).update(person_complained_about="Fenna Visser")
    client.force_login(install_administrator())

    short = client.get(URL, {"phone": "0"})
    full = client.get(URL, {"phone": "+31 6 1234 5670"})
    by_name = client.get(URL, {"name": "Fenna Visser"})

    assert short.context["cases"] == []
    assert [case.pk for case in full.context["cases"]] == [world["fenna"][0].pk]
    assert world["others"][1].pk not in [case.pk for case in by_name.context["cases"]]
