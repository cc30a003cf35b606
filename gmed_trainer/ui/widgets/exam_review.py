"""An item after the block: the verdict, a case's stem and reveals, every question with the
learner's answer, the right one and every option's `why`, then the explanation."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalGroup
from textual.content import Content
from textual.widgets import Static

from gmed_trainer.exam.items import OPTION_KEYS
from gmed_trainer.exam.results import ItemResult
from gmed_trainer.ui.widgets.exam_item import OptionRow


class ItemReview(VerticalGroup):
    """One item after the block: verdict, the case's stem, every question with every `why`."""

    DEFAULT_CSS = """
    ItemReview {
        margin-bottom: 1;
        border-top: hkey $panel;
        .review-head { text-style: bold; padding: 0 1; }
        .review-head.-right { color: $text-success; }
        .review-head.-wrong { color: $text-error; }
        .review-stem, .review-question, .review-reveal, .review-explanation { padding: 0 1; }
        .review-question { text-style: bold; margin-top: 1; }
        .review-explanation { margin-top: 1; }
    }
    """

    def __init__(self, result: ItemResult) -> None:
        super().__init__()
        self.result = result

    def compose(self) -> ComposeResult:
        result = self.result
        item = result.item
        mark = "✓ right" if result.all_correct else "✗ missed"
        flag = "  ⚑ flagged" if result.flagged else ""
        score = f" {result.score}/{len(item.parts)} steps" if item.is_case else ""
        title = f"  {item.title}" if item.title else ""
        yield Static(
            Content(f"{result.index + 1}. {mark}{score}{title}{flag}"),
            classes="review-head " + ("-right" if result.all_correct else "-wrong"),
        )
        if item.stem:
            yield Static(Content(item.stem), classes="review-stem")
        for number, part in enumerate(result.parts):
            question = part.part
            if question.reveal:
                yield Static(Content(question.reveal), classes="review-reveal")
            prefix = f"Step {number + 1}. " if item.is_case else ""
            yield Static(Content(prefix + question.question), classes="review-question")
            for letter, choice in zip(OPTION_KEYS, question.choices, strict=False):
                yield OptionRow(
                    choice,
                    letter,
                    chosen=choice.id in part.chosen,
                    struck=False,
                    select_all=question.select_all,
                    live=False,
                    feedback=part,
                )
        if item.explanation:
            yield Static(
                Content.assemble(("Explanation: ", "bold"), item.explanation),
                classes="review-explanation",
            )
