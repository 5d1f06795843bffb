"""Attachment validation: content sniffing, image checks, names, limits and the ClamAV hook.

No database: every sample file is built in memory (``sample_files``). The hostile files of
the security review have their own module, ``test_hostile_uploads``.
"""

import hashlib
import io
import os
import struct
import warnings

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils import translation
from PIL import Image

from klachtformulieren.intake import uploads
from klachtformulieren.intake.uploads import (
    ACCEPT_EXTENSIONS,
    ALLOWED_TYPES,
    ValidatedUpload,
    sanitise_filename,
    scan_for_viruses,
    sniff_content_type,
    validate_upload,
    validate_uploads,
)
from klachtformulieren.models import ComplaintAttachment
from tests.klachtformulieren.intake.fake_clamd import FOUND, OK, fake_clamds, unreachable_clamd
from tests.klachtformulieren.intake.sample_files import (
    CONTENT_TYPES_XML,
    DOCX,
    ODP,
    ODS,
    ODT,
    bomb_png,
    doc_bytes,
    docx_bytes,
    jpeg_bytes,
    odf_bytes,
    ole2_bytes,
    pdf_bytes,
    png_bytes,
    zip_bytes,
)

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def english():
    """Assert the English source strings; the Dutch catalogue is tested with the form page."""
    with translation.override("en"):
        yield


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def codes(excinfo):
    return [error.code for error in excinfo.value.error_list]


def messages(excinfo):
    return [str(message) for message in excinfo.value.messages]


# --- Accepted types ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "content_type", "stored_name"),
    [
        (pdf_bytes(), "Brief aan de gemeente.PDF", "application/pdf", "Brief-aan-de-gemeente.pdf"),
        (jpeg_bytes(), "scan.jpeg", "image/jpeg", "scan.jpg"),
        (png_bytes(), "foto.exe", "image/png", "foto.png"),
        (docx_bytes(), "klacht.docx", DOCX, "klacht.docx"),
        (doc_bytes(), "oude brief.doc", "application/msword", "oude-brief.doc"),
        (odf_bytes(ODT), "verslag.odt", ODT, "verslag.odt"),
        (odf_bytes(ODS), "kosten.ods", ODS, "kosten.ods"),
        (odf_bytes(ODP), "dia's.odp", ODP, "dias.odp"),
    ],
)
def test_allowed_type_is_accepted_with_its_canonical_type_and_a_safe_name(content, name, content_type, stored_name):
    uploaded = upload(name, content, content_type="application/x-msdownload")  # what the browser says is ignored

    result = validate_upload(uploaded, max_bytes=MB)

    assert result == ValidatedUpload(
        name=stored_name,
        content_type=content_type,
        extension=ALLOWED_TYPES[content_type],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    assert uploaded.tell() == 0  # rewound for storage


def test_every_allowed_extension_is_offered_to_the_browser():
    assert {f".{extension}" for extension in ALLOWED_TYPES.values()} <= set(ACCEPT_EXTENSIONS)


def test_a_file_exactly_at_the_limit_is_accepted():
    content = pdf_bytes()

    assert validate_upload(upload("precies.pdf", content), max_bytes=len(content)).size == len(content)


# --- Refused types ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("brief.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("brief.pdf", b"\n%PDF-1.4 comes too late"),
        (
            "foto.png",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\0" * 64 + b"This program cannot be run",
        ),
        ("foto.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("foto.png", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
        ("klacht.docx", zip_bytes([("readme.txt", b"hello"), ("payload.exe", b"MZ")])),
        ("klacht.docx", zip_bytes([("[Content_Types].xml", CONTENT_TYPES_XML), ("xl/workbook.xml", b"<x/>")])),
        ("klacht.docx", b"PK\x03\x04 not really a zip"),
        ("verslag.odt", odf_bytes(compress_mimetype=True)),
        ("verslag.odt", odf_bytes(mimetype_first=False)),
        ("verslag.odt", odf_bytes("application/vnd.oasis.opendocument.text-template")),
        ("verslag.odt", zip_bytes([("mimetype", ODT.encode())], stored=("mimetype",))),  # no content.xml
        ("kosten.doc", ole2_bytes(("Workbook", 2))),  # Excel: OLE2 too, but no WordDocument stream
        ("brief.doc", ole2_bytes(("WordDocument", 1))),  # a storage, not a stream
        ("brief.doc", ole2_bytes(("WordDocument", 2), ("Data", 2), last_points_back=True)),  # cycle
        ("brief.doc", bytes.fromhex("D0CF11E0A1B11AE1") + os.urandom(1000)),
        ("brief.doc", b"{\\rtf1\\ansi Hallo}"),
    ],
)
def test_disguised_or_unknown_content_is_refused_whatever_the_name(name, content):
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(upload(name, content, content_type="application/pdf"), max_bytes=MB)

    assert codes(excinfo) == ["type_not_allowed"]
    assert messages(excinfo) == [f"“{name}” is not a PDF, JPEG, PNG, Word or ODF file."]


def test_sniffing_alone_says_none_for_what_it_does_not_know():
    assert sniff_content_type(b"") is None
    assert sniff_content_type(b"MZ") is None
    assert sniff_content_type(pdf_bytes()) == "application/pdf"


def test_zip_with_too_many_entries_is_refused():
    entries = [("[Content_Types].xml", CONTENT_TYPES_XML), ("word/document.xml", b"<w/>")]
    entries += [(f"word/media/{i}.xml", b"") for i in range(uploads.MAX_ZIP_ENTRIES)]

    with pytest.raises(ValidationError) as excinfo:
        validate_upload(upload("veel.docx", zip_bytes(entries)), max_bytes=10 * MB)

    assert codes(excinfo) == ["type_not_allowed"]


def test_zip_declaring_a_huge_uncompressed_size_is_refused_without_extracting():
    content = bytearray(docx_bytes())
    directory_entry = content.index(b"PK\x01\x02")
    struct.pack_into("<I", content, directory_entry + 24, 0xFFFFFFF0)  # uncompressed size: almost 4 GB

    with pytest.raises(ValidationError) as excinfo:
        validate_upload(upload("bom.docx", bytes(content)), max_bytes=MB)

    assert codes(excinfo) == ["type_not_allowed"]


@pytest.mark.parametrize(
    "content",
    [
        docx_bytes(("word/vbaProject.bin", b"\0" * 32)),
        ole2_bytes(("WordDocument", 2), ("Macros", 1)),
    ],
    ids=["docm-renamed-docx", "doc-with-macros"],
)
def test_word_file_with_macros_is_refused(content):
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(upload("brief.docx", content), max_bytes=MB)

    assert codes(excinfo) == ["macros"]
    assert "“brief.docx” contains macros" in messages(excinfo)[0]


# --- Size -------------------------------------------------------------------------------


class ReadGuard(io.BytesIO):
    """A file that fails the test when more than ``limit`` bytes are asked for in total."""

    def __init__(self, content, limit):
        super().__init__(content)
        self.limit = limit
        self.requested = 0

    def read(self, size=-1):
        if size is None or size < 0:
            raise AssertionError("read() without a limit")
        self.requested += size
        if self.requested > self.limit:
            raise AssertionError(f"{self.requested} bytes requested, at most {self.limit} allowed")
        return super().read(size)


def test_oversized_file_is_refused_on_its_declared_size_without_reading():
    content = b"%PDF-1.4\n" + b"0" * (2 * MB)
    uploaded = UploadedFile(ReadGuard(content, limit=0), name="groot.pdf", size=len(content))

    with pytest.raises(ValidationError) as excinfo:
        validate_upload(uploaded, max_bytes=MB)

    assert codes(excinfo) == ["too_large"]
    assert messages(excinfo) == ["“groot.pdf” is larger than 1 MB."]


def test_file_lying_about_its_size_is_refused_after_reading_at_most_one_byte_too_many():
    max_bytes = 100_000
    content = b"%PDF-1.4\n" + b"0" * (3 * max_bytes)
    guard = ReadGuard(content, limit=max_bytes + 1)
    uploaded = UploadedFile(guard, name="liegt.pdf", size=10)

    with pytest.raises(ValidationError) as excinfo:
        validate_upload(uploaded, max_bytes=max_bytes)

    assert codes(excinfo) == ["too_large"]
    assert guard.requested == max_bytes + 1


def test_empty_file_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(upload("leeg.pdf", b""), max_bytes=MB)

    assert codes(excinfo) == ["empty"]
    assert messages(excinfo) == ["“leeg.pdf” is empty."]


# --- Images -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("afgekapt.png", png_bytes(size=(64, 64), noise=True)[:3000]),
        ("afgekapt.jpg", jpeg_bytes(size=(64, 64), noise=True)[:2000]),
        ("kapot.png", b"\x89PNG\r\n\x1a\n" + os.urandom(200)),
        ("kapot.jpg", b"\xff\xd8\xff\xe0" + os.urandom(200)),
    ],
)
def test_damaged_or_truncated_image_is_refused(name, content):
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(upload(name, content), max_bytes=MB)

    assert codes(excinfo) == ["damaged_image"]
    assert messages(excinfo) == [f"“{name}” is damaged and cannot be opened."]


@pytest.mark.parametrize(
    "dimensions",
    [(7_000, 7_000), (10_000, 10_000), (20_000, 20_000)],
    ids=["above-our-40-megapixels", "pillow-warns", "pillow-raises"],
)
def test_decompression_bomb_is_refused_and_global_state_is_left_alone(dimensions):
    filters_before, pillow_limit_before = list(warnings.filters), Image.MAX_IMAGE_PIXELS
    content = bomb_png(*dimensions)
    assert len(content) < 100_000  # small on the wire, huge in memory

    with pytest.raises(ValidationError) as excinfo:
        validate_upload(upload("bom.png", content), max_bytes=MB)

    assert codes(excinfo) == ["image_too_large"]
    assert messages(excinfo) == ["“bom.png” has too many pixels. Send a smaller picture."]
    assert warnings.filters == filters_before
    assert pillow_limit_before == Image.MAX_IMAGE_PIXELS


def test_a_large_but_reasonable_image_is_accepted():
    assert validate_upload(upload("wit.png", bomb_png(4_000, 3_000)), max_bytes=MB).content_type == "image/png"


def test_pixel_limit_is_a_setting(settings):
    settings.KLACHTFORMULIEREN_MAX_IMAGE_PIXELS = 10

    with pytest.raises(ValidationError) as excinfo:
        validate_upload(upload("klein.png", png_bytes(size=(4, 4))), max_bytes=MB)

    assert codes(excinfo) == ["image_too_large"]


# --- Several files ----------------------------------------------------------------------


def test_several_good_files_are_all_validated():
    files = [upload("a.pdf", pdf_bytes()), upload("b.png", png_bytes())]

    result = validate_uploads(files, max_files=2, max_bytes=MB)

    assert [item.name for item in result] == ["a.pdf", "b.png"]


def test_too_many_files_are_refused():
    files = [upload(f"f{i}.png", png_bytes()) for i in range(3)]

    with pytest.raises(ValidationError) as excinfo:
        validate_uploads(files, max_files=2, max_bytes=MB)

    assert codes(excinfo) == ["too_many"]
    assert messages(excinfo) == ["Send at most 2 files."]


def test_all_problems_are_reported_together():
    files = [
        upload("goed.pdf", pdf_bytes()),
        upload("nep.pdf", b"<html></html>"),
        upload("leeg.png", b""),
        upload("groot.pdf", b"%PDF-1.4\n" + b"0" * MB),
    ]

    with pytest.raises(ValidationError) as excinfo:
        validate_uploads(files, max_files=3, max_bytes=MB)

    assert codes(excinfo) == ["too_many", "type_not_allowed", "empty", "too_large"]
    assert messages(excinfo) == [
        "Send at most 3 files.",
        "“nep.pdf” is not a PDF, JPEG, PNG, Word or ODF file.",
        "“leeg.png” is empty.",
        "“groot.pdf” is larger than 1 MB.",
    ]


def test_error_message_shows_the_original_name_without_control_characters():
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(upload("brief\u202efdp.exe", b"MZ"), max_bytes=MB)

    assert messages(excinfo) == ["“brieffdp.exe” is not a PDF, JPEG, PNG, Word or ODF file."]


# --- File names -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "extension", "expected"),
    [
        ("../../etc/passwd", "pdf", "passwd.pdf"),
        ("C:\\Users\\x\\brief.pdf", "pdf", "brief.pdf"),
        (".htaccess", "png", "htaccess.png"),
        ("ünïcødé naam.pdf", "pdf", "unicode-naam.pdf"),
        ("Straße Ærø.jpeg", "jpg", "Strasse-AEro.jpg"),
        ("", "pdf", "bijlage.pdf"),
        ("...", "pdf", "bijlage.pdf"),
        ("€€€.pdf", "pdf", "bijlage.pdf"),
        ("foto.exe", "png", "foto.png"),
        ("foto.php.png", "png", "foto-php.png"),
        ("brief (1) -- definitief__versie.PDF", "pdf", "brief-1-definitief_versie.pdf"),
        ("tab\there\nnul\x00.pdf", "pdf", "tab-here-nul.pdf"),
        ("gpj\u202eexe.pdf", "pdf", "gpjexe.pdf"),
        ("con.pdf", "pdf", "bijlage-con.pdf"),
        ("brief", ".PDF", "brief.pdf"),
    ],
)
def test_sanitise_filename(name, extension, expected):
    assert sanitise_filename(name, extension) == expected


def test_sanitise_filename_limits_the_length_and_keeps_the_extension():
    result = sanitise_filename("a" * 500 + ".pdf", "docx")

    assert len(result) == uploads.FILENAME_MAX_LENGTH
    assert result == "a" * 75 + ".docx"


def test_sanitise_filename_does_not_end_the_stem_in_a_separator_after_cutting():
    result = sanitise_filename("a" * 75 + "-bbbb.pdf", "pdf")

    assert result == "a" * 75 + ".pdf"


@pytest.mark.parametrize("extension", ["", "p/df", "../x", "pdf\x00"])
def test_sanitise_filename_refuses_a_bogus_extension(extension):
    with pytest.raises(ValueError, match="Not a file extension"):
        sanitise_filename("brief.pdf", extension)


# --- ClamAV -----------------------------------------------------------------------------


@pytest.fixture
def fake_clamd(settings):
    with fake_clamds(settings) as start:
        yield start


@pytest.mark.parametrize("transport", ["unix", "tcp"])
def test_clean_file_passes_the_virus_scan(fake_clamd, transport):
    clamd = fake_clamd(OK, transport)
    content = pdf_bytes(padding=200 * 1024)  # more than one chunk

    result = validate_upload(upload("schoon.pdf", content), max_bytes=MB)

    assert result.content_type == "application/pdf"
    assert result.scan == ComplaintAttachment.Scan.CLEAN
    assert clamd.commands == [b"zINSTREAM\0"]
    assert clamd.streams == [content]


@pytest.mark.parametrize("transport", ["unix", "tcp"])
def test_infected_file_is_refused(fake_clamd, transport):
    fake_clamd(FOUND, transport)

    with pytest.raises(ValidationError) as excinfo:
        validate_upload(upload("eicar.pdf", pdf_bytes()), max_bytes=MB)

    assert codes(excinfo) == ["infected"]
    assert messages(excinfo) == ["“eicar.pdf” contains a virus and was refused."]


def test_refused_types_are_not_even_sent_to_the_scanner(fake_clamd):
    clamd = fake_clamd(OK)

    with pytest.raises(ValidationError):
        validate_upload(upload("nep.pdf", b"<html></html>"), max_bytes=MB)

    assert clamd.streams == []


@pytest.mark.parametrize(
    "reply",
    [b"INSTREAM size limit exceeded. ERROR\0", b"", None, b"stream: OK but not quite\0", b"\xff\xfe garbage"],
    ids=["error", "hang-up", "silence", "surprise", "garbage"],
)
def test_scanner_trouble_accepts_the_file_in_quarantine_and_is_logged(fake_clamd, settings, caplog, reply):
    fake_clamd(reply)
    settings.KLACHTFORMULIEREN_CLAMD_TIMEOUT = 0.3

    assert scan_for_viruses(upload("brief.pdf", pdf_bytes())) == ComplaintAttachment.Scan.QUARANTINED
    assert any(record.levelname == "ERROR" and "Virus scanner" in record.getMessage() for record in caplog.records)


def test_an_unexpected_error_while_scanning_quarantines_too(fake_clamd, monkeypatch):
    """Nothing fails open: whatever breaks during the scan, the file gets no "clean"."""
    fake_clamd(OK)

    def broken(file):
        raise RuntimeError("a bug of our own")

    monkeypatch.setattr(uploads, "_clamd_reply", broken)

    assert scan_for_viruses(upload("brief.pdf", pdf_bytes())) == ComplaintAttachment.Scan.QUARANTINED


def test_unreachable_scanner_accepts_every_file_in_quarantine(settings, tmp_path, caplog):
    unreachable_clamd(settings, tmp_path)

    result = validate_uploads([upload("a.pdf", pdf_bytes()), upload("b.png", png_bytes())], max_files=5, max_bytes=MB)

    assert [item.scan for item in result] == [ComplaintAttachment.Scan.QUARANTINED] * 2
    assert "unavailable" in caplog.text
    assert "a.pdf" not in caplog.text  # file names can hold personal data


def test_virus_scan_is_off_by_default(settings):
    for name in ("KLACHTFORMULIEREN_CLAMD_SOCKET", "KLACHTFORMULIEREN_CLAMD_HOST"):
        if hasattr(settings, name):
            delattr(settings, name)

    assert scan_for_viruses(upload("brief.pdf", pdf_bytes())) == ComplaintAttachment.Scan.CLEAN
