"""The application icon from resources/icons (an empty icon when the set is missing)."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from desktop.models.reference import resources_dir


@cache
def app_icon() -> QIcon:
    folder = resources_dir() / "icons"
    icon = QIcon()
    svg = folder / "registry-desk.svg"
    if svg.is_file():
        icon.addFile(str(svg))
    for png in sorted(folder.glob("registry-desk-*.png")):
        icon.addFile(str(png))
    return icon
