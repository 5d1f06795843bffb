"""Validation of the files citizens attach to a complaint.

Threat model. Anyone on the internet can post a file, and complaint handlers open it on a
municipal workstation. So:

- The type is decided by CONTENT SNIFFING of the bytes, never by the file name or by the
  content type the browser claims: both are chosen by the sender. An HTML page or a Windows
  executable renamed to ``brief.pdf`` is refused, and the stored name always gets the
  extension of the type we found (``foto.exe`` holding a PNG is stored as ``foto.png``), so
  the workstation opens it with the right program.
- Images are decoded with Pillow (``verify()``, then a full ``load()``), so a damaged or
  crafted image is refused here and not in the viewer of a complaint handler, and a cap on
  the pixel count refuses decompression bombs (a few kilobytes that decode to gigabytes).
- ZIP-based documents (DOCX, ODF) are inspected through the ZIP directory without
  extracting anything; archives with too many entries or too large a declared uncompressed
  size (zip bombs) are refused. Documents with macros (VBA in Word files) are refused.
- Legacy Word (.doc) is accepted only when the OLE2 (Compound File) directory really holds
  a top-level ``WordDocument`` stream and no ``Macros`` storage: the OLE2 signature alone
  is shared by Excel, PowerPoint, MSI installers and more. The directory is parsed with
  bounds on every loop, and a malformed file is simply refused.
- File names are sanitised (no directories, no control or bidi characters, ASCII only).
- An optional ClamAV scan (clamd, INSTREAM) runs when configured; it is off by default.
- Storage happens elsewhere (``storage.py``): attachments are written outside the public
  media URL, because they may hold personal data and because a file that is never served
  from the site's own origin cannot be used for stored cross-site scripting.

Nothing here imports from the host site: this module belongs to the reusable plugin app.
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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from PIL import Image

from klachtformulieren import conf

logger = logging.getLogger(__name__)

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOC = "application/msword"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"

#: Canonical MIME type -> the extension a stored file gets.
ALLOWED_TYPES: Mapping[str, str] = MappingProxyType(
    {PDF: "pdf", JPEG: "jpg", PNG: "png", DOCX: "docx", DOC: "doc", ODT: "odt", ODS: "ods", ODP: "odp"}
)
#: For the ``accept`` attribute of the file input: a hint to the browser, not a check.
ACCEPT_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".odt", ".ods", ".odp")

MAX_ZIP_ENTRIES = 2_000
MAX_ZIP_UNCOMPRESSED = 200 * 1024 * 1024
MAX_OLE2_DIRECTORY_ENTRIES = 10_000
FILENAME_MAX_LENGTH = 80
FILENAME_FALLBACK = "bijlage"
READ_CHUNK = 64 * 1024
CLAMD_CHUNK = 64 * 1024
CLAMD_MAX_REPLY = 4096

MESSAGES = {
    "too_large": _("“%(name)s” is larger than %(max_mb)s MB."),
    "empty": _("“%(name)s” is empty."),
    "type_not_allowed": _("“%(name)s” is not a PDF, JPEG, PNG, Word or ODF file."),
    "macros": _("“%(name)s” contains macros. Save it without macros, or as PDF, and send it again."),
    "damaged_image": _("“%(name)s” is damaged and cannot be opened."),
    "image_too_large": _("“%(name)s” has too many pixels. Send a smaller picture."),
    "infected": _("“%(name)s” contains a virus and was refused."),
    "scan_unavailable": _("We cannot check attachments for viruses right now. Please try again later."),
    "too_many": _("Send at most %(max_files)s files."),
}


@dataclass(frozen=True)
class ValidatedUpload:
    name: str  # sanitised, with the extension of the sniffed type
    content_type: str  # canonical MIME type, one of ALLOWED_TYPES
    extension: str  # without the dot
    size: int  # bytes
    sha256: str  # hex digest of the content


def _error(code, name=None, **params):
    if name is not None:
        params["name"] = _display_name(name)
    return ValidationError(MESSAGES[code], code=code, params=params or None)


def _display_name(name):
    """The original name for an error message: without control or bidi characters, not endless."""
    name = "".join(ch for ch in str(name) if unicodedata.category(ch) not in ("Cc", "Cf"))
    return name if len(name) <= 100 else f"{name[:99]}…"


# --- Content sniffing -------------------------------------------------------------------

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
ZIP_SIGNATURE = b"PK\x03\x04"
OLE2_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
ODF_TYPES = (ODT, ODS, ODP)


def sniff_content_type(data: bytes) -> str | None:
    """The canonical MIME type the bytes say, or None when it is not a type we accept."""
    return _sniff(data)[0]


def _sniff(data):
    """(content type or None, has macros)."""
    if data.startswith(b"%PDF-"):
        return PDF, False
    if data.startswith(PNG_SIGNATURE):
        return PNG, False
    if data.startswith(JPEG_SIGNATURE):
        return JPEG, False
    if data.startswith(ZIP_SIGNATURE):
        return _sniff_zip(data)
    if data.startswith(OLE2_SIGNATURE):
        return _sniff_ole2(data)
    return None, False


def _sniff_zip(data):
    """DOCX or ODF, judged from the ZIP directory; only the tiny ODF ``mimetype`` entry is read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if not infos or len(infos) > MAX_ZIP_ENTRIES:
                return None, False
            if sum(info.file_size for info in infos) > MAX_ZIP_UNCOMPRESSED:
                return None, False
            if any(info.flag_bits & 0x1 for info in infos):  # ZIP-encrypted entries
                return None, False
            names = [info.filename for info in infos]
            first = infos[0]
            if first.filename == "mimetype":
                # ODF: the first entry is an uncompressed ``mimetype`` file (ODF 1.2 part 3, 3.3).
                if first.compress_type != zipfile.ZIP_STORED or max(first.file_size, first.compress_size) > 100:
                    return None, False
                mimetype = archive.read(first).decode("ascii")
                if mimetype in ODF_TYPES and "content.xml" in names:
                    return mimetype, False
                return None, False
            if "[Content_Types].xml" in names and any(name.startswith("word/") for name in names):
                has_macros = any(name.lower().endswith("vbaproject.bin") for name in names)
                return DOCX, has_macros
    except Exception:  # a malformed archive raises many different errors; all mean "not a document"
        return None, False
    return None, False


_CFB_MAX_REGULAR_SECTOR = 0xFFFFFFFA
_CFB_END_OF_CHAIN = 0xFFFFFFFE
_CFB_NO_STREAM = 0xFFFFFFFF
_CFB_STORAGE, _CFB_STREAM, _CFB_ROOT = 1, 2, 5


def _sniff_ole2(data):
    """Legacy Word: an OLE2 file with a top-level ``WordDocument`` stream."""
    try:
        entries = _ole2_top_level_entries(data)
    except (ValueError, IndexError, struct.error, UnicodeDecodeError):
        return None, False
    if entries.get("WordDocument") != _CFB_STREAM:
        return None, False
    return DOC, entries.get("Macros") == _CFB_STORAGE


def _ole2_top_level_entries(data):
    """Name -> object type of the entries directly below the root of a Compound File (MS-CFB).

    Raises ValueError (or struct.error / IndexError) for anything malformed. Every loop is
    bounded by the number of sectors in the file, so a crafted cycle cannot hang it.
    """
    if len(data) < 512:
        raise ValueError("too short")
    major, byte_order, sector_shift = struct.unpack_from("<HHH", data, 26)
    if byte_order != 0xFFFE or (major, sector_shift) not in {(3, 9), (4, 12)}:
        raise ValueError("not a compound file header")
    sector_size = 1 << sector_shift
    sector_count = len(data) // sector_size - 1  # the header occupies the first sector-sized block
    ints_per_sector = sector_size // 4

    def sector(number):
        if number >= sector_count:
            raise ValueError("sector out of range")
        start = (number + 1) * sector_size
        return data[start : start + sector_size]

    (first_directory_sector,) = struct.unpack_from("<I", data, 48)
    first_difat_sector, difat_sector_count = struct.unpack_from("<II", data, 68)
    fat_sectors = [s for s in struct.unpack_from("<109I", data, 76) if s < _CFB_MAX_REGULAR_SECTOR]
    next_difat, hops = first_difat_sector, 0
    while next_difat < _CFB_MAX_REGULAR_SECTOR:
        hops += 1
        if hops > min(difat_sector_count, sector_count):
            raise ValueError("DIFAT chain too long")
        values = struct.unpack(f"<{ints_per_sector}I", sector(next_difat))
        fat_sectors.extend(s for s in values[:-1] if s < _CFB_MAX_REGULAR_SECTOR)
        next_difat = values[-1]

    def next_sector(number):
        fat_sector = fat_sectors[number // ints_per_sector]
        return struct.unpack_from("<I", sector(fat_sector), (number % ints_per_sector) * 4)[0]

    raw_entries, current, hops = [], first_directory_sector, 0
    while current != _CFB_END_OF_CHAIN:
        hops += 1
        if hops > sector_count or len(raw_entries) > MAX_OLE2_DIRECTORY_ENTRIES:
            raise ValueError("directory chain too long")
        block = sector(current)
        raw_entries.extend(block[offset : offset + 128] for offset in range(0, sector_size, 128))
        current = next_sector(current)

    def entry(index):
        raw = raw_entries[index]
        (name_length,) = struct.unpack_from("<H", raw, 64)
        if name_length > 64 or name_length % 2:
            raise ValueError("bad name length")
        name = raw[: max(name_length - 2, 0)].decode("utf-16-le")
        left, right, child = struct.unpack_from("<III", raw, 68)
        return name, raw[66], left, right, child

    _root_name, root_type, _left, _right, root_child = entry(0)
    if root_type != _CFB_ROOT:
        raise ValueError("no root entry")
    # The children of a storage form a red-black tree linked through left/right siblings.
    entries, seen, pending = {}, set(), [root_child]
    while pending:
        index = pending.pop()
        if index == _CFB_NO_STREAM:
            continue
        if index in seen or index == 0:
            raise ValueError("directory tree has a cycle")
        seen.add(index)
        name, object_type, left, right, _child = entry(index)
        entries[name] = object_type
        pending.extend((left, right))
    return entries


# --- Images -----------------------------------------------------------------------------


def _image_problem(data, content_type):
    """None when the image decodes fully; otherwise the error code."""
    max_pixels = conf.setting("MAX_IMAGE_PIXELS")
    formats = ["PNG"] if content_type == PNG else ["JPEG"]
    # Pillow warns above Image.MAX_IMAGE_PIXELS and raises above twice that; the warning is
    # made an error here only, so global Pillow and warnings state stay as they are.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=formats) as image:
                # open() reads only the header, so the size is known before anything is decoded.
                if image.width * image.height > max_pixels:
                    return "image_too_large"
                image.verify()
            with Image.open(io.BytesIO(data), formats=formats) as image:
                image.load()  # verify() does not decode; load() does, and catches truncated data
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            return "image_too_large"
        except Exception:  # Pillow raises many types for broken files; all mean "damaged"
            return "damaged_image"
    return None


# --- File names -------------------------------------------------------------------------

# Letters NFKD does not decompose into an ASCII letter plus accents.
_TRANSLITERATION = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ß": "ss",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "Th",
        "\u0131": "i",  # dotless i
    }
)
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def sanitise_filename(name: str, extension: str) -> str:
    """A safe file name that ends in ``extension``, the extension of the sniffed type.

    Directories (``/`` and ``\\``), control and bidi characters and any old extension are
    dropped; accented letters become ASCII; spaces and dots inside the name become hyphens
    (no double extensions such as ``brief.php.pdf``); only letters, digits, hyphen and
    underscore remain; at most FILENAME_MAX_LENGTH characters; never empty, never a leading
    dot, never a reserved Windows device name.
    """
    extension = (extension or "").lower().lstrip(".")
    if not re.fullmatch(r"[a-z0-9]{1,10}", extension):
        raise ValueError(f"Not a file extension: {extension!r}")
    base = re.split(r"[\\/]", name or "")[-1]
    # The old extension goes, whatever it claimed; a name such as ".htaccess" has none.
    base = re.sub(r"(?<=[^.\s])\.[A-Za-z0-9]{1,10}\s*$", "", base)
    base = "".join(
        " " if ch.isspace() else ch for ch in base if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cf")
    )
    base = unicodedata.normalize("NFKD", base.translate(_TRANSLITERATION)).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[ .]", "-", base.strip(" ."))
    stem = re.sub(r"[^A-Za-z0-9_-]", "", stem)
    stem = re.sub(r"[-_]*-[-_]*", "-", stem)  # a run of separators with a hyphen in it: one hyphen
    stem = re.sub(r"_{2,}", "_", stem).strip("-_")
    stem = stem[: FILENAME_MAX_LENGTH - len(extension) - 1].rstrip("-_")
    if not stem:
        stem = FILENAME_FALLBACK
    elif stem.upper() in _WINDOWS_RESERVED:
        stem = f"{FILENAME_FALLBACK}-{stem}"
    return f"{stem}.{extension}"


# --- Validation -------------------------------------------------------------------------


def _max_mb(max_bytes):
    megabytes = max_bytes / (1024 * 1024)
    return int(megabytes) if megabytes.is_integer() else number_format(megabytes, decimal_pos=1)


def _read_at_most(uploaded_file, limit):
    """At most ``limit`` bytes from the start of the file, read in chunks; the file is rewound."""
    uploaded_file.seek(0)
    parts, remaining = [], limit
    while remaining > 0:
        part = uploaded_file.read(min(remaining, READ_CHUNK))
        if not part:
            break
        parts.append(part)
        remaining -= len(part)
    uploaded_file.seek(0)
    return b"".join(parts)


def validate_upload(uploaded_file, *, max_bytes: int) -> ValidatedUpload:
    """Check one uploaded file; raise ValidationError (with a code) when it is refused.

    Codes: too_large, empty, type_not_allowed, macros, damaged_image, image_too_large, and
    from the optional virus scan infected and scan_unavailable.
    """
    original = uploaded_file.name or ""
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > max_bytes:
        raise _error("too_large", original, max_mb=_max_mb(max_bytes))
    data = _read_at_most(uploaded_file, max_bytes + 1)  # the declared size may lie
    if len(data) > max_bytes:
        raise _error("too_large", original, max_mb=_max_mb(max_bytes))
    if not data:
        raise _error("empty", original)
    content_type, has_macros = _sniff(data)
    if content_type is None:
        raise _error("type_not_allowed", original)
    if has_macros:
        raise _error("macros", original)
    if content_type in (JPEG, PNG):
        problem = _image_problem(data, content_type)
        if problem:
            raise _error(problem, original)
    scan_for_viruses(uploaded_file)
    extension = ALLOWED_TYPES[content_type]
    return ValidatedUpload(
        name=sanitise_filename(original, extension),
        content_type=content_type,
        extension=extension,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def validate_uploads(files: Iterable, *, max_files: int, max_bytes: int) -> list[ValidatedUpload]:
    """Check all files and report every problem at once, in one ValidationError.

    Too many files is reported (code too_many) together with the problems of the files
    themselves, so the citizen knows everything before choosing again. (Django caps the
    number of files in one request with DATA_UPLOAD_MAX_NUMBER_FILES.)
    """
    files = list(files)
    errors = []
    if len(files) > max_files:
        errors.append(_error("too_many", max_files=max_files))
    validated = []
    for uploaded_file in files:
        try:
            validated.append(validate_upload(uploaded_file, max_bytes=max_bytes))
        except ValidationError as error:
            for item in error.error_list:
                if item.code == "scan_unavailable" and any(e.code == "scan_unavailable" for e in errors):
                    continue  # once is enough
                errors.append(item)
    if errors:
        raise ValidationError(errors)
    return validated


# --- Optional virus scan (ClamAV) -------------------------------------------------------


def _clamd_connection():
    """A socket connected to clamd, or None when no scanner is configured (the default)."""
    path = conf.setting("CLAMD_SOCKET")
    host = conf.setting("CLAMD_HOST")
    timeout = conf.setting("CLAMD_TIMEOUT")
    if path:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            connection.settimeout(timeout)
            connection.connect(str(path))
        except OSError:
            connection.close()
            raise
        return connection
    if host:
        port = int(conf.setting("CLAMD_PORT"))
        return socket.create_connection((host, port), timeout=timeout)
    return None


def _clamd_address():
    path = conf.setting("CLAMD_SOCKET")
    if path:
        return str(path)
    host = conf.setting("CLAMD_HOST")
    return f"{host}:{conf.setting('CLAMD_PORT')}"


def scan_for_viruses(uploaded_file) -> None:
    """Stream the file to clamd with INSTREAM when a scanner is configured; off by default.

    Settings, read at call time: KLACHTFORMULIEREN_CLAMD_SOCKET (a unix socket path) or
    KLACHTFORMULIEREN_CLAMD_HOST and KLACHTFORMULIEREN_CLAMD_PORT (default 3310), and
    KLACHTFORMULIEREN_CLAMD_TIMEOUT (seconds, default 30). Raises ValidationError with
    code "infected", or "scan_unavailable" when clamd cannot be reached or answers
    something unexpected (the file is then refused: fail closed).
    """
    try:
        connection = _clamd_connection()
        if connection is None:
            return
        with connection:
            connection.sendall(b"zINSTREAM\0")
            for chunk in uploaded_file.chunks(CLAMD_CHUNK):  # chunks() starts at the beginning
                connection.sendall(struct.pack(">I", len(chunk)) + chunk)
            connection.sendall(struct.pack(">I", 0))
            reply = b""
            while not reply.endswith(b"\0") and len(reply) < CLAMD_MAX_REPLY:
                part = connection.recv(CLAMD_MAX_REPLY)
                if not part:
                    break
                reply += part
    except OSError as error:  # includes timeouts and refused connections
        logger.error("Virus scanner at %s unavailable: %s", _clamd_address(), error)
        raise _error("scan_unavailable") from error
    finally:
        uploaded_file.seek(0)
    answer = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
    if answer.endswith(" FOUND"):
        # The signature name, not the file name: file names can hold personal data.
        logger.warning("Virus scanner refused an attachment: %s", answer)
        raise _error("infected", uploaded_file.name or "")
    if not answer.endswith(": OK"):
        logger.error("Virus scanner at %s gave an unexpected answer: %r", _clamd_address(), answer[:200])
        raise _error("scan_unavailable")
