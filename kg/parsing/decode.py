"""Stage 1: bytes → clean text.

Afterwards the text is a non-empty ``str`` with ``\\n`` line ends, no byte-order mark,
no control characters other than tab and newline, no soft hyphens, zero-width or
private-use characters, ordinary spaces and hyphens for non-breaking ones and plain
letters for PDF ligatures. The number of lines is unchanged, so line numbers still point into
the original file.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from kg.errors import ParseError

MAX_BYTES = 8 * 1024 * 1024
"""Larger files are refused: the longest resolutions are well under 1 MB of text."""

_SIGNATURES = (
    (b"%PDF-", "a PDF file", "Extract its text first, e.g. with `pdftotext -layout`"),
    (b"PK\x03\x04", "a ZIP archive (such as .docx)", "Save the document as plain text"),
    (b"\xd0\xcf\x11\xe0", "a legacy Office document (.doc)", "Save the document as plain text"),
    (b"{\\rtf", "an RTF document", "Save the document as plain text"),
    (b"\x89PNG", "a PNG image", "kg reads the text of resolutions, not images"),
    (b"\xff\xd8\xff", "a JPEG image", "kg reads the text of resolutions, not images"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_DROP = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff\ue000-\uf8ff\x0c\x0b]")
_SPACE = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "\u2010": "-", "\u2011": "-"}
)
_TRANSLATED = re.compile("[ﬀﬁﬂﬃﬄ\u2010\u2011]")
"""The characters :data:`_LIGATURES` replaces: translating a text costs more than looking."""
_CLEANED = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f\u00ad\u200b\u200c\u200d\u2060\ufeff\ue000-\uf8ff\x0c"
    "\u00a0\u2000-\u200a\u202f\u205f\u3000ﬀﬁﬂﬃﬄ\u2010\u2011]"
)
"""Every character :func:`_normalise` removes or replaces: most texts have none."""
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
"""The bytes :data:`_CONTROL` finds in a text read as Latin-1."""


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text, the encoding it was read with, and what the decoder was unsure of."""

    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def decode_text(data: bytes | str, source: str, *, max_bytes: int = MAX_BYTES) -> Decoded:
    """Decode and normalise the text of a resolution.

    UTF-8 (with or without BOM) and BOM-marked UTF-16 are read as such; other bytes are
    read as Windows-1252, or Latin-1 where that fails, with a warning.

    Raises:
        ParseError: if the input is empty, too large, or binary (the error gives the
            line and column of the first NUL byte).
    """
    if isinstance(data, str):
        if len(data) > max_bytes:
            raise _too_large(source, len(data), max_bytes)
        return Decoded(_normalise(data, source), "utf-8")
    if len(data) > max_bytes:
        raise _too_large(source, len(data), max_bytes)
    if not data.strip():
        raise ParseError(source, "the file is empty", hint="Give the text of a resolution")
    text, encoding, warnings = _decode_bytes(data, source)
    return Decoded(_normalise(text, source), encoding, tuple(warnings))


def _decode_bytes(data: bytes, source: str) -> tuple[str, str, list[str]]:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16", []
        except UnicodeDecodeError as e:
            raise ParseError(source, f"invalid UTF-16 text: {e.reason}") from e
    _refuse_binary(data, source)
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as e:
        line, column = _position(data, e.start)
        where = f"byte 0x{data[e.start]:02x} at line {line}, column {column}"
    try:
        text, encoding = data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        text, encoding = data.decode("latin-1"), "latin-1"
    label = "Windows-1252" if encoding == "windows-1252" else "Latin-1"
    return text, encoding, [f"the file is not UTF-8 ({where}); decoded it as {label}"]


def _refuse_binary(data: bytes, source: str) -> None:
    for signature, what, hint in _SIGNATURES:
        if data.startswith(signature):
            raise ParseError(source, f"this is {what}, not text", hint=hint)
    nul = data.find(b"\x00")
    if nul >= 0:
        line, column = _position(data, nul)
        raise ParseError(
            source,
            "binary data, not text (a NUL byte)",
            line,
            column,
            hint="Give the plain text, Markdown or HTML of the resolution",
        )
    sample = data[:8192]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > max(8, len(sample) // 20):
        raise ParseError(
            source,
            f"binary data, not text ({controls} control bytes in the first {len(sample)})",
            hint="Give the plain text, Markdown or HTML of the resolution",
        )


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset."""
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[start:offset].decode("utf-8", errors="replace")) + 1
    return line, column


def _normalise(text: str, source: str) -> str:
    if "\r" in text:  # most texts have Unix line ends: looking is cheaper than replacing
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        offset = text.index("\x00")
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        raise ParseError(source, "binary data, not text (a NUL character)", line, column)
    if _CLEANED.search(text):
        text = _DROP.sub("", text)
        text = _SPACE.sub(" ", text)
        text = _CONTROL.sub("", text)
        if _TRANSLATED.search(text):
            text = text.translate(_LIGATURES)
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise ParseError(source, "the file is empty", hint="Give the text of a resolution")
    return text


def _too_large(source: str, size: int, limit: int) -> ParseError:
    return ParseError(
        source,
        f"the file is too large ({size / 1048576:.1f} MB; the limit is {limit // 1048576} MB)",
        hint="A resolution's text is far smaller: check that this is one resolution",
    )
