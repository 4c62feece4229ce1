"""dialogs.ask_choice returns the key of the button pressed, and 'cancel' when closed."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from ui import dialogs

CHOICES = [("reload", "Reload"), ("overwrite", "Overwrite"), ("save_as", "Save As…"), ("cancel", "Cancel")]


@pytest.mark.parametrize(("label", "key"), [("Reload", "reload"), ("Save As…", "save_as"), ("Cancel", "cancel"), (None, "cancel")])
def test_ask_choice_maps_buttons_to_keys(qapp, monkeypatch: pytest.MonkeyPatch, label: str | None, key: str) -> None:  # type: ignore[no-untyped-def]
    defaults: list[str] = []

    def fake_exec(box: QMessageBox) -> int:
        defaults.append(box.defaultButton().text())
        if label is not None:
            next(button for button in box.buttons() if button.text() == label).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    assert dialogs.ask_choice(None, "File changed on disk", "text", "more", CHOICES, "save_as") == key
    assert defaults == ["Save As…"]
