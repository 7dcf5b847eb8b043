"""Errors a user can cause, with a message that says where and what was expected."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where bad input was found: a file, a line or row, a field; each optional."""

    file: str | None = None
    line: int | None = None
    row: int | None = None
    field: str | None = None

    def describe_nl(self) -> str:
        parts = []
        if self.file:
            parts.append(f"bestand {self.file}")
        if self.line is not None:
            parts.append(f"regel {self.line}")
        if self.row is not None:
            parts.append(f"rij {self.row}")
        if self.field:
            parts.append(f"veld '{self.field}'")
        return ", ".join(parts)

    def describe_en(self) -> str:
        parts = []
        if self.file:
            parts.append(f"file {self.file}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field:
            parts.append(f"field '{self.field}'")
        return ", ".join(parts)


class InputError(ValueError):
    """Bad input, explained in Dutch and English and tied to a location.

    ``code`` is stable so the web layer can map it to a translated form error.
    """

    def __init__(
        self,
        *,
        code: str,
        message_nl: str,
        message_en: str,
        location: Location | None = None,
    ) -> None:
        self.code = code
        self.message_nl = message_nl
        self.message_en = message_en
        self.location = location or Location()
        super().__init__(self.full_message())

    def full_message(self) -> str:
        where_nl = self.location.describe_nl()
        where_en = self.location.describe_en()
        nl = f"{where_nl}: {self.message_nl}" if where_nl else self.message_nl
        en = f"{where_en}: {self.message_en}" if where_en else self.message_en
        return f"{nl} ({en})"
