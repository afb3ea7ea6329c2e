"""`kg parse`: exit codes, stderr messages and the --json model."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from kg.cli import cli
from kg.resources import corpus_dir

KEYS = {
    "source",
    "format",
    "symbol",
    "body",
    "adopted",
    "session",
    "agenda_items",
    "report",
    "meeting",
    "title",
    "preamble",
    "operative",
    "footnotes",
    "citations",
    "mentions",
    "mandates",
    "recommends_to",
    "draft",
    "warnings",
}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["parse", *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_parse_corpus_json_prints_all_five_models() -> None:
    code, out, err = run(str(corpus_dir()), "--json")
    assert code == 0
    models = json.loads(out)
    assert [Path(m["source"]).name[:3] for m in models] == ["000", "001", "002", "003", "004"]
    assert [m["symbol"] for m in models] == [
        "A/RES/58/135",
        None,
        "E/RES/2004/23",
        "A/RES/56/120",
        None,
    ]
    for model in models:
        assert set(model) >= KEYS
        for paragraph in model["preamble"]:
            assert {"order", "phrase", "text"} <= set(paragraph)
        for paragraph in model["operative"]:
            assert {"order", "number", "phrase", "text", "subparagraphs"} <= set(paragraph)
    assert models[2]["recommends_to"] == "General Assembly"
    assert len(models[2]["draft"]["operative"]) == 9
    assert models[0]["mandates"][-1] == {
        "paragraph": "op9",
        "kind": "request",
        "addressee": "Secretary-General",
        "task": (
            "to report on the implementation of the present resolution in his report on the "
            "work of the Centre to be submitted to the General Assembly at its fifty-ninth session"
        ),
        "addressee_id": "secretary-general",
        "report_to": "General Assembly",
        "report_to_id": "general-assembly",
        "due_session": 59,
        "due_year": None,
    }
    assert (
        f"Warning: {corpus_dir() / '001_e4a5895366382510.txt'}: the text carries no symbol" in err
    )


def test_cli_parse_summary_of_one_file() -> None:
    code, out, _ = run(str(corpus_dir() / "003_7df26a812a07999f.txt"))
    assert code == 0
    assert "  symbol     A/RES/56/120\n" in out
    assert "  adopted    2001-12-19\n" in out
    assert "  paragraphs 5 preambular, 5 operative; 1 footnote(s), 3 citation(s)\n" in out
    assert "    op5        request        Secretary-General → Commission on Crime Prevention" in out


def test_cli_parse_bad_file_fails_but_others_are_parsed(tmp_path: Path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"The General Assembly,\n\x00")
    code, out, err = run(str(bad), str(corpus_dir() / "000_255fffffb051a65e.txt"), str(binary))
    assert code == 1
    assert err.splitlines() == [
        f"Error: {bad}: the file is empty. Give the text of a resolution",
        f"Error: {binary}:2:1: binary data, not text (a NUL byte). "
        "Give the plain text, Markdown or HTML of the resolution",
    ]
    assert "symbol     A/RES/58/135" in out
    assert "Traceback" not in out + err


def test_cli_parse_json_still_prints_the_good_files_on_failure(tmp_path: Path) -> None:
    bad = tmp_path / "list.md"
    bad.write_text("Shopping list\n", encoding="utf-8")
    code, out, err = run("--json", str(bad), str(corpus_dir() / "002_e2bf1470f0b0be76.txt"))
    assert code == 1
    assert [m["symbol"] for m in json.loads(out)] == ["E/RES/2004/23"]
    assert err.startswith(f"Error: {bad}: no resolution structure found")


def test_cli_parse_strict_counts_warnings_as_failures() -> None:
    code, _, err = run("--strict", str(corpus_dir() / "004_995286ed3bee909e.txt"))
    assert code == 1
    assert "the text carries no symbol and the manifest gives none" in err
    assert run("--strict", str(corpus_dir() / "000_255fffffb051a65e.txt"))[0] == 0


def test_cli_parse_without_paths_is_a_usage_error() -> None:
    code, _, err = run()
    assert code == 2
    assert "Missing argument 'PATHS...'" in err


def test_cli_parse_missing_path_is_reported() -> None:
    code, _, err = run("no/such/file.txt")
    assert (code, err) == (1, "Error: no/such/file.txt: no such file or folder\n")
