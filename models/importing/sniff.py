"""What a received file really is, judged by its bytes, and whether it is safe to hand to a reader.

The name's extension is a hint only: a CSV renamed to .xlsx is read as CSV (with a note), an
encrypted workbook (an OLE container holding an ``EncryptedPackage``) is refused with what to do,
and a zip whose declared sizes or compression ratios are impossible for a real workbook is
refused before a single byte is inflated.
"""

from __future__ import annotations

import mmap
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from models.importing.errors import ImportFailure
from models.importing.xml_guard import check_prologues, local_name, parse_part

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
#: Sum of declared uncompressed sizes above which a workbook is refused (a real 1M-row sheet is ~200 MB).
MAX_UNCOMPRESSED = 1024 * 1024 * 1024
#: Compression ratio above which a large part is taken for a zip bomb (real sheets: 5x to 60x).
MAX_RATIO = 400
RATIO_APPLIES_ABOVE = 8 * 1024 * 1024
MAX_ENTRIES = 20_000
SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".csv", ".tsv", ".txt")
KIND_NAMES = {"xlsx": "an Excel workbook (.xlsx)", "xls": "an Excel 97–2003 workbook (.xls)",
              "ods": "an OpenDocument spreadsheet (.ods)", "csv": "text (CSV)", "xlsb": "an Excel binary workbook (.xlsb)"}
_SUFFIX_KIND = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xlsb": "xlsb", ".xls": "xls", ".ods": "ods",
                ".csv": "csv", ".tsv": "csv", ".txt": "csv"}


@dataclass
class Sniffed:
    """The format a file really has, and notes for the analyst (renamed file, hidden sheets...)."""

    kind: str  # xlsx, xlsb, xls, ods or csv
    notes: list[str] = field(default_factory=list)
    date1904: bool = False


def sniff(path: str | os.PathLike[str]) -> Sniffed:
    """Identify and vet ``path``; ImportFailure with a specific message when it cannot be imported."""
    file = Path(path)
    name = file.name
    try:
        size = file.stat().st_size
        with open(file, "rb") as handle:
            head = handle.read(65536)
    except FileNotFoundError:
        raise ImportFailure(f"{name} does not exist (it may have been moved or deleted)", "missing") from None
    except IsADirectoryError:
        raise ImportFailure(f"{name} is a folder, not a file", "not_a_file") from None
    except OSError as error:
        raise ImportFailure(f"{name} could not be read: {error.strerror or error}", "os_error") from None
    if size == 0:
        raise ImportFailure(f"{name} is empty (0 bytes); there is nothing to import", "empty")
    if head.startswith(ZIP_MAGICS):
        result = _sniff_zip(file, name)
    elif head.startswith(OLE_MAGIC):
        result = _sniff_ole(file, name, size)
    elif head.startswith(b"PK"):
        raise ImportFailure(f"{name} looks like a zip archive but its header is damaged or truncated", "damaged")
    else:
        result = _sniff_text(head, name)
    expected = _SUFFIX_KIND.get(file.suffix.lower())
    if expected is not None and expected != result.kind:
        result.notes.insert(
            0, f"{name} is named like {KIND_NAMES[expected]} but is really {KIND_NAMES[result.kind]}; it was read as such."
        )
    return result


def _sniff_zip(file: Path, name: str) -> Sniffed:
    try:
        archive = zipfile.ZipFile(file)
    except zipfile.BadZipFile:
        raise ImportFailure(
            f"{name} is a damaged or truncated workbook (its zip directory is missing). "
            "It may not have finished downloading; get the file again", "damaged",
        ) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise ImportFailure(f"{name} holds {len(infos):,} parts; no real workbook has that many", "zip_bomb")
        total = sum(info.file_size for info in infos)
        if total > MAX_UNCOMPRESSED:
            raise ImportFailure(
                f"{name} would expand to {total / 1024**3:,.1f} GB (limit {MAX_UNCOMPRESSED / 1024**3:.0f} GB). "
                "This is a “zip bomb” or far larger than any planning table; it was not opened", "zip_bomb",
            )
        for info in infos:
            if info.file_size > RATIO_APPLIES_ABOVE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise ImportFailure(
                    f"{name}: the part {info.filename} claims to expand {info.file_size / max(info.compress_size, 1):,.0f} "
                    f"times ({info.compress_size:,} to {info.file_size:,} bytes); real workbooks compress at most "
                    f"about {MAX_RATIO} times. This looks like a “zip bomb”, so it was not opened", "zip_bomb",
                )
        names = {info.filename for info in infos}
        try:
            check_prologues(archive, name)
            if "EncryptionInfo" in names or "EncryptedPackage" in names:
                raise _encrypted(name)
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100]
                if b"opendocument.spreadsheet" in mimetype:
                    return Sniffed("ods")
                raise ImportFailure(f"{name} is an OpenDocument file but not a spreadsheet ({mimetype.decode(errors='replace')})", "not_a_workbook")
            if "xl/workbook.bin" in names:
                return Sniffed("xlsb")
            if "xl/workbook.xml" in names:
                if "[Content_Types].xml" in names:
                    parse_part(archive, "[Content_Types].xml", name)
                workbook = parse_part(archive, "xl/workbook.xml", name)
                return Sniffed("xlsx", _workbook_notes(workbook), _date1904(workbook))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as error:
            if isinstance(error, ImportFailure):
                raise
            raise ImportFailure(f"{name} is damaged or truncated ({error}); get the file again", "damaged") from None
        if any(n.startswith("word/") for n in names):
            raise ImportFailure(f"{name} is a Word document, not a spreadsheet", "not_a_workbook")
        if any(n.startswith("ppt/") for n in names):
            raise ImportFailure(f"{name} is a PowerPoint presentation, not a spreadsheet", "not_a_workbook")
        raise ImportFailure(f"{name} is a zip archive without a workbook inside; unzip it and import the workbook", "not_a_workbook")


def _workbook_notes(workbook: object) -> list[str]:
    notes = []
    hidden = []
    for element in workbook.iter():  # type: ignore[attr-defined]
        if local_name(element.tag) == "sheet" and element.get("state") in ("hidden", "veryHidden"):
            hidden.append(element.get("name", "?"))
    if hidden:
        notes.append(f"Hidden sheets: {', '.join(hidden)}.")
    return notes


def _date1904(workbook: object) -> bool:
    for element in workbook.iter():  # type: ignore[attr-defined]
        if local_name(element.tag) == "workbookPr":
            return str(element.get("date1904", "")).lower() in ("1", "true")
    return False


def _encrypted(name: str) -> ImportFailure:
    return ImportFailure(
        f"{name} is protected with a password (encrypted), so its contents cannot be read. "
        "Open it in Excel with the password, remove it (File → Info → Protect Workbook → Encrypt with Password, "
        "clear the box), save, and import that copy", "encrypted",
    )


def _sniff_ole(file: Path, name: str, size: int) -> Sniffed:
    with open(file, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        def has(stream: str) -> bool:
            return data.find(stream.encode("utf-16-le")) != -1

        if has("EncryptedPackage") or has("EncryptionInfo"):
            raise _encrypted(name)
        if has("Workbook") or has("Book"):
            return Sniffed("xls")
        if has("WordDocument"):
            raise ImportFailure(f"{name} is a Word document, not a spreadsheet", "not_a_workbook")
    raise ImportFailure(
        f"{name} is an Office container (OLE) in which no workbook could be found: it is damaged or truncated, "
        "or not a spreadsheet. Get the file again, or open it in Excel and save a copy", "damaged",
    )


_HTML = re.compile(rb"^\s*(<!doctype html|<html|<table)", re.IGNORECASE)


def _sniff_text(head: bytes, name: str) -> Sniffed:
    if b"\x00" in head:
        raise ImportFailure(
            f"{name} is not a spreadsheet: it is neither a workbook (.xlsx, .xls, .ods) nor text (.csv). "
            "Check that you picked the right file", "not_a_workbook",
        )
    stripped = head.lstrip(b"\xef\xbb\xbf")
    if _HTML.match(stripped):
        raise ImportFailure(
            f"{name} is a web page (HTML) saved with a spreadsheet name. Open it in Excel or LibreOffice, "
            "save it as .xlsx and import that", "html",
        )
    if stripped.lstrip().startswith(b"<?xml"):
        raise ImportFailure(
            f"{name} is an XML file (perhaps an Excel 2003 XML spreadsheet). Open it in Excel or LibreOffice, "
            "save it as .xlsx and import that", "xml_spreadsheet",
        )
    try:
        stripped.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(stripped) - 4:  # a cut-off multibyte character at the end is fine
            controls = sum(1 for byte in stripped if byte < 9 or 13 < byte < 32)
            if controls > len(stripped) // 100:
                raise ImportFailure(
                    f"{name} is not a spreadsheet: it is neither a workbook (.xlsx, .xls, .ods) nor text (.csv). "
                    "Check that you picked the right file", "not_a_workbook",
                ) from None
    return Sniffed("csv")


def reader_failure(name: str, kind: str, error_type: str, message: str) -> ImportFailure:
    """The analyst's message for an exception the reader raised in the child."""
    lowered = message.lower()
    if error_type == "PasswordError" or "password" in lowered or "encrypt" in lowered:
        return _encrypted(name)
    if "nul bytes" in lowered:
        return ImportFailure(f"{name} is not a spreadsheet: it contains binary data, not text", "not_a_workbook")
    if kind == "csv":
        return ImportFailure(f"{name} could not be read as CSV text: {message}", "damaged")
    detail = message.splitlines()[0][:200] if message else error_type
    return ImportFailure(
        f"{name} is damaged or truncated and could not be read as {KIND_NAMES.get(kind, kind)} ({detail}). "
        "Open it in Excel or LibreOffice and save a copy, or get the file again", "damaged",
    )
