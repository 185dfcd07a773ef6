"""What the frozen bundle leaves out must be what the app never needs."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "installers"))

from bundle_policy import EXCLUDED_MODULES, excluded, wanted  # noqa: E402

SOURCES = sorted((ROOT / "desktop").rglob("*.py"))


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_of_ours_imports_what_the_bundle_leaves_out(path: Path) -> None:
    for name in imported_modules(path):
        assert not excluded(name), (
            f"{path.relative_to(ROOT)} imports {name}, which installers/bundle_policy.py leaves "
            "out of the frozen app: take it off EXCLUDED_MODULES (and check the bundle size)"
        )


def test_excluded_matches_whole_module_names() -> None:
    assert excluded("numpy")
    assert excluded("numpy.linalg")
    assert excluded("PySide6.QtNetwork")
    assert not excluded("numpydoc")
    assert not excluded("PySide6.QtWidgets")
    assert not excluded("PySide6.QtGui")
    assert not excluded("PIL.Image")
    assert all(name == name.strip() and name for name in EXCLUDED_MODULES)


@pytest.mark.parametrize(
    "path",
    [
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqwayland.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/Qt/plugins/platforms/libqcocoa.dylib",
        "PySide6\\plugins\\platforms\\qwindows.dll",
        "PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so",
        "PySide6/Qt/plugins/wayland-decoration-client/libbradient.so",
        "PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so",
        "PySide6/Qt/plugins/imageformats/libqjpeg.so",
        "PySide6/Qt/plugins/imageformats/libqsvg.so",
        "PySide6\\plugins\\imageformats\\qico.dll",
        "PySide6/Qt/plugins/styles/libqmodernwindowsstyle.so",
        "PySide6/Qt/lib/libQt6Widgets.so.6",
        "resources/reference/fuel_types.json",
        "docs/user-guide.md",
        "docs/screenshots/main-window.png",
        "desktop/store/migrations/env.py",
    ],
)
def test_what_a_window_needs_stays(path: str) -> None:
    assert wanted(path)


@pytest.mark.parametrize(
    "path",
    [
        "PySide6/Qt/translations/qtbase_de.qm",
        "PySide6\\translations\\qt_fr.qm",
        "PySide6/Qt/plugins/platforms/libqvnc.so",
        "PySide6/Qt/plugins/platforms/libqeglfs.so",
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "PySide6/Qt/plugins/wayland-graphics-integration-client/libdmabuf-server.so",
        "PySide6/Qt/plugins/imageformats/libqtiff.so",
        "PySide6\\plugins\\imageformats\\qwebp.dll",
        "libstdc++.so.6",
        "libgcc_s.so.1",
    ],
)
def test_unused_qt_parts_and_system_runtimes_go(path: str) -> None:
    assert not wanted(path)
