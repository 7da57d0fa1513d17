"""The command line: one line per error, the documented exit statuses, no tracebacks."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from conftest import GOLD_FILE, REPO
from factgold import __version__, cli
from factgold.cli import main


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"factgold {__version__}"


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--help"]) == 0
    assert "gold JSON Lines files" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "the following arguments are required: command"),
        (["score"], "invalid choice: 'score'"),
        (["validate"], "the following arguments are required: PATH"),
        (["agreement", "a.jsonl"], "the following arguments are required: B"),
        (["agreement", "a", "b", "--format", "xml"], "invalid choice: 'xml'"),
    ],
)
def test_usage_errors_are_one_line(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("factgold: error: ")
    assert message in err


def test_internal_error_is_reported_as_a_bug(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(args: argparse.Namespace) -> int:
        raise RuntimeError("boom")

    monkeypatch.setitem(cli._COMMANDS, "validate", broken)
    assert main(["validate", str(GOLD_FILE)]) == 1
    err = capsys.readouterr().err
    assert err == "factgold: internal error: RuntimeError: boom (please report this as a bug)\n"


def test_console_script_is_installed() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "factgold", "validate", str(GOLD_FILE)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "ok (1 document)" in result.stdout
