"""With DJANGO_S3_* set: media and private files in S3-compatible buckets, on a real S3 server
(moto's, on loopback), through the storages the settings build from the environment."""

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer

from klachtformulieren.cases import roles
from klachtformulieren.intake.spam import form_started_token
from klachtformulieren.models import ComplaintAttachment, InboundAttachment, Notification, SubmissionReceipt
from klachtformulieren.storage import private_storage
from klachtformulieren.worker import jobs
from tests.factories import ComplaintFormPageFactory, MunicipalityFactory, png_bytes, role_user

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
KEYS = {
    "DJANGO_S3_ACCESS_KEY_ID": "proef",
    "DJANGO_S3_SECRET_ACCESS_KEY": "proef-geheim",
    "DJANGO_S3_REGION": "eu-west-1",
}
PRIVATE_FIELDS = (
    (ComplaintAttachment, "file"),
    (SubmissionReceipt, "pdf"),
    (Notification, "pdf"),
    (InboundAttachment, "file"),
)


def settings_from_environment(**env):
    """Settings read in a fresh process from exactly these variables: (returncode, output)."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_"))}
    environment.update({"DJANGO_SETTINGS_MODULE": "portal.settings.dev", **env})
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps([settings.STORAGES, getattr(settings, 'KLACHTFORMULIEREN_PRIVATE_STORAGE', '')]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    return result.returncode, result.stdout + result.stderr


@pytest.fixture(scope="module")
def s3_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def buckets(s3_server, settings, monkeypatch):
    """Two buckets on the S3 server, and the storages the settings make of them in use."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id=KEYS["DJANGO_S3_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["DJANGO_S3_SECRET_ACCESS_KEY"],
        region_name=KEYS["DJANGO_S3_REGION"],
    )
    for bucket in ("media", "bijlagen"):
        client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    returncode, output = settings_from_environment(
        DJANGO_S3_ENDPOINT_URL=s3_server, DJANGO_S3_BUCKET="media", DJANGO_S3_PRIVATE_BUCKET="bijlagen", **KEYS
    )
    assert returncode == 0, output
    settings.STORAGES, settings.KLACHTFORMULIEREN_PRIVATE_STORAGE = json.loads(output)
    # The models chose their storage when they were imported; the one they would choose now:
    storage = private_storage()
    for model, field in PRIVATE_FIELDS:
        monkeypatch.setattr(model._meta.get_field(field), "storage", storage)
    yield client
    for bucket in ("media", "bijlagen"):
        for entry in client.list_objects_v2(Bucket=bucket).get("Contents", []):
            client.delete_object(Bucket=bucket, Key=entry["Key"])
        client.delete_bucket(Bucket=bucket)


@pytest.fixture
def attachment(buckets, client, home_page, django_capture_on_commit_callbacks, valid_post):
    form_page = ComplaintFormPageFactory(parent=home_page, municipality=MunicipalityFactory())
    upload = SimpleUploadedFile("foto.png", png_bytes(), content_type="image/png")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form_page.url, {**valid_post, "attachments": [upload]})
    assert response.status_code == 302
    return ComplaintAttachment.objects.get()


@pytest.fixture
def valid_post():
    return {
        "name": "Jan de Klager",
        "email": "jan@example.org",
        "description": "De medewerker aan de balie schreeuwde tegen mij.",
        "conduct_date": "2026-11-02",
        "form_started": form_started_token(now=0),
    }


def keys(client, bucket):
    return [entry["Key"] for entry in client.list_objects_v2(Bucket=bucket).get("Contents", [])]


def test_without_the_variables_files_stay_on_disk_and_with_one_bucket_only_the_settings_refuse(tmp_path):
    assert settings_from_environment()[1].strip() == json.dumps(
        [
            {
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            },
            "",
        ]
    )
    returncode, output = settings_from_environment(DJANGO_S3_BUCKET="media")
    assert returncode != 0
    assert "DJANGO_S3_PRIVATE_BUCKET" in output


def private_files(attachment):
    """The attachment and the complaint's receipt: what the form stored."""
    return {attachment.file.name, SubmissionReceipt.objects.get(complaint=attachment.complaint).pdf.name}


def test_an_attachment_from_the_form_lands_in_the_private_bucket_and_has_no_url(buckets, attachment):
    assert set(keys(buckets, "bijlagen")) == private_files(attachment)
    assert keys(buckets, "media") == []
    with pytest.raises(ValueError, match="not accessible via a URL"):
        attachment.file.url  # noqa: B018 (reading it is the test)
    grants = buckets.get_object_acl(Bucket="bijlagen", Key=attachment.file.name)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]  # the owner's only
    assert "URI" not in grants[0]["Grantee"]  # not AllUsers


def test_the_coordinator_downloads_it_through_the_checked_view_and_a_visitor_cannot(client, attachment):
    url = f"/admin/klachten/bijlagen/{attachment.pk}/"

    anonymous = client.get(url)
    client.force_login(role_user(roles.COORDINATOR, municipalities=[attachment.complaint.municipality]))
    coordinator = client.get(url)

    assert anonymous.status_code == 302
    assert "/admin/login/" in anonymous["Location"]
    assert coordinator.status_code == 200
    assert b"".join(coordinator.streaming_content) == png_bytes()


def test_the_sweep_removes_an_orphan_from_the_bucket_and_keeps_a_file_with_its_row(buckets, attachment):
    now = datetime.datetime.now(datetime.UTC)
    orphan = f"klachten/{now:%Y}/{now:%m}/abc123/foto.png"
    buckets.put_object(Bucket="bijlagen", Key=orphan, Body=b"png")

    removed = jobs.remove_orphan_attachment_files(now + datetime.timedelta(hours=2))

    assert removed == 1
    assert set(keys(buckets, "bijlagen")) == private_files(attachment)
