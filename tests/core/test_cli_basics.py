from __future__ import annotations

import pytest

from desktop import __version__
from desktop.cli import main


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"registry-desk {__version__}"


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["no-such-command"])
    assert info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_window_start_and_version_import_no_command_group() -> None:
    """Building every group imports fpdf2 and FastAPI; the window must not pay for that."""
    import subprocess
    import sys

    code = (
        "import sys; from desktop.cli import main\n"
        "try: main(['--version'])\n"
        "except SystemExit: pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('desktop.commands.')))\n"
        "print('fastapi' in sys.modules, 'fpdf' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out[-2:] == ["[]", "False False"]


def test_a_command_imports_only_its_own_group(capsys: pytest.CaptureFixture[str]) -> None:
    from desktop.cli import build_parser, requested_command

    assert requested_command(["--data-dir", "dgg", "units", "list"]) == "units"
    parser = build_parser("dgg")
    sub = next(a for a in parser._actions if a.dest == "command")
    assert list(sub.choices) == ["dgg"]  # type: ignore[attr-defined]
    assert main(["dgg", "list", "--json"]) == 0
    assert capsys.readouterr().out.strip() == "[]"


def test_help_lists_every_command_group(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for group in ("dgg", "units", "generation", "calendar", "btmg", "sandbox"):
        assert group in out
