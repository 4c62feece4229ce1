"""Builders for the hostile and broken files the import tests feed in (made here, never shipped)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import xlsxwriter

HEADER = ["Facility ID", "Facility name", "State", "Beds", "ADP"]
ROWS: list[list[Any]] = [["007", "Alpha Centre", "TX", 100, 95.5], ["010", "Beta Unit", "CA", 50, 60.0]]


def xlsx(path: Path, rows: Sequence[Sequence[Any]] | None = None, sheet: str = "Data",
         extra: Callable[[Any], None] | None = None) -> Path:
    """A small real workbook (written by xlsxwriter, text kept as text)."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    worksheet = book.add_worksheet(sheet)
    for r, row in enumerate(rows if rows is not None else [HEADER, *ROWS]):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                worksheet.write_string(r, c, value)
            else:
                worksheet.write(r, c, value)
    if extra is not None:
        extra(worksheet)
    book.close()
    return path


def rewrite_part(source: Path, target: Path, part: str, change: Callable[[bytes], bytes]) -> Path:
    """A copy of a zip container with one part changed."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == part:
                data = change(data)
            new.writestr(info.filename, data)
    return target


def entity_bomb(folder: Path) -> Path:
    base = xlsx(folder / "base.xlsx")
    laughs = (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
        + b"]>\n"
    )

    def bomb(data: bytes) -> bytes:
        body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", data)
        return laughs + body.replace(b"<t>Alpha Centre</t>", b"<t>&lol9;</t>")

    return rewrite_part(base, folder / "bomb.xlsx", "xl/sharedStrings.xml", bomb)


def zip_bomb(folder: Path, megabytes: int = 64) -> Path:
    """A workbook whose sheet part inflates ~1000 times (a run of zeros), declared honestly."""
    base = xlsx(folder / "base.xlsx")
    path = folder / "zipbomb.xlsx"
    with zipfile.ZipFile(base) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, old.read(info.filename))
        with new.open("xl/media/padding.bin", "w") as handle:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(megabytes):
                handle.write(chunk)
    return path


def far_cell(folder: Path) -> Path:
    """A table plus one cell at XFD1048576, the last cell of a sheet (the reader aborts on it)."""
    return xlsx(folder / "far.xlsx", extra=lambda sheet: sheet.write(1048575, 16383, 1))


def false_dimension(folder: Path) -> Path:
    base = xlsx(folder / "base.xlsx")
    return rewrite_part(base, folder / "dimension.xlsx", "xl/worksheets/sheet1.xml",
                        lambda data: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', data))


def styled_empty_rows(folder: Path, count: int = 1_048_000) -> Path:
    """The table followed by a million formatted rows holding nothing (formatting a whole column does this)."""
    base = xlsx(folder / "base.xlsx")
    rows = b"".join(b'<row r="%d" s="1" customFormat="1" ht="15"/>' % r for r in range(4, 4 + count))
    return rewrite_part(base, folder / "styled.xlsx", "xl/worksheets/sheet1.xml",
                        lambda data: data.replace(b"</sheetData>", rows + b"</sheetData>"))


def encrypted(folder: Path) -> Path:
    """A real password-protected workbook (Agile encryption in an OLE container), as Excel writes."""
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = xlsx(folder / "plain.xlsx")
    path = folder / "encrypted.xlsx"
    with open(plain, "rb") as source, open(path, "wb") as target:
        OOXMLFile(source).encrypt("secret", target)
    return path


def xls(path: Path, rows: Sequence[Sequence[Any]] | None = None, sheet: str = "Data") -> Path:
    import xlwt

    book = xlwt.Workbook()
    worksheet = book.add_sheet(sheet)
    for r, row in enumerate(rows if rows is not None else [HEADER, *ROWS]):
        for c, value in enumerate(row):
            if value is not None:
                worksheet.write(r, c, value)
    book.save(str(path))
    return path


def ods(path: Path, rows: Sequence[Sequence[Any]] | None = None, sheet: str = "Data") -> Path:
    """A minimal OpenDocument spreadsheet, written by hand (no extra dependency)."""
    from xml.sax.saxutils import escape

    cells = []
    for row in rows if rows is not None else [HEADER, *ROWS]:
        parts = []
        for value in row:
            if value is None:
                parts.append("<table:table-cell/>")
            elif isinstance(value, (int, float)):
                parts.append(f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>')
            else:
                parts.append(f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>')
        cells.append("<table:table-row>" + "".join(parts) + "</table:table-row>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{escape(sheet)}">'
        + "".join(cells)
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    path.write_bytes(buffer.getvalue())
    return path


def csv_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path
