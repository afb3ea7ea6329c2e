"""Lines that frame a resolution: its opening line, closing lines and annex headings."""

from __future__ import annotations

import re

from kg.gazetteer import Gazetteer

_OPENER = re.compile(
    r"^[“\"\u2018']*\s*The\s+(?P<name>[A-Z][^,:;.]{2,160}?)\s*,\s*[”\"\u2019]?\s*(?P<rest>.*)$"
)
_BARE_OPENER = re.compile(r"^[“\"\u2018']*\s*The\s+(?P<name>[A-Z][\w -]{2,80}?)\s*$")
_BODY_NOUNS = re.compile(
    r"(?:Assembly|Council|Commission|Conference|Committee|Board|Forum|Parties|Meeting)$"
)
_NAME_WORD = re.compile(r"^(?:[A-Z][\w\u2019'-]*|of|on|and|the|for|to|against|in|de|la)$")

CLOSING = re.compile(
    r"^(?:\d+(?:st|nd|rd|th)\s+(?:plenary\s+)?meeting\b"
    r"|\[?Adopted\s+(?:unanimously\s+)?(?:by|at)\b.*\bmeeting\b"
    r"|\[?Adopted\s+(?:without\s+a\s+vote|by\s+(?:a\s+recorded\s+vote|consensus)|unanimously))",
    re.IGNORECASE,
)
"""The closing of a resolution: "77th plenary meeting", "[Adopted without a vote.]"."""

_NUMBERED_START = re.compile(r"\d{1,3}\.")
ANNEX = re.compile(r"^(?:ANNEX(?:ES)?|Annex(?:es)?)(?:\s+[IVXLC]+|\s+\d{1,2})?\s*[.:]?$")
"""An annex heading: "Annex", "ANNEX II"."""


def match_opener(text: str, gazetteer: Gazetteer) -> tuple[str, str] | None:
    """(body name, rest of the line) for an opening line such as "The General Assembly,".

    Without the comma ("The General Assembly" alone on its line, as in some recent
    texts) only a body of the reference data is accepted.

    The name must be a body of the reference data or read like one (capitalised words
    ending in Assembly, Council, Commission …). Text after the comma is returned when
    it opens the first paragraph on the same line.

    >>> from kg.gazetteer import load_gazetteer
    >>> match_opener("“The General Assembly,", load_gazetteer())
    ('General Assembly', '')
    >>> match_opener("The Council of Europe was founded", load_gazetteer()) is None
    True
    """
    match = _OPENER.match(text)
    if not match:
        bare = _BARE_OPENER.match(text)
        entity = gazetteer.entity_named(bare.group("name")) if bare else None
        if bare and entity is not None and entity.kind == "body":
            return bare.group("name"), ""
        return None
    name, rest = " ".join(match.group("name").split()), match.group("rest").strip()
    entity = gazetteer.entity_named(name)
    known = entity is not None and entity.kind == "body"
    if not known:
        words = name.split()
        if len(words) > 15 or not _BODY_NOUNS.search(name):
            return None
        if not all(_NAME_WORD.match(word) for word in words):
            return None
    if rest:
        first = rest.split()[0].lower().strip(",;:")
        if first not in gazetteer.first_words and not _NUMBERED_START.match(rest):
            return None
    return name, rest
