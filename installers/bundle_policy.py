"""What the frozen bundle leaves out, in one place: read by registry-desk.spec and by the tests.

Two lists: Python modules PyInstaller must not follow (optional imports of third-party
packages that would drag in tens of megabytes, and Qt modules we do not use), and Qt files
(plugins, translations) that only serve features the app does not have. The tests check that
no module of ours imports an excluded module and that every platform keeps the Qt plugins it
needs to show a window.
"""

from __future__ import annotations

# Qt: only QtCore, QtGui and QtWidgets are used. The rest is excluded so that no optional import
# brings it in. numpy and pandas come in through optional imports of openpyxl; nothing of ours
# needs them (pandas + numpy would add ~150 MB).
EXCLUDED_MODULES: tuple[str, ...] = (
    "tkinter",
    "_tkinter",
    "numpy",
    "pandas",
    "matplotlib",
    "IPython",
    "pytest",
    "hypothesis",
    "schemathesis",
    "mypy",
    # Alembic imports Mako, whose error pages optionally highlight code with Pygments, whose image
    # formatter optionally imports Pillow: none of it runs in a migration.
    "pygments",
    "PySide6.QtNetwork",  # HTTP goes through requests (desktop/sync)
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtQuickControls2",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "PySide6.QtWebChannel",
    "PySide6.QtWebSockets",
    "PySide6.Qt3DCore",
    "PySide6.QtMultimedia",
    "PySide6.QtMultimediaWidgets",
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
    "PySide6.QtCharts",
    "PySide6.QtDataVisualization",
    "PySide6.QtGraphs",
    "PySide6.QtDesigner",
    "PySide6.QtUiTools",
    "PySide6.QtHelp",
    "PySide6.QtSql",  # the store uses sqlite3 through SQLAlchemy
    "PySide6.QtTest",
    "PySide6.QtPrintSupport",
    "PySide6.QtDBus",
    "PySide6.QtXml",
    "PySide6.QtConcurrent",
    "PySide6.QtStateMachine",
    # Pillow (fpdf2 and openpyxl use it for images) without its AVIF and WebP codecs (7 MB of
    # libraries) and its Tk/Qt bridges.
    "PIL._avif",
    "PIL.AvifImagePlugin",
    "PIL._webp",
    "PIL.WebPImagePlugin",
    "PIL.ImageTk",
    "PIL.ImageQt",
)

# Parts of bundle paths (always with "/") that are left out.
# - translations: the app installs no QTranslator (it is English only).
# - platforms: xcb, wayland, offscreen (tests, the smoke test) and minimal stay on Linux, windows
#   and cocoa elsewhere; eglfs, linuxfb, vnc and vkkhrdisplay serve kiosks and embedded boards and
#   pull QtNetwork, QtOpenGL and Kerberos.
# - the GTK3 platform theme pulls GTK's own stack (cairo, pango, gdk-pixbuf) for native dialogs;
#   the app uses the Fusion style and the XDG desktop portal theme stays.
# - Wayland: the xdg-shell integration and the decoration plugins are what desktops use; widgets
#   draw with the raster engine, so the OpenGL buffer integrations are unused.
# - image formats: PNG is built in; JPEG, GIF, ICO and SVG stay for documents and icons.
UNUSED_QT_PATHS: tuple[str, ...] = (
    "/translations/",
    "/plugins/networkinformation/",
    "/plugins/tls/",
    "/plugins/generic/",
    "/plugins/egldeviceintegrations/",
    "/plugins/platforminputcontexts/",
    "/plugins/sqldrivers/",
    "/plugins/wayland-graphics-integration-client/",
    "/plugins/wayland-graphics-integration-server/",
    "/plugins/platforms/libqeglfs",
    "/plugins/platforms/libqlinuxfb",
    "/plugins/platforms/libqminimalegl",
    "/plugins/platforms/libqvkkhrdisplay",
    "/plugins/platforms/libqvnc",
    "/plugins/platformthemes/libqgtk3",
    "/plugins/wayland-shell-integration/libfullscreen-shell",
    "/plugins/wayland-shell-integration/libivi-shell",
    "/plugins/wayland-shell-integration/libqt-shell",
    "/plugins/wayland-shell-integration/libwl-shell",
    "/plugins/imageformats/libqtiff",
    "/plugins/imageformats/libqwebp",
    "/plugins/imageformats/libqtga",
    "/plugins/imageformats/libqwbmp",
    "/plugins/imageformats/libqicns",
    "/plugins/imageformats/qtiff",
    "/plugins/imageformats/qwebp",
    "/plugins/imageformats/qtga",
    "/plugins/imageformats/qwbmp",
)


# Linux libraries that must come from the system, not the build machine: OpenGL drivers (Mesa's
# LLVM) load against the system's C++ runtime and fail with "GLIBCXX_... not found" when an older
# copy from the bundle is already loaded. Every desktop distribution installs both.
SYSTEM_LIBRARIES: tuple[str, ...] = ("libstdc++.so.6", "libgcc_s.so.1")


def wanted(bundle_path: str) -> bool:
    """False for a file of the bundle (its path inside the bundle) that is left out."""
    path = "/" + bundle_path.replace("\\", "/").lstrip("/")
    if path.rsplit("/", 1)[-1] in SYSTEM_LIBRARIES:
        return False
    return not any(part in path for part in UNUSED_QT_PATHS)


def excluded(module: str) -> bool:
    """True when `module` (dotted name) is, or is inside, an excluded module."""
    return any(module == name or module.startswith(name + ".") for name in EXCLUDED_MODULES)
