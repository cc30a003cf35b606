"""Load deck files into `Deck`s: the one entry point the rest of gmed-trainer uses.

Every problem with a file, from an unreadable path to a duplicate option text, comes back as a
`Finding`; nothing here raises for a bad deck. A file with any error yields no deck.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from gmed_trainer.decks.findings import Code, Finding
from gmed_trainer.decks.model import Deck, Mark
from gmed_trainer.decks.validate import validate_document
from gmed_trainer.decks.yamlsafe import DEFAULT_LIMITS, Limits, YamlSafeError, gc_paused, parse
from gmed_trainer.decks.yamlsafe import read_text as _read_text

DEFAULT_MAX_BYTES = DEFAULT_LIMITS.max_bytes
DECK_SUFFIXES = (".yaml", ".yml")


@dataclass(slots=True)
class LoadResult:
    """One deck file: its deck (None if it has any error) and every finding about it."""

    deck: Deck | None
    findings: list[Finding]
    path: str = ""
    #: Where the deck's id is written, even when the deck has errors.
    deck_id: str | None = None
    deck_id_mark: Mark | None = field(default=None, compare=False)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.is_error)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if not f.is_error)


def load_deck(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadResult:
    """Read, check and build the deck in one file."""
    shown = os.fspath(path)
    try:
        with open(path, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return _unreadable(shown, "not a regular file")
            # One byte over the limit is enough to know the file is too large.
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        return _unreadable(shown, exc.strerror or str(exc))
    return parse_deck(data, path=shown, limits=Limits(max_bytes=max_bytes), file=Path(path))


def parse_deck(
    data: bytes,
    *,
    path: str = "<deck>",
    limits: Limits = DEFAULT_LIMITS,
    file: Path | None = None,
) -> LoadResult:
    """Check and build the deck held in `data`, reported as coming from `path`."""
    # The cyclic GC is paused while the parsed tree is alive, then runs over what survives.
    with gc_paused():
        try:
            document = parse(_read_text(data, limits=limits), limits=limits)
        except YamlSafeError as exc:
            finding = Finding.of(exc.code, path, exc.line, exc.column, exc.message)
            return LoadResult(None, [finding], path=path)
        checked = validate_document(document, path, file=file)
        del document
    pos = checked.deck_id_pos
    return LoadResult(
        checked.deck,
        checked.findings,
        path=path,
        deck_id=checked.deck_id,
        deck_id_mark=Mark(path, pos.line + 1, pos.column + 1) if pos is not None else None,
    )


def deck_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The files named, with each directory replaced by its *.yaml / *.yml files, sorted.

    A file named twice is kept once. Missing paths are kept: loading reports them.
    """
    out: dict[Path, None] = {}
    for item in paths:
        path = Path(item)
        if path.is_dir():
            found = (p for p in path.iterdir() if p.suffix in DECK_SUFFIXES and p.is_file())
            out.update(dict.fromkeys(sorted(found)))
        else:
            out[path] = None
    seen: set[Path] = set()
    unique: list[Path] = []
    for path in out:
        resolved = path.resolve()
        if resolved not in seen:
            seen.add(resolved)
            unique.append(path)
    return unique


def load_results(
    paths: Iterable[str | os.PathLike[str]], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[LoadResult]:
    """One `LoadResult` per deck file, with deck ids checked across the files."""
    results = [load_deck(path, max_bytes=max_bytes) for path in deck_files(paths)]
    owners: dict[str, LoadResult] = {}
    for result in results:
        if result.deck_id is None:
            continue
        first = owners.setdefault(result.deck_id, result)
        if first is result:
            continue
        mark = result.deck_id_mark or Mark(result.path, 1, 1)
        where = f"{first.path}:{first.deck_id_mark.line}" if first.deck_id_mark else first.path
        result.findings.append(
            Finding.of(
                Code.DUPLICATE_DECK_ID,
                result.path,
                mark.line,
                mark.column,
                f"deck id '{result.deck_id}' is already used by {where}",
            )
        )
        result.deck = None
    return results


def load_decks(
    paths: Iterable[str | os.PathLike[str]], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[list[Deck], list[Finding]]:
    """Every usable deck in `paths` (directories expand to their deck files) and all findings."""
    results = load_results(paths, max_bytes=max_bytes)
    decks = [r.deck for r in results if r.deck is not None]
    return decks, [f for r in results for f in r.findings]


def _unreadable(path: str, reason: str) -> LoadResult:
    return LoadResult(
        None, [Finding.of(Code.FILE_UNREADABLE, path, 1, 1, f"cannot read: {reason}")], path=path
    )
