"""Hostile and broken files: each gets a specific message, and the process that asked survives."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from models.importing import xml_guard
from models.importing.errors import ImportCancelled, ImportFailure
from models.importing.pipeline import prepare, read_source, run
from models.importing.sandbox import Limits
from models.importing.sniff import sniff
from tests.models.importing import corpus


def _fails(path: Path, code: str, **kwargs: object) -> str:
    with pytest.raises(ImportFailure) as caught:
        read_source(path, **kwargs)  # type: ignore[arg-type]
    assert caught.value.code == code, str(caught.value)
    message = str(caught.value)
    assert path.name in message and "Traceback" not in message
    return message


def _imports(path: Path) -> list[str]:
    source = read_source(path)
    result = run(prepare(source.book.sheets[0]))
    assert result.frame["name"].tolist() == ["Alpha Centre", "Beta Unit"]
    return source.notes


def test_random_bytes(tmp_path: Path) -> None:
    path = tmp_path / "random.xlsx"
    path.write_bytes(os.urandom(4096).replace(b"PK", b"pk"))
    assert "not a spreadsheet" in _fails(path, "not_a_workbook")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert "empty" in _fails(path, "empty")


def test_truncated_workbook(tmp_path: Path) -> None:
    whole = corpus.xlsx(tmp_path / "whole.xlsx").read_bytes()
    path = tmp_path / "truncated.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    assert "truncated" in _fails(path, "damaged")


def test_truncated_xls(tmp_path: Path) -> None:
    whole = corpus.xls(tmp_path / "whole.xls").read_bytes()
    path = tmp_path / "truncated.xls"
    path.write_bytes(whole[:1200])
    assert "damaged or truncated" in _fails(path, "damaged")
    path.write_bytes(whole[: len(whole) - 700])
    assert "damaged" in _fails(path, "damaged")


def test_csv_renamed_to_xlsx_is_read_as_csv_with_a_note(tmp_path: Path) -> None:
    path = corpus.csv_text(tmp_path / "renamed.xlsx", "Facility ID,Facility name,State,Beds,ADP\n007,Alpha Centre,TX,100,95.5\n010,Beta Unit,CA,50,60\n")
    notes = _imports(path)
    assert "really text (CSV)" in notes[0]


def test_xls_renamed_to_xlsx_and_xlsx_renamed_to_xls(tmp_path: Path) -> None:
    old = corpus.xls(tmp_path / "old.xls")
    renamed = tmp_path / "old-renamed.xlsx"
    shutil.copy(old, renamed)
    assert "Excel 97–2003" in _imports(renamed)[0]
    new = corpus.xlsx(tmp_path / "new.xlsx")
    backwards = tmp_path / "new-renamed.xls"
    shutil.copy(new, backwards)
    assert "really an Excel workbook (.xlsx)" in _imports(backwards)[0]


def test_ods_and_xls_and_xlsm_import(tmp_path: Path) -> None:
    assert _imports(corpus.ods(tmp_path / "book.ods")) == []
    assert _imports(corpus.xls(tmp_path / "book.xls")) == []
    xlsm = tmp_path / "book.xlsm"
    shutil.copy(corpus.xlsx(tmp_path / "book.xlsx"), xlsm)
    assert _imports(xlsm) == []


def test_encrypted_workbook(tmp_path: Path) -> None:
    message = _fails(corpus.encrypted(tmp_path), "encrypted")
    assert "password" in message and "remove it" in message


def test_entity_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    assert "entity" in _fails(corpus.entity_bomb(tmp_path), "xml_entities")


def test_zip_bomb_is_refused_from_declared_sizes(tmp_path: Path) -> None:
    path = corpus.zip_bomb(tmp_path, megabytes=40)
    assert path.stat().st_size < 1_000_000
    assert "zip bomb" in _fails(path, "zip_bomb")


def test_declared_total_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from models.importing import sniff as sniff_module

    monkeypatch.setattr(sniff_module, "MAX_UNCOMPRESSED", 1000)
    assert "would expand" in _fails(corpus.xlsx(tmp_path / "big.xlsx"), "zip_bomb")


def test_cell_at_xfd1048576_kills_only_the_child(tmp_path: Path) -> None:
    message = _fails(corpus.far_cell(tmp_path), "memory", limits=Limits(memory_mb=1024))
    assert "XFD1048576" in message


def test_false_dimension_record_is_ignored(tmp_path: Path) -> None:
    _imports(corpus.false_dimension(tmp_path))


@pytest.mark.slow
def test_a_million_empty_styled_rows_import_the_table(tmp_path: Path) -> None:
    _imports(corpus.styled_empty_rows(tmp_path))


def test_html_and_xml_saved_as_spreadsheets(tmp_path: Path) -> None:
    html = corpus.csv_text(tmp_path / "report.xls", "<html><body><table><tr><td>1</td></tr></table></body></html>")
    assert "web page" in _fails(html, "html")
    xml = corpus.csv_text(tmp_path / "report.xlsx", '<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>')
    _fails(xml, "xml_spreadsheet")


def test_zip_without_a_workbook_and_word_documents(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "without a workbook" in _fails(path, "not_a_workbook")
    word = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(word, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert "Word document" in _fails(word, "not_a_workbook")


def test_missing_file_and_folder(tmp_path: Path) -> None:
    _fails(tmp_path / "gone.xlsx", "missing")
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    with pytest.raises(ImportFailure):
        read_source(folder)


def test_wall_clock_limit_stops_the_child(tmp_path: Path) -> None:
    assert "longer than" in _fails(corpus.xlsx(tmp_path / "slow.xlsx"), "timeout", limits=Limits(wall_seconds=0.0))


def test_cancel_stops_the_child(tmp_path: Path) -> None:
    with pytest.raises(ImportCancelled):
        read_source(corpus.xlsx(tmp_path / "book.xlsx"), cancelled=lambda: True)


def test_sheet_without_values(tmp_path: Path) -> None:
    assert "no cells with values" in _fails(corpus.xlsx(tmp_path / "blank.xlsx", rows=[]), "no_data")


def test_defusedxml_parses_the_parts_we_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import defusedxml.ElementTree

    calls: list[int] = []
    original = defusedxml.ElementTree.fromstring

    def spy(text: bytes, **kwargs: bool) -> object:
        calls.append(len(text))
        assert kwargs == {"forbid_dtd": True, "forbid_entities": True, "forbid_external": True}
        return original(text, **kwargs)

    monkeypatch.setattr(xml_guard.safe_tree, "fromstring", spy)
    assert sniff(corpus.xlsx(tmp_path / "book.xlsx")).kind == "xlsx"
    assert len(calls) == 2  # [Content_Types].xml and xl/workbook.xml


def test_defusedxml_refuses_entities_even_past_the_prologue_check() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><x>&b;</x>'
    with pytest.raises(ImportFailure) as caught:
        xml_guard.parse_bytes(bomb, "test part")
    assert caught.value.code == "xml_entities"
    assert xml_guard.safe_tree.__name__ == "defusedxml.ElementTree"


def test_defusedxml_is_a_declared_dependency() -> None:
    import tomllib

    project = tomllib.loads((Path(__file__).resolve().parents[3] / "pyproject.toml").read_text())
    assert any(dependency.startswith("defusedxml") for dependency in project["project"]["dependencies"])


def test_entity_declarations_behind_a_padded_prologue_are_found(tmp_path: Path) -> None:
    base = corpus.xlsx(tmp_path / "base.xlsx")
    padding = b"<!--" + b"x" * 20_000 + b"-->"
    bomb = padding + b'<!DOCTYPE x [<!ENTITY a "aaaaaaaa">]>'
    path = corpus.rewrite_part(base, tmp_path / "padded.xlsx", "xl/worksheets/sheet1.xml",
                               lambda data: data.replace(b"?>", b"?>" + bomb, 1))
    assert "entity" in _fails(path, "xml_entities")
