"""The installer files agree with each other and with the project, and the smoke test script
passes against the source tree (the same checks `make dist` runs on the frozen app)."""

from __future__ import annotations

import configparser
import plistlib
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALLERS = ROOT / "installers"
SCRIPTS = sorted(INSTALLERS.rglob("*.sh"))


def script_name() -> str:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (name,) = pyproject["project"]["scripts"]
    return str(name)


def test_desktop_entry_starts_the_installed_command_with_the_shipped_icon() -> None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(INSTALLERS / "linux" / "registry-desk.desktop", encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Exec"].split()[0] == script_name()
    assert entry["TryExec"] == script_name()
    assert entry["Terminal"] == "false"
    assert entry["Categories"].endswith(";")
    assert entry["Keywords"].endswith(";")
    assert (ROOT / "resources" / "icons" / f"{entry['Icon']}-256.png").is_file()
    assert (ROOT / "resources" / "icons" / f"{entry['Icon']}.svg").is_file()
    deb = (INSTALLERS / "linux" / "build_deb.sh").read_text(encoding="utf-8")
    assert f"NAME={entry['Icon']}" in deb


def test_windows_installer_and_spec_name_the_same_executables() -> None:
    spec = (INSTALLERS / "registry-desk.spec").read_text(encoding="utf-8")
    nsi = (INSTALLERS / "windows" / "registry-desk.nsi").read_text(encoding="utf-8")
    gui = re.search(r'executable\("(\w+)", console=False\)', spec)
    cli = re.search(r'^APP = "([\w-]+)"', spec, re.M)
    assert gui and cli
    assert f'!define GUI_EXE "{gui.group(1)}.exe"' in nsi
    assert f'!define CLI_EXE "{cli.group(1)}.exe"' in nsi
    assert cli.group(1) == script_name()
    assert (ROOT / "resources" / "icons" / "registry-desk.ico").is_file()
    assert "resources\\icons\\registry-desk.ico" in nsi


def test_spec_is_valid_python() -> None:
    compile((INSTALLERS / "registry-desk.spec").read_text(encoding="utf-8"), "spec", "exec")


def test_macos_property_lists() -> None:
    info = plistlib.loads((INSTALLERS / "macos" / "Info.plist").read_bytes())
    assert info["CFBundlePackageType"] == "APPL"
    assert re.fullmatch(r"[A-Za-z0-9.-]+", info["CFBundleIdentifier"])
    assert info["LSBackgroundOnly"] is False  # a console EXE would otherwise hide the Dock icon
    assert info["NSHighResolutionCapable"] is True
    entitlements = plistlib.loads((INSTALLERS / "macos" / "entitlements.plist").read_bytes())
    assert all(value is True for value in entitlements.values())


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_shell_scripts_parse(script: Path) -> None:
    result = subprocess.run(
        ["bash", "-n", str(script)], check=False, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_smoke_test_passes_against_the_source_tree(tmp_path: Path) -> None:
    """Keeps the smoke script and the commands it drives in step with the code."""
    app = tmp_path / "registry-desk"
    # `-m desktop.<module>` runs a module, as the frozen app's runtime hook does
    app.write_text(
        "#!/usr/bin/env bash\n"
        f'cd "{ROOT}" || exit 1\n'
        f'if [ "${{1:-}}" = -m ]; then exec "{sys.executable}" "$@"; fi\n'
        f'exec "{sys.executable}" -m desktop "$@"\n',
        encoding="utf-8",
    )
    app.chmod(0o755)
    result = subprocess.run(
        ["bash", str(INSTALLERS / "smoke_test.sh"), str(app), sys.executable],
        check=False,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "smoke: all checks passed" in result.stdout
    assert "smoke: ok   window" in result.stdout
