"""Bad input: every failure is a ParseError naming the file, the reason and, where it
applies, the line and column; doubtful input parses with warnings."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import ParseError
from kg.manifest import load_manifest
from kg.model import Resolution
from kg.parse import parse_file, parse_paths, parse_resolution
from kg.parsing.decode import MAX_BYTES, decode_text

MINIMAL = (
    "The General Assembly,\n\n"
    "Recalling its resolution 55/25 of 15 November 2000,\n\n"
    "1. Decides to remain seized of the matter.\n"
)


def failure(data: str | bytes, source: str = "x.txt") -> ParseError:
    with pytest.raises(ParseError) as caught:
        parse_resolution(data, source)
    return caught.value


def test_parse_empty_file_is_refused() -> None:
    error = failure(b"", "empty.txt")
    assert str(error) == "empty.txt: the file is empty. Give the text of a resolution"
    assert (error.source, error.line, error.column) == ("empty.txt", None, None)


def test_parse_whitespace_only_is_empty() -> None:
    assert failure(b" \n\t\r\n \x0c", "blank.txt").reason == "the file is empty"
    assert failure("\u200b\n\u00ad", "zero.txt").reason == "the file is empty"


def test_parse_binary_file_names_line_and_column_of_first_nul() -> None:
    error = failure(b"The General Assembly,\nRecall\x00ing", "nul.txt")
    assert (error.line, error.column) == (2, 7)
    assert str(error) == (
        "nul.txt:2:7: binary data, not text (a NUL byte). "
        "Give the plain text, Markdown or HTML of the resolution"
    )


def test_parse_binary_column_counts_characters_not_bytes() -> None:
    error = failure("“Décidé” \x00".encode(), "utf8.txt")
    assert (error.line, error.column) == (1, 10)


def test_parse_pdf_and_office_files_are_named() -> None:
    assert str(failure(b"%PDF-1.7\n...", "a.txt")) == (
        "a.txt: this is a PDF file, not text. Extract its text first, e.g. with `pdftotext -layout`"
    )
    assert failure(b"PK\x03\x04rest", "a.docx").reason == (
        "this is a ZIP archive (such as .docx), not text"
    )


def test_parse_control_bytes_are_binary() -> None:
    error = failure(bytes(range(1, 9)) * 50, "controls.bin")
    assert error.reason == "binary data, not text (400 control bytes in the first 400)"


def test_parse_windows_1252_is_decoded_with_a_warning() -> None:
    data = (MINIMAL + "\x93The Assembly\x94 caf\xe9\n").encode("latin-1")
    res = parse_resolution(data, "cp1252.txt")
    assert res.warnings[0] == (
        "the file is not UTF-8 (byte 0x93 at line 6, column 1); decoded it as Windows-1252"
    )
    assert isinstance(res, Resolution) and res.operative[0].phrase == "Decides"


def test_parse_undecodable_windows_1252_falls_back_to_latin_1() -> None:
    data = MINIMAL.encode() + b"\x81\x90 caf\xe9\n"
    res = parse_resolution(data, "latin.txt")
    assert res.warnings[0] == (
        "the file is not UTF-8 (byte 0x81 at line 6, column 1); decoded it as Latin-1"
    )


def test_parse_utf16_with_bom_is_read() -> None:
    res = parse_resolution(MINIMAL.encode("utf-16"), "utf16.txt")
    assert res.citations[0].symbol == "A/RES/55/25"
    assert res.warnings == ("the text carries no symbol and the manifest gives none",)


def test_parse_text_without_resolution_structure() -> None:
    error = failure("Shopping list:\n- eggs\n- milk\n", "list.txt")
    assert error.line is None
    assert str(error).startswith(
        "list.txt: no resolution structure found: no opening line such as "
        '"The General Assembly," and no paragraph that opens with a phrase'
    )


def test_parse_opening_line_without_paragraphs() -> None:
    error = failure("\nUnited Nations\n\nThe General Assembly,\n\n", "opener.txt")
    assert (error.line, error.column) == (4, 1)
    assert str(error) == (
        "opener.txt:4:1: the opening line is not followed by any paragraph. "
        'Paragraphs open with a phrase such as "Recalling" or "1. Decides"'
    )


def test_parse_preamble_without_operative_part() -> None:
    text = "The General Assembly,\n\nRecalling its resolution 55/25,\n\nNoting the report,\n"
    error = failure(text, "preamble.txt")
    assert (error.line, error.column) == (5, 1)
    assert error.reason == "the text has 2 preambular paragraph(s) but no operative paragraph"


def test_parse_no_body_anywhere() -> None:
    error = failure("Recalling its resolution 55/25 of 15 November 2000,\n\n1. Decides to act.\n")
    assert error.reason.startswith("the text does not say which body adopted it")
    assert error.hint == 'Add body = "..." for this file to the corpus manifest'


def test_parse_body_from_manifest_when_the_text_has_none() -> None:
    text = "Recalling its resolution 55/25 of 15 November 2000,\n\n1. Decides to act.\n"
    res = parse_resolution(text, "x.txt", metadata={"body": "General Assembly", "session": 60})
    assert (res.body, res.body_id, res.session) == ("General Assembly", "general-assembly", 60)
    assert res.warnings[0] == (
        'line 1: no opening line such as "The General Assembly,"; the text starts with a paragraph'
    )


def test_parse_duplicate_and_missing_numbers_are_warnings_with_lines() -> None:
    text = (
        "The General Assembly,\n\nRecalling its resolution 55/25,\n\n"
        "1. Welcomes the report;\n\n2. Requests the Secretary-General to act;\n\n"
        "2. Decides to act;\n\n5. Decides to remain seized of the matter.\n"
    )
    res = parse_resolution(text, "numbers.txt")
    assert [p.number for p in res.operative] == ["1", "2", "2", "5"]
    assert [p.order for p in res.operative] == [1, 2, 3, 4]
    assert res.warnings[:2] == (
        "line 9: operative paragraph number 2 appears twice (first at line 7)",
        "line 11: operative paragraph 5 follows 2; missing: 3, 4",
    )


def test_parse_manifest_disagreeing_with_the_text_keeps_the_text() -> None:
    res = parse_resolution(
        "United Nations A/RES/60/1\n" + MINIMAL, "x.txt", metadata={"symbol": "A/RES/60/2"}
    )
    assert res.symbol == "A/RES/60/1"
    assert res.warnings == (
        "the manifest gives symbol 'A/RES/60/2' but the text says 'A/RES/60/1'; kept the text's",
    )


def test_parse_too_large_input_is_refused() -> None:
    error = failure(b"x" * (MAX_BYTES + 1), "big.txt")
    assert str(error) == (
        "big.txt: the file is too large (8.0 MB; the limit is 8 MB). "
        "A resolution's text is far smaller: check that this is one resolution"
    )
    with pytest.raises(ParseError, match=r"^small\.txt: the file is too large"):
        decode_text("abc", "small.txt", max_bytes=2)


def test_parse_file_too_large_on_disk_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(MAX_BYTES + 10)
    with pytest.raises(ParseError, match=r"huge\.txt: the file is too large \(8\.0 MB"):
        parse_file(path)


def test_parse_paths_go_on_after_a_failure(tmp_path: Path) -> None:
    (tmp_path / "a_empty.txt").write_bytes(b"")
    (tmp_path / "b_good.md").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "c_binary.html").write_bytes(b"\x00\x01")
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF")
    results = list(parse_paths([tmp_path, tmp_path / "missing.txt"]))
    assert [type(r).__name__ for r in results] == [
        "ParseError",
        "Resolution",
        "ParseError",
        "ParseError",
    ]
    assert str(results[3]) == f"{tmp_path / 'missing.txt'}: no such file or folder"
    assert str(results[2]).startswith(f"{tmp_path / 'c_binary.html'}:1:1: binary data")


def test_parse_paths_reports_an_empty_folder(tmp_path: Path) -> None:
    assert [str(r) for r in parse_paths([tmp_path])] == [
        f"{tmp_path}: no .txt, .md, .html or .htm file in this folder"
    ]


def test_manifest_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "manifest.toml"
    path.write_text('["a.txt"]\nsession = 22\nsymbol = \n', encoding="utf-8")
    with pytest.raises(ParseError) as caught:
        load_manifest(path)
    assert (caught.value.line, caught.value.column) == (3, 10)
    assert str(caught.value).startswith(f"{path}:3:10: not valid TOML: Invalid value")


def test_manifest_unknown_key_and_wrong_type_are_named(tmp_path: Path) -> None:
    path = tmp_path / "manifest.toml"
    path.write_text('["a.txt"]\nsesion = 22\n', encoding="utf-8")
    with pytest.raises(ParseError, match=r"\['a.txt'\] sesion: unknown key\. Known keys: symbol"):
        load_manifest(path)
    path.write_text('["a.txt"]\nsession = "22"\n', encoding="utf-8")
    with pytest.raises(ParseError, match=r"\['a.txt'\] session: expected int, found str"):
        load_manifest(path)
    path.write_text('["a.txt"]\nadopted = 2003-12-22\n', encoding="utf-8")
    assert load_manifest(path).metadata_for("a.txt") == {"adopted": "2003-12-22"}


def test_parse_paths_yields_a_bad_manifest_and_parses_the_files(tmp_path: Path) -> None:
    (tmp_path / "manifest.toml").write_text("[broken\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text(MINIMAL, encoding="utf-8")
    results = list(parse_paths([tmp_path]))
    assert isinstance(results[0], ParseError) and "manifest.toml:1:" in str(results[0])
    assert isinstance(results[1], Resolution)


_FRAGMENTS = st.sampled_from(
    [
        "The General Assembly,",
        "“The Economic and Social Council,",
        "Recalling its resolution 55/25 of 15 November 2000,",
        "Recommends to the General Assembly the adoption of the following draft resolution:",
        "1. Requests the Secretary-General to report to it at its sixtieth session;",
        "2. Calls upon all States to:",
        "(a) Prevent;",
        "(i) and",
        "3. Decides to remain seized of the matter.”",
        "77th plenary meeting",
        "22 December 2003",
        "---",
        "____",
        "¹ E/CN.15/2004/5.",
        "1/ A/50/433.",
        "* Reissued.",
        "thereto;1",
        "<sup>2</sup> Ibid.",
        "ANNEX",
        "<<ODS DOC SYMBOL1>>A/RES/58/135<<ODS DOC SYMBOL1>>",
        "United NationsA/RES/58/135General AssemblyDistr.: General",
        "58/135.\tTitle",
        "**Title**",
        "*Urges* Member States, in particular, to act;",
        "<p>Decides</p>",
        "<![0",
        "<ol start='x'><li>",
        "Adopted by the Security Council at its 4385th meeting, on 28 September 2001",
        "",
        "\t",
        "A/RES/58/135",
        "2",
        "and invites the Centre, within resources, to finalize it; and requests him to",
    ]
)


_PREFIXES = st.sampled_from(["", "<html><body><p>", "**Title**\n<sup>1</sup>\n---\n", "\t"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_PREFIXES, st.lists(st.one_of(_FRAGMENTS, st.text(max_size=40)), max_size=30))
def test_parse_never_raises_anything_but_parse_error_on_text(prefix: str, parts: list[str]) -> None:
    try:
        parse_resolution(prefix + "\n".join(parts), "fuzz.txt")
    except ParseError as error:
        assert str(error).startswith("fuzz.txt")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_parse_never_raises_anything_but_parse_error_on_bytes(data: bytes) -> None:
    try:
        parse_resolution(MINIMAL.encode() + data, "fuzz.bin")
    except ParseError as error:
        assert str(error).startswith("fuzz.bin")
