"""The application icon from resources/icons (an empty icon when the set is missing)."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from desktop.models.reference import resources_dir


@cache
def app_icon() -> QIcon:
    # The PNG sizes (16 to 512 px) only: adding them to an icon that holds the SVG as well
    # sends each through the SVG icon engine, which cost 6 ms of start-up against 0.6 ms.
    icon = QIcon()
    for png in sorted((resources_dir() / "icons").glob("registry-desk-*.png")):
        icon.addFile(str(png))
    return icon
