"""The one exception type of the import pipeline: a message an analyst reads, never a traceback."""

from __future__ import annotations


class ImportFailure(Exception):
    """A file that cannot be imported; ``str()`` says what, where and what to do.

    ``code`` names the cause for tests and the report (``"encrypted"``, ``"zip_bomb"``, ...).
    """

    def __init__(self, message: str, code: str = "unreadable") -> None:
        super().__init__(message)
        self.code = code


class ImportCancelled(Exception):
    """The analyst pressed Cancel; nothing was changed."""
