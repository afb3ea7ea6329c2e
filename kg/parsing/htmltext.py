"""HTML → lines: one line per block element, site chrome (nav, header, footer) dropped.

Each line keeps the source line of the element that starts it. ``<sup>`` content that
looks like a footnote mark becomes an explicit marker; ``<hr>`` becomes ``---``;
``<h1>``…``<h6>`` and all-bold blocks are headings; items of an ``<ol>`` get their
number written out ("3. Requests …") unless the text carries it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from kg.parsing.lines import MARK_CLOSE, MARK_OPEN, Line, make_line, words, wrap_superscripts

_BLOCK = words(
    "address article blockquote body br caption dd div dl dt figcaption figure h1 h2 h3 "
    "h4 h5 h6 hr li main ol p pre section table tbody td tfoot th thead tr ul"
)
_SKIP = words(
    "aside button footer form head header iframe nav noscript script select style svg "
    "template textarea title"
)
_VOID = words("area base br col embed hr img input link meta source track wbr")
_HEADINGS = words("h1 h2 h3 h4 h5 h6")
_BOLD = words("b strong")
_MARK = re.compile(r"\s*([0-9]{1,3}|[a-z]|\*{1,3}|[†‡])\s*")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[Line] = []
        self._text: list[str] = []
        self._bold_chars = 0
        self._start_line = 1
        self._skip = 0
        self._bold = 0
        self._heading = 0
        self._heading_block = False
        self._pre = 0
        self._sup: list[str] | None = None
        self._lists: list[list[int] | None] = []
        self._item_number: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            if tag not in _VOID:
                self._skip += 1
            return
        if self._skip:
            return
        if tag in _BLOCK:
            self._flush()
            if tag == "hr":
                self.lines.append(make_line(self.getpos()[0], "---"))
        if tag in ("ol", "ul"):
            start = _integer(dict(attrs).get("start")) if tag == "ol" else None
            self._lists.append([start if start is not None else 1] if tag == "ol" else None)
        elif tag == "li" and self._lists and self._lists[-1] is not None:
            counter = self._lists[-1]
            value = _integer(dict(attrs).get("value"))
            counter[0] = value if value is not None else counter[0]
            self._item_number = counter[0]
            counter[0] += 1
        if tag in _HEADINGS:
            self._heading += 1
            self._heading_block = True
        elif tag in _BOLD:
            self._bold += 1
        elif tag == "pre":
            self._pre += 1
        elif tag == "sup":
            self._sup = []
        elif tag in ("td", "th"):
            self._text.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self._skip and tag in _BLOCK:
            self._flush()
            if tag == "hr":
                self.lines.append(make_line(self.getpos()[0], "---"))

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            if tag not in _VOID:
                self._skip = max(0, self._skip - 1)
            return
        if self._skip:
            return
        if tag == "sup" and self._sup is not None:
            content = "".join(self._sup)
            self._sup = None
            mark = _MARK.fullmatch(content)
            self._add(MARK_OPEN + mark.group(1) + MARK_CLOSE if mark else content, markup=True)
        elif tag in _HEADINGS:
            self._heading = max(0, self._heading - 1)
        elif tag in _BOLD:
            self._bold = max(0, self._bold - 1)
        elif tag == "pre":
            self._pre = max(0, self._pre - 1)
        elif tag in ("ol", "ul") and self._lists:
            self._lists.pop()
        if tag in _BLOCK:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._sup is not None:
            self._sup.append(data)
            return
        if self._pre and "\n" in data:
            first, *rest = data.split("\n")
            self._add(first)
            for piece in rest:
                self._flush()
                self._add(piece)
            return
        self._add(data)

    def _add(self, data: str, markup: bool = False) -> None:
        if not self._text or not "".join(self._text).strip():
            self._start_line = self.getpos()[0]
        self._text.append(data)
        if (self._bold or self._heading) and not markup:
            self._bold_chars += len(data.strip())

    def _flush(self) -> None:
        text = wrap_superscripts(" ".join("".join(self._text).split()))
        if text and self._item_number is not None:
            # An item of a numbered list: its number is not in the text, so write it.
            if not re.match(r"\d{1,3}\s*[.)]", text):
                text = f"{self._item_number}. {text}"
            self._item_number = None
        if text:
            plain = len(text.replace(" ", ""))
            heading = self._heading_block or (plain > 0 and self._bold_chars >= plain * 0.9)
            self.lines.append(make_line(self._start_line, text, heading))
        self._text = []
        self._bold_chars = 0
        self._heading_block = self._heading > 0


def _integer(value: str | None) -> int | None:
    return int(value) if value is not None and value.strip().isdigit() else None


_CONDITIONAL = re.compile(r"<!\[(?:if|endif)\b[^\]]*\]>", re.IGNORECASE)
_DECLARATION = re.compile(r"<!(?!--|\[CDATA\[|doctype)", re.IGNORECASE)


def html_lines(text: str) -> list[Line]:
    """The text of an HTML page as lines, with blank lines between blocks."""
    # Word's conditional comments and stray "<![" declarations trip html.parser.
    text = _DECLARATION.sub("&lt;!", _CONDITIONAL.sub("", text))
    collector = _Collector()
    try:
        collector.feed(text)
        collector.close()
    except AssertionError:
        # html.parser asserts on some malformed markup; keep what it read so far.
        pass
    collector._flush()
    out: list[Line] = []
    for line in collector.lines:
        out.append(line)
        out.append(make_line(line.no, ""))
    return out
