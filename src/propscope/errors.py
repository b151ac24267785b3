"""Coded, user-facing errors and warnings. Every message a user can see is defined here."""

from __future__ import annotations

from enum import Enum


class Code(str, Enum):
    FILE_NOT_FOUND = "E001"
    IS_A_DIRECTORY = "E002"
    UNREADABLE = "E003"
    INVALID_UTF8 = "E004"
    NOT_A_DIRECTORY = "E005"
    MALFORMED_LABEL = "E010"
    LABEL_OUT_OF_RANGE = "E011"
    UNKNOWN_TECHNIQUE = "E012"
    UNKNOWN_ARTICLE = "E013"
    TEMPLATE_MISMATCH = "E014"
    BAD_MODEL = "E020"
    MISSING_EXTRA = "E021"
    BAD_OPTION = "E030"
    # the web app and API (propscope serve)
    BAD_REQUEST = "E040"
    NOT_FOUND = "E041"
    METHOD_NOT_ALLOWED = "E042"
    BODY_TOO_LARGE = "E043"
    BUSY = "E044"
    UNAUTHORIZED = "E045"
    URL_REFUSED = "E046"
    URL_FETCH_FAILED = "E047"
    TOKEN_REQUIRED = "E048"
    INTERNAL = "E049"
    # corpus mode (propscope batch, propscope corpus) and its database
    DATABASE = "E050"
    SCHEMA_TOO_NEW = "E051"
    BAD_RECORD = "E052"
    DUPLICATE_ID = "E053"
    TOO_LARGE = "E054"
    MISSING_COLUMN = "E055"
    ANALYSIS_FAILED = "E056"
    # the web API's time limits
    ANALYSIS_TIMEOUT = "E057"
    REQUEST_TIMEOUT = "E058"
    PORT_IN_USE = "E059"  # propscope serve: the port is taken
    BAD_RANGE = "E063"  # explain: a character range that is empty or outside the text
    NO_LABELS = "E060"
    UNSUPPORTED_FORMAT = "E061"  # an input file in a format propscope cannot read (PDF)
    UNKNOWN_ENCODING = "E062"  # analyze --encoding: no such text encoding


class PropscopeError(Exception):
    """An error with a code and the place it refers to (file, line, byte)."""

    def __init__(
        self,
        code: Code,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        byte: int | None = None,
    ) -> None:
        self.code = code
        self.message = message
        self.path = path
        self.line = line
        self.byte = byte
        super().__init__(self.render())

    def location(self) -> str:
        parts: list[str] = []
        if self.path is not None:
            parts.append(self.path)
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.byte is not None:
            parts.append(f"byte {self.byte}")
        return ", ".join(parts)

    def render(self) -> str:
        where = self.location()
        return f"{self.code.value}: {self.message}" + (f" ({where})" if where else "")

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code.value,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "byte": self.byte,
        }


class Warn(str, Enum):
    TEXT_TRUNCATED_WINDOW = "W001"
    NOT_ENGLISH = "W002"
    BASELINE_MODEL = "W003"
    NO_MAIN_TEXT = "W004"
    REPLACED_CHARACTERS = "W005"


def warning(code: Warn, message: str) -> dict[str, str]:
    return {"code": code.value, "message": message}
