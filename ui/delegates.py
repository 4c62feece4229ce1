"""Cell editors chosen by column kind: a status combo box, bounded integer spin boxes, text."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from models.schema import COLUMN_BY_KEY, TABLE_KEYS, Kind, Status

_BLANK = "(blank)"


class FacilityDelegate(QStyledItemDelegate):
    """Creates the editor that fits each column and hands its text to the model's setData."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QWidget:
        column = COLUMN_BY_KEY.get(TABLE_KEYS[index.column()])
        if column is None:
            return super().createEditor(parent, option, index)
        if column.kind is Kind.STATUS:
            combo = QComboBox(parent)
            combo.addItem(_BLANK, "")
            for status in Status:
                combo.addItem(status.label, status.value)
            return combo
        if column.kind is Kind.INTEGER:
            spin = QSpinBox(parent)
            # One below the minimum stands for "no value", shown as (blank).
            spin.setRange(int(column.minimum or 0) - 1, int(column.maximum or 2**31 - 1))
            spin.setSpecialValueText(_BLANK)
            spin.setGroupSeparatorShown(True)
            spin.setAccelerated(True)
            return spin
        editor = QLineEdit(parent)
        if column.kind is Kind.DATE:
            editor.setPlaceholderText("YYYY-MM-DD")
        elif column.kind is Kind.NUMBER:
            editor.setPlaceholderText("number")
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        text = index.data(Qt.ItemDataRole.EditRole) or ""
        if isinstance(editor, QComboBox):
            position = editor.findData(text)
            editor.setCurrentIndex(max(position, 0))
        elif isinstance(editor, QSpinBox):
            editor.setValue(int(text) if text else editor.minimum())
        elif isinstance(editor, QLineEdit):
            editor.setText(str(text))
        else:
            super().setEditorData(editor, index)

    def setModelData(
        self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData() or "", Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QSpinBox):
            editor.interpretText()
            value = editor.value()
            model.setData(index, "" if value == editor.minimum() else str(value), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)
