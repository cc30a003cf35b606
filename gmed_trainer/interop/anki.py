"""Export decks as an Anki package (.apkg) with genanki.

Basic and reverse cards use note types of their own, cloze cards Anki's cloze type (same
`{{c1::answer::hint}}` syntax), and multiple-choice questions and cases become notes with the
question and options on the front and the answer, every option's why and the explanation on the
back. Model, deck and note ids derive from our stable ids, so re-importing an updated export into
Anki updates the notes instead of duplicating them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import genanki

from gmed_trainer.decks.model import (
    BasicCard,
    CaseCard,
    ClozeCard,
    Deck,
    McqCard,
    Option,
    ReverseCard,
)
from gmed_trainer.interop.render import to_html
from gmed_trainer.interop.tags import card_tags

CSS = """
.card { font-family: sans-serif; font-size: 20px; text-align: left; }
.why { color: #555; font-size: 16px; }
.correct { color: #1a7f37; font-weight: bold; }
.source { color: #777; font-size: 14px; margin-top: 1em; }
.cloze { font-weight: bold; color: #0550ae; }
"""
_BACK_EXTRA = "{{#Extra}}<hr><div>{{Extra}}</div>{{/Extra}}"
_SOURCE = "{{#Source}}<div class=source>Source: {{Source}}</div>{{/Source}}"


def stable_id(*parts: str) -> int:
    """A 31-bit id from our stable names, as Anki wants positive ints that never change."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") >> 1 | 1 << 30


BASIC = genanki.Model(
    stable_id("gmed-trainer", "model", "basic"),
    "gmed-trainer basic",
    fields=[{"name": n} for n in ("Front", "Back", "Extra", "Source", "Id")],
    templates=[
        {
            "name": "Card 1",
            "qfmt": "{{Front}}",
            "afmt": "{{FrontSide}}<hr id=answer>{{Back}}" + _BACK_EXTRA + _SOURCE,
        }
    ],
    css=CSS,
    sort_field_index=4,
)
REVERSE = genanki.Model(
    stable_id("gmed-trainer", "model", "reverse"),
    "gmed-trainer basic and reversed",
    fields=[{"name": n} for n in ("Front", "Back", "Extra", "Source", "Id")],
    templates=[
        {
            "name": "Card 1",
            "qfmt": "{{Front}}",
            "afmt": "{{FrontSide}}<hr id=answer>{{Back}}" + _BACK_EXTRA + _SOURCE,
        },
        {
            "name": "Card 2",
            "qfmt": "{{Back}}",
            "afmt": "{{FrontSide}}<hr id=answer>{{Front}}" + _BACK_EXTRA + _SOURCE,
        },
    ],
    css=CSS,
    sort_field_index=4,
)
CLOZE = genanki.Model(
    stable_id("gmed-trainer", "model", "cloze"),
    "gmed-trainer cloze",
    model_type=genanki.Model.CLOZE,
    fields=[{"name": n} for n in ("Text", "Extra", "Source", "Id")],
    templates=[
        {
            "name": "Cloze",
            "qfmt": "{{cloze:Text}}",
            "afmt": "{{cloze:Text}}" + _BACK_EXTRA + _SOURCE,
        }
    ],
    css=CSS,
    sort_field_index=3,
)


class _Note(genanki.Note):
    """A note whose guid is our (deck id, card id), so updates replace, not duplicate."""

    def __init__(self, deck_id: str, card_id: str, **kwargs: object) -> None:
        super().__init__(guid=genanki.guid_for("gmed-trainer", deck_id, card_id), **kwargs)


def _choices_html(options: tuple[Option, ...], *, answered: bool) -> str:
    items = []
    for index, option in enumerate(options):
        letter = chr(ord("a") + index)
        text = f"{letter}) {to_html(option.text)}"
        if answered:
            mark = "<span class=correct>✓ " + text + "</span>" if option.correct else text
            why = f"<div class=why>{to_html(option.why)}</div>" if option.why else ""
            items.append(f"<li>{mark}{why}</li>")
        else:
            items.append(f"<li>{text}</li>")
    return "<ul style='list-style:none;padding-left:0'>" + "".join(items) + "</ul>"


def _mcq_fields(card: McqCard) -> tuple[str, str]:
    stem = f"<p>{to_html(card.stem)}</p>" if card.stem else ""
    front = stem + f"<p>{to_html(card.question)}</p>" + _choices_html(card.options, answered=False)
    back = _choices_html(card.options, answered=True) + (
        f"<p>{to_html(card.explanation)}</p>" if card.explanation else ""
    )
    return front, back


def _case_fields(card: CaseCard) -> tuple[str, str]:
    front = [f"<h3>{to_html(card.title)}</h3>", f"<p>{to_html(card.stem)}</p>"]
    back = []
    for number, step in enumerate(card.steps, start=1):
        reveal = f"<p><i>{to_html(step.reveal)}</i></p>" if step.reveal else ""
        front.append(f"{reveal}<p>{number}. {to_html(step.question)}</p>")
        front.append(_choices_html(step.options, answered=False))
        back.append(f"<p>{number}. {to_html(step.question)}</p>")
        back.append(_choices_html(step.options, answered=True))
    if card.explanation:
        back.append(f"<p>{to_html(card.explanation)}</p>")
    return "".join(front), "".join(back)


def anki_deck(deck: Deck) -> genanki.Deck:
    """One Anki deck holding a note for every published card of `deck`."""
    result = genanki.Deck(stable_id("gmed-trainer", "deck", deck.id), deck.title)
    result.description = to_html(deck.description)
    for card in deck.cards:
        if card.is_draft:
            continue
        tags = [t.replace(" ", "_") for t in card_tags(deck, card)]
        extra, source = to_html(card.extra), to_html(card.source or deck.source)
        ident = f"{deck.id}/{card.id}"
        if isinstance(card, ClozeCard):
            model, fields = CLOZE, [to_html(card.text), extra, source, ident]
        elif isinstance(card, ReverseCard):
            model = REVERSE
            fields = [to_html(card.front), to_html(card.back), extra, source, ident]
        elif isinstance(card, BasicCard):
            model = BASIC
            fields = [to_html(card.front), to_html(card.back), extra, source, ident]
        elif isinstance(card, McqCard):
            model, fields = BASIC, [*_mcq_fields(card), extra, source, ident]
        elif isinstance(card, CaseCard):
            model, fields = BASIC, [*_case_fields(card), extra, source, ident]
        else:
            raise TypeError(f"unknown card type {type(card).__name__}")
        result.add_note(_Note(deck.id, card.id, model=model, fields=fields, tags=tags))
    return result


def export_anki(decks: Iterable[Deck], path: Path) -> int:
    """Write `decks` to an .apkg file; returns the number of notes."""
    anki_decks = [anki_deck(d) for d in decks]
    genanki.Package(anki_decks).write_to_file(str(path))
    return sum(len(d.notes) for d in anki_decks)
