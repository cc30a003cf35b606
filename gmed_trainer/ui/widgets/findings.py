"""A deck's validation findings, one per line as `gmed validate` prints them, errors in red."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static


class FindingLike(Protocol):
    """The fields of `decks.validate.Finding` this view shows."""

    @property
    def path(self) -> str: ...

    @property
    def line(self) -> int: ...

    @property
    def column(self) -> int: ...

    @property
    def severity(self) -> str: ...

    @property
    def code(self) -> str: ...

    @property
    def message(self) -> str: ...


def severity_name(finding: FindingLike) -> str:
    """The severity as a word ("error", "warning"), whether a plain string or a StrEnum."""
    return str(getattr(finding.severity, "value", finding.severity))


def summary(findings: Sequence[FindingLike]) -> str:
    errors = sum(1 for f in findings if severity_name(f) == "error")
    warnings = len(findings) - errors
    if not findings:
        return "No problems found."
    parts = [f"{errors} error{'s' * (errors != 1)}"] if errors else []
    if warnings:
        parts.append(f"{warnings} warning{'s' * (warnings != 1)}")
    return ", ".join(parts) + "."


class FindingsView(VerticalScroll):
    """The findings of the last check, with a one-line summary and when it ran."""

    DEFAULT_CSS = """
    FindingsView {
        height: auto;
        max-height: 8;
        border-top: solid $primary-muted;
        padding: 0 1;
        .findings-summary { text-style: bold; }
        .findings-summary.-clean { color: $text-success; }
        .findings-summary.-errors { color: $text-error; }
        .finding.-error { color: $text-error; }
        .finding.-warning { color: $text-warning; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.findings: list[FindingLike] = []
        self.checked_at: datetime | None = None

    def compose(self) -> ComposeResult:
        findings = self.findings
        errors = any(severity_name(f) == "error" for f in findings)
        when = f" (checked {self.checked_at:%H:%M:%S})" if self.checked_at else ""
        state = "-errors" if errors else ("-clean" if not findings else "")
        yield Static(summary(findings) + when, classes=f"findings-summary {state}")
        for finding in findings:
            severity = severity_name(finding)
            yield Static(
                Content(
                    f"{finding.line}:{finding.column}: {severity}: {finding.code} {finding.message}"
                ),
                classes=f"finding -{severity}",
            )

    async def show(self, findings: Sequence[FindingLike], checked_at: datetime) -> None:
        """Replace the findings shown."""
        self.findings = list(findings)
        self.checked_at = checked_at
        await self.recompose()
