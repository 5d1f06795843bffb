"""Sample attachments for the upload tests, good and hostile, each built here in memory.

Nothing is downloaded: the hostile files are made with the same libraries and formats an
attacker would use (pypdf for PDFs, zipfile for DOCX and ODF, a hand-built Compound File for
legacy Word), just enough of each to be what it claims.
"""

import io
import os
import struct
import zipfile
import zlib

from PIL import Image
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, TextStringObject

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"

# --- Images -----------------------------------------------------------------------------


def image_bytes(image_format, size=(8, 6), noise=False):
    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)) if noise else Image.new("RGB", size, "navy")
    buffer = io.BytesIO()
    image.save(buffer, format=image_format)
    return buffer.getvalue()


def png_bytes(**kwargs):
    return image_bytes("PNG", **kwargs)


def jpeg_bytes(**kwargs):
    return image_bytes("JPEG", **kwargs)


def png_chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_with_chunk(kind, body):
    """A valid PNG with one more chunk just before IEND."""
    content = png_bytes()
    iend = content.rindex(b"IEND") - 4
    return content[:iend] + png_chunk(kind, body) + content[iend:]


def bomb_png(width, height):
    """A valid 1-bit PNG of the given size; all-white rows compress to almost nothing."""
    compressor = zlib.compressobj(9)
    row = b"\0" + b"\xff" * ((width + 7) // 8)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


# --- Windows executables ----------------------------------------------------------------


def pe_bytes():
    """The start of a Windows program: an MZ header whose e_lfanew points at "PE\\0\\0"."""
    header = bytearray(b"MZ" + b"\x90\x00" + b"\0" * 60)
    struct.pack_into("<I", header, 0x3C, 0x80)
    stub = b"This program cannot be run in DOS mode.\r\r\n$".ljust(0x80 - len(header), b"\0")
    return bytes(header) + stub + b"PE\0\0" + struct.pack("<HH", 0x14C, 1) + b"\0" * 64


# --- PDF --------------------------------------------------------------------------------


def pdf_document(pages=1):
    writer = PdfWriter()
    for _page in range(pages):
        writer.add_blank_page(595, 842)
    return writer


def pdf_bytes(writer=None, *, padding=0):
    """A real one-page PDF (or ``writer``'s); ``padding`` bytes of metadata make it larger."""
    writer = writer or pdf_document()
    if padding:
        writer.add_metadata({"/Subject": "x" * padding})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def action(kind, **entries):
    return DictionaryObject(
        {NameObject("/S"): NameObject(kind), **{NameObject(f"/{key}"): value for key, value in entries.items()}}
    )


def pdf_with_document_javascript():
    """JavaScript in the names tree, run when the document opens."""
    writer = pdf_document()
    writer.add_open_action(JavaScript("app.alert('hallo');"))
    return pdf_bytes(writer)


def pdf_with_open_action(open_action):
    writer = pdf_document()
    writer.root_object[NameObject("/OpenAction")] = writer._add_object(open_action)
    return pdf_bytes(writer)


def pdf_with_page_action(page_action):
    """An additional action (/AA) run when the first page opens."""
    writer = pdf_document()
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): page_action})
    return pdf_bytes(writer)


def pdf_with_embedded_file():
    writer = pdf_document()
    writer.add_attachment("factuur.txt", b"Betaal naar NL00 BANK 0123 4567 89")
    return pdf_bytes(writer)


def pdf_with_file_attachment_annotation():
    writer = pdf_document()
    embedded = DecodedStreamObject()
    embedded.set_data(b"geheim")
    embedded[NameObject("/Type")] = NameObject("/EmbeddedFile")
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/FileAttachment"),
            NameObject("/Rect"): ArrayObject([]),
            NameObject("/FS"): DictionaryObject(
                {NameObject("/Type"): NameObject("/Filespec"), NameObject("/F"): TextStringObject("bijlage.txt")}
            ),
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    return pdf_bytes(writer)


def pdf_with_object_stream(action_body, *, objects_padding=b""):
    """A PDF 1.5 whose catalog and open action live only in a compressed object stream, found
    through a cross-reference stream: the raw bytes show nothing of what the objects say."""
    objects = {
        1: b"<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>",
        2: b"<</Type/Pages/Kids[]/Count 0>>",
        4: action_body + objects_padding,
    }
    header, body = b"", b""
    for number, content in objects.items():
        header += b"%d %d " % (number, len(body))
        body += content + b"\n"
    packed = zlib.compress(header + body, 9)
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    object_stream_offset = len(out)
    out += b"3 0 obj\n<</Type/ObjStm/N 3/First %d/Filter/FlateDecode/Length %d>>\nstream\n" % (len(header), len(packed))
    out += packed + b"\nendstream\nendobj\n"
    xref_offset = len(out)
    rows = [(0, 0, 65535), (2, 3, 0), (2, 3, 1), (1, object_stream_offset, 0), (2, 3, 2), (1, xref_offset, 0)]
    table = b"".join(struct.pack(">BIH", *row) for row in rows)
    out += b"5 0 obj\n<</Type/XRef/Size 6/W[1 4 2]/Root 1 0 R/Length %d>>\nstream\n" % len(table)
    out += table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_offset
    return bytes(out)


# --- ZIP-based documents ----------------------------------------------------------------


def zip_bytes(entries, *, stored=()):
    """A ZIP with the (name, bytes) entries in order; names in ``stored`` are not compressed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries:
            compression = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=compression)
    return buffer.getvalue()


CONTENT_TYPES_XML = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def content_types_xml(*overrides):
    """[Content_Types].xml with (part name, content type) overrides."""
    entries = "".join(f'<Override PartName="{part}" ContentType="{kind}"/>' for part, kind in overrides)
    return (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f"{entries}</Types>"
    ).encode()


def relationships_xml(*relationships):
    """A .rels part; each relationship a (type, target, external) triple."""
    entries = "".join(
        f'<Relationship Id="rId{number}" Type="{kind}" Target="{target}"'
        + (' TargetMode="External"' if external else "")
        + "/>"
        for number, (kind, target, external) in enumerate(relationships, start=1)
    )
    return f'<?xml version="1.0"?><Relationships xmlns="{RELATIONSHIPS}">{entries}</Relationships>'.encode()


def docx_bytes(*extra, content_types=CONTENT_TYPES_XML):
    return zip_bytes(
        [
            ("[Content_Types].xml", content_types),
            ("_rels/.rels", relationships_xml((OFFICE_RELATIONSHIP + "officeDocument", "word/document.xml", False))),
            ("word/document.xml", b"<w:document/>"),
            *extra,
        ]
    )


def docx_with_relationship(kind, target, *, external=True, part="word/_rels/document.xml.rels"):
    return docx_bytes((part, relationships_xml((kind, target, external))))


ODF_MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"


def manifest_xml(*paths):
    """META-INF/manifest.xml with a (full path, media type) file entry each."""
    entries = "".join(
        f'<manifest:file-entry manifest:full-path="{path}" manifest:media-type="{kind}"/>' for path, kind in paths
    )
    return (
        f'<?xml version="1.0"?><manifest:manifest xmlns:manifest="{ODF_MANIFEST}">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODT}"/>{entries}</manifest:manifest>'
    ).encode()


def odf_content_xml(body=""):
    return (
        '<?xml version="1.0"?><office:document-content'
        ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' xmlns:xlink="http://www.w3.org/1999/xlink">'
        f"<office:scripts/><office:body><office:text>{body}</office:text></office:body></office:document-content>"
    ).encode()


def odf_bytes(mimetype=ODT, *extra, compress_mimetype=False, mimetype_first=True, content=None, manifest=None):
    entries = [
        ("content.xml", content or odf_content_xml("<text:p>Hallo</text:p>")),
        ("META-INF/manifest.xml", manifest or manifest_xml(("content.xml", "text/xml"))),
        *extra,
    ]
    mimetype_entry = ("mimetype", mimetype.encode("ascii"))
    entries = [mimetype_entry, *entries] if mimetype_first else [*entries, mimetype_entry]
    return zip_bytes(entries, stored=() if compress_mimetype else ("mimetype",))


# --- OLE2 (Compound File) ---------------------------------------------------------------

CFB_FREE, CFB_END, CFB_FAT, CFB_NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
CFB_STORAGE, CFB_STREAM, CFB_ROOT = 1, 2, 5
CFB_SECTOR = 512


def cfb_entry(
    name, object_type, *, left=CFB_NO_STREAM, right=CFB_NO_STREAM, child=CFB_NO_STREAM, start=CFB_END, size=0
):
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    entry = bytearray(128)
    entry[: len(encoded)] = encoded
    struct.pack_into("<HBBIII", entry, 64, len(encoded), object_type, 1, left, right, child)
    struct.pack_into("<II", entry, 116, start, size)
    return bytes(entry)


def compound_file(tree, *, last_points_back=False):
    """A version 3 Compound File (MS-CFB) holding ``tree``: name -> bytes (a stream) or a dict
    (a storage). Sector 0 is the FAT, then the directory, then the streams; a stream with
    content is padded to the mini-stream cutoff (4096 bytes), so it lives in regular sectors.
    The children of a storage are linked as right siblings; with ``last_points_back`` the
    root's last child points back at its first (a cycle).
    """
    nodes = [{"name": "Root Entry", "type": CFB_ROOT, "tree": tree, "children": []}]
    for node in nodes:  # breadth first; the list grows as it is walked
        for name, value in (node.get("tree") or {}).items():
            child = {"name": name, "children": []}
            if isinstance(value, dict):
                child.update(type=CFB_STORAGE, tree=value)
            else:
                child.update(type=CFB_STREAM, content=value.ljust(4096, b"\0") if value else b"")
            node["children"].append(len(nodes))
            nodes.append(child)
    directory_sectors = -(-len(nodes) * 128 // CFB_SECTOR)
    fat = [CFB_FAT, *range(2, directory_sectors + 1), CFB_END]
    data = b""
    for node in nodes:
        content = node.get("content", b"")
        if content:
            sectors = -(-len(content) // CFB_SECTOR)
            node["start"] = len(fat)
            fat.extend([*range(len(fat) + 1, len(fat) + sectors), CFB_END])
            data += content.ljust(sectors * CFB_SECTOR, b"\0")
    if len(fat) > 128:
        raise ValueError("more than one FAT sector: keep the sample small")
    entries = []
    for index, node in enumerate(nodes):
        right = CFB_NO_STREAM
        for parent in nodes:
            siblings = parent["children"]
            if index in siblings:
                position = siblings.index(index)
                if position + 1 < len(siblings):
                    right = siblings[position + 1]
                elif last_points_back and parent is nodes[0] and len(siblings) > 1:
                    right = siblings[0]
        child = node["children"][0] if node["children"] else CFB_NO_STREAM
        content = node.get("content", b"")
        entries.append(
            cfb_entry(
                node["name"],
                node["type"],
                right=right,
                child=child,
                start=node.get("start", CFB_END),
                size=len(content),
            )
        )
    header = bytearray(512)
    header[:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)  # minor, major, byte order, sector shifts
    struct.pack_into("<III", header, 44, 1, 1, 0)  # FAT sectors, first directory sector, transaction
    struct.pack_into("<IIIII", header, 56, 4096, CFB_END, 0, CFB_END, 0)  # mini cutoff, mini FAT, DIFAT
    struct.pack_into("<109I", header, 76, 0, *([CFB_FREE] * 108))
    fat_sector = struct.pack(f"<{len(fat)}I", *fat) + struct.pack("<I", CFB_FREE) * (128 - len(fat))
    directory = b"".join(entries).ljust(directory_sectors * CFB_SECTOR, b"\0")
    return bytes(header) + fat_sector + directory + data


def ole2_bytes(*children, last_points_back=False):
    """A Compound File with (name, object type) entries directly below the root, all empty."""
    return compound_file(
        {name: {} if object_type == CFB_STORAGE else b"" for name, object_type in children},
        last_points_back=last_points_back,
    )


def doc_bytes(**extra):
    return compound_file({"WordDocument": b"", "\x01CompObj": b"", "1Table": b"", **extra})


def vba_project():
    """The storages and streams of a VBA project (MS-OVBA 2.2.1)."""
    return {"PROJECT": b"ID={00000000}", "VBA": {"_VBA_PROJECT": b"\xcc\x61", "dir": b"\x01"}}


def pdf_with_wrong_cross_references(count, *, padding=0):
    """A PDF whose cross-reference table lists ``count`` objects at a wrong offset: pypdf
    repairs each by searching the whole file (``padding`` bytes of comment make it larger)."""
    out = bytearray(b"%PDF-1.4\n%" + b"x" * padding + b"\n")
    offsets = {}
    for number, body in ((1, b"<</Type/Catalog/Pages 2 0 R>>"), (2, b"<</Type/Pages/Kids[]/Count 0>>")):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (count + 3)
    for number in range(1, count + 3):
        out += b"%010d 00000 n \n" % offsets.get(number, 9)  # 9: inside the comment, no object there
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (count + 3, xref)
    return bytes(out)
