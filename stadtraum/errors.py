"""Errors that carry a German message for the user and an English one for the logs."""

from __future__ import annotations


class StadtraumError(Exception):
    """Base error. ``message_de`` is shown to users, ``message_en`` goes to logs."""

    def __init__(self, message_de: str, message_en: str | None = None) -> None:
        super().__init__(message_en or message_de)
        self.message_de = message_de
        self.message_en = message_en or message_de

    def __str__(self) -> str:
        return self.message_en


class ValidationError(StadtraumError):
    """Input is invalid; nothing was stored. ``field`` names the offending field."""

    def __init__(self, message_de: str, message_en: str, field: str | None = None) -> None:
        super().__init__(message_de, message_en)
        self.field = field


class ConflictError(StadtraumError):
    """The same response id was submitted with different content; the original is kept."""


class NotSavedError(StadtraumError):
    """The database was unavailable; the caller keeps the input and may resend it."""


class GeoImportError(StadtraumError):
    """A boundary file was rejected. ``row`` names the offending feature (0-based) if any."""

    def __init__(self, message_de: str, message_en: str, row: int | None = None) -> None:
        super().__init__(message_de, message_en)
        self.row = row


class NotFoundError(StadtraumError):
    """A named campaign, level, area or user does not exist."""


class PermissionDeniedError(StadtraumError):
    """The signed-in role may not do this."""
