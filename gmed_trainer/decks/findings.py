"""What the validator reports: a `Finding` points at one node of one file and carries a stable code.

Codes never change meaning once shipped: instructors and scripts match on them. `E...` codes are
errors (the deck cannot be loaded), `W...` codes are warnings (the deck loads, but a learner would
be served worse). docs/deck-format.md lists every code with an example.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Literal

Severity = Literal["error", "warning"]


class Code(StrEnum):
    """Every finding the deck loader can report."""

    # The file and its YAML.
    FILE_UNREADABLE = "E100"
    FILE_TOO_LARGE = "E101"
    BINARY_FILE = "E102"
    NOT_UTF8 = "E103"
    YAML_SYNTAX = "E104"
    TAG_NOT_ALLOWED = "E105"
    ALIAS_LIMIT = "E106"
    TOO_DEEP = "E107"
    DUPLICATE_KEY = "E108"
    BAD_KEY = "E109"
    BAD_SCALAR = "E110"
    # The shape of the document.
    NOT_A_MAPPING = "E201"
    UNKNOWN_FORMAT = "E202"
    MISSING_FIELD = "E203"
    WRONG_TYPE = "E204"
    UNKNOWN_KEY = "E205"
    BAD_VALUE = "E206"
    EMPTY_TEXT = "E207"
    # Identifiers.
    BAD_ID = "E301"
    DUPLICATE_ID = "E302"
    DUPLICATE_DECK_ID = "E303"
    REPLACES_LIVE_ID = "E304"
    REPLACED_TWICE = "E305"
    # Card content.
    CLOZE_NO_DELETIONS = "E401"
    CLOZE_NUMBERING = "E402"
    CORRECT_COUNT = "E403"
    OPTION_COUNT = "E404"
    DUPLICATE_OPTION_TEXT = "E405"
    CASE_NO_STEPS = "E406"
    CLOZE_MALFORMED = "E407"
    # Fact tables.
    ROW_MISSING_COLUMN = "E501"
    ROW_UNKNOWN_COLUMN = "E502"
    UNKNOWN_COLUMN = "E503"
    MCQ_TOO_FEW_ROWS = "E504"
    MCQ_TOO_FEW_VALUES = "E505"
    # Warnings.
    OPTION_WITHOUT_WHY = "W201"
    NO_EXPLANATION = "W202"
    NO_SOURCE = "W203"
    UNPINNED_ALL_OF_ABOVE = "W204"
    AMBIGUOUS_GIVEN = "W205"

    @property
    def slug(self) -> str:
        """The readable name of the code, e.g. `duplicate-key`."""
        return self.name.lower().replace("_", "-")

    @property
    def severity(self) -> Severity:
        return "warning" if self.value.startswith("W") else "error"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one deck file, at a 1-based line and column."""

    path: str
    line: int
    column: int
    severity: Severity
    code: str
    message: str

    @classmethod
    def of(cls, code: Code, path: str, line: int, column: int, message: str) -> Finding:
        return cls(path, line, column, code.severity, code.value, message)

    @property
    def name(self) -> str:
        """The code's readable name (`duplicate-key`), or the code itself if unknown."""
        try:
            return Code(self.code).slug
        except ValueError:
            return self.code

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def as_error(self) -> Finding:
        """This finding with severity "error" (what `--strict` does to warnings)."""
        return Finding(self.path, self.line, self.column, "error", self.code, self.message)

    def to_dict(self) -> dict[str, object]:
        return {**asdict(self), "name": self.name}

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.code} {self.message}"
