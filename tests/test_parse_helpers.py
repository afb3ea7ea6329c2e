"""The text helpers of the parser on small inputs: spacing, footnote marks, phrases, anaphors."""

from __future__ import annotations

from kg.gazetteer import load_gazetteer
from kg.parsing.entities import Tracker
from kg.parsing.footnotes import take_markers
from kg.parsing.lines import tidy
from kg.parsing.phrases import leading_phrase


def test_tidy_removes_spaces_inside_punctuation() -> None:
    assert (
        tidy("the report ( A/58/499 ) , as amended ; and")
        == "the report (A/58/499), as amended; and"
    )
    assert tidy("Recalling\tits  resolution 55/25 .") == "Recalling its resolution 55/25."


def test_tidy_keeps_tidy_text() -> None:
    text = "Requests the Secretary-General to report (in 2005) on progress; and"
    assert tidy(text) == text


def test_take_markers_takes_slash_marks_after_a_space_only() -> None:
    assert take_markers("the Convention 1/ and the Protocols 2/.", set()) == (
        "the Convention and the Protocols.",
        ["1", "2"],
    )
    assert take_markers("document A/58/499 of 2003", set()) == ("document A/58/499 of 2003", [])


def test_leading_phrase_is_the_same_when_asked_again() -> None:
    gazetteer = load_gazetteer()
    first = leading_phrase("Takes note with appreciation of the report", gazetteer)
    assert first == ("Takes note with appreciation", "take-note")
    assert leading_phrase("Takes note with appreciation of the note", gazetteer) == first
    # What precedes the first word stays in the phrase, so the lexicon does not know it.
    assert leading_phrase("*Recalling also its resolution 55/25", gazetteer) == (
        "*Recalling also",
        None,
    )


def test_anaphor_resolves_only_after_its_entity_is_named() -> None:
    gazetteer = load_gazetteer()
    tracker = Tracker(gazetteer)
    assert tracker.annotate("the Convention") == []
    named = tracker.annotate("United Nations Convention against Transnational Organized Crime")
    (anaphor,) = tracker.annotate("the Convention")
    assert anaphor.anaphor
    assert anaphor.ids == named[0].ids
