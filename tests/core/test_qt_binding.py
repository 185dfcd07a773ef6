"""Guards against a Qt binding that corrupts the interpreter.

PySide6 6.12.0 on Python 3.11 dropped one reference to None on every void Qt call; the
interpreter aborted after a few thousand calls (pyproject.toml pins below it). If a future
upgrade brings that back, this fails instead of the app dying in front of a user.
"""

from __future__ import annotations

import sys

import pytest

pytestmark = pytest.mark.gui


def test_void_qt_calls_keep_none_alive(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLabel

    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(500):  # far below the abort, enough to see a leak of one per call
        label.setText("x")
        label.update()
    assert sys.getrefcount(None) - before > -100
