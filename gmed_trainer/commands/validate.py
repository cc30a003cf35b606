"""`gmed validate [PATH ...]`: check deck files and report every problem, one per line.

Exit status: 0 when no deck has an error (warnings allowed), 1 when any has (with `--strict`,
warnings count as errors), 2 for a usage error such as a path that does not exist.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from gmed_trainer.errors import UsageError

if TYPE_CHECKING:
    from gmed_trainer.decks.findings import Finding
    from gmed_trainer.decks.loader import LoadResult

MB = 1024 * 1024
#: The loader's size limit (`decks.loader.DEFAULT_MAX_BYTES`), restated so that building the
#: parser does not import the loader; tests/ui/test_startup_imports.py checks they agree.
DEFAULT_MAX_BYTES = 5 * MB


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check deck files and report every problem",
        description="Check deck files (default: the shipped decks) and report every problem as "
        "path:line:column: severity: CODE message. Codes are listed in docs/deck-format.md.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="deck files, or folders whose *.yaml / *.yml files are checked",
    )
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )
    parser.add_argument(
        "--max-size",
        type=_megabytes,
        default=DEFAULT_MAX_BYTES,
        metavar="MB",
        help=f"refuse deck files larger than this (default: {DEFAULT_MAX_BYTES // MB})",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from gmed_trainer.paths import shipped_decks_dir

    paths: list[Path] = list(args.paths) or [shipped_decks_dir()]
    return validate(paths, strict=args.strict, fmt=args.format, max_bytes=args.max_size)


def run_default() -> int:
    """Validate the shipped decks (what `gmed` alone does until the trainer UI exists)."""
    from gmed_trainer.paths import shipped_decks_dir

    return validate([shipped_decks_dir()])


def validate(
    paths: Sequence[Path],
    *,
    strict: bool = False,
    fmt: str = "text",
    max_bytes: int = DEFAULT_MAX_BYTES,
    out: TextIO | None = None,
) -> int:
    """Check `paths`, print the findings and a summary to `out`, return the exit status."""
    from gmed_trainer.decks.loader import deck_files, load_results

    for path in paths:
        if not path.exists():
            raise UsageError(f"no such file or folder: {path}")
    files = deck_files(paths)
    if not files:
        raise UsageError(f"no deck files (*.yaml, *.yml) in {', '.join(map(str, paths))}")
    results = load_results(files, max_bytes=max_bytes)
    summary = Summary.of(results, strict=strict)
    stream = out or sys.stdout
    if fmt == "json":
        payload = {
            "findings": [f.to_dict() for f in summary.findings],
            "summary": {**summary.counts(), "text": summary.line()},
        }
        print(json.dumps(payload, indent=2, ensure_ascii=False), file=stream)
    else:
        for finding in summary.findings:
            print(finding, file=stream)
        print(summary.line(), file=stream)
    return 1 if summary.errors else 0


@dataclass(frozen=True)
class Summary:
    """What one run found, across every file."""

    files: int
    decks: int
    units: int
    draft_units: int
    findings: tuple[Finding, ...]

    @classmethod
    def of(cls, results: Sequence[LoadResult], *, strict: bool) -> Summary:
        findings = tuple(
            f.as_error() if strict and not f.is_error else f for r in results for f in r.findings
        )
        decks = [r.deck for r in results if r.deck is not None]
        units = sum(len(d.units()) for d in decks)
        every = sum(len(d.units(include_drafts=True)) for d in decks)
        return cls(len(results), len(decks), units, every - units, findings)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.is_error)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors

    def counts(self) -> dict[str, int]:
        return {
            "files": self.files,
            "decks": self.decks,
            "review_units": self.units,
            "draft_units": self.draft_units,
            "errors": self.errors,
            "warnings": self.warnings,
        }

    def line(self) -> str:
        """E.g. '6 decks, 172 review units: 0 errors, 2 warnings'."""
        decks = _count(self.files, "deck")
        if self.decks != self.files:
            decks += f" ({self.decks} usable)"
        units = _count(self.units, "review unit")
        if self.draft_units:
            units += f" (+{self.draft_units} in drafts)"
        problems = f"{_count(self.errors, 'error')}, {_count(self.warnings, 'warning')}"
        return f"{decks}, {units}: {problems}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _megabytes(text: str) -> int:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of megabytes: {text!r}") from None
    if not 0 < value <= 1024:
        raise argparse.ArgumentTypeError("give a size between 0 and 1024 MB")
    return int(value * MB)
