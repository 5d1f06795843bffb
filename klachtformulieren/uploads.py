"""Validation of files citizens attach to a complaint.

The threat model: anyone on the internet can post a file, and staff open it on their
workstation. So the type is decided by the bytes (content sniffing), never by the name or
the browser's claim; images are opened and fully decoded with Pillow, with a cap on pixels
against decompression bombs; ZIP-based documents are inspected without extracting them;
names are sanitised and given the extension of the type we found. Storage (outside the
public media URL, see storage.py) and the optional ClamAV scan complete the defence.
"""

import hashlib
import io
import logging
import re
import socket
import struct
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image

logger = logging.getLogger(__name__)

MAX_IMAGE_PIXELS = 40_000_000
MAX_ZIP_ENTRIES = 2_000
MAX_ZIP_UNCOMPRESSED = 200 * 1024 * 1024
FILENAME_MAX_LENGTH = 80
CLAMD_CHUNK = 64 * 1024

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOC = "application/msword"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"

EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png", DOCX: "docx", DOC: "doc", ODT: "odt", ODS: "ods"}
ACCEPT_EXTENSIONS = [".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".odt", ".ods"]
OLE2_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")


@dataclass(frozen=True)
class ValidatedUpload:
    name: str
    content_type: str
    extension: str
    size: int
    sha256: str


def _odf_type(archive):
    names = archive.namelist()
    if not names or names[0] != "mimetype":
        return None
    mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
    return mimetype if mimetype in (ODT, ODS) else None


def _zip_type(data):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_ENTRIES or sum(info.file_size for info in infos) > MAX_ZIP_UNCOMPRESSED:
                return None
            odf = _odf_type(archive)
            if odf:
                return odf
            names = set(archive.namelist())
            if "[Content_Types].xml" in names and any(name.startswith("word/") for name in names):
                return DOCX
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return None
    return None


def sniff_content_type(data):
    """The type the bytes say, or None when it is not one we accept."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _zip_type(data)
    if data.startswith(OLE2_SIGNATURE):
        # Legacy Word files are OLE2 containers; so are Excel and PowerPoint files, which
        # carry a "WordDocument" stream only when they are Word documents.
        return DOC if b"W\x00o\x00r\x00d\x00D\x00o\x00c\x00u\x00m\x00e\x00n\x00t" in data else None
    return None


def _verify_image(data):
    """Decode the whole image; refuse damaged files and decompression bombs."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    return "image_too_large"
                image.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            return "image_too_large"
        except Exception:  # Pillow raises many types for broken files; all mean "damaged"
            return "damaged_image"
    return None


def sanitise_filename(name, extension):
    """A safe file name with the extension of the sniffed type."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = base.rsplit(".", 1)[0] if "." in base.lstrip(".") else base.lstrip(".")
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    base = re.sub(r"\s+", "-", base.strip())
    base = re.sub(r"[^A-Za-z0-9._-]", "", base)
    base = re.sub(r"[-_.]{2,}", "-", base).strip("-_.")
    base = base[: FILENAME_MAX_LENGTH - len(extension) - 1] or "bijlage"
    return f"{base}.{extension}"


def _read_limited(uploaded_file, max_bytes):
    uploaded_file.seek(0)
    data = uploaded_file.read(max_bytes + 1)
    uploaded_file.seek(0)
    return data


def validate_upload(uploaded_file, *, max_bytes):
    original = uploaded_file.name or ""
    max_mb = max_bytes // (1024 * 1024) or 1
    if uploaded_file.size is not None and uploaded_file.size > max_bytes:
        raise ValidationError(
            _("“%(name)s” is larger than %(max_mb)s MB."), code="too_large", params={"name": original, "max_mb": max_mb}
        )
    data = _read_limited(uploaded_file, max_bytes)
    if len(data) > max_bytes:
        raise ValidationError(
            _("“%(name)s” is larger than %(max_mb)s MB."), code="too_large", params={"name": original, "max_mb": max_mb}
        )
    if not data:
        raise ValidationError(_("“%(name)s” is empty."), code="empty", params={"name": original})
    content_type = sniff_content_type(data)
    if content_type is None:
        raise ValidationError(
            _("“%(name)s” is not a PDF, JPEG, PNG, Word or ODF file."),
            code="type_not_allowed",
            params={"name": original},
        )
    if content_type in (JPEG, PNG):
        problem = _verify_image(data)
        if problem == "image_too_large":
            raise ValidationError(
                _("“%(name)s” has too many pixels. Send a smaller picture."), code=problem, params={"name": original}
            )
        if problem:
            raise ValidationError(
                _("“%(name)s” is damaged and cannot be opened."), code=problem, params={"name": original}
            )
    scan_for_viruses(uploaded_file)
    extension = EXTENSIONS[content_type]
    return ValidatedUpload(
        name=sanitise_filename(original, extension),
        content_type=content_type,
        extension=extension,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def validate_uploads(files, *, max_files, max_bytes):
    """Validate all files; every problem is reported at once."""
    if len(files) > max_files:
        raise ValidationError(_("Send at most %(max_files)s files."), code="too_many", params={"max_files": max_files})
    validated, errors = [], []
    for uploaded_file in files:
        try:
            validated.append(validate_upload(uploaded_file, max_bytes=max_bytes))
        except ValidationError as error:
            errors.extend(error.error_list)
    if errors:
        raise ValidationError(errors)
    return validated


def _clamd_connection():
    path = getattr(settings, "KLACHTFORMULIEREN_CLAMD_SOCKET", "")
    host = getattr(settings, "KLACHTFORMULIEREN_CLAMD_HOST", "")
    timeout = getattr(settings, "KLACHTFORMULIEREN_CLAMD_TIMEOUT", 30)
    if path:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.settimeout(timeout)
        connection.connect(path)
        return connection
    if host:
        port = getattr(settings, "KLACHTFORMULIEREN_CLAMD_PORT", 3310)
        return socket.create_connection((host, port), timeout=timeout)
    return None


def scan_for_viruses(uploaded_file):
    """Stream the file to clamd (INSTREAM) when a scanner is configured; off by default."""
    try:
        connection = _clamd_connection()
        if connection is None:
            return
        with connection:
            connection.sendall(b"zINSTREAM\0")
            uploaded_file.seek(0)
            for chunk in uploaded_file.chunks(CLAMD_CHUNK):
                connection.sendall(struct.pack(">I", len(chunk)) + chunk)
            connection.sendall(struct.pack(">I", 0))
            reply = b""
            while not reply.endswith(b"\0") and len(reply) < 4096:
                part = connection.recv(4096)
                if not part:
                    break
                reply += part
        uploaded_file.seek(0)
    except OSError as error:
        logger.error("Virus scanner unavailable: %s", error)
        raise ValidationError(
            _("We cannot check attachments for viruses right now. Please try again later."), code="scan_unavailable"
        ) from error
    answer = reply.rstrip(b"\0").decode("utf-8", "replace")
    if answer.endswith("FOUND"):
        logger.warning("Virus scanner refused %r: %s", uploaded_file.name, answer)
        raise ValidationError(
            _("“%(name)s” contains a virus and was refused."), code="infected", params={"name": uploaded_file.name}
        )
    if not answer.endswith("OK"):
        logger.error("Virus scanner gave an unexpected answer: %s", answer)
        raise ValidationError(
            _("We cannot check attachments for viruses right now. Please try again later."), code="scan_unavailable"
        )
