"""Guards for the XML inside received workbooks: no DTDs, no entities, bounded sizes, defusedxml only.

Office files never need a DTD, so any ``<!DOCTYPE``/``<!ENTITY`` in a part's prologue is refused
before anything parses it; the small parts we do parse ourselves go through defusedxml, which
refuses entity declarations and external references outright.
"""

from __future__ import annotations

import re
import zipfile
from typing import Any
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as safe_tree
from defusedxml import DefusedXmlException

from models.importing.errors import ImportFailure

#: Bytes of each part read to look for a document type declaration (it must precede the root).
PROLOGUE_BYTES = 4096
#: Parts we parse whole are small in every real workbook; refuse to parse larger ones.
MAX_PARSED_PART = 16 * 1024 * 1024
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_ROOT = re.compile(rb"<[A-Za-z_]")
_COMMENT = re.compile(rb"<!--.*?-->", re.DOTALL)
#: A prologue (declaration, comments, DTD) longer than this is refused as suspicious.
MAX_PROLOGUE = 1024 * 1024


def check_prologues(archive: zipfile.ZipFile, file_name: str) -> None:
    """Refuse the file if any XML part declares a DTD or entities (entity bombs, external entities).

    A document type declaration can only come before the root element, but comments may pad
    the prologue: each part is read up to its first element (at most ``MAX_PROLOGUE`` bytes).
    """
    for info in archive.infolist():
        if not info.filename.lower().endswith((".xml", ".rels", ".vml")) or info.is_dir():
            continue
        with archive.open(info) as handle:
            prologue = _prologue(handle, file_name, info.filename)
        if _DTD.search(prologue):
            raise ImportFailure(
                f"{file_name} contains XML with a document type or entity declaration ({info.filename}). "
                "Real workbooks never do; this is how “entity bomb” attacks are built, so the file was not read. "
                "Ask the sender for a copy saved directly from Excel or LibreOffice",
                "xml_entities",
            )


def _prologue(handle: Any, file_name: str, part: str) -> bytes:
    data = b""
    while len(data) < MAX_PROLOGUE:
        chunk = handle.read(PROLOGUE_BYTES)
        data += chunk
        root = _ROOT.search(_COMMENT.sub(b"", data))
        if root is not None or not chunk:
            return data
    raise ImportFailure(
        f"{file_name}: the XML part {part} has no root element in its first {MAX_PROLOGUE // 1024:,} KB "
        "(a padded prologue); the file was not read", "xml_entities",
    )


def parse_part(archive: zipfile.ZipFile, part: str, file_name: str) -> Element:
    """Parse one small XML part with defusedxml; ImportFailure on entities, size or syntax."""
    info = archive.getinfo(part)
    if info.file_size > MAX_PARSED_PART:
        raise ImportFailure(
            f"{file_name}: the part {part} declares {info.file_size:,} bytes, far more than any real workbook needs",
            "zip_bomb",
        )
    data = archive.read(part)
    return parse_bytes(data, f"{file_name} ({part})")


def parse_bytes(data: bytes, where: str) -> Element:
    """defusedxml parse of ``data``; entity and DTD tricks become ImportFailure, never expansion."""
    try:
        return safe_tree.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise ImportFailure(
            f"{where} declares XML entities or a document type ({type(error).__name__}); "
            "the file was not read because this is how entity-bomb attacks work",
            "xml_entities",
        ) from None
    except safe_tree.ParseError as error:
        raise ImportFailure(f"{where} is not well-formed XML ({error}); the file is damaged", "damaged") from None


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
