"""Export decks as Moodle XML, the question-bank format Moodle imports.

Multiple-choice cards become `multichoice` questions (every option's why as its feedback, the
explanation as general feedback); each step of a case becomes a `multichoice` question in a
category of its own, its text carrying the stem and what earlier steps revealed; cloze cards
become `cloze` (embedded answers) questions. Basic and reverse flashcards have no quiz form and
are left out (the export says how many).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from gmed_trainer.decks.model import CLOZE_RE, CaseCard, ClozeCard, Deck, McqCard, Option
from gmed_trainer.interop.render import to_html

#: Fractions Moodle accepts for an answer are a fixed list; 100/n for n = 1..8 are all on it.
_FRACTIONS = {
    1: "100",
    2: "50",
    3: "33.33333",
    4: "25",
    5: "20",
    6: "16.66667",
    7: "14.28571",
    8: "12.5",
}


@dataclass(frozen=True)
class MoodleExport:
    questions: int
    skipped_flashcards: int


def _text(parent: ET.Element, tag: str, value: str, *, html: bool = True) -> ET.Element:
    element = ET.SubElement(parent, tag, {"format": "html"} if html else {})
    ET.SubElement(element, "text").text = value
    return element


def _category(quiz: ET.Element, path: str) -> None:
    question = ET.SubElement(quiz, "question", {"type": "category"})
    category = ET.SubElement(question, "category")
    ET.SubElement(category, "text").text = f"$course$/{path}"


def _multichoice(
    quiz: ET.Element,
    *,
    name: str,
    idnumber: str,
    text: str,
    options: tuple[Option, ...],
    select_all: bool,
    shuffle: bool,
    feedback: str | None,
    tags: list[str],
) -> None:
    question = ET.SubElement(quiz, "question", {"type": "multichoice"})
    _text(question, "name", name, html=False)
    _text(question, "questiontext", text)
    _text(question, "generalfeedback", to_html(feedback))
    ET.SubElement(question, "defaultgrade").text = "1"
    ET.SubElement(question, "penalty").text = "0.3333333"
    ET.SubElement(question, "hidden").text = "0"
    ET.SubElement(question, "idnumber").text = idnumber
    single = not select_all
    ET.SubElement(question, "single").text = "true" if single else "false"
    # A pinned option ("all of the above") must keep its place, so such questions don't shuffle.
    keep_order = not shuffle or any(o.pin_last for o in options)
    ET.SubElement(question, "shuffleanswers").text = "false" if keep_order else "true"
    ET.SubElement(question, "answernumbering").text = "abc"
    correct = sum(o.correct for o in options)
    wrong = len(options) - correct
    for option in options:
        if option.correct:
            fraction = _FRACTIONS[correct]
        elif single:
            fraction = "0"
        else:
            fraction = "-" + _FRACTIONS[wrong]
        answer = ET.SubElement(question, "answer", {"fraction": fraction, "format": "html"})
        ET.SubElement(answer, "text").text = to_html(option.text)
        _text(answer, "feedback", to_html(option.why))
    if tags:
        tags_element = ET.SubElement(question, "tags")
        for tag in tags:
            ET.SubElement(ET.SubElement(tags_element, "tag"), "text").text = tag


def _cloze_text(card: ClozeCard) -> str:
    """Moodle's embedded-answer syntax: every deletion a short-answer gap."""

    def gap(match: re.Match[str]) -> str:
        answer = match.group(2)
        escaped = answer.replace("}", r"\}").replace("#", r"\#").replace("~", r"\~")
        return "{1:SHORTANSWER:=" + escaped + "}"

    return to_html(CLOZE_RE.sub(gap, card.text))


def export_moodle(decks: Iterable[Deck], path: Path) -> MoodleExport:
    quiz = ET.Element("quiz")
    questions = skipped = 0
    for deck in decks:
        _category(quiz, f"gmed-trainer/{deck.title}")
        for card in deck.cards:
            if card.is_draft:
                continue
            tags = list(dict.fromkeys((*deck.tags, *card.tags)))
            idnumber = f"{deck.id}/{card.id}"
            if isinstance(card, McqCard):
                text = (f"<p>{to_html(card.stem)}</p>" if card.stem else "") + (
                    f"<p>{to_html(card.question)}</p>"
                )
                _multichoice(
                    quiz,
                    name=card.id,
                    idnumber=idnumber,
                    text=text,
                    options=card.options,
                    select_all=card.select_all,
                    shuffle=card.shuffle,
                    feedback=card.explanation,
                    tags=tags,
                )
                questions += 1
            elif isinstance(card, CaseCard):
                _category(quiz, f"gmed-trainer/{deck.title}/{card.title}")
                story = [f"<p><b>{to_html(card.title)}</b></p>", f"<p>{to_html(card.stem)}</p>"]
                for number, step in enumerate(card.steps, start=1):
                    if step.reveal:
                        story.append(f"<p><i>{to_html(step.reveal)}</i></p>")
                    text = "".join(story) + f"<p>{number}. {to_html(step.question)}</p>"
                    last = number == len(card.steps)
                    _multichoice(
                        quiz,
                        name=f"{card.id} step {number}",
                        idnumber=f"{idnumber}/{step.id}",
                        text=text,
                        options=step.options,
                        select_all=step.select_all,
                        shuffle=True,
                        feedback=card.explanation if last else None,
                        tags=tags,
                    )
                    questions += 1
                _category(quiz, f"gmed-trainer/{deck.title}")
            elif isinstance(card, ClozeCard):
                question = ET.SubElement(quiz, "question", {"type": "cloze"})
                _text(question, "name", card.id, html=False)
                _text(question, "questiontext", _cloze_text(card))
                _text(question, "generalfeedback", to_html(card.extra))
                ET.SubElement(question, "idnumber").text = idnumber
                questions += 1
            else:
                skipped += 1
    ET.indent(quiz)
    ET.ElementTree(quiz).write(path, encoding="UTF-8", xml_declaration=True)
    return MoodleExport(questions=questions, skipped_flashcards=skipped)
