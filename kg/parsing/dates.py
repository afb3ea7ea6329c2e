"""Dates, ordinal numbers and Roman numerals as UN texts write them.

>>> parse_date("22 December 2003")
'2003-12-22'
>>> parse_date("September 28, 2001")
'2001-09-28'
>>> ordinal_value("fifty-ninth"), ordinal_value("Twenty-third"), ordinal_value("4385th")
(59, 23, 4385)
>>> roman_value("XLIV")
44
"""

from __future__ import annotations

import re

MONTHS = {
    name: index
    for index, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
DATE = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})\s+(?P<m1>{_MONTH})\s*,?\s+(?P<y1>\d{{4}})"
    rf"|(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}}),?\s+(?P<y2>\d{{4}}))(?!\d)",
    re.IGNORECASE,
)

_UNITS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
    "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16,
    "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
}  # fmt: skip
_CARDINAL_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_TENTHS = {
    "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60,
    "seventieth": 70, "eightieth": 80, "ninetieth": 90, "hundredth": 100,
}  # fmt: skip

ORDINAL = re.compile(
    r"\b(?:\d+(?:st|nd|rd|th)|(?:(?:one\s+)?hundred\s+(?:and\s+)?)?"
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-)?"
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    r"thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|"
    r"twentieth|thirtieth|fortieth|fiftieth|sixtieth|seventieth|eightieth|ninetieth|hundredth))\b",
    re.IGNORECASE,
)


def parse_date(text: str) -> str | None:
    """The first date in ``text`` as an ISO string, or ``None``."""
    match = DATE.search(text)
    return iso_date(match) if match else None


def iso_date(match: re.Match[str]) -> str | None:
    """The ISO form of a :data:`DATE` match, or ``None`` for an impossible date."""
    day = match.group("d1") or match.group("d2")
    month = MONTHS[(match.group("m1") or match.group("m2")).lower()]
    year = int(match.group("y1") or match.group("y2"))
    days_in = [31, 29 if year % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    if not 1 <= int(day) <= days_in[month - 1]:
        return None
    return f"{year:04d}-{month:02d}-{int(day):02d}"


_NUMERIC_ORDINAL = re.compile(r"(\d+)(?:st|nd|rd|th)")
_HUNDRED = re.compile(r"(?:one\s+)?hundred\s+(?:and\s+)?")
_ROMAN_NUMERAL = re.compile(r"C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")


def ordinal_value(word: str) -> int | None:
    """The number an ordinal stands for: "fifty-ninth" → 59, "77th" → 77."""
    text = word.strip().lower()
    digits = _NUMERIC_ORDINAL.fullmatch(text)
    if digits:
        return int(digits.group(1))
    total = 0
    hundred = _HUNDRED.match(text)
    if hundred:
        total, text = 100, text[hundred.end() :]
    if text in _UNITS:
        return total + _UNITS[text]
    if text in _TENTHS:
        return total + _TENTHS[text] if text != "hundredth" or not total else None
    if "-" in text:
        tens, _, unit = text.partition("-")
        if tens in _TENS and unit in _UNITS and _UNITS[unit] < 10:
            return total + _TENS[tens] + _UNITS[unit]
    return None


def cardinal_value(word: str) -> int | None:
    """The number a small cardinal stands for ("three" → 3), or ``None``."""
    text = word.strip().lower()
    if text.isdigit():
        return int(text)
    return _CARDINAL_UNITS.get(text)


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_value(numeral: str) -> int | None:
    """The value of a Roman numeral up to C, or ``None`` if it is not one."""
    if not numeral or not _ROMAN_NUMERAL.fullmatch(numeral):
        return None
    total = 0
    for index, char in enumerate(numeral):
        value = _ROMAN[char]
        following = _ROMAN[numeral[index + 1]] if index + 1 < len(numeral) else 0
        total += -value if value < following else value
    return total
