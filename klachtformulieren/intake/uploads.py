"""Validation of the files citizens attach to a complaint.

Threat model. Anyone on the internet can post a file, and complaint handlers open it on a
municipal workstation. So:

- The type is decided by CONTENT SNIFFING of the bytes, never by the file name or by the
  content type the browser claims: both are chosen by the sender. An HTML page or a Windows
  executable renamed to ``brief.pdf`` is refused, and the stored name always gets the
  extension of the type we found (``foto.exe`` holding a PNG is stored as ``foto.png``), so
  the workstation opens it with the right program.
- A file is one thing only (no polyglots): none may carry a Windows program (an MZ header
  whose PE signature is where it points), markup a browser would sniff as a web page in its
  first kilobyte, or a ZIP archive a ZIP reader would find, and a document ends where its
  format says (no data after a ZIP's end record; for images below).
- Images are decoded with Pillow (``verify()``, then a full ``load()``), so a damaged or
  crafted image is refused here and not in the viewer of a complaint handler, and a cap on
  the pixel count refuses decompression bombs (a few kilobytes that decode to gigabytes).
  Their structure is walked to the image's end: anything after it (a ZIP or a web page
  appended to a PNG, data after a JPEG's EOI) is refused, except the further pictures a
  camera appends in the JPEG's own format (MPF, Ultra HDR gain maps); no markup anywhere,
  no ZIP records in the metadata.
- PDFs are parsed with pypdf within bounds (stream sizes, objects walked, seconds spent):
  JavaScript (``/JS``, ``/JavaScript`` in the names tree or in actions, XFA forms), launch
  actions and embedded files (``/EmbeddedFiles``, file attachment annotations) are refused,
  whatever object holds them, and so is a PDF pypdf cannot read or decrypt without a password.
- ZIP-based documents (DOCX, ODF) are inspected through the ZIP directory without writing
  anything; archives with too many entries or too large a declared uncompressed size (zip
  bombs) are refused, and only small XML parts and the first bytes of each entry are read.
  Refused: macros (a VBA project part or storage, a macro-enabled content type; in ODF
  ``Basic/`` or ``Scripts/`` entries or event listeners calling a script), embedded objects
  (OLE objects, ActiveX, nested packages, imported chunks) and, in DOCX, any relationship
  that reaches outside the file (a remote template, frame or sub-document), hyperlinks
  excepted.
- Legacy Word (.doc) is accepted only when the OLE2 (Compound File) directory, read with
  olefile, really holds a top-level ``WordDocument`` stream and is not also a workbook or a
  presentation: the OLE2 signature alone is shared by Excel, PowerPoint, MSI installers and
  more. Macros (a ``Macros`` or ``VBA`` storage anywhere) and embedded objects
  (``ObjectPool``) are refused from the directory alone, reading no stream; a malformed file
  is simply refused. (oletools' olevba is not used: it reads every stream, orphans included,
  and inflates PowerPoint's VBA without a bound, which a hostile upload turns into minutes of
  work or gigabytes of memory; it is a tool for analysts, not for a public form.)
- File names are sanitised (no directories, no control or bidi characters, ASCII only).
- An optional ClamAV scan (clamd, INSTREAM) runs when configured; it is off by default. A
  file with a virus is refused. When the scanner cannot give a verdict (unreachable, a
  timeout, an unexpected answer) the file is accepted IN QUARANTINE: the complaint is not
  lost, and nobody can download the file until the task worker's rescan finds it clean.
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
import time
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from xml.parsers import expat

import olefile
import pypdf
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from PIL import Image
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from klachtformulieren import conf
from klachtformulieren.models import ComplaintAttachment

logger = logging.getLogger(__name__)
# pypdf logs a warning for every repair of a broken file: one hostile upload could write
# thousands of lines. Errors only, unless the host's LOGGING says otherwise.
if logging.getLogger("pypdf").level == logging.NOTSET:
    logging.getLogger("pypdf").setLevel(logging.ERROR)

Scan = ComplaintAttachment.Scan

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
MAX_OLE2_PART = 25 * 1024 * 1024  # an OLE2 part of a ZIP larger than this is not opened to name it
# PDF: the objects listed and the dictionaries and arrays walked (a 300-page report has some
# tens of thousands), what one stream may decode to (pypdf's own limits, lowered to what an
# attachment needs), and the time the walk may take: pypdf repairs a wrong cross-reference
# entry by searching the whole file, so thousands of wrong entries would take hours.
MAX_PDF_OBJECTS = 200_000
MAX_PDF_STREAM_OUTPUT = 50 * 1024 * 1024
MAX_PDF_SECONDS = 10
MAX_IMAGE_CHUNKS = 100_000  # PNG chunks or JPEG segments; real files have a few thousand at most
MAX_JPEG_PICTURES = 16  # the primary image and the ones a camera appends (MPF, Ultra HDR)
MAX_EXECUTABLE_CANDIDATES = 1_000_000  # "MZ" occurrences checked for a PE header (about half a second)
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
    "active_content": _(
        "“%(name)s” contains JavaScript or a command that starts a program. Print it to a new PDF and send that."
    ),
    "embedded_content": _(
        "“%(name)s” contains embedded files or objects. Send those files separately, and the document without them."
    ),
    "external_content": _(
        "“%(name)s” loads a template or other content from elsewhere. Save it as PDF and send it again."
    ),
    "hidden_content": _("“%(name)s” hides other content, such as a program, a web page or an archive."),
    "damaged_pdf": _("“%(name)s” is damaged or is not a real PDF file."),
    "encrypted_pdf": _("“%(name)s” is protected with a password. Send it without the password."),
    "too_complex": _("“%(name)s” is too complex to check. Print it to a new PDF and send that."),
    "damaged_image": _("“%(name)s” is damaged and cannot be opened."),
    "image_too_large": _("“%(name)s” has too many pixels. Send a smaller picture."),
    "image_trailing_data": _(
        "“%(name)s” holds more than the picture alone. Save the picture again, for example as a screenshot, "
        "and send that."
    ),
    "infected": _("“%(name)s” contains a virus and was refused."),
    "too_many": _("Send at most %(max_files)s files."),
}


@dataclass(frozen=True)
class ValidatedUpload:
    name: str  # sanitised, with the extension of the sniffed type
    content_type: str  # canonical MIME type, one of ALLOWED_TYPES
    extension: str  # without the dot
    size: int  # bytes
    sha256: str  # hex digest of the content
    scan: str = Scan.CLEAN  # QUARANTINED: the virus scanner gave no verdict; stored, not downloadable


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
OLE2_SIGNATURE = olefile.MAGIC
ODF_TYPES = (ODT, ODS, ODP)
ZIP_TYPES = (DOCX, *ODF_TYPES)


def sniff_content_type(data: bytes) -> str | None:
    """The canonical MIME type the bytes say, or None when it is not a type we accept."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(PNG_SIGNATURE):
        return PNG
    if data.startswith(JPEG_SIGNATURE):
        return JPEG
    if data.startswith(ZIP_SIGNATURE):
        return _sniff_zip(data)
    if data.startswith(OLE2_SIGNATURE):
        return _sniff_ole2(data)
    return None


def _sniff_zip(data):
    """DOCX or ODF, judged from the ZIP directory; only the tiny ODF ``mimetype`` entry is read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if not infos or len(infos) > MAX_ZIP_ENTRIES:
                return None
            if sum(info.file_size for info in infos) > MAX_ZIP_UNCOMPRESSED:
                return None
            if any(info.flag_bits & 0x1 for info in infos):  # ZIP-encrypted entries
                return None
            names = [info.filename for info in infos]
            first = infos[0]
            if first.filename == "mimetype":
                # ODF: the first entry is an uncompressed ``mimetype`` file (ODF 1.2 part 3, 3.3).
                if first.compress_type != zipfile.ZIP_STORED or max(first.file_size, first.compress_size) > 100:
                    return None
                mimetype = archive.read(first).decode("ascii")
                if mimetype in ODF_TYPES and "content.xml" in names:
                    return mimetype
                return None
            if "[Content_Types].xml" in names and any(name.startswith("word/") for name in names):
                return DOCX
    except Exception:  # a malformed archive raises many different errors; all mean "not a document"
        return None
    return None


def _open_ole2(data):
    # A file object, never the bytes: olefile takes short bytes for a file name. Defects
    # "incorrect" by the specification (such as a directory entry reached twice) raise too.
    return olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)


# The main streams of the other Office 97-2003 applications: a file with one of them is
# (also) a workbook or a presentation, not a Word document.
_OLE2_OTHER_APPLICATIONS = {"workbook", "book", "powerpoint document", "current user"}


def _sniff_ole2(data):
    """Legacy Word: an OLE2 file with a top-level ``WordDocument`` stream, and nothing else's."""
    try:
        with _open_ole2(data) as ole:
            if ole.get_type("WordDocument") != olefile.STGTY_STREAM:
                return None
            if any(path[0].lower() in _OLE2_OTHER_APPLICATIONS for path in ole.listdir(streams=True)):
                return None
            return DOC
    except Exception:  # olefile raises several types for malformed files; all mean "not Word"
        return None


# --- Hidden content (polyglots) ----------------------------------------------------------

#: What a browser or mail client sniffing the start of a file would take for a web page.
_MARKUP = re.compile(rb"<(?:!doctype\s+html|html|head|body|script|iframe|object|embed|svg)[\s/>]", re.IGNORECASE)
MARKUP_SNIFF_WINDOW = 1024
_ZIP_RECORDS = re.compile(rb"PK(?:\x03\x04|\x01\x02|\x05\x06)")
_ZIP_END_RECORD = b"PK\x05\x06"
_ZIP_END_RECORD_SIZE = 22


def _holds_windows_executable(data):
    """An MZ header whose e_lfanew (at 0x3C) points at a "PE\\0\\0" signature, anywhere."""
    offset, candidates = data.find(b"MZ"), 0
    while offset != -1:
        candidates += 1
        if candidates > MAX_EXECUTABLE_CANDIDATES:
            return True  # no real document has this many; refusing beats checking for minutes
        if offset + 0x40 <= len(data):
            (pe_offset,) = struct.unpack_from("<I", data, offset + 0x3C)
            if data[offset + pe_offset : offset + pe_offset + 4] == b"PE\0\0":
                return True
        offset = data.find(b"MZ", offset + 1)
    return False


def _opens_as_zip(data):
    """True when a ZIP reader (which reads from the end) finds an archive in the bytes."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return bool(archive.infolist())
    except Exception:  # BadZipFile and friends: no archive
        return False


def _zip_has_trailing_data(data):
    """True unless the ZIP's end record (and its comment) closes the file."""
    end = data.rfind(_ZIP_END_RECORD, max(0, len(data) - _ZIP_END_RECORD_SIZE - 0xFFFF))
    if end == -1 or end + _ZIP_END_RECORD_SIZE > len(data):
        return True
    (comment_length,) = struct.unpack_from("<H", data, end + 20)
    return end + _ZIP_END_RECORD_SIZE + comment_length != len(data)


def _hides_other_content(data, content_type):
    if _holds_windows_executable(data) or _MARKUP.search(data[:MARKUP_SNIFF_WINDOW]):
        return True
    if content_type in ZIP_TYPES:
        return _zip_has_trailing_data(data)
    return _opens_as_zip(data)


# --- Images -----------------------------------------------------------------------------


def _image_problem(data, content_type):
    """None when the image decodes fully and holds nothing else; otherwise the error code."""
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
    layout = _png_layout(data) if content_type == PNG else _jpeg_layout(data)
    if layout is None:
        return "damaged_image"
    end, metadata = layout
    if _MARKUP.search(data) or any(_ZIP_RECORDS.search(part) for part in metadata):
        return "hidden_content"
    if data[end:].strip(b"\0"):  # padding with zero bytes hides nothing
        return "image_trailing_data"
    return None


_PNG_PIXEL_CHUNKS = (b"IDAT", b"fdAT")  # compressed pixels (fdAT: animated PNG frames)


def _png_layout(data):
    """(offset after the IEND chunk, the bodies of the chunks that are not pixels), or None."""
    offset, metadata = len(PNG_SIGNATURE), []
    for _chunk in range(MAX_IMAGE_CHUNKS):
        if offset + 12 > len(data):
            return None
        length, kind = struct.unpack_from(">I4s", data, offset)
        body_end = offset + 8 + length
        if kind not in _PNG_PIXEL_CHUNKS:
            metadata.append(data[offset + 8 : body_end])
        offset = body_end + 4  # the CRC
        if kind == b"IEND":
            return offset, metadata
    return None


# A marker inside entropy-coded JPEG data: 0xFF not followed by a stuffed zero, a restart
# marker or another 0xFF (fill bytes before a marker).
_JPEG_SCAN_END = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
_JPEG_EOI, _JPEG_SOS = 0xD9, 0xDA
_JPEG_STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM and RST0-7 carry no length


def _jpeg_layout(data):
    """(offset after the last picture's EOI, the metadata segments), or None when malformed.

    Cameras append further pictures in the same format after the first EOI (MPF: previews,
    depth maps; Ultra HDR: the gain map); those are walked the same way. Anything else after
    the end is left for the caller to refuse.
    """
    offset, metadata = 0, []
    for picture in range(MAX_JPEG_PICTURES):
        if picture and not data.startswith(JPEG_SIGNATURE, offset):
            break
        end = _jpeg_picture_end(data, offset, metadata)
        if end is None:
            return None
        offset = end
    return offset, metadata


def _jpeg_picture_end(data, offset, metadata):
    """The offset after the EOI of the picture starting (with SOI) at ``offset``."""
    offset += 2
    for _segment in range(MAX_IMAGE_CHUNKS):
        if offset + 2 > len(data) or data[offset] != 0xFF:
            return None
        while offset < len(data) and data[offset] == 0xFF:  # fill bytes
            offset += 1
        if offset >= len(data):
            return None
        marker = data[offset]
        offset += 1
        if marker == _JPEG_EOI:
            return offset
        if marker in _JPEG_STANDALONE:
            continue
        if offset + 2 > len(data):
            return None
        (length,) = struct.unpack_from(">H", data, offset)
        if length < 2:
            return None
        segment_end = offset + length
        if marker == _JPEG_SOS:
            found = _JPEG_SCAN_END.search(data, segment_end)
            if found is None:
                return None
            offset = found.start()
        else:
            metadata.append(data[offset + 2 : segment_end])
            offset = segment_end
    return None


# --- PDF --------------------------------------------------------------------------------


def _pdf_name(name):
    """A regular expression for a PDF name in the raw bytes, each letter literal or #-escaped."""
    letters = b"".join(
        b"(?:%s|#(?i:%02x))" % (re.escape(letter.encode()), ord(letter)) for letter in name.removeprefix("/")
    )
    return rb"/" + letters


# The names of what is refused, in the raw bytes: a second net under the object walk, for
# objects that a viewer's repair might find and pypdf does not.
_PDF_RAW_ACTIVE = re.compile(b"|".join(_pdf_name(name) for name in ("/JavaScript", "/Launch")))
_PDF_RAW_EMBEDDED = re.compile(
    b"|".join(_pdf_name(name) for name in ("/EmbeddedFile", "/FileAttachment", "/RichMedia"))
)
_PDF_ACTIVE_KEYS = {"/JS", "/JavaScript", "/XFA"}  # XFA forms carry their own scripts
_PDF_ACTIVE_ACTIONS = {"/JavaScript", "/Launch"}
_PDF_EMBEDDED_KEYS = {"/EmbeddedFiles", "/EF"}
_PDF_EMBEDDED_SUBTYPES = {"/FileAttachment", "/RichMedia", "/3D"}
_PDF_EMBEDDED_ACTIONS = {"/GoToE"}  # go to an embedded document


class _PdfTookTooLong(BaseException):
    """Raised from inside pypdf when reading a PDF passes its deadline. A BaseException, so
    that pypdf's own ``except Exception`` repairs cannot swallow it and carry on."""


class _PdfStream(io.BytesIO):
    """The PDF's bytes, readable until a deadline. pypdf parses through its stream, so this
    bounds every slow path, its byte-by-byte repairs of a broken file included."""

    def __init__(self, data, deadline):
        super().__init__(data)
        self.deadline = deadline

    def read(self, size=-1):
        if time.monotonic() > self.deadline:
            raise _PdfTookTooLong
        return super().read(size)


def _pdf_problem(data):
    """None for a PDF without scripts, launch actions or embedded files; otherwise the code."""
    end_of_file = data.rfind(b"%%EOF")
    if end_of_file != -1 and _MARKUP.search(data, end_of_file):
        return "hidden_content"
    deadline = time.monotonic() + MAX_PDF_SECONDS
    try:
        with pypdf.apply_configuration(
            maximum_declared_stream_length=MAX_PDF_STREAM_OUTPUT,
            zlib_maximum_output_length=MAX_PDF_STREAM_OUTPUT,
            lzw_maximum_output_length=MAX_PDF_STREAM_OUTPUT,
            run_length_maximum_output_length=MAX_PDF_STREAM_OUTPUT,
            array_based_stream_maximum_output_length=MAX_PDF_STREAM_OUTPUT,
            stream_decoding_work_maximum_length=2 * MAX_PDF_STREAM_OUTPUT,
            jbig2dec_binary=None,  # never start an external program for a citizen's file
        ):
            reader = pypdf.PdfReader(_PdfStream(data, deadline), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                return "encrypted_pdf"
            problem = _pdf_objects_problem(reader, deadline)
    except (pypdf.errors.LimitReachedError, _PdfTookTooLong):
        return "too_complex"
    except Exception:  # pypdf raises many types for broken files; all mean "damaged"
        return "damaged_pdf"
    if problem:
        return problem
    if _PDF_RAW_ACTIVE.search(data):
        return "active_content"
    if _PDF_RAW_EMBEDDED.search(data):
        return "embedded_content"
    return None


def _pdf_objects_problem(reader, deadline):
    """Walk every object in the file (the cross-reference tables, object streams included),
    each once, and every dictionary and array inside them; the first problem found, or None."""
    if sum(map(len, reader.xref.values())) + len(reader.xref_objStm) > MAX_PDF_OBJECTS:
        return "too_complex"
    pending = [reader.trailer]
    for generation, numbers in reader.xref.items():
        pending.extend(IndirectObject(number, generation, reader) for number in numbers)
    pending.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
    seen, walked = set(), 0
    while pending:
        if time.monotonic() > deadline:
            return "too_complex"
        item = pending.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        # dict.values and list.__iter__: the stored values, references unresolved (each
        # referenced object is walked once, through the reference).
        if isinstance(item, DictionaryObject):
            problem = _pdf_dictionary_problem(item)
            if problem:
                return problem
            children = dict.values(item)
        elif isinstance(item, ArrayObject):
            children = list.__iter__(item)
        else:
            continue
        walked += 1
        if walked > MAX_PDF_OBJECTS:
            return "too_complex"
        pending.extend(
            child for child in children if isinstance(child, DictionaryObject | ArrayObject | IndirectObject)
        )
    return None


def _pdf_dictionary_problem(dictionary):
    keys = set(dictionary)
    action = dictionary.get("/S")  # get() resolves a reference, as a viewer would
    if keys & _PDF_ACTIVE_KEYS or action in _PDF_ACTIVE_ACTIONS:
        return "active_content"
    if (
        keys & _PDF_EMBEDDED_KEYS
        or dictionary.get("/Type") == "/EmbeddedFile"
        or dictionary.get("/Subtype") in _PDF_EMBEDDED_SUBTYPES
        or action in _PDF_EMBEDDED_ACTIONS
    ):
        return "embedded_content"
    return None


# --- Office documents -------------------------------------------------------------------


# Where Office keeps VBA: a project's own storage (MS-OVBA 2.2.1: VBA, with _VBA_PROJECT and
# dir), Word's Macros and Excel's _VBA_PROJECT_CUR. Any of them anywhere, even empty, counts.
_VBA_NAMES = {"vba", "_vba_project", "macros", "_vba_project_cur"}


def _ole2_entries(data):
    """Every storage and stream path of a Compound File (its directory only; no stream is read)."""
    with _open_ole2(data) as ole:
        return ole.listdir(streams=True, storages=True)


def _holds_vba(entries):
    return any(name.lower() in _VBA_NAMES for path in entries for name in path)


def _xml_elements(archive, info):
    """(element, attributes) for each element of one XML entry, parsed as it streams in.

    Names are "namespace-URI local-name". OOXML and ODF never have a DTD, so one (the way to
    entity-expansion bombs) raises ValueError.
    """
    parser = expat.ParserCreate(namespace_separator=" ")
    elements = []

    def refuse_dtd(*args):
        raise ValueError("an XML part with a DTD")

    parser.StartElementHandler = lambda name, attributes: elements.append((name, attributes))
    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    with archive.open(info) as stream:
        while chunk := stream.read(READ_CHUNK):
            parser.Parse(chunk, False)
            yield from elements
            elements.clear()
    parser.Parse(b"", True)
    yield from elements


def _entry_head(archive, info):
    """The first bytes of an entry; for an MZ header, up to where its PE signature would be."""
    with archive.open(info) as stream:
        head = stream.read(0x40)
        if head.startswith(b"MZ") and len(head) == 0x40:
            (pe_offset,) = struct.unpack_from("<I", head, 0x3C)
            if pe_offset + 4 <= info.file_size:
                head += stream.read(pe_offset + 4 - len(head))
        return head


def _zip_document_problem(data, content_type):
    """None for a DOCX or ODF document without macros, embedded objects or outside links."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            ole_parts, packages = [], []
            for info in infos:
                head = _entry_head(archive, info)
                if head.startswith(b"MZ") and _holds_windows_executable(head):
                    return "hidden_content"
                if head.startswith(OLE2_SIGNATURE):
                    ole_parts.append(info)  # a VBA project or an OLE object: refused below
                elif head.startswith(ZIP_SIGNATURE):
                    packages.append(info)  # an embedded package (a workbook in a letter): refused below
            if content_type == DOCX:
                return _ooxml_problem(archive, infos, ole_parts, packages)
            return _odf_macros(archive, infos) or ("embedded_content" if ole_parts or packages else None)
    except Exception:  # a broken entry or XML part: not a document we accept
        return "type_not_allowed"


_OOXML_MACRO_CONTENT_TYPES = ("macroenabled", "vbaproject", "vbadata")
_OOXML_EMBEDDED_CONTENT_TYPES = ("oleobject", "activex")
_OOXML_MACRO_RELATIONSHIPS = {"vbaproject", "wordvbadata"}
_OOXML_EMBEDDED_RELATIONSHIPS = {"oleobject", "package", "control", "activexcontrolbinary", "afchunk"}
_OOXML_EXTERNAL_ALLOWED = {"hyperlink"}  # a link the reader clicks, not content Word loads
_OOXML_EMBEDDED_PARTS = re.compile(r"(?:^|/)(?:embeddings|activeX)/|(?:^|/)oleObject\d*\.bin$", re.IGNORECASE)
_OOXML_MACRO_PARTS = re.compile(r"(?:^|/)(?:vbaProject\.bin|vbaData\.xml)$", re.IGNORECASE)


def _ooxml_problem(archive, infos, ole_parts, packages):
    findings = set()
    for info in infos:
        name = info.filename
        if _OOXML_MACRO_PARTS.search(name):
            findings.add("macros")
        elif _OOXML_EMBEDDED_PARTS.search(name):
            findings.add("embedded_content")
        if name == "[Content_Types].xml":
            for _element, attributes in _xml_elements(archive, info):
                content_type = attributes.get("ContentType", "").lower()
                if any(word in content_type for word in _OOXML_MACRO_CONTENT_TYPES):
                    findings.add("macros")
                elif any(word in content_type for word in _OOXML_EMBEDDED_CONTENT_TYPES):
                    findings.add("embedded_content")
        elif name.endswith(".rels"):
            for _element, attributes in _xml_elements(archive, info):
                kind = attributes.get("Type", "").rstrip("/").rsplit("/", 1)[-1].lower()
                external = attributes.get("TargetMode", "").lower() == "external"
                if kind in _OOXML_MACRO_RELATIONSHIPS:
                    findings.add("macros")
                elif external and kind not in _OOXML_EXTERNAL_ALLOWED:
                    # attachedTemplate (template injection), frame, subDocument, a linked OLE
                    # object or picture: Word fetches them when the document opens.
                    findings.add("external_content")
                elif kind in _OOXML_EMBEDDED_RELATIONSHIPS:
                    findings.add("embedded_content")
    for info in ole_parts:
        # A VBA project under another name is macros; any other OLE file is an embedded
        # object. Only the part's directory is read.
        is_vba = info.file_size <= MAX_OLE2_PART and _holds_vba(_ole2_entries(archive.read(info)))
        findings.add("macros" if is_vba else "embedded_content")
    if packages:
        findings.add("embedded_content")
    for code in ("macros", "embedded_content", "external_content"):
        if code in findings:
            return code
    return None


_ODF_MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
_ODF_SCRIPT_ELEMENTS = {
    "urn:oasis:names:tc:opendocument:xmlns:script:1.0 event-listener",
    "urn:oasis:names:tc:opendocument:xmlns:office:1.0 script",
}
_ODF_EXECUTE = ("urn:oasis:names:tc:opendocument:xmlns:presentation:1.0 action", "execute")
_ODF_SCRIPT_URLS = ("vnd.sun.star.script:", "macro:")
_ODF_SCRIPT_DIRECTORIES = ("basic/", "scripts/")
_ODF_SCRIPT_MEDIA_TYPES = ("basic", "script", "python", "java")


def _odf_macros(archive, infos):
    """ "macros" for Basic or scripts in the file or events that call a script, else None.

    (Charts and formulas are ODF sub-documents, ``Object 1/``, and stay allowed; OLE objects
    and packages are refused by the caller.)
    """
    for info in infos:
        name = info.filename
        if name.lower().startswith(_ODF_SCRIPT_DIRECTORIES):
            return "macros"
        if name == "META-INF/manifest.xml":
            for element, attributes in _xml_elements(archive, info):
                if element != f"{_ODF_MANIFEST} file-entry":
                    continue
                path = attributes.get(f"{_ODF_MANIFEST} full-path", "").lower()
                media_type = attributes.get(f"{_ODF_MANIFEST} media-type", "").lower()
                if path.startswith(_ODF_SCRIPT_DIRECTORIES) or any(w in media_type for w in _ODF_SCRIPT_MEDIA_TYPES):
                    return "macros"
        elif name.rsplit("/", 1)[-1] in ("content.xml", "styles.xml"):
            for element, attributes in _xml_elements(archive, info):
                if element in _ODF_SCRIPT_ELEMENTS or attributes.get(_ODF_EXECUTE[0]) == _ODF_EXECUTE[1]:
                    return "macros"
                if any(value.strip().lower().startswith(_ODF_SCRIPT_URLS) for value in attributes.values()):
                    return "macros"
    return None


def _ole2_document_problem(data):
    """Legacy Word: macros (a ``Macros`` storage, any VBA project) or embedded objects."""
    entries = _ole2_entries(data)
    if _holds_vba(entries):
        return "macros"
    if any(len(path) > 1 and path[0] == "ObjectPool" for path in entries):  # Word keeps one, empty
        return "embedded_content"
    return None


def _document_problem(data, content_type):
    """The error code for what is wrong with a file of an accepted type, or None."""
    if _hides_other_content(data, content_type):
        return "hidden_content"
    if content_type in (JPEG, PNG):
        return _image_problem(data, content_type)
    if content_type == PDF:
        return _pdf_problem(data)
    if content_type in ZIP_TYPES:
        return _zip_document_problem(data, content_type)
    try:
        return _ole2_document_problem(data)
    except Exception:  # olefile on a malformed file: fail closed
        return "type_not_allowed"


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

    Codes: too_large, empty, type_not_allowed, hidden_content, macros, active_content,
    embedded_content, external_content, damaged_pdf, encrypted_pdf, too_complex,
    damaged_image, image_too_large, image_trailing_data, and from the optional virus scan
    infected. A file the virus scanner gave no verdict on is accepted with scan QUARANTINED.
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
    content_type = sniff_content_type(data)
    if content_type is None:
        raise _error("type_not_allowed", original)
    problem = _document_problem(data, content_type)
    if problem:
        raise _error(problem, original)
    scan = scan_for_viruses(uploaded_file)
    extension = ALLOWED_TYPES[content_type]
    return ValidatedUpload(
        name=sanitise_filename(original, extension),
        content_type=content_type,
        extension=extension,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        scan=scan,
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
            errors.extend(error.error_list)
    if errors:
        raise ValidationError(errors)
    return validated


# --- Optional virus scan (ClamAV) -------------------------------------------------------


@dataclass(frozen=True)
class ScanResult:
    scan: str  # Scan.CLEAN, Scan.INFECTED, or Scan.QUARANTINED when the scanner gave no verdict
    signature: str = ""  # the virus's name, when infected


def virus_scanner_configured() -> bool:
    return bool(conf.setting("CLAMD_SOCKET") or conf.setting("CLAMD_HOST"))


def _clamd_connection():
    """A socket connected to the configured clamd."""
    path = conf.setting("CLAMD_SOCKET")
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
    port = int(conf.setting("CLAMD_PORT"))
    return socket.create_connection((conf.setting("CLAMD_HOST"), port), timeout=timeout)


def _clamd_address():
    path = conf.setting("CLAMD_SOCKET")
    if path:
        return str(path)
    host = conf.setting("CLAMD_HOST")
    return f"{host}:{conf.setting('CLAMD_PORT')}"


def _clamd_reply(file):
    with _clamd_connection() as connection:
        connection.sendall(b"zINSTREAM\0")
        for chunk in file.chunks(CLAMD_CHUNK):  # chunks() starts at the beginning
            connection.sendall(struct.pack(">I", len(chunk)) + chunk)
        connection.sendall(struct.pack(">I", 0))
        reply = b""
        while not reply.endswith(b"\0") and len(reply) < CLAMD_MAX_REPLY:
            part = connection.recv(CLAMD_MAX_REPLY)
            if not part:
                break
            reply += part
    return reply.rstrip(b"\0").decode("utf-8", "replace").strip()


def error_reason(error):
    """What went wrong, for a log line: the system's words without the file path an OSError
    may carry (paths hold file names, and file names can hold personal data)."""
    return getattr(error, "strerror", None) or type(error).__name__


def clamd_scan(file) -> ScanResult:
    """Stream ``file`` (a Django File) to the configured clamd with INSTREAM; never raises.

    Settings, read at call time: KLACHTFORMULIEREN_CLAMD_SOCKET (a unix socket path) or
    KLACHTFORMULIEREN_CLAMD_HOST and KLACHTFORMULIEREN_CLAMD_PORT (default 3310), and
    KLACHTFORMULIEREN_CLAMD_TIMEOUT (seconds, default 30). Anything but clamd's "OK" or
    "FOUND" (unreachable, a timeout, an error reply, a surprise) is no verdict: QUARANTINED,
    so nothing fails open.
    """
    try:
        answer = _clamd_reply(file)
    except Exception as error:  # OSError for refused connections and timeouts; anything else alike
        logger.error("Virus scanner at %s unavailable: %s", _clamd_address(), error_reason(error))
        return ScanResult(Scan.QUARANTINED)
    finally:
        file.seek(0)
    if answer.startswith("stream: ") and answer.endswith(" FOUND"):
        # The signature name, never the file name: file names can hold personal data.
        return ScanResult(Scan.INFECTED, signature=answer.removeprefix("stream: ").removesuffix(" FOUND")[:200])
    if answer == "stream: OK":
        return ScanResult(Scan.CLEAN)
    logger.error("Virus scanner at %s gave an unexpected answer: %r", _clamd_address(), answer[:200])
    return ScanResult(Scan.QUARANTINED)


def scan_for_viruses(uploaded_file) -> str:
    """The scan state an accepted upload is stored with; raises ValidationError "infected".

    Without a configured scanner (the default) a file is CLEAN; when the scanner gives no
    verdict it is QUARANTINED: the complaint goes in, the file waits for the worker's rescan
    (``worker.jobs.rescan_quarantined_attachments``).
    """
    if not virus_scanner_configured():
        return Scan.CLEAN
    result = clamd_scan(uploaded_file)
    if result.scan == Scan.INFECTED:
        logger.warning("Virus scanner refused an attachment: %s", result.signature)
        raise _error("infected", uploaded_file.name or "")
    if result.scan == Scan.QUARANTINED:
        logger.warning("An attachment is accepted in quarantine until the virus scanner has checked it")
    return result.scan
