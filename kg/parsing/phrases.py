"""Leading phrases: the verb phrase that opens a paragraph, and the action it expresses.

A phrase is read with a small grammar of the genre: optional adverbs ("Also",
"Deeply"), a head word (a finite verb "Requests", a participle "Recalling", an
adjective "Mindful", or "Having" with its participle), trailing adverbs ("also",
"further") and the complements that belong to the phrase ("note", "with
appreciation", "in mind", "into account", "upon", "its appreciation"). The lexicon
of :mod:`kg.gazetteer` supplies the phrases it knows; the longer reading wins.

>>> from kg.gazetteer import load_gazetteer
>>> g = load_gazetteer()
>>> leading_phrase("Takes note with appreciation of the report", g)
('Takes note with appreciation', 'take-note')
>>> leading_phrase("Noting with deep and growing concern the", g)
('Noting with deep and growing concern', 'note')
>>> leading_phrase("Reaffirming its deep concern at", g)
('Reaffirming', 'reaffirm')
"""

from __future__ import annotations

import functools
import re

from kg.gazetteer import Gazetteer
from kg.parsing.lines import OPEN_QUOTES, words

ADVERBS = words(
    "also further again once strongly deeply greatly gravely seriously fully firmly "
    "particularly profoundly sincerely warmly keenly extremely most highly equally "
    "likewise moreover furthermore therefore still especially"
)
_FEELINGS = words(
    "appreciation satisfaction concern interest regret alarm gratitude approval dismay "
    "disappointment thanks support condolences sympathy solidarity hope recognition "
    "admiration outrage indignation shock sorrow"
)
_INTENSIFIERS = words(
    "deep deepest grave great serious profound particular sincere full continued growing "
    "utmost renewed strong warm and its their"
)
_PARTICLES = {
    "takes": ("note",),
    "taking": ("note",),
    "take": ("note",),
    "bearing": ("in mind",),
    "bears": ("in mind",),
    "keeping": ("in mind",),
    "calls": ("upon", "on", "for"),
    "calling": ("upon", "on", "for"),
    "appeals": ("to",),
    "appealing": ("to",),
    "pays": ("tribute",),
    "paying": ("tribute",),
    "looks": ("forward",),
    "looking": ("forward",),
    "guided": ("by",),
    "inspired": ("by",),
    "encouraged": ("by",),
}
_ACCOUNT = ("into account", "into consideration")
_RUN = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*(?:\s+[A-Za-z][A-Za-z'\u2019-]*)*")
"""Words with only spaces between them: the first such run is where a phrase may lie."""


def looks_verbal(word: str) -> bool:
    """Whether a capitalised word can head a paragraph: a verb or a participle.

    >>> looks_verbal("Decides"), looks_verbal("Recalling"), looks_verbal("Nations")
    (True, True, True)
    >>> looks_verbal("Conscious"), looks_verbal("The")
    (False, False)
    """
    lower = word.lower()
    if len(lower) < 4:
        return False
    if lower.endswith(("ing", "ed")):
        return True
    return lower.endswith("s") and not lower.endswith(("ss", "ous", "us", "is", "ics"))


def is_finite(phrase: str) -> bool:
    """Whether a phrase is headed by a finite verb ("Requests"): an operative phrase."""
    for word in phrase.split():
        lower = word.lower()
        if lower in ADVERBS:
            continue
        return lower.endswith("s") and not lower.endswith(("ss", "ous", "us", "is", "ics"))
    return False


def leading_phrase(text: str, gazetteer: Gazetteer) -> tuple[str, str | None]:
    """The leading phrase of a paragraph as written, and its action id (or ``None``).

    Returns an empty phrase when the paragraph does not open with a capitalised word.
    """
    body = text.lstrip(OPEN_QUOTES + " ")
    start, run = _contiguous(body)
    if not run[:1].isupper():
        return "", None
    return _phrase_opening(body[:start], run, gazetteer)


@functools.lru_cache(maxsize=8192)
def _phrase_opening(lead: str, run: str, gazetteer: Gazetteer) -> tuple[str, str | None]:
    """The phrase that opens ``run`` (the words after ``lead``), and its action.

    Cached: most paragraphs open with one of a few runs ("Recalling its resolution").
    """
    words = run.split()
    # The words are ASCII letters, apostrophes and hyphens: lower case is their case fold.
    lowered = run.lower().split()
    lexical = _lexicon_prefix(lowered, gazetteer)
    grammatical = _grammar_prefix(lowered)
    end = 0
    for word in words[: max(lexical, grammatical, 1)]:
        end = run.index(word, end) + len(word)  # only spaces lie between the words
    phrase = lead + run[:end]
    return phrase, action_of(phrase, gazetteer)


def action_of(phrase: str, gazetteer: Gazetteer) -> str | None:
    """The action a phrase expresses: looked up as written, then without its adverbs."""
    action = gazetteer.action_for(phrase)
    if action:
        return action.id
    words = phrase.split()
    core = [w for w in words if w.lower() not in ADVERBS] or words
    for end in range(len(core), 0, -1):
        candidate = " ".join(core[:end])
        if end < len(core) and core[end].lower() not in ("with", "its", "their", "in", "into"):
            continue
        action = gazetteer.action_for(candidate)
        if action:
            return action.id
    return None


def _contiguous(body: str) -> tuple[int, str]:
    """Where the first word starts, and the words of the first 160 characters up to the
    first punctuation, spaces between them: a phrase never spans a comma."""
    run = _RUN.search(body, 0, 160)
    if run is None:
        return 0, ""
    return run.start(), run.group()


def _lexicon_prefix(lowered: list[str], gazetteer: Gazetteer) -> int:
    """How many of the first (at most 12) words (case-folded) form the longest phrase of
    the lexicon."""
    longest, joined = 0, ""
    for count, word in enumerate(lowered[:12], start=1):
        joined = f"{joined} {word}" if joined else word
        if joined not in gazetteer.phrase_starts:  # no phrase of the lexicon goes on so
            break
        if joined in gazetteer.phrases:
            longest = count
    return longest


def _grammar_prefix(lowered: list[str]) -> int:
    index = 0
    while index < len(lowered) and lowered[index] in ADVERBS:
        index += 1
    if index >= len(lowered):
        return 0
    head = lowered[index]
    if head == "having" and index + 1 < len(lowered):
        index += 1
    elif not looks_verbal(lowered[index]) and head not in _PARTICLES:
        return 0
    index += 1
    index = _skip_adverbs(lowered, index)
    for particle in _PARTICLES.get(head, ()):
        if _starts(lowered, index, particle):
            index += len(particle.split())
            break
    if head in ("takes", "taking", "take") or head.startswith("tak"):
        for particle in _ACCOUNT:
            if _starts(lowered, index, particle):
                index += 2
    index = _skip_adverbs(lowered, index)
    if head in ("expresses", "expressing", "express"):
        index = _feeling(lowered, index)
    elif index < len(lowered) and lowered[index] == "with":
        index = _feeling(lowered, index + 1, after_with=True)
    return index


def _feeling(lowered: list[str], index: int, *, after_with: bool = False) -> int:
    """Extend over "[its] [deep …] appreciation"; return the index after it, or ``index``."""
    start = index - 1 if after_with else index
    probe = index
    while probe < len(lowered) and probe - index < 5:
        if lowered[probe] in _FEELINGS:
            return probe + 1
        if lowered[probe] not in _INTENSIFIERS:
            break
        probe += 1
    return start


def _skip_adverbs(lowered: list[str], index: int) -> int:
    while index < len(lowered) and lowered[index] in ("also", "further", "again", "once"):
        index += 1
    return index


def _starts(lowered: list[str], index: int, phrase: str) -> bool:
    parts = phrase.split()
    return lowered[index : index + len(parts)] == parts
